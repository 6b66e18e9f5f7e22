#include "nodeitem.h"

#include "edgeitem.h"
#include "flowscene.h"
#include "tasktypeinfo.h"
#include "theme.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QGraphicsSceneMouseEvent>
#include <QGuiApplication>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace pw {

namespace {
constexpr qreal kRadius = 6;
constexpr qreal kPad = 10;

QFont nameFont()
{
    QFont f = QGuiApplication::font();
    f.setPixelSize(13);
    f.setBold(true);
    return f;
}

QFont summaryFont()
{
    QFont f = QGuiApplication::font();
    f.setPixelSize(11);
    return f;
}
} // namespace

NodeItem::NodeItem(const TaskSpec &task)
{
    setFlags(ItemIsSelectable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    setZValue(1);
    setTask(task);
}

void NodeItem::setTask(const TaskSpec &task)
{
    m_id = task.id;
    m_type = task.type;
    QStringList parts{toString(task.type)};
    if (task.retry.retries && *task.retry.retries > 0)
        parts << QCoreApplication::translate("pw::NodeItem", "retries %1").arg(*task.retry.retries);
    if (!task.pool.isEmpty())
        parts << QCoreApplication::translate("pw::NodeItem", "pool %1").arg(task.pool);
    if (task.trigger != TriggerRule::AllSuccess)
        parts << toString(task.trigger);
    if (task.type == TaskType::Sql && !task.connection.isEmpty() && parts.size() < 3)
        parts << task.connection;
    if (task.executor == Executor::Slurm)
        parts << QStringLiteral("slurm");
    if (task.priority != 0)
        parts << QCoreApplication::translate("pw::NodeItem", "priority %1").arg(task.priority);
    m_summary = parts.join(QStringLiteral(" · "));
    m_description = task.description;
    updateToolTip();
    update();
}

void NodeItem::setProblems(const QStringList &problems)
{
    if (problems == m_problems)
        return;
    m_problems = problems;
    updateToolTip();
    update();
}

void NodeItem::setWarnings(const QStringList &warnings)
{
    if (warnings == m_warnings)
        return;
    m_warnings = warnings;
    updateToolTip();
    update();
}

// The full id (the box elides a long one) and the description, then the problems.
void NodeItem::updateToolTip()
{
    QStringList lines{m_id};
    if (!m_description.isEmpty())
        lines << m_description;
    setToolTip((lines + m_problems + m_warnings).join(QLatin1Char('\n')));
}

void NodeItem::setHighlighted(bool on)
{
    if (m_highlighted != on) {
        m_highlighted = on;
        update();
    }
}

NodeItem::Port NodeItem::portAt(QPointF p) const
{
    const qreal grab = 10;
    if (QLineF(p, QPointF(0, Height / 2)).length() <= grab)
        return Port::Input;
    if (QLineF(p, QPointF(Width, Height / 2)).length() <= grab)
        return Port::Output;
    return Port::None;
}

QRectF NodeItem::boundingRect() const
{
    return QRectF(-PortRadius * 2 - 1, -1, Width + PortRadius * 4 + 2, Height + 2);
}

QPainterPath NodeItem::shape() const
{
    // The box plus generous port discs (the same for every node; united, so that the port
    // centres on the border are inside).
    static const QPainterPath shape = [] {
        QPainterPath box, ports;
        box.addRoundedRect(QRectF(0, 0, Width, Height), kRadius, kRadius);
        ports.addEllipse(QPointF(0, Height / 2), PortRadius * 2, PortRadius * 2);
        ports.addEllipse(QPointF(Width, Height / 2), PortRadius * 2, PortRadius * 2);
        return box.united(ports);
    }();
    return shape;
}

void NodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const Theme &theme = Theme::current();
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const QRectF box(0, 0, Width, Height);
    const bool selected = isSelected();

    if (lod < 0.4) {
        // Zoomed out: only the box, its type colour and the error state; no unreadable text.
        painter->setPen(selected ? QPen(theme.accent, 2 / lod) : QPen(theme.nodeBorder, 0));
        painter->setBrush(
            hasProblems() ? theme.invalid.lighter(theme.dark ? 80 : 170) : theme.nodeFill);
        painter->drawRect(box);
        painter->fillRect(QRectF(0, 0, 8, Height), TaskTypeInfo::colour(m_type));
        return;
    }

    painter->setRenderHint(QPainter::Antialiasing, true);
    QPen border(theme.nodeBorder, 1);
    if (m_highlighted)
        border = QPen(theme.accent, 2, Qt::DashLine);
    else if (selected)
        border = QPen(theme.accent, 2);
    else if (hasProblems())
        border = QPen(theme.invalid, 1);
    painter->setPen(border);
    painter->setBrush(theme.nodeFill);
    painter->drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), kRadius, kRadius);

    // Header: icon + bold id.
    const QRectF iconRect(kPad, 10, 16, 16);
    TaskTypeInfo::paintIcon(painter, m_type, iconRect);
    const qreal textLeft = iconRect.right() + 8;
    const qreal textRight = Width - kPad - (hasProblems() || hasWarnings() ? 20 : 0);
    const QFont nf = nameFont();
    painter->setFont(nf);
    painter->setPen(theme.text);
    const QFontMetricsF nfm(nf);
    painter->drawText(QRectF(textLeft, 8, textRight - textLeft, 20),
        Qt::AlignVCenter | Qt::AlignLeft,
        nfm.elidedText(m_id, Qt::ElideRight, textRight - textLeft));

    // Summary row, muted.
    if (lod >= 0.55) {
        const QFont sf = summaryFont();
        painter->setFont(sf);
        painter->setPen(theme.mutedText);
        const QFontMetricsF sfm(sf);
        const qreal w = Width - 2 * kPad;
        painter->drawText(QRectF(kPad, 36, w, 18), Qt::AlignVCenter | Qt::AlignLeft,
            sfm.elidedText(m_summary, Qt::ElideRight, w));
    }

    // Ports.
    painter->setPen(QPen(theme.port, 1.5));
    painter->setBrush(theme.nodeFill);
    const qreal rin = m_hoverPort == Port::Input ? PortRadius * 1.6 : PortRadius;
    const qreal rout = m_hoverPort == Port::Output ? PortRadius * 1.6 : PortRadius;
    painter->drawEllipse(QPointF(0, Height / 2), rin, rin);
    painter->setBrush(m_hoverPort == Port::Output ? theme.accent : theme.port);
    painter->drawEllipse(QPointF(Width, Height / 2), rout, rout);

    // Error badge (else warning badge), top right.
    if (hasProblems() || hasWarnings())
        TaskTypeInfo::paintSvg(painter,
            hasProblems() ? QStringLiteral(":/icons/error-badge.svg")
                          : QStringLiteral(":/icons/warning-badge.svg"),
            QRectF(Width - kPad - 14, 11, 14, 14));
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemPositionHasChanged) {
        for (EdgeItem *e : std::as_const(m_edges))
            e->adjust();
    }
    return QGraphicsItem::itemChange(change, value);
}

