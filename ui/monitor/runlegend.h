#pragma once

#include "editor/canvasoverlay.h"

namespace pw {

// The state legend of a run view (UI.md "States"): every state's icon and name, in two columns,
// on a small panel the canvas shows in its corner (faded while nodes are under it). Main thread
// only.
class RunLegend : public CanvasOverlay
{
public:
    explicit RunLegend(QWidget *parent = nullptr);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QFont labelFont() const;
    int rows() const;
    int columnWidth(int column) const;
};

} // namespace pw
