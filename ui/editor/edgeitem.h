#pragma once

#include <QGraphicsItem>
#include <QPainterPath>

namespace pw {

class NodeItem;

// A dependency edge: a cubic Bézier from the upstream node's output port to the downstream
// node's input port, with a small arrowhead. Also used for the edge that follows the pointer
// while connecting (no nodes, explicit endpoints; dashed and red when the target is refused).
class EdgeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 2 };

    EdgeItem(NodeItem *from, NodeItem *to); // a real edge; registers itself with both nodes
    EdgeItem();                             // a free (dragged) edge
    ~EdgeItem() override;
    int type() const override { return Type; }

    NodeItem *fromNode() const { return m_from; }
    NodeItem *toNode() const { return m_to; }
    void detach(); // forget the nodes (before they are deleted)

    void adjust(); // recompute from the nodes' ports
    void setEndpoints(QPointF from, QPointF to);
    void setInvalid(bool invalid);
    bool isInvalid() const { return m_invalid; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    NodeItem *m_from = nullptr;
    NodeItem *m_to = nullptr;
    QPainterPath m_path;
    QPolygonF m_arrow;
    QRectF m_bounds;
    bool m_invalid = false;
};

} // namespace pw
