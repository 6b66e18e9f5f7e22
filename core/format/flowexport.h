#pragma once

#include "model/flow.h"
#include "model/result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace pw {

// The text exports of a flow: one code path for File > Export and `pipewright-cli export`.
// SVG and PNG render the designer's scene and stay in ui/editor (SceneExporter).
class FlowExport
{
public:
    enum class Format { Yaml, Json, Dot };

    // "yaml" (or "yml"), "json", "dot", in any case; nullopt for anything else.
    static std::optional<Format> formatFromName(const QString &name);
    static QByteArray toBytes(const Flow &flow, Format format);
    // Writes atomically (QSaveFile): the old file stays whole if writing fails.
    static Result<void> writeFile(const Flow &flow, Format format, const QString &path);
    static Result<void> writeBytes(const QString &path, const QByteArray &bytes);
};

} // namespace pw
