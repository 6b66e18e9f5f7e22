#include "flowview.h"

#include "canvasoverlay.h"
#include "flowscene.h"
#include "minimap.h"
#include "model/taskspec.h"
#include "nodeitem.h"
#include "theme.h"

#include <QDragEnterEvent>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMimeData>
#include <QScrollBar>
#include <QTimer>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace pw {

FlowView::FlowView(FlowScene *scene, QWidget *parent) : QGraphicsView(scene, parent), m_scene(scene)
{
    setObjectName(QStringLiteral("flowView"));
    setRenderHints(
        QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    setDragMode(RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(AnchorUnderMouse);
    setResizeAnchor(AnchorViewCenter);
    setViewportUpdateMode(SmartViewportUpdate);
    setOptimizationFlag(DontAdjustForAntialiasing, true);
    setCacheMode(CacheNone);
    setAcceptDrops(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFocusPolicy(Qt::StrongFocus);
    m_miniMap = new MiniMap(this);
    connect(scene, &FlowScene::nodesChanged, m_miniMap, &MiniMap::scheduleUpdate);
    connect(scene, &FlowScene::nodesChanged, this, &FlowView::scheduleOverlayCheck);
    addOverlay(m_miniMap);
    connect(scene, &FlowScene::nodesChanged, this, [this] {
        if (m_scene->nodeCount() <= 1) // the hint appears or disappears
            viewport()->update();
    });
}

void FlowView::setZoom(qreal z)
{
    z = std::clamp(z, 0.02, 4.0);
    const QTransform t = QTransform::fromScale(z, z);
    setTransform(t);
    m_miniMap->scheduleUpdate();
    scheduleOverlayCheck();
    Q_EMIT zoomChanged(z);
}

void FlowView::zoomBy(qreal factor)
{
    const qreal z = std::clamp(zoom() * factor, 0.02, 4.0);
    scale(z / zoom(), z / zoom());
    m_miniMap->scheduleUpdate();
    scheduleOverlayCheck();
    Q_EMIT zoomChanged(z);
}

QRectF FlowView::fitRect() const
{
    QRectF r = m_scene->nodesBoundingRect();
    return r.isNull() ? r : r.adjusted(-40, -40, 40, 40);
}

void FlowView::zoomAndCentre(qreal z, QPointF centre)
{
    const ViewportAnchor anchor = transformationAnchor();
    setTransformationAnchor(NoAnchor);
    setZoom(z);
    setTransformationAnchor(anchor);
    centerOn(centre);
}

bool FlowView::fitsLegibly() const
{
    const QRectF r = fitRect();
    const QRectF vp = viewport()->rect();
    return r.isNull()
        || std::min(vp.width() / r.width(), vp.height() / r.height()) >= LegibleZoom - 1e-6;
}

void FlowView::fitAll()
{
    const QRectF r = fitRect();
    if (r.isNull() || fitsLegibly()) {
        fitWhole();
        return;
    }
    const QRectF vp = viewport()->rect();
    const qreal w = vp.width() / LegibleZoom;
    const qreal h = vp.height() / LegibleZoom;
    // Flows read left to right: the left edge, the vertical middle when it fits, else the top.
    const qreal cy = r.height() <= h ? r.center().y() : r.top() + h / 2;
    zoomAndCentre(LegibleZoom, QPointF(r.left() + w / 2, cy));
}

void FlowView::fitOpened()
{
    const QRectF r = fitRect();
    const QRectF vp = viewport()->rect();
    if (!r.isNull() && std::min(vp.width() / r.width(), vp.height() / r.height()) >= 0.5)
        fitWhole();
    else
        fitAll();
}

void FlowView::cycleFit()
{
    // At the legible start of a flow too large for it: the whole flow; else the legible fit.
    const QRectF r = fitRect();
    const QRectF shown = mapToScene(viewport()->rect()).boundingRect();
    const bool atLegibleStart = !r.isNull() && !fitsLegibly()
        && std::abs(zoom() - LegibleZoom) < 1e-3
        && std::abs(shown.left() - r.left()) < 2 / LegibleZoom;
    if (atLegibleStart)
        fitWhole();
    else
        fitAll();
}

void FlowView::fitWhole()
{
    const QRectF r = fitRect();
    if (r.isNull()) {
        resetZoom();
        return;
    }
    const QRectF vp = viewport()->rect();
    zoomAndCentre(std::clamp(std::min(vp.width() / r.width(), vp.height() / r.height()), 0.02, 1.0),
        r.center());
}

void FlowView::resetZoom()
{
    const QPointF c = viewCentre();
    setZoom(1.0);
    centerOn(c);
}

void FlowView::centerOnTask(const QString &id)
{
    if (NodeItem *n = m_scene->node(id))
        centerOn(n->sceneBoundingRect().center());
}

void FlowView::ensureTaskVisible(const QString &id)
{
    NodeItem *n = m_scene->node(id);
    if (!n)
        return;
    const QRectF shown = mapToScene(viewport()->rect()).boundingRect();
    if (!shown.contains(n->sceneBoundingRect()))
        centerOn(n->sceneBoundingRect().center());
}

void FlowView::addOverlay(CanvasOverlay *overlay)
{
    m_overlays << overlay;
    overlay->installEventFilter(this);
    scheduleOverlayCheck();
}

void FlowView::scheduleOverlayCheck()
{
    if (m_overlays.isEmpty())
        return;
    if (!m_overlayTimer) {
        m_overlayTimer = new QTimer(this);
        m_overlayTimer->setSingleShot(true);
        m_overlayTimer->setInterval(50);
        connect(m_overlayTimer, &QTimer::timeout, this, &FlowView::checkOverlays);
    }
    if (!m_overlayTimer->isActive())
        m_overlayTimer->start();
}

void FlowView::checkOverlays()
{
    for (CanvasOverlay *overlay : std::as_const(m_overlays)) {
        if (!overlay)
            continue; // deleted (QPointer)
        bool covering = false;
        if (overlay->isVisible() && !overlay->underMouse()) {
            // The overlay's rectangle in scene coordinates (it may sit on the view or its
            // viewport), asked of the scene's index.
            const QRect onViewport(
                viewport()->mapFrom(overlay->parentWidget(), overlay->pos()), overlay->size());
            const QRectF inScene = mapToScene(onViewport).boundingRect();
            for (QGraphicsItem *item : m_scene->items(inScene, Qt::IntersectsItemBoundingRect)) {
                if (item->type() == NodeItem::Type) {
                    covering = true;
                    break;
                }
            }
        }
        overlay->setFaded(covering);
    }
}

QPointF FlowView::viewCentre() const
{
    return mapToScene(viewport()->rect().center());
}

void FlowView::editTaskName(const QString &id)
{
    NodeItem *node = m_scene->node(id);
    if (!node)
        return;
    finishNameEdit(false);
    centerOnTask(id);
    auto *editor = new QLineEdit(viewport());
    m_nameEditor = editor;
    editor->setObjectName(QStringLiteral("nameEditor"));
    editor->setText(id);
    editor->selectAll();
    const QRect r
        = mapFromScene(node->mapToScene(QRectF(30, 6, NodeItem::Width - 40, 24))).boundingRect();
    editor->setGeometry(
        QRect(r.topLeft(), QSize(std::max(r.width(), 160), std::max(r.height() + 2, 26))));
    QFont f = editor->font();
    f.setBold(true);
    editor->setFont(f);
    editor->installEventFilter(this);
    editor->show();
    editor->setFocus();
    m_finishNameEdit = [this, editor, id](bool commit) {
        m_nameEditor = nullptr;
        const QString text = editor->text().trimmed();
        editor->removeEventFilter(this);
        editor->hide();
        editor->deleteLater();
        setFocus();
        if (commit && text != id && !text.isEmpty())
            Q_EMIT renameRequested(id, text);
    };
    connect(editor, &QLineEdit::editingFinished, this, [this, editor] {
        if (m_nameEditor == editor)
            finishNameEdit(true);
    });
}

void FlowView::finishNameEdit(bool commit)
{
    // Moved out first: the closure must outlive its own call.
    const std::function<void(bool)> finish = std::move(m_finishNameEdit);
    m_finishNameEdit = nullptr;
    if (finish)
        finish(commit);
}

bool FlowView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_nameEditor && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        finishNameEdit(false);
        return true;
    }
    // An overlay comes back to full strength under the pointer, and when it moves or appears.
    if (std::any_of(m_overlays.cbegin(), m_overlays.cend(),
            [watched](const QPointer<CanvasOverlay> &o) { return o == watched; })) {
        switch (event->type()) {
        case QEvent::Enter:
        case QEvent::Leave:
        case QEvent::Show:
        case QEvent::Move:
        case QEvent::Resize:
            scheduleOverlayCheck();
            break;
        default:
            break;
        }
    }
    return QGraphicsView::eventFilter(watched, event);
}

bool FlowView::event(QEvent *e)
{
    // Tab opens quick-add instead of moving the focus.
    if (e->type() == QEvent::KeyPress) {
        auto *k = static_cast<QKeyEvent *>(e);
        if (k->key() == Qt::Key_Tab && k->modifiers() == Qt::NoModifier) {
            QPoint local = viewport()->mapFromGlobal(QCursor::pos());
            if (!viewport()->rect().contains(local))
                local = viewport()->rect().center();
            Q_EMIT quickAddRequested(mapToScene(local), viewport()->mapToGlobal(local));
            return true;
        }
    }
    return QGraphicsView::event(e);
}

void FlowView::drawBackground(QPainter *painter, const QRectF &rect)
{
    const Theme &theme = Theme::current();
    painter->fillRect(rect, theme.canvas);
    // Dots every 20 px; when they would be closer than 10 px on screen, every 100 px; none
    // below that.
    qreal step = FlowScene::GridSize;
    const qreal z = zoom();
    if (step * z < 10)
        step *= 5;
    if (step * z < 10)
        return;
    const qreal left = std::floor(rect.left() / step) * step;
    const qreal top = std::floor(rect.top() / step) * step;
    QList<QPointF> dots;
    dots.reserve(int((rect.width() / step + 2) * (rect.height() / step + 2)));
    for (qreal x = left; x < rect.right(); x += step) {
        for (qreal y = top; y < rect.bottom(); y += step)
            dots.append(QPointF(x, y));
    }
    painter->setPen(QPen(theme.gridDot, 1.6 / z, Qt::SolidLine, Qt::RoundCap));
    painter->drawPoints(dots.constData(), int(dots.size()));
}

void FlowView::drawForeground(QPainter *painter, const QRectF &)
{
    if (m_scene->nodeCount() > 0)
        return;
    // Empty flow: say how to start, in the middle of the canvas.
    painter->save();
    painter->resetTransform();
    const QRect r = viewport()->rect();
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.25);
    painter->setFont(f);
    painter->setPen(Theme::current().mutedText);
    painter->drawText(r.adjusted(40, 0, -40, -24), Qt::AlignCenter | Qt::TextWordWrap,
        tr("Drag a task type from the Palette, or press Tab to add a task.\n"
           "Connect tasks by dragging from an output port ● to another task."));
    painter->restore();
}

