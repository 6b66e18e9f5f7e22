#include "truststore.h"

#include "format/flowwriter.h"
#include "home.h"
#include "platform/privatefiles.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace pw {

namespace {

QString sha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString absolutePath(const Flow &flow)
{
    return QFileInfo(flow.sourcePath).absoluteFilePath();
}

} // namespace

TrustStore::TrustStore(const Home &home) : m_dir(home.dir() + QStringLiteral("/trust")) { }

QString TrustStore::hashOf(const Flow &flow)
{
    return sha256(FlowWriter::canonicalDefinition(flow));
}

QString TrustStore::recordPath(const QString &flowPath) const
{
    return m_dir + QLatin1Char('/') + sha256(QFile::encodeName(flowPath)).left(32)
        + QStringLiteral(".json");
}

Result<TrustStore::Check> TrustStore::check(const Flow &flow) const
{
    Check c;
    if (flow.sourcePath.isEmpty()) {
        c.verdict = Verdict::Trusted;
        return c;
    }
    const QString path = absolutePath(flow);
    QFile file(recordPath(path));
    if (!file.exists())
        return c;
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
    const QJsonObject record = QJsonDocument::fromJson(file.readAll()).object();
    if (record.value(QStringLiteral("path")).toString() != path)
        return c; // a damaged record, or (unlikely) another path with the same hash prefix
    c.trustedAt = QDateTime::fromString(
        record.value(QStringLiteral("trusted")).toString(), Qt::ISODateWithMs);
    c.trustedDefinition = QJsonDocument(record.value(QStringLiteral("definition")).toObject())
                              .toJson(QJsonDocument::Compact);
    c.verdict = record.value(QStringLiteral("hash")).toString() == hashOf(flow) ? Verdict::Trusted
                                                                                : Verdict::Changed;
    return c;
}

Result<void> TrustStore::trust(const Flow &flow)
{
    if (flow.sourcePath.isEmpty())
        return {};
    const QByteArray definition = FlowWriter::canonicalDefinition(flow);
    QJsonObject record;
    record.insert(QStringLiteral("path"), absolutePath(flow));
    record.insert(QStringLiteral("hash"), sha256(definition));
    record.insert(
        QStringLiteral("trusted"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    record.insert(QStringLiteral("definition"), QJsonDocument::fromJson(definition).object());
    if (!PrivateFiles::makeDirs(m_dir))
        return fail(QStringLiteral("cannot create %1").arg(m_dir));
    return PrivateFiles::write(recordPath(absolutePath(flow)), QJsonDocument(record).toJson());
}

QList<TrustStore::Runnable> TrustStore::whatRuns(const Flow &flow)
{
    QList<Runnable> out;
    for (const TaskSpec &t : flow.tasks) {
        if (t.type == TaskType::Shell && !t.command.isEmpty()) {
            QStringList detail;
            if (!t.workdir.isEmpty())
                detail << QStringLiteral("in %1").arg(t.workdir);
            for (auto it = t.env.cbegin(); it != t.env.cend(); ++it)
                detail << it.key() + QLatin1Char('=') + it.value();
            out.append({t.id, QStringLiteral("shell"), t.command, detail.join(QLatin1Char(' '))});
        } else if (t.type == TaskType::Sql && !t.sql.isEmpty()) {
            out.append({t.id, QStringLiteral("sql"), t.sql, t.connection});
        }
    }
    if (!flow.notify.command.isEmpty())
        out.append({QString(), QStringLiteral("notify"), flow.notify.command, QString()});
    if (!flow.notify.webhook.isEmpty())
        out.append({QString(), QStringLiteral("webhook"), flow.notify.webhook, QString()});
    return out;
}

QStringList TrustStore::changesSince(const QByteArray &trustedDefinition, const Flow &flow)
{
    const QJsonObject before = QJsonDocument::fromJson(trustedDefinition).object();
    const QJsonObject now = QJsonDocument::fromJson(FlowWriter::canonicalDefinition(flow)).object();
    const QJsonObject beforeTasks = before.value(QStringLiteral("tasks")).toObject();
    const QJsonObject nowTasks = now.value(QStringLiteral("tasks")).toObject();
    QStringList out;
    for (const TaskSpec &t : flow.tasks) {
        if (!beforeTasks.contains(t.id))
            out << QStringLiteral("added task %1").arg(t.id);
        else if (beforeTasks.value(t.id) != nowTasks.value(t.id))
            out << QStringLiteral("changed task %1").arg(t.id);
    }
    for (auto it = beforeTasks.begin(); it != beforeTasks.end(); ++it) {
        if (!nowTasks.contains(it.key()))
            out << QStringLiteral("removed task %1").arg(it.key());
    }
    QStringList settings;
    QStringList keys = before.keys() + now.keys();
    keys.removeDuplicates();
    keys.sort();
    for (const QString &key : std::as_const(keys)) {
        if (key != QLatin1String("tasks") && before.value(key) != now.value(key))
            settings << key;
    }
    if (!settings.isEmpty())
        out << QStringLiteral("changed flow settings (%1)")
                   .arg(settings.join(QStringLiteral(", ")));
    return out;
}

} // namespace pw
