#include "failededgemark.h"

#include "editor/edgeitem.h"
#include "editor/nodeitem.h"
#include "statepalette.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace pw {

FailedEdgeMark::FailedEdgeMark(EdgeItem *edge) : QGraphicsObject(edge), m_edge(edge)
{
    setAcceptedMouseButtons(Qt::NoButton);
}

QRectF FailedEdgeMark::boundingRect() const
{
    return m_edge->boundingRect().adjusted(-3, -3, 3, 3);
}

void FailedEdgeMark::paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (!m_edge->fromNode() || !m_edge->toNode())
        return;
    // The edge's curve (EdgeItem::setEndpoints), in the edge's coordinates.
    const QPointF p1 = m_edge->mapFromScene(m_edge->fromNode()->outputPortScenePos());
    const QPointF p2 = m_edge->mapFromScene(m_edge->toNode()->inputPortScenePos());
    const QPointF end = p2 - QPointF(NodeItem::PortRadius + 1 + 7, 0);
    const qreal dx = std::max(40.0, std::abs(end.x() - p1.x()) * 0.5);
    QPainterPath path(p1);
    path.cubicTo(p1 + QPointF(dx, 0), end - QPointF(dx, 0), end);
    p->setRenderHint(QPainter::Antialiasing, true);
    QColor c = StatePalette::color(TaskState::Failed);
    p->setPen(QPen(c, 2.5, Qt::SolidLine, Qt::RoundCap));
    p->setBrush(Qt::NoBrush);
    p->drawPath(path);
}

} // namespace pw
