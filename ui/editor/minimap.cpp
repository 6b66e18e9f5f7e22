#include "minimap.h"

#include "flowscene.h"
#include "flowview.h"
#include "nodeitem.h"
#include "theme.h"

#include <QMouseEvent>
#include <QPainter>

namespace pw {

MiniMap::MiniMap(FlowView *view) : CanvasOverlay(view), m_view(view)
{
    setObjectName(QStringLiteral("miniMap"));
    setFixedSize(180, 112);
    setCursor(Qt::PointingHandCursor);
    m_timer.setSingleShot(true);
    m_timer.setInterval(60);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        // Only useful when part of the flow is off screen.
        FlowScene *scene = m_view->flowScene();
        const QRectF visible = m_view->mapToScene(m_view->viewport()->rect()).boundingRect();
        setVisible(
            scene->nodeCount() > 0 && isEnabled() && !visible.contains(scene->nodesBoundingRect()));
        update();
    });
}

void MiniMap::scheduleUpdate()
{
    if (!m_timer.isActive())
        m_timer.start();
}

QTransform MiniMap::sceneToMap() const
{
    QRectF b = m_bounds;
    if (b.isNull())
        return {};
    const QRectF area = QRectF(rect()).adjusted(6, 6, -6, -6);
    const qreal s = std::min(area.width() / b.width(), area.height() / b.height());
    const QPointF off = area.center() - QPointF(b.center().x() * s, b.center().y() * s);
    return QTransform(s, 0, 0, s, off.x(), off.y());
}

void MiniMap::paintEvent(QPaintEvent *)
{
    const Theme &theme = Theme::current();
    QPainter p(this);
    p.setOpacity(opacity());
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(theme.nodeBorder, 1));
    p.setBrush(theme.minimapFill);
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);

    FlowScene *scene = m_view->flowScene();
    m_bounds = scene->nodesBoundingRect().adjusted(-40, -40, 40, 40);
    const QRectF visible = m_view->mapToScene(m_view->viewport()->rect()).boundingRect();
    const QTransform t = sceneToMap();
    QList<QRectF> boxes;
    boxes.reserve(scene->nodeCount());
    for (QGraphicsItem *item : scene->items()) {
        if (item->type() == NodeItem::Type) {
            QRectF r = t.mapRect(QRectF(item->pos(), QSizeF(NodeItem::Width, NodeItem::Height)));
            r.setSize(r.size().expandedTo(QSizeF(2, 1.5))); // tiny flows-in-a-corner stay visible
            boxes.append(r);
        }
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(Qt::NoPen);
    p.setBrush(theme.dark ? theme.mutedText : theme.nodeBorder);
    p.drawRects(boxes.constData(), int(boxes.size()));
    p.setRenderHint(QPainter::Antialiasing, true);
    QColor fill = theme.accent;
    fill.setAlpha(14);
    p.setBrush(fill);
    p.setPen(QPen(theme.accent, 1));
    p.drawRect(t.mapRect(visible).intersected(QRectF(rect()).adjusted(1, 1, -1, -1)));
}

void MiniMap::navigate(QPoint pos)
{
    bool ok = false;
    const QTransform inv = sceneToMap().inverted(&ok);
    if (ok)
        m_view->centerOn(inv.map(QPointF(pos)));
}

void MiniMap::mousePressEvent(QMouseEvent *event)
{
    navigate(event->position().toPoint());
}

void MiniMap::mouseMoveEvent(QMouseEvent *event)
{
    if (event->buttons() & Qt::LeftButton)
        navigate(event->position().toPoint());
}

} // namespace pw
