#include "rundocument.h"

#include "historystore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace pw {

namespace {

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QJsonObject attemptObject(const AttemptRecord &a)
{
    QJsonObject o;
    o.insert(QLatin1String("attempt"), a.attempt);
    o.insert(QLatin1String("try"), a.tryNo);
    o.insert(QLatin1String("state"), toString(a.state));
    o.insert(QLatin1String("started"), RunDocument::timeValue(a.started));
    o.insert(QLatin1String("ended"), RunDocument::timeValue(a.ended));
    o.insert(QLatin1String("exit_code"), a.exitCode ? QJsonValue(*a.exitCode) : QJsonValue());
    o.insert(QLatin1String("error"), textOrNull(a.error));
    o.insert(QLatin1String("log"), textOrNull(a.logPath));
    QJsonValue rows; // sql attempts that committed: rows affected per statement
    if (a.rows) {
        QJsonArray list;
        for (qint64 n : *a.rows)
            list.append(n);
        rows = list;
    }
    o.insert(QLatin1String("rows"), rows);
    return o;
}

} // namespace

QString RunDocument::isoTime(qint64 ms)
{
    // Qt::UTC (not QTimeZone::utc(), which prints "+00:00") gives the "Z" suffix.
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonValue RunDocument::timeValue(qint64 ms)
{
    return ms == 0 ? QJsonValue() : QJsonValue(isoTime(ms));
}

QJsonObject RunDocument::runObject(const RunRecord &run)
{
    // params is stored as canonical JSON text; anything else (never written by the engine)
    // is shown as null rather than dropped silently into an empty object.
    QJsonValue params;
    const QJsonDocument doc = QJsonDocument::fromJson(run.paramsJson);
    if (doc.isObject())
        params = doc.object();
    const bool hasTry = run.tryNo > 0;
    QJsonObject o;
    o.insert(QLatin1String("id"), run.id);
    o.insert(QLatin1String("flow"), run.flowId);
    o.insert(QLatin1String("params"), params);
    o.insert(QLatin1String("state"), toString(run.state));
    o.insert(QLatin1String("trigger"), hasTry ? QJsonValue(toString(run.trigger)) : QJsonValue());
    o.insert(QLatin1String("try"), hasTry ? QJsonValue(run.tryNo) : QJsonValue());
    o.insert(QLatin1String("created"), timeValue(run.created));
    o.insert(QLatin1String("started"), timeValue(run.started));
    o.insert(QLatin1String("ended"), timeValue(run.ended));
    return o;
}

Result<QJsonObject> RunDocument::runDocument(HistoryStore &store, qint64 runId)
{
    PW_TRY_ASSIGN(run, store.run(runId));
    if (!run)
        return fail(QStringLiteral("no run %1").arg(runId));
    PW_TRY_ASSIGN(tasks, store.tasks(runId));
    PW_TRY_ASSIGN(attempts, store.attempts(runId));

    QHash<QString, QList<const AttemptRecord *>> byTask;
    for (const AttemptRecord &a : std::as_const(attempts))
        byTask[a.task].append(&a);
    QJsonArray taskArray;
    for (const TaskRecord &t : std::as_const(tasks)) {
        QList<const AttemptRecord *> list = byTask.value(t.task);
        std::sort(list.begin(), list.end(),
            [](const AttemptRecord *a, const AttemptRecord *b) { return a->attempt < b->attempt; });
        QJsonArray attemptArray;
        for (const AttemptRecord *a : std::as_const(list))
            attemptArray.append(attemptObject(*a));
        QJsonObject o;
        o.insert(QLatin1String("task"), t.task);
        o.insert(QLatin1String("state"), toString(t.state));
        o.insert(QLatin1String("attempts"), attemptArray);
        taskArray.append(o);
    }
    QJsonObject doc;
    doc.insert(QLatin1String("run"), runObject(*run));
    doc.insert(QLatin1String("tasks"), taskArray);
    return doc;
}

Result<QJsonObject> RunDocument::runsDocument(HistoryStore &store, const RunFilter &filter)
{
    PW_TRY_ASSIGN(runs, store.runs(filter));
    QJsonArray array;
    for (const RunRecord &r : std::as_const(runs))
        array.append(runObject(r));
    QJsonObject doc;
    doc.insert(QLatin1String("runs"), array);
    return doc;
}

} // namespace pw
