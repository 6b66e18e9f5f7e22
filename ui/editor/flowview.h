#pragma once

#include <QGraphicsView>
#include <QPointer>

#include <functional>

class QLineEdit;
class QTimer;

namespace pw {

class CanvasOverlay;

class FlowScene;
class MiniMap;

// The canvas view: dot-grid background, Ctrl+wheel zoom around the pointer, middle-drag or
// Space+drag pan, rubber-band and Ctrl+click selection, drops from the palette (a task at the
// drop point), Tab / double-click on empty canvas for quick-add, and a minimap overlay.
class FlowView : public QGraphicsView
{
    Q_OBJECT
public:
    static constexpr const char *TaskTypeMime = "application/x-pipewright-task-type";

    explicit FlowView(FlowScene *scene, QWidget *parent = nullptr);

    FlowScene *flowScene() const { return m_scene; }
    MiniMap *miniMap() const { return m_miniMap; }
    qreal zoom() const { return transform().m11(); }
    void setZoom(qreal zoom);
    void zoomBy(qreal factor);
    // The whole flow, at most 100%, when it fits with every node's text legible (>= 10 px,
    // LegibleZoom); a larger flow from its start at LegibleZoom (the rest is a scroll away).
    void fitAll();
    // A file just opened: the whole flow down to 50% (its picture first), else fitAll.
    void fitOpened();
    // Ctrl+0: fitAll, and from the legible start of a flow too large for it, fitWhole.
    void cycleFit();
    void fitWhole();  // the whole flow, however small (at most 100%)
    void resetZoom(); // 100%
    void centerOnTask(const QString &id);
    // Scrolls only when the task's node is not entirely in view.
    void ensureTaskVisible(const QString &id);
    // The smallest zoom at which the smallest node text (11 px) is drawn at least 10 px high.
    static constexpr qreal LegibleZoom = 10.0 / 11.0;
    // A widget over the canvas (the minimap, a legend): it fades while nodes are under it, unless
    // the pointer is on it. The view watches it; it stays the caller's.
    void addOverlay(CanvasOverlay *overlay);
    QPointF viewCentre() const; // scene coordinates of the viewport centre
    // In-place rename: a line edit over the task's name (Enter/focus out commits, Esc cancels);
    // the result comes back as renameRequested. A plain widget over the viewport, not a proxy.
    void editTaskName(const QString &id);
    QLineEdit *nameEditor() const { return m_nameEditor; }

Q_SIGNALS:
    void zoomChanged(qreal zoom);
    // Quick-add requested (Tab or double-click on empty canvas) at a scene position.
    void quickAddRequested(QPointF scenePos, QPoint globalPos);
    void renameRequested(const QString &oldId, const QString &newId);

protected:
    bool event(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void placeMiniMap();
    void finishNameEdit(bool commit);
    QRectF fitRect() const;
    bool fitsLegibly() const; // the nodes and a margin (null: none)
    void zoomAndCentre(qreal zoom, QPointF centre);
    void scheduleOverlayCheck();
    void checkOverlays();

    FlowScene *m_scene;
    MiniMap *m_miniMap;
    QLineEdit *m_nameEditor = nullptr;
    std::function<void(bool)> m_finishNameEdit;
    bool m_panning = false;
    bool m_spaceHeld = false;
    QPoint m_panLast;
    // Guarded, not tracked through destroyed(): the minimap dies inside ~QWidget, after this
    // view's members are gone.
    QList<QPointer<CanvasOverlay>> m_overlays;
    QTimer *m_overlayTimer = nullptr;
};

} // namespace pw
