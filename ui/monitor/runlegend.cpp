#include "runlegend.h"

#include "statepalette.h"

#include <QPainter>
#include <QStyleOptionFrame>

namespace pw {

namespace {
constexpr int Margin = 8; // inside the panel
constexpr int IconSize = 14;
constexpr int Gap = 6; // between an icon and its name
constexpr int ColumnGap = 14;
constexpr int RowSpacing = 2;
} // namespace

RunLegend::RunLegend(QWidget *parent) : CanvasOverlay(parent)
{
    setObjectName(QStringLiteral("runLegend"));
    resize(sizeHint());
}

QFont RunLegend::labelFont() const
{
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    return f;
}

int RunLegend::rows() const
{
    return int((StatePalette::allStates().size() + 1) / 2);
}

int RunLegend::columnWidth(int column) const
{
    const QFontMetrics fm(labelFont());
    const QList<TaskState> states = StatePalette::allStates();
    int width = 0;
    for (int i = column * rows(); i < std::min(int(states.size()), (column + 1) * rows()); ++i)
        width = std::max(width, fm.horizontalAdvance(StatePalette::label(states.at(i))));
    return IconSize + Gap + width;
}

QSize RunLegend::sizeHint() const
{
    const int rowHeight = std::max(IconSize, QFontMetrics(labelFont()).height());
    return {2 * Margin + columnWidth(0) + ColumnGap + columnWidth(1),
        2 * Margin + rows() * rowHeight + (rows() - 1) * RowSpacing};
}

void RunLegend::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setOpacity(opacity());
    QStyleOptionFrame frame;
    frame.initFrom(this);
    frame.frameShape = QFrame::StyledPanel;
    frame.lineWidth = 1;
    p.fillRect(rect(), palette().window());
    style()->drawControl(QStyle::CE_ShapedFrame, &frame, &p, this);

    p.setFont(labelFont());
    p.setPen(palette().color(QPalette::WindowText));
    const int rowHeight = std::max(IconSize, p.fontMetrics().height());
    const QList<TaskState> states = StatePalette::allStates();
    int x = Margin;
    for (int column = 0; column < 2; ++column) {
        for (int row = 0; row < rows(); ++row) {
            const int i = column * rows() + row;
            if (i >= states.size())
                break;
            const int y = Margin + row * (rowHeight + RowSpacing);
            StatePalette::icon(states.at(i))
                .paint(&p, QRect(x, y + (rowHeight - IconSize) / 2, IconSize, IconSize));
            p.drawText(QRect(x + IconSize + Gap, y, columnWidth(column), rowHeight),
                Qt::AlignLeft | Qt::AlignVCenter, StatePalette::label(states.at(i)));
        }
        x += columnWidth(column) + ColumnGap;
    }
}

} // namespace pw
