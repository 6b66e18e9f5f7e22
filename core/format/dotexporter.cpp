#include "dotexporter.h"

#include <QSet>

namespace pw {

namespace {

// A DOT double-quoted string (the quotes included).
QString quoted(const QString &s)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : s) {
        switch (c.unicode()) {
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\\':
            out += QLatin1String("\\\\");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\r':
            break;
        default:
            out += c;
        }
    }
    out += QLatin1Char('"');
    return out;
}

} // namespace

QByteArray DotExporter::toDot(const Flow &flow)
{
    QString out = QStringLiteral("digraph ") + quoted(flow.id) + QStringLiteral(" {\n");
    out += QStringLiteral("  rankdir=LR;\n");
    if (!flow.title.isEmpty())
        out += QStringLiteral("  label=") + quoted(flow.title)
            + QStringLiteral(";\n  labelloc=t;\n");
    out += QStringLiteral("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    QSet<QString> ids;
    for (const TaskSpec &t : flow.tasks) {
        if (ids.contains(t.id))
            continue;
        ids.insert(t.id);
        QString kind = toString(t.type);
        if (t.executor != Executor::Local)
            kind += QStringLiteral(" @ ") + toString(t.executor);
        // The label is one DOT string: escaping it as a whole turns the separator into "\n".
        out += QStringLiteral("  ") + quoted(t.id) + QStringLiteral(" [label=")
            + quoted(t.id + QLatin1Char('\n') + kind);
        if (t.type == TaskType::Noop)
            out += QStringLiteral(", style=\"rounded,dashed\"");
        out += QStringLiteral("];\n");
    }
    for (const TaskSpec &t : flow.tasks) {
        for (const QString &u : t.after) {
            if (ids.contains(u))
                out += QStringLiteral("  ") + quoted(u) + QStringLiteral(" -> ") + quoted(t.id)
                    + QStringLiteral(";\n");
        }
    }
    out += QStringLiteral("}\n");
    return out.toUtf8();
}

} // namespace pw
