#pragma once

#include <QWidget>

namespace pw {

// A small panel a canvas shows over its nodes (the minimap, a run's legend). The view fades it
// while a node is under it (FlowView::addOverlay); it paints itself at the opacity it is given
// — a QGraphicsOpacityEffect would render it through an offscreen pixmap on every repaint, and
// effects on child widgets of a scrolling view are a known source of crashes in Qt.
class CanvasOverlay : public QWidget
{
public:
    using QWidget::QWidget;
    bool isFaded() const { return m_faded; }
    void setFaded(bool faded)
    {
        if (faded != m_faded) {
            m_faded = faded;
            update();
        }
    }

protected:
    // For paintEvent(): 1, or the faded opacity.
    qreal opacity() const { return m_faded ? 0.25 : 1.0; }

private:
    bool m_faded = false;
};

} // namespace pw
