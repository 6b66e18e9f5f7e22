#include "connections.h"

#include "runners/connectionurl.h"
#include "runners/sqlrunner.h"

#include "namedvalues.h"
#include "secrets.h"

#include "model/secretmask.h"
#include "model/template.h"
#include "platform/privatefiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace pw {

namespace {

// A YAML double-quoted scalar.
QString quoted(const QString &s)
{
    QString out = QStringLiteral("\"");
    for (QChar c : s) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\');
        out += c;
    }
    return out + QLatin1Char('"');
}

const QString kWhat = QStringLiteral("connection");

} // namespace

QString Connections::path() const
{
    return QDir(m_home.dir()).absoluteFilePath(QStringLiteral("connections.yaml"));
}

QString Connections::envName(const QString &name)
{
    return NamedValues::envName(SqlRunner::kConnectionEnvPrefix, name);
}

Result<QMap<QString, QString>> Connections::load() const
{
    if (!QFileInfo::exists(path()))
        return QMap<QString, QString>();
    PW_TRY(PrivateFiles::checkPrivate(path(), QStringLiteral("passwords")));
    return NamedValues::parseFile(path(), kWhat);
}

Result<QMap<QString, QString>> Connections::loadBeside(const QString &flowDir)
{
    const QString file = QDir(flowDir).absoluteFilePath(QStringLiteral("connections.yaml"));
    if (flowDir.isEmpty() || !QFileInfo::exists(file))
        return QMap<QString, QString>();
    PW_TRY_ASSIGN(all, NamedValues::parseFile(file, kWhat));
    for (auto it = all.cbegin(); it != all.cend(); ++it) {
        if (!it.value().startsWith(QLatin1String("sqlite:")))
            return Unexpected(Error(QStringLiteral("connection '%1': only sqlite: connections may "
                                                   "be defined beside flows (no passwords next to "
                                                   "flows); define it in the home's "
                                                   "connections.yaml")
                                        .arg(it.key()),
                file, 0, 0));
    }
    return all;
}

QMap<QString, QString> Connections::fromEnvironment()
{
    return NamedValues::fromEnvironment(SqlRunner::kConnectionEnvPrefix);
}

Result<QString> Connections::url(const QString &name, const QString &flowDir) const
{
    const QString var = envName(name);
    QString found = qEnvironmentVariable(var.toLocal8Bit().constData());
    if (found.isEmpty()) {
        PW_TRY_ASSIGN(all, load());
        const auto it = all.constFind(name);
        if (it == all.cend()) {
            PW_TRY_ASSIGN(beside, loadBeside(flowDir));
            const auto b = beside.constFind(name);
            if (b == beside.cend())
                return fail(QStringLiteral("connection '%1' is not defined: add it to %2 "
                                           "(pipewright-cli connection set %1 URL) or set %3")
                                .arg(name, path(), var));
            return *b; // sqlite: only, no password
        }
        found = *it;
    }
    // The password may be a {{secret:NAME}}; either way it is masked wherever it shows.
    auto url = Secrets(m_home).render(found);
    if (!url)
        return fail(QStringLiteral("connection '%1': %2").arg(name, url.error().message));
    if (auto parsed = ConnectionUrl::parse(*url, flowDir.isEmpty() ? QStringLiteral("/") : flowDir))
        SecretMask::add(parsed->password);
    return *url;
}

SqlRunner::ConnectionResolver Connections::resolver(const Home &home)
{
    return [home](const QString &name, const QString &flowDir) {
        return Connections(home).url(name, flowDir);
    };
}

Result<void> Connections::set(const QString &name, const QString &url) const
{
    if (!NamedValues::isValidName(name))
        return fail(
            QStringLiteral("invalid connection name '%1' ([A-Za-z0-9_][A-Za-z0-9_.-]*)").arg(name));
    // Relative sqlite: paths are resolved per flow; any directory does to check the form. A
    // {{secret:NAME}} is resolved when the connection is used: its form is checked with a
    // stand-in value.
    PW_TRY_ASSIGN(form, Template::withStandInSecrets(url));
    PW_TRY(ConnectionUrl::parse(form, QStringLiteral("/")));
    PW_TRY(m_home.ensureExists());
    const QString file = path();
    QStringList lines;
    if (QFileInfo::exists(file)) {
        PW_TRY(load()); // refuses an exposed or malformed file before touching it
        QFile in(file);
        if (!in.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1: %2").arg(file, in.errorString()));
        lines = QString::fromUtf8(in.readAll()).split(QLatin1Char('\n'));
        if (!lines.isEmpty() && lines.last().isEmpty())
            lines.removeLast();
    }
    const QString entry = name + QStringLiteral(": ") + quoted(url);
    const QRegularExpression key(
        QStringLiteral("^\\s*[\"']?%1[\"']?\\s*:").arg(QRegularExpression::escape(name)));
    bool replaced = false;
    for (QString &l : lines) {
        if (key.match(l).hasMatch()) {
            l = entry;
            replaced = true;
        }
    }
    if (!replaced)
        lines << entry;
    const QByteArray bytes = (lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8();

    return PrivateFiles::write(file, bytes);
}

} // namespace pw