FlowScene *NodeItem::flowScene() const
{
    return qobject_cast<FlowScene *>(scene());
}

void NodeItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    FlowScene *s = flowScene();
    if (!s || event->button() != Qt::LeftButton) {
        event->ignore();
        return;
    }
    m_moved = false;
    const Port port = portAt(event->pos());
    if (port != Port::None) {
        m_connecting = true;
        s->beginConnect(this, port == Port::Input, event->scenePos());
        event->accept();
        return;
    }
    m_pressedSelected = isSelected();
    if (event->modifiers() & Qt::ControlModifier) {
        setSelected(!isSelected());
    } else if (!isSelected()) {
        s->clearSelection();
        setSelected(true);
    }
    if (isSelected())
        s->beginMove(event->scenePos());
    event->accept();
}

void NodeItem::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    FlowScene *s = flowScene();
    if (!s)
        return;
    if (m_connecting) {
        s->updateConnect(event->scenePos());
        return;
    }
    if (isSelected()) {
        m_moved = true;
        s->moveTo(event->scenePos());
    }
}

void NodeItem::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    FlowScene *s = flowScene();
    if (!s)
        return;
    if (m_connecting) {
        m_connecting = false;
        s->finishConnect(event->scenePos());
        return;
    }
    s->endMove();
    // A plain click on one of several selected nodes selects just that node.
    if (!m_moved && m_pressedSelected && !(event->modifiers() & Qt::ControlModifier)) {
        s->clearSelection();
        setSelected(true);
    }
}

void NodeItem::mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event)
{
    if (FlowScene *s = flowScene())
        s->activateTask(m_id);
    event->accept();
}

void NodeItem::hoverMoveEvent(QGraphicsSceneHoverEvent *event)
{
    const Port p = portAt(event->pos());
    if (p != m_hoverPort) {
        m_hoverPort = p;
        setCursor(p == Port::None ? Qt::ArrowCursor : Qt::CrossCursor);
        update();
    }
}

void NodeItem::hoverLeaveEvent(QGraphicsSceneHoverEvent *)
{
    if (m_hoverPort != Port::None) {
        m_hoverPort = Port::None;
        unsetCursor();
        update();
    }
}

} // namespace pw
