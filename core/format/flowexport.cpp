#include "flowexport.h"

#include "dotexporter.h"
#include "flowwriter.h"

#include <QSaveFile>

namespace pw {

std::optional<FlowExport::Format> FlowExport::formatFromName(const QString &name)
{
    const QString n = name.toLower();
    if (n == QLatin1String("yaml") || n == QLatin1String("yml"))
        return Format::Yaml;
    if (n == QLatin1String("json"))
        return Format::Json;
    if (n == QLatin1String("dot"))
        return Format::Dot;
    return std::nullopt;
}

QByteArray FlowExport::toBytes(const Flow &flow, Format format)
{
    switch (format) {
    case Format::Yaml:
        return FlowWriter::toYaml(flow);
    case Format::Json:
        return FlowWriter::toJson(flow);
    case Format::Dot:
        return DotExporter::toDot(flow);
    }
    Q_UNREACHABLE();
}

Result<void> FlowExport::writeFile(const Flow &flow, Format format, const QString &path)
{
    return writeBytes(path, toBytes(flow, format));
}

Result<void> FlowExport::writeBytes(const QString &path, const QByteArray &bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return failEnvironment(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    if (f.write(bytes) != bytes.size()) {
        const QString why = f.errorString();
        f.cancelWriting();
        return failEnvironment(QStringLiteral("cannot write %1: %2").arg(path, why));
    }
    if (!f.commit())
        return failEnvironment(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace pw
