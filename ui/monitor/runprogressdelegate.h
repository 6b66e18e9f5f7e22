#pragma once

#include <QStyledItemDelegate>

namespace pw {

// Draws the runs table's progress column as a thin bar in the run state's colour with
// "done/total" next to it. Main thread only.
class RunProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace pw
