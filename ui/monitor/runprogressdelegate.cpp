#include "runprogressdelegate.h"

#include "runsmodel.h"
#include "statepalette.h"

#include <QApplication>
#include <QPainter>

namespace pw {

void RunProgressDelegate::paint(
    QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, p, opt.widget);

    const double fraction = index.data(RunsModel::ProgressRole).toDouble();
    const auto state = RunState(index.data(RunsModel::RunStateRole).toInt());
    const QString text = index.data(Qt::DisplayRole).toString();
    const QFontMetrics fm(option.font);
    const int textW = fm.horizontalAdvance(QStringLiteral("000/000"));
    const QRect r = option.rect.adjusted(6, 0, -6, 0);
    const QRect barRect(r.left(), r.center().y() - 3, qMax(10, r.width() - textW - 8), 6);

    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(Qt::NoPen);
    p->setBrush(option.palette.color(QPalette::Mid).lighter(130));
    p->drawRoundedRect(barRect, 3, 3);
    QRectF done = barRect;
    done.setWidth(barRect.width() * qBound(0.0, fraction, 1.0));
    p->setBrush(StatePalette::color(state));
    if (done.width() > 0)
        p->drawRoundedRect(done, 3, 3);
    p->setPen(opt.state & QStyle::State_Selected ? option.palette.color(QPalette::HighlightedText)
                                                 : option.palette.color(QPalette::Text));
    p->drawText(QRect(barRect.right() + 6, r.top(), textW + 2, r.height()),
        Qt::AlignVCenter | Qt::AlignRight, text);
    p->restore();
}

QSize RunProgressDelegate::sizeHint(
    const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(qMax(s.width(), 140));
    return s;
}

} // namespace pw
