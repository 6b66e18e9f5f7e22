#include "connectioncommands.h"

#include "commandline.h"

#include "engine/connections.h"
#include "runners/connectionurl.h"
#include "runners/sqlexecution.h"
#include "runners/sqlrunner.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace pw {

using namespace cli;

int ConnectionCommands::run(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("ACTION"), QStringLiteral("set, list or test."));
    p.addPositionalArgument(
        QStringLiteral("ARGS"), QStringLiteral("NAME [URL]"), QStringLiteral("[NAME [URL]]"));
    p.addOption({QStringLiteral("json"), QStringLiteral("list: print JSON.")});
    p.addOption({QStringLiteral("dir"),
        QStringLiteral("test: the flow directory (its connections.yaml, relative sqlite: paths; "
                       "default: the current "
                       "directory)."),
        QStringLiteral("DIR")});
    StoreLocation location;
    if (auto code = parseCommand(p, args,
            "pipewright-cli connection set NAME URL|- | list [--json] | test NAME [--dir DIR]", out,
            err, nullptr, &location))
        return *code;
    const QStringList pos = p.positionalArguments();
    const QString action = pos.value(0);
    const Connections connections{Home(location.home)};

    if (action == QLatin1String("set")) {
        if (pos.size() != 3)
            return fail(err, BadInput,
                QStringLiteral("usage: connection set NAME URL (or - to "
                               "read the URL from stdin)"));
        QString url = pos[2];
        if (url == QLatin1String("-")) {
            QFile in;
            if (!in.open(stdin, QIODevice::ReadOnly))
                return fail(err, BadInput, QStringLiteral("cannot read the URL from stdin"));
            url = QString::fromUtf8(in.readAll()).trimmed();
        }
        if (auto ok = connections.set(pos[1], url); !ok)
            return fail(
                err, ok.error().isEnvironment() ? Environment : BadInput, ok.error().toString());
        out << "connection " << pos[1] << " set in " << connections.path() << "\n";
        return Ok;
    }

    if (action == QLatin1String("list")) {
        if (pos.size() != 1)
            return fail(err, BadInput, QStringLiteral("usage: connection list [--json]"));
        auto file = connections.load();
        if (!file)
            return fail(err, BadInput, file.error().toString());
        const QMap<QString, QString> env = Connections::fromEnvironment();
        QJsonArray list;
        auto add = [&](const QString &name, const QString &url, const QString &source) {
            list.append(QJsonObject{{QStringLiteral("name"), name},
                {QStringLiteral("url"), ConnectionUrl::redact(url)},
                {QStringLiteral("source"), source}});
        };
        for (auto it = file->cbegin(); it != file->cend(); ++it) {
            const QString var = Connections::envName(it.key());
            add(it.key(), env.contains(var) ? env.value(var) : it.value(),
                env.contains(var) ? var : QStringLiteral("connections.yaml"));
        }
        for (auto it = env.cbegin(); it != env.cend(); ++it) {
            bool inFile = false;
            for (const QString &name : file->keys())
                inFile = inFile || Connections::envName(name) == it.key();
            if (!inFile)
                add(it.key().mid(qstrlen(SqlRunner::kConnectionEnvPrefix)).toLower(), it.value(),
                    it.key());
        }
        if (p.isSet(QStringLiteral("json"))) {
            out << QJsonDocument(QJsonObject{{QStringLiteral("connections"), list}})
                       .toJson(QJsonDocument::Indented);
            return Ok;
        }
        for (const QJsonValue &v : std::as_const(list)) {
            out << v[QLatin1String("name")].toString() << "  " << v[QLatin1String("url")].toString()
                << "  (" << v[QLatin1String("source")].toString() << ")\n";
        }
        return Ok;
    }

    if (action == QLatin1String("test")) {
        if (pos.size() != 2)
            return fail(err, BadInput, QStringLiteral("usage: connection test NAME [--dir DIR]"));
        const QString dir = p.isSet(QStringLiteral("dir"))
            ? QDir(p.value(QStringLiteral("dir"))).absolutePath()
            : QDir::currentPath();
        auto urlText = connections.url(pos[1], dir);
        if (!urlText)
            return fail(err, BadInput, urlText.error().toString());
        auto url = ConnectionUrl::parse(*urlText, dir);
        if (!url)
            return fail(err, BadInput,
                QStringLiteral("connection '%1': %2").arg(pos[1], url.error().message));
        auto version = SqlExecution::test(*url);
        if (!version)
            return fail(err, Environment,
                QStringLiteral("connection '%1': %2").arg(pos[1], version.error().message));
        out << pos[1] << ": ok (" << url->redacted() << ", " << *version << ")\n";
        return Ok;
    }
    return fail(err, BadInput,
        action.isEmpty()
            ? QStringLiteral("connection needs an action: set, list or test")
            : QStringLiteral("unknown connection action '%1' (set, list, test)").arg(action));
}

} // namespace pw