void FlowView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const qreal steps = event->angleDelta().y() / 120.0;
        zoomBy(std::pow(1.15, steps));
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void FlowView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_panning = true;
        m_panLast = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void FlowView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint p = event->position().toPoint();
        const QPoint d = p - m_panLast;
        m_panLast = p;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void FlowView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        m_panning = false;
        viewport()->setCursor(m_spaceHeld ? Qt::OpenHandCursor : Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void FlowView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const QPoint p = event->position().toPoint();
    if (event->button() == Qt::LeftButton && !itemAt(p)) {
        Q_EMIT quickAddRequested(mapToScene(p), viewport()->mapToGlobal(p));
        event->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void FlowView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void FlowView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        if (!m_panning)
            viewport()->setCursor(Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void FlowView::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasFormat(QLatin1String(TaskTypeMime)))
        event->acceptProposedAction();
    else
        event->ignore();
}

void FlowView::dragMoveEvent(QDragMoveEvent *event)
{
    if (event->mimeData()->hasFormat(QLatin1String(TaskTypeMime)))
        event->acceptProposedAction();
    else
        event->ignore();
}

void FlowView::dropEvent(QDropEvent *event)
{
    const QString name = QString::fromUtf8(event->mimeData()->data(QLatin1String(TaskTypeMime)));
    const std::optional<TaskType> type = taskTypeFromString(name);
    if (!type) {
        event->ignore();
        return;
    }
    m_scene->addTask(*type, mapToScene(event->position().toPoint()));
    event->acceptProposedAction();
    setFocus();
}

void FlowView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    placeMiniMap();
}

void FlowView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    m_miniMap->scheduleUpdate();
    scheduleOverlayCheck();
}

void FlowView::placeMiniMap()
{
    scheduleOverlayCheck();
    const QRect vp = viewport()->geometry();
    m_miniMap->move(vp.right() - m_miniMap->width() - 12, vp.bottom() - m_miniMap->height() - 12);
}

} // namespace pw
