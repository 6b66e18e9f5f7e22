#pragma once

#include "model/result.h"

#include <QRectF>
#include <QString>

namespace pw {

class FlowScene;

// Pictures of the graph: SVG (QSvgGenerator) and PNG of the scene's nodes and edges with a
// margin, on the canvas colour, without selection highlights and without the dot grid.
class SceneExporter
{
public:
    static Result<void> toSvg(FlowScene *scene, const QString &path, const QString &title = {});
    // `scale` 2 gives a crisp picture on high-density screens.
    static Result<void> toPng(FlowScene *scene, const QString &path, qreal scale = 2.0);
    static QRectF exportRect(FlowScene *scene);
};

} // namespace pw
