#include "sceneexporter.h"

#include "flowscene.h"
#include "theme.h"

#include <QGraphicsItem>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>

namespace pw {

namespace {
// Renders without selection highlights; restores the selection afterwards.
void render(FlowScene *scene, QPainter *painter, const QRectF &target, const QRectF &source)
{
    const QList<QGraphicsItem *> selected = scene->selectedItems();
    for (QGraphicsItem *i : selected)
        i->setSelected(false);
    painter->fillRect(target, Theme::current().canvas);
    scene->render(painter, target, source);
    for (QGraphicsItem *i : selected)
        i->setSelected(true);
}
} // namespace

QRectF SceneExporter::exportRect(FlowScene *scene)
{
    QRectF r = scene->nodesBoundingRect();
    if (r.isNull())
        r = QRectF(0, 0, 200, 100);
    return r.adjusted(-24, -24, 24, 24);
}

Result<void> SceneExporter::toSvg(FlowScene *scene, const QString &path, const QString &title)
{
    const QRectF source = exportRect(scene);
    QSvgGenerator gen;
    gen.setFileName(path);
    gen.setSize(source.size().toSize());
    gen.setViewBox(QRectF(QPointF(0, 0), source.size()));
    gen.setTitle(title.isEmpty() ? QStringLiteral("Pipewright flow") : title);
    gen.setDescription(QStringLiteral("Exported by Pipewright"));
    QPainter painter;
    if (!painter.begin(&gen))
        return fail(QObject::tr("Cannot write %1").arg(path));
    render(scene, &painter, QRectF(QPointF(0, 0), source.size()), source);
    painter.end();
    return {};
}

Result<void> SceneExporter::toPng(FlowScene *scene, const QString &path, qreal scale)
{
    const QRectF source = exportRect(scene);
    // Large flows: keep the picture under ~40 megapixels.
    const qreal area = source.width() * source.height();
    if (area * scale * scale > 40e6)
        scale = std::max(0.1, std::sqrt(40e6 / area));
    const QSize size(
        int(std::ceil(source.width() * scale)), int(std::ceil(source.height() * scale)));
    if (size.width() > 32000 || size.height() > 32000)
        return fail(QObject::tr("The picture would be too large (%1×%2 px)")
                        .arg(size.width())
                        .arg(size.height()));
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Theme::current().canvas);
    {
        QPainter painter(&image);
        painter.setRenderHints(
            QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
        render(scene, &painter, QRectF(QPointF(0, 0), QSizeF(size)), source);
    }
    if (!image.save(path, "PNG"))
        return fail(QObject::tr("Cannot write %1").arg(path));
    return {};
}

} // namespace pw
