#include "runlegend.h"

#include "statepalette.h"

#include <QGridLayout>
#include <QLabel>

namespace pw {

RunLegend::RunLegend(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("runLegend"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(8, 6, 8, 6);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(2);
    const QList<TaskState> states = StatePalette::allStates();
    const int rows = int((states.size() + 1) / 2);
    for (int i = 0; i < states.size(); ++i) {
        auto *icon = new QLabel(this);
        icon->setPixmap(StatePalette::icon(states.at(i)).pixmap(14, 14));
        auto *label = new QLabel(StatePalette::label(states.at(i)), this);
        QFont f = label->font();
        f.setPointSizeF(f.pointSizeF() * 0.9);
        label->setFont(f);
        const int col = (i / rows) * 2;
        grid->addWidget(icon, i % rows, col);
        grid->addWidget(label, i % rows, col + 1);
    }
    adjustSize();
}

} // namespace pw
