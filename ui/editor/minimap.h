#pragma once

#include "canvasoverlay.h"

#include <QTimer>

namespace pw {

class FlowView;

// A small overview of the whole flow in a corner of the canvas: node boxes and the visible
// area; click or drag in it to move the view. Repaints are throttled (large flows).
class MiniMap : public CanvasOverlay
{
    Q_OBJECT
public:
    explicit MiniMap(FlowView *view);
    void scheduleUpdate();

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    QTransform sceneToMap() const;
    void navigate(QPoint pos);

    FlowView *m_view;
    QTimer m_timer;
    QRectF m_bounds;
};

} // namespace pw
