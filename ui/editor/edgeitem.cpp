#include "edgeitem.h"

#include "nodeitem.h"
#include "theme.h"

#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

namespace pw {

namespace {
constexpr qreal kArrow = 7;
}

EdgeItem::EdgeItem(NodeItem *from, NodeItem *to) : m_from(from), m_to(to)
{
    setFlags(ItemIsSelectable);
    setZValue(0);
    from->addEdge(this);
    to->addEdge(this);
    adjust();
}

EdgeItem::EdgeItem()
{
    setZValue(3);
}

EdgeItem::~EdgeItem()
{
    detach();
}

void EdgeItem::detach()
{
    if (m_from)
        m_from->removeEdge(this);
    if (m_to)
        m_to->removeEdge(this);
    m_from = m_to = nullptr;
}

void EdgeItem::adjust()
{
    if (m_from && m_to)
        setEndpoints(m_from->outputPortScenePos(), m_to->inputPortScenePos());
}

void EdgeItem::setEndpoints(QPointF p1, QPointF p2)
{
    prepareGeometryChange();
    // The arrow's tip touches the input port's circle.
    const QPointF tip = p2 - QPointF(NodeItem::PortRadius + 1, 0);
    const QPointF end = tip - QPointF(kArrow, 0);
    QPainterPath path(p1);
    if (end.x() >= p1.x() + 2 * kArrow) {
        const qreal dx = std::max(40.0, std::abs(end.x() - p1.x()) * 0.5);
        path.cubicTo(p1 + QPointF(dx, 0), end - QPointF(dx, 0), end);
    } else {
        // A back edge (its target is left of its source, as the edge that closes a cycle
        // usually is): out to the right, along under both nodes, in from the left — never
        // along the line behind the nodes, where it would be hidden.
        const qreal below = std::max(p1.y(), end.y()) + NodeItem::Height / 2 + 24;
        const qreal r = 24;
        path.cubicTo(p1 + QPointF(r, 0), QPointF(p1.x() + r, below), QPointF(p1.x(), below));
        path.lineTo(end.x(), below);
        path.cubicTo(QPointF(end.x() - r, below), end - QPointF(r, 0), end);
    }
    m_path = path;
    m_arrow
        = QPolygonF({tip, end + QPointF(0, -kArrow / 2 - 0.5), end + QPointF(0, kArrow / 2 + 0.5)});
    m_bounds = m_path.boundingRect().united(m_arrow.boundingRect()).adjusted(-4, -4, 4, 4);
}

void EdgeItem::setInvalid(bool invalid)
{
    if (m_invalid != invalid) {
        m_invalid = invalid;
        update();
    }
}

QRectF EdgeItem::boundingRect() const
{
    return m_bounds;
}

QPainterPath EdgeItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    QPainterPath s = stroker.createStroke(m_path);
    s.addPolygon(m_arrow);
    return s;
}

void EdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const Theme &theme = Theme::current();
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    QColor c = theme.edge;
    qreal w = 1.5;
    Qt::PenStyle style = Qt::SolidLine;
    if (m_invalid) {
        c = theme.invalid;
        style = Qt::DashLine;
        w = 2;
    } else if (isSelected()) {
        c = theme.accent;
        w = 2.5;
    } else if (!m_from) {
        c = theme.accent;
    }
    painter->setRenderHint(QPainter::Antialiasing, lod >= 0.4);
    painter->setPen(QPen(c, lod < 0.4 ? 0 : w, style, Qt::RoundCap));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
    if (lod >= 0.4) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(c);
        painter->drawPolygon(m_arrow);
    }
}

} // namespace pw
