#pragma once

#include <QGraphicsView>

namespace pw {

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
    void fitAll();        // Ctrl+0: the whole flow, at most 100%
    void resetZoom();     // 100%
    void centerOnTask(const QString &id);
    QPointF viewCentre() const; // scene coordinates of the viewport centre

Q_SIGNALS:
    void zoomChanged(qreal zoom);
    // Quick-add requested (Tab or double-click on empty canvas) at a scene position.
    void quickAddRequested(QPointF scenePos, QPoint globalPos);

protected:
    bool event(QEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;
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

    FlowScene *m_scene;
    MiniMap *m_miniMap;
    bool m_panning = false;
    bool m_spaceHeld = false;
    QPoint m_panLast;
};

} // namespace pw
