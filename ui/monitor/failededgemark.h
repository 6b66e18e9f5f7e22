#pragma once

#include <QGraphicsObject>

namespace pw {

class EdgeItem;

// Highlights an edge into a failed task in a run view: the same curve as the edge, drawn over it
// in the failed colour and thicker. A child item of the editor's EdgeItem, so it follows it and
// goes with it. Main thread only.
class FailedEdgeMark : public QGraphicsObject
{
public:
    enum { Type = UserType + 21 };
    explicit FailedEdgeMark(EdgeItem *edge);
    int type() const override { return Type; }

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    EdgeItem *m_edge;
};

} // namespace pw
