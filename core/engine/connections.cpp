#include "connections.h"

#include "platform/privatefile.h"
#include "runners/connectionurl.h"
#include "runners/sqlrunner.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace pw {

namespace {

bool isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_.-]*$"));
    return re.match(name).hasMatch();
}

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

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

QString Connections::path() const
{
    return QDir(m_home.dir()).absoluteFilePath(QStringLiteral("connections.yaml"));
}

QString Connections::envName(const QString &name)
{
    QString out = QLatin1String(SqlRunner::kConnectionEnvPrefix);
    for (QChar c : name.toUpper())
        out += c == QLatin1Char('.') || c == QLatin1Char('-') ? QLatin1Char('_') : c;
    return out;
}

Result<void> Connections::checkPrivate() const
{
    struct stat st;
    if (::stat(QFile::encodeName(path()).constData(), &st) != 0)
        return fail(QStringLiteral("cannot read %1: %2").arg(path(), errnoText()));
    if ((st.st_mode & 077) != 0) {
        return fail(
            QStringLiteral("%1 is accessible by other users (mode %2) and holds passwords; "
                           "refusing to use it: chmod 600 %1")
                .arg(path())
                .arg(QString::number(st.st_mode & 0777, 8).rightJustified(4, QLatin1Char('0'))));
    }
    return {};
}

Result<QMap<QString, QString>> Connections::load() const
{
    if (!QFileInfo::exists(path()))
        return QMap<QString, QString>();
    PW_TRY(checkPrivate());
    return parseFile(path());
}

Result<QMap<QString, QString>> Connections::loadBeside(const QString &flowDir)
{
    const QString file = QDir(flowDir).absoluteFilePath(QStringLiteral("connections.yaml"));
    if (flowDir.isEmpty() || !QFileInfo::exists(file))
        return QMap<QString, QString>();
    PW_TRY_ASSIGN(all, parseFile(file));
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

Result<QMap<QString, QString>> Connections::parseFile(const QString &file)
{
    QMap<QString, QString> out;
    try {
        const YAML::Node root = YAML::LoadFile(file.toStdString());
        if (!root || root.IsNull())
            return out;
        if (!root.IsMap())
            return Unexpected(
                Error(QStringLiteral("connections.yaml must be a mapping of NAME: URL"), file,
                    root.Mark().line + 1, root.Mark().column + 1));
        for (const auto &kv : root) {
            const YAML::Mark m = kv.first.Mark();
            if (!kv.first.IsScalar() || !kv.second.IsScalar())
                return Unexpected(Error(QStringLiteral("each entry must be NAME: URL"), file,
                    m.line + 1, m.column + 1));
            const QString name = QString::fromStdString(kv.first.as<std::string>());
            if (!isValidName(name))
                return Unexpected(Error(QStringLiteral("invalid connection name '%1'").arg(name),
                    file, m.line + 1, m.column + 1));
            out.insert(name, QString::fromStdString(kv.second.as<std::string>()));
        }
    } catch (const YAML::Exception &e) {
        // The message names the position only: the text around it may be a password.
        return Unexpected(Error(QStringLiteral("connections.yaml is not valid YAML"), file,
            e.mark.line + 1, e.mark.column + 1));
    }
    return out;
}

QMap<QString, QString> Connections::fromEnvironment()
{
    QMap<QString, QString> out;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &k : env.keys()) {
        if (k.startsWith(QLatin1String(SqlRunner::kConnectionEnvPrefix)) && !env.value(k).isEmpty())
            out.insert(k, env.value(k));
    }
    return out;
}

Result<QString> Connections::url(const QString &name, const QString &flowDir) const
{
    const QString var = envName(name);
    const QString fromEnv = qEnvironmentVariable(var.toLocal8Bit().constData());
    if (!fromEnv.isEmpty())
        return fromEnv;
    PW_TRY_ASSIGN(all, load());
    auto it = all.constFind(name);
    if (it != all.cend())
        return *it;
    PW_TRY_ASSIGN(beside, loadBeside(flowDir));
    it = beside.constFind(name);
    if (it == beside.cend())
        return fail(QStringLiteral("connection '%1' is not defined: add it to %2 (pipewright-cli "
                                   "connection set %1 URL) or set %3")
                        .arg(name, path(), var));
    return *it;
}

SqlRunner::ConnectionResolver Connections::resolver(const Home &home)
{
    return [home](const QString &name, const QString &flowDir) {
        return Connections(home).url(name, flowDir);
    };
}

Result<void> Connections::set(const QString &name, const QString &url) const
{
    if (!isValidName(name))
        return fail(
            QStringLiteral("invalid connection name '%1' ([A-Za-z0-9_][A-Za-z0-9_.-]*)").arg(name));
    // Relative sqlite: paths are resolved per flow; any directory does to check the form.
    PW_TRY(ConnectionUrl::parse(url, QStringLiteral("/")));
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

    return writePrivateFile(file, bytes);
}

} // namespace pw
