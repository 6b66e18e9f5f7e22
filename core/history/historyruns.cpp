// HistoryStore: runs, tries, task states, attempts and events.

#include "historystore_p.h"

#include "model/secretmask.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <charconv>

namespace pw {

using namespace historydb;

namespace {

QString finalTaskStatesSql()
{
    QStringList names;
    for (int i = 0; i <= int(TaskState::Interrupted); ++i) {
        if (isFinal(TaskState(i)))
            names << QLatin1Char('\'') + toString(TaskState(i)) + QLatin1Char('\'');
    }
    return names.join(QLatin1Char(','));
}

TryRecord tryFrom(const QSqlQuery &q)
{
    TryRecord t;
    t.runId = q.value(0).toLongLong();
    t.tryNo = q.value(1).toInt();
    t.trigger = tryTriggerFromString(q.value(2).toString()).value_or(TryTrigger::Manual);
    t.planHash = q.value(3).toString();
    t.definitionHash = q.value(4).toString();
    t.state = runStateFromString(q.value(5).toString()).value_or(RunState::Failed);
    t.ownerId = int64(q.value(6));
    t.note = q.value(7).toString();
    t.started = int64(q.value(8));
    t.ended = int64(q.value(9));
    return t;
}

} // namespace

// The row readers historyowners.cpp shares (historystore_p.h).
QVariant AttemptRecord::rowsValue(const std::optional<QList<qint64>> &rows)
{
    if (!rows)
        return QVariant(QMetaType::fromType<QString>());
    QStringList parts;
    for (qint64 n : *rows)
        parts << QString::number(n);
    return QString(QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']'));
}

std::optional<QList<qint64>> AttemptRecord::rowsFrom(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    const QJsonArray a = QJsonDocument::fromJson(value.toString().toUtf8()).array();
    QList<qint64> rows;
    for (const QJsonValue &n : a)
        rows.append(n.toInteger());
    return rows;
}

namespace historydb {

QString runSelect()
{
    static const QString sql = QStringLiteral("SELECT r.id, r.flow_id, r.key, r.params, "
                                              "r.source_path, r.workdir, r.state, r.try_no,"
                                              " r.owner_id, r.created, t.trigger, t.plan_hash, "
                                              "t.definition_hash, t.started, t.ended,"
                                              " (SELECT count(*) FROM task_states s WHERE s.run_id "
                                              "= r.id AND s.removed_in_try IS NULL),"
                                              " (SELECT count(*) FROM task_states s WHERE s.run_id "
                                              "= r.id AND s.removed_in_try IS NULL"
                                              " AND s.state IN (")
        + finalTaskStatesSql()
        + QStringLiteral(
            "))"
            " FROM runs r LEFT JOIN tries t ON t.run_id = r.id AND t.try_no = r.try_no");
    return sql;
}

RunRecord runFrom(const QSqlQuery &q)
{
    RunRecord r;
    r.id = q.value(0).toLongLong();
    r.flowId = q.value(1).toString();
    r.key = q.value(2).toString();
    r.paramsJson = q.value(3).toString().toUtf8();
    r.sourcePath = q.value(4).toString();
    r.workdir = q.value(5).toString();
    r.state = runStateFromString(q.value(6).toString()).value_or(RunState::Failed);
    r.tryNo = q.value(7).toInt();
    r.ownerId = int64(q.value(8));
    r.created = int64(q.value(9));
    r.trigger = tryTriggerFromString(q.value(10).toString()).value_or(TryTrigger::Manual);
    r.planHash = q.value(11).toString();
    r.definitionHash = q.value(12).toString();
    r.started = int64(q.value(13));
    r.ended = int64(q.value(14));
    r.tasksTotal = q.value(15).toInt();
    r.tasksDone = q.value(16).toInt();
    return r;
}

AttemptRecord attemptFrom(const QSqlQuery &q)
{
    AttemptRecord a;
    a.runId = q.value(0).toLongLong();
    a.task = q.value(1).toString();
    a.attempt = q.value(2).toInt();
    a.tryNo = q.value(3).toInt();
    a.state = attemptStateFromString(q.value(4).toString()).value_or(AttemptState::Failed);
    a.started = int64(q.value(5));
    a.ended = int64(q.value(6));
    if (!q.value(7).isNull())
        a.exitCode = q.value(7).toInt();
    a.error = q.value(8).toString();
    a.logPath = q.value(9).toString();
    a.host = q.value(10).toString();
    a.pgid = q.value(11).toLongLong();
    a.procStart = q.value(12).toLongLong();
    a.ownerId = int64(q.value(13));
    a.rows = AttemptRecord::rowsFrom(q.value(14));
    return a;
}

} // namespace historydb

// --- runs and tries ----------------------------------------------------------------------

Result<qint64> HistoryStore::createRun(const NewRun &run)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT INTO runs (flow_id, key, params, source_path, workdir, state, try_no,"
            " owner_id, created) VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?)")));
    q->bindValue(0, text(run.flowId));
    q->bindValue(1, text(run.key));
    q->bindValue(
        2, run.paramsJson.isEmpty() ? QStringLiteral("{}") : QString::fromUtf8(run.paramsJson));
    q->bindValue(3, text(run.sourcePath));
    q->bindValue(4, text(run.workdir));
    q->bindValue(5, orNull(run.ownerId));
    q->bindValue(6, run.created);
    if (!q->exec()) {
        const QSqlError e = q->lastError();
        q->finish();
        if (e.databaseText().contains(QLatin1String("runs.key")))
            return fail(QStringLiteral("a run with key %1 already exists").arg(run.key));
        return Unexpected(d->sqlError(QStringLiteral("creating a run"), e));
    }
    return q->lastInsertId().toLongLong();
}

Result<std::optional<RunRecord>> HistoryStore::runByKey(const QString &key)
{
    PW_TRY_ASSIGN(q, d->prepared(runSelect() + QStringLiteral(" WHERE r.key = ?")));
    q->bindValue(0, text(key));
    PW_TRY(d->exec(q, QStringLiteral("reading a run")));
    std::optional<RunRecord> out;
    if (q->next())
        out = runFrom(*q);
    q->finish();
    return out;
}

Result<std::optional<RunRecord>> HistoryStore::run(qint64 runId)
{
    PW_TRY_ASSIGN(q, d->prepared(runSelect() + QStringLiteral(" WHERE r.id = ?")));
    q->bindValue(0, runId);
    PW_TRY(d->exec(q, QStringLiteral("reading run %1").arg(runId)));
    std::optional<RunRecord> out;
    if (q->next())
        out = runFrom(*q);
    q->finish();
    return out;
}

Result<QList<RunRecord>> HistoryStore::runs(const RunFilter &filter)
{
    QStringList where;
    QVariantList values;
    if (!filter.flowId.isEmpty()) {
        where << QStringLiteral("r.flow_id = ?");
        values << filter.flowId;
    }
    if (filter.state) {
        where << QStringLiteral("r.state = ?");
        values << toString(*filter.state);
    }
    if (!filter.text.isEmpty()) {
        // LIKE: case-insensitive for ASCII, as a search box should be; % and _ are literal.
        QString pattern = filter.text;
        pattern.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
            .replace(QLatin1Char('%'), QLatin1String("\\%"))
            .replace(QLatin1Char('_'), QLatin1String("\\_"));
        pattern = QLatin1Char('%') + pattern + QLatin1Char('%');
        where << QStringLiteral("(r.flow_id LIKE ? ESCAPE '\\' OR r.params LIKE ? ESCAPE '\\')");
        values << pattern << pattern;
    }
    QString sql = runSelect();
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    sql += QStringLiteral(" ORDER BY r.created DESC, r.id DESC LIMIT ? OFFSET ?");
    values << (filter.limit > 0 ? filter.limit : -1) << qMax(0, filter.offset);

    PW_TRY_ASSIGN(q, d->prepared(sql));
    for (int i = 0; i < values.size(); ++i)
        q->bindValue(i, values.at(i));
    PW_TRY(d->exec(q, QStringLiteral("listing runs")));
    QList<RunRecord> out;
    while (q->next())
        out << runFrom(*q);
    q->finish();
    return out;
}

Result<void> HistoryStore::startTry(const TryRecord &t)
{
    PW_TRY(d->beginAtomic());
    auto body = [&]() -> Result<void> {
        PW_TRY_ASSIGN(cur, d->prepared(QStringLiteral("SELECT try_no FROM runs WHERE id = ?")));
        cur->bindValue(0, t.runId);
        PW_TRY(d->exec(cur, QStringLiteral("reading run %1").arg(t.runId)));
        if (!cur->next()) {
            cur->finish();
            return fail(QStringLiteral("no run %1 in the history database").arg(t.runId));
        }
        const int latest = cur->value(0).toInt();
        cur->finish();
        if (t.tryNo != latest + 1) {
            return fail(QStringLiteral("try %1 of run %2 is out of order: the latest try is %3")
                            .arg(t.tryNo)
                            .arg(t.runId)
                            .arg(latest));
        }
        PW_TRY_ASSIGN(ins,
            d->prepared(QStringLiteral(
                "INSERT INTO tries (run_id, try_no, trigger, plan_hash, definition_hash, state,"
                " owner_id, note, started, ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")));
        ins->bindValue(0, t.runId);
        ins->bindValue(1, t.tryNo);
        ins->bindValue(2, toString(t.trigger));
        ins->bindValue(3, text(t.planHash));
        ins->bindValue(4, text(t.definitionHash));
        ins->bindValue(5, toString(t.state));
        ins->bindValue(6, orNull(t.ownerId));
        ins->bindValue(7, text(t.note));
        ins->bindValue(8, orNull(t.started));
        ins->bindValue(9, orNull(t.ended));
        PW_TRY(d->exec(ins, QStringLiteral("starting try %1 of run %2").arg(t.tryNo).arg(t.runId)));
        PW_TRY_ASSIGN(up,
            d->prepared(QStringLiteral(
                "UPDATE runs SET try_no = ?, state = ?, owner_id = COALESCE(?, owner_id)"
                " WHERE id = ?")));
        up->bindValue(0, t.tryNo);
        up->bindValue(1, toString(t.state));
        up->bindValue(2, orNull(t.ownerId));
        up->bindValue(3, t.runId);
        return d->exec(up, QStringLiteral("starting try %1 of run %2").arg(t.tryNo).arg(t.runId));
    };
    if (auto r = body(); !r) {
        d->abortAtomic();
        return r;
    }
    return d->endAtomic();
}

Result<QList<TryRecord>> HistoryStore::tries(qint64 runId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "SELECT run_id, try_no, trigger, plan_hash, definition_hash, state, owner_id,"
            " note, started, ended FROM tries WHERE run_id = ? ORDER BY try_no")));
    q->bindValue(0, runId);
    PW_TRY(d->exec(q, QStringLiteral("reading tries")));
    QList<TryRecord> out;
    while (q->next())
        out << tryFrom(*q);
    q->finish();
    return out;
}

Result<void> HistoryStore::setRunState(
    qint64 runId, RunState state, qint64 now, std::optional<Fence> fence)
{
    PW_TRY(d->beginAtomic());
    auto body = [&]() -> Result<void> {
        PW_TRY_ASSIGN(r,
            d->prepared(fence
                    ? QStringLiteral(
                        "UPDATE runs SET state = ? WHERE id = ? AND try_no = ? AND owner_id = ?")
                    : QStringLiteral("UPDATE runs SET state = ? WHERE id = ?")));
        r->bindValue(0, toString(state));
        r->bindValue(1, runId);
        if (fence) {
            r->bindValue(2, fence->tryNo);
            r->bindValue(3, fence->ownerId);
        }
        PW_TRY(d->exec(r, QStringLiteral("setting the state of run %1").arg(runId)));
        if (r->numRowsAffected() != 1 && fence) {
            Error e(QStringLiteral("run %1 try %2 is no longer owned by owner %3 (taken over or "
                                   "recovered by another process); this process stops writing")
                        .arg(runId)
                        .arg(fence->tryNo)
                        .arg(fence->ownerId));
            e.kind = Error::Kind::OwnershipLost;
            return Unexpected(e);
        }
        if (r->numRowsAffected() != 1)
            return fail(QStringLiteral("no run %1 in the history database").arg(runId));
        // The current try follows; running fills a missing start, a final state sets the end.
        PW_TRY_ASSIGN(t,
            d->prepared(QStringLiteral(
                "UPDATE tries SET state = ?,"
                " started = CASE WHEN started IS NULL AND ? THEN ? ELSE started END,"
                " ended = CASE WHEN ? THEN ? ELSE NULL END"
                " WHERE run_id = ? AND try_no = (SELECT try_no FROM runs WHERE id = ?)")));
        t->bindValue(0, toString(state));
        t->bindValue(1, state == RunState::Running ? 1 : 0);
        t->bindValue(2, now);
        t->bindValue(3, isFinal(state) ? 1 : 0);
        t->bindValue(4, now);
        t->bindValue(5, runId);
        t->bindValue(6, runId);
        return d->exec(t, QStringLiteral("setting the state of run %1").arg(runId));
    };
    if (auto r = body(); !r) {
        d->abortAtomic();
        return r;
    }
    return d->endAtomic();
}

Result<void> HistoryStore::setRunOwner(qint64 runId, qint64 ownerId)
{
    PW_TRY_ASSIGN(q, d->prepared(QStringLiteral("UPDATE runs SET owner_id = ? WHERE id = ?")));
    q->bindValue(0, orNull(ownerId));
    q->bindValue(1, runId);
    PW_TRY(d->exec(q, QStringLiteral("setting the owner of run %1").arg(runId)));
    if (q->numRowsAffected() != 1)
        return fail(QStringLiteral("no run %1 in the history database").arg(runId));
    return {};
}

// --- tasks -------------------------------------------------------------------------------

Result<void> HistoryStore::setTaskState(
    qint64 runId, const QString &task, TaskState state, int tryNo, qint64 now, qint64 dueAt)
{
    // Hot path: one cached upsert. The row keeps its id (= insertion order) on update.
    PW_TRY_ASSIGN(q,
        d->preparedHot(Private::SetTaskState,
            "INSERT INTO task_states (run_id, task, state, try_no, updated, due_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, task) DO UPDATE SET"
            " state = excluded.state, try_no = excluded.try_no,"
            " updated = excluded.updated, due_at = excluded.due_at, removed_in_try = NULL"));
    q->bindValue(0, runId);
    q->bindValue(1, text(task));
    q->bindValue(2, toString(state));
    q->bindValue(3, tryNo);
    q->bindValue(4, now);
    q->bindValue(5, state == TaskState::RetryWait ? orNull(dueAt) : QVariant());
    return d->execLazy(q, [&] { return QStringLiteral("setting the state of task %1").arg(task); });
}

Result<void> HistoryStore::markTask(
    qint64 runId, const QString &task, TaskState state, const QString &who, qint64 now)
{
    PW_TRY(d->beginAtomic());
    auto body = [&]() -> Result<void> {
        PW_TRY_ASSIGN(cur, d->prepared(QStringLiteral("SELECT try_no FROM runs WHERE id = ?")));
        cur->bindValue(0, runId);
        PW_TRY(d->exec(cur, QStringLiteral("reading run %1").arg(runId)));
        if (!cur->next()) {
            cur->finish();
            return fail(QStringLiteral("no run %1 in the history database").arg(runId));
        }
        const int tryNo = cur->value(0).toInt();
        cur->finish();
        PW_TRY_ASSIGN(q,
            d->prepared(QStringLiteral(
                "INSERT INTO task_states (run_id, task, state, try_no, updated, marked_by, "
                "marked_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, task) DO UPDATE SET"
                " state = excluded.state, updated = excluded.updated, due_at = NULL,"
                " marked_by = excluded.marked_by, marked_at = excluded.marked_at")));
        q->bindValue(0, runId);
        q->bindValue(1, text(task));
        q->bindValue(2, toString(state));
        q->bindValue(3, tryNo);
        q->bindValue(4, now);
        q->bindValue(5, text(who));
        q->bindValue(6, now);
        PW_TRY(d->exec(q, QStringLiteral("marking task %1").arg(task)));
        EventRecord e;
        e.time = now;
        e.runId = runId;
        e.tryNo = tryNo;
        e.task = task;
        e.kind = QStringLiteral("mark");
        e.state = toString(state);
        e.detail = who;
        return appendEvent(e);
    };
    if (auto r = body(); !r) {
        d->abortAtomic();
        return r;
    }
    return d->endAtomic();
}

namespace {

const char *const kTaskColumns
    = "SELECT s.run_id, s.task, s.state, s.try_no, s.updated, s.due_at, s.marked_by,"
      " s.marked_at,"
      " (SELECT count(*) FROM attempts a WHERE a.run_id = s.run_id AND a.task = s.task)"
      " FROM task_states s WHERE s.run_id = ? AND s.removed_in_try IS NULL";

QList<TaskRecord> tasksFrom(QSqlQuery &q)
{
    QList<TaskRecord> out;
    while (q.next()) {
        TaskRecord t;
        t.runId = q.value(0).toLongLong();
        t.task = q.value(1).toString();
        t.state = taskStateFromString(q.value(2).toString()).value_or(TaskState::Failed);
        t.tryNo = q.value(3).toInt();
        t.updated = int64(q.value(4));
        t.dueAt = int64(q.value(5));
        t.markedBy = q.value(6).toString();
        t.markedAt = int64(q.value(7));
        t.attempts = q.value(8).toInt();
        out << t;
    }
    q.finish();
    return out;
}

} // namespace

Result<QList<TaskRecord>> HistoryStore::tasks(qint64 runId)
{
    PW_TRY_ASSIGN(q, d->prepared(QLatin1String(kTaskColumns) + QStringLiteral(" ORDER BY s.id")));
    q->bindValue(0, runId);
    PW_TRY(d->exec(q, QStringLiteral("reading the tasks of run %1").arg(runId)));
    return tasksFrom(*q);
}

Result<QList<TaskRecord>> HistoryStore::notableTasks(qint64 runId, int limit)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QLatin1String(kTaskColumns)
            + QStringLiteral(" AND (s.state NOT IN ('succeeded', 'skipped', 'upstream_failed')"
                             " OR EXISTS (SELECT 1 FROM attempts a WHERE a.run_id = s.run_id"
                             " AND a.task = s.task AND a.attempt > 1))"
                             " ORDER BY s.id LIMIT ?")));
    q->bindValue(0, runId);
    q->bindValue(1, limit > 0 ? limit : -1);
    PW_TRY(d->exec(q, QStringLiteral("reading the tasks of run %1").arg(runId)));
    return tasksFrom(*q);
}

Result<QMap<TaskState, int>> HistoryStore::taskStateCounts(qint64 runId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("SELECT state, count(*) FROM task_states"
                                   " WHERE run_id = ? AND removed_in_try IS NULL GROUP BY state")));
    q->bindValue(0, runId);
    PW_TRY(d->exec(q, QStringLiteral("counting the tasks of run %1").arg(runId)));
    QMap<TaskState, int> out;
    while (q->next()) {
        const TaskState s = taskStateFromString(q->value(0).toString()).value_or(TaskState::Failed);
        out[s] += q->value(1).toInt();
    }
    q->finish();
    return out;
}

Result<void> HistoryStore::removeTasks(
    qint64 runId, int tryNo, const QStringList &tasks, qint64 now)
{
    PW_TRY_ASSIGN(q,
        d->prepared(
            QStringLiteral("UPDATE task_states SET removed_in_try = ?, updated = ?, due_at = NULL"
                           " WHERE run_id = ? AND task = ? AND removed_in_try IS NULL")));
    for (const QString &task : tasks) {
        q->bindValue(0, tryNo);
        q->bindValue(1, now);
        q->bindValue(2, runId);
        q->bindValue(3, text(task));
        PW_TRY(d->exec(q, QStringLiteral("removing task %1 from run %2").arg(task).arg(runId)));
    }
    return {};
}

// --- attempts ----------------------------------------------------------------------------

Result<void> HistoryStore::insertAttempt(const AttemptRecord &a)
{
    // Hot path. An attempt without an owner id belongs to its run's owner.
    PW_TRY_ASSIGN(q,
        d->preparedHot(Private::InsertAttempt,
            "INSERT INTO attempts (run_id, task, attempt, try_no, state, started, ended,"
            " exit_code, error, log_path, host, pgid, proc_start, owner_id, rows)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " COALESCE(?, (SELECT owner_id FROM runs WHERE id = ?)), ?)"));
    q->bindValue(0, a.runId);
    q->bindValue(1, text(a.task));
    q->bindValue(2, a.attempt);
    q->bindValue(3, a.tryNo);
    q->bindValue(4, toString(a.state));
    q->bindValue(5, orNull(a.started));
    q->bindValue(6, orNull(a.ended));
    q->bindValue(7, a.exitCode ? QVariant(*a.exitCode) : QVariant());
    q->bindValue(8, text(SecretMask::apply(a.error)));
    q->bindValue(9, text(a.logPath));
    q->bindValue(10, text(a.host));
    q->bindValue(11, a.pgid);
    q->bindValue(12, a.procStart);
    q->bindValue(13, orNull(a.ownerId));
    q->bindValue(14, a.runId);
    q->bindValue(15, AttemptRecord::rowsValue(a.rows));
    return d->execLazy(q, [&] {
        return QStringLiteral("recording attempt %1 of task %2").arg(a.attempt).arg(a.task);
    });
}

Result<void> HistoryStore::setAttemptProcess(
    qint64 runId, const QString &task, int attempt, qint64 pgid, qint64 procStart)
{
    PW_TRY_ASSIGN(q,
        d->preparedHot(Private::SetAttemptProcess,
            "UPDATE attempts SET pgid = ?, proc_start = ?"
            " WHERE run_id = ? AND task = ? AND attempt = ?"));
    q->bindValue(0, pgid);
    q->bindValue(1, procStart);
    q->bindValue(2, runId);
    q->bindValue(3, text(task));
    q->bindValue(4, attempt);
    PW_TRY(d->execLazy(q, [&] {
        return QStringLiteral("recording the process of attempt %1 of task %2")
            .arg(attempt)
            .arg(task);
    }));
    if (q->numRowsAffected() != 1) {
        return fail(
            QStringLiteral("no attempt %1 of task %2 in run %3").arg(attempt).arg(task).arg(runId));
    }
    return {};
}

Result<void> HistoryStore::finishAttempt(qint64 runId, const QString &task, int attempt,
    AttemptState state, qint64 ended, std::optional<int> exitCode, const QString &error,
    const std::optional<QList<qint64>> &rows)
{
    PW_TRY_ASSIGN(q,
        d->preparedHot(Private::FinishAttempt,
            "UPDATE attempts SET state = ?, ended = ?, exit_code = ?, error = ?, rows = ?"
            " WHERE run_id = ? AND task = ? AND attempt = ?"));
    q->bindValue(0, toString(state));
    q->bindValue(1, orNull(ended));
    q->bindValue(2, exitCode ? QVariant(*exitCode) : QVariant());
    q->bindValue(3, text(SecretMask::apply(error)));
    q->bindValue(4, AttemptRecord::rowsValue(rows));
    q->bindValue(5, runId);
    q->bindValue(6, text(task));
    q->bindValue(7, attempt);
    PW_TRY(d->execLazy(q,
        [&] { return QStringLiteral("finishing attempt %1 of task %2").arg(attempt).arg(task); }));
    if (q->numRowsAffected() != 1) {
        return fail(
            QStringLiteral("no attempt %1 of task %2 in run %3").arg(attempt).arg(task).arg(runId));
    }
    return {};
}

Result<QList<AttemptRecord>> HistoryStore::attempts(qint64 runId, const QString &task)
{
    QSqlQuery *q = nullptr;
    if (task.isEmpty()) {
        PW_TRY_ASSIGN(p,
            d->prepared(QStringLiteral("SELECT ") + kAttemptColumns
                + QStringLiteral(" FROM attempts a WHERE a.run_id = ?"
                                 " ORDER BY a.started, a.task, a.attempt")));
        q = p;
        q->bindValue(0, runId);
    } else {
        PW_TRY_ASSIGN(p,
            d->prepared(QStringLiteral("SELECT ") + kAttemptColumns
                + QStringLiteral(" FROM attempts a WHERE a.run_id = ? AND a.task = ?"
                                 " ORDER BY a.attempt")));
        q = p;
        q->bindValue(0, runId);
        q->bindValue(1, task);
    }
    PW_TRY(d->exec(q, QStringLiteral("reading attempts")));
    QList<AttemptRecord> out;
    while (q->next())
        out << attemptFrom(*q);
    q->finish();
    return out;
}

Result<int> HistoryStore::lastAttemptNumber(qint64 runId, const QString &task)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "SELECT COALESCE(MAX(attempt), 0) FROM attempts WHERE run_id = ? AND task = ?")));
    q->bindValue(0, runId);
    q->bindValue(1, text(task));
    PW_TRY(d->exec(q, QStringLiteral("reading attempts")));
    const int n = q->next() ? q->value(0).toInt() : 0;
    q->finish();
    return n;
}

// --- events ------------------------------------------------------------------------------

Result<void> HistoryStore::appendEvent(const EventRecord &e)
{
    PW_TRY_ASSIGN(q,
        d->preparedHot(Private::AppendEvent,
            "INSERT INTO events (time, run_id, try_no, task, attempt, kind, state, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q->bindValue(0, e.time);
    q->bindValue(1, orNull(e.runId));
    q->bindValue(2, e.tryNo);
    q->bindValue(3, text(e.task));
    q->bindValue(4, e.attempt);
    q->bindValue(5, text(e.kind));
    q->bindValue(6, text(e.state));
    q->bindValue(7, text(SecretMask::apply(e.detail)));
    return d->execLazy(q, [] { return QStringLiteral("appending an event"); });
}

namespace {

// Batched writes bind ONE value per statement: a JSON array of rows that SQLite unpacks with
// json_each (JSON1 is built into SQLite >= 3.38). Binding each value through QSqlQuery costs
// more than SQLite's own work; a literal multi-row INSERT costs the SQL parser instead.
void appendJsonString(QString &out, const QString &value)
{
    out += QLatin1Char('"');
    // Most values (task ids, state names, empty details) need no escape: appended at once.
    const bool plain = std::none_of(value.cbegin(), value.cend(),
        [](QChar c) { return c.unicode() < 0x20 || c.unicode() == '"' || c.unicode() == '\\'; });
    if (plain) {
        out += value;
        out += QLatin1Char('"');
        return;
    }
    for (QChar c : value) {
        const char16_t u = c.unicode();
        if (u == '"' || u == '\\') {
            out += QLatin1Char('\\');
            out += c;
        } else if (u < 0x20) {
            out += QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0'));
        } else {
            out += c;
        }
    }
    out += QLatin1Char('"');
}

// `v` in decimal (or null for 0 with `zeroIsNull`), appended without a temporary string.
void appendNumber(QString &out, qint64 v, bool zeroIsNull = false)
{
    if (zeroIsNull && v == 0) {
        out += QLatin1String("null");
        return;
    }
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out += QLatin1String(buf, int(r.ptr - buf));
}

constexpr qsizetype kRowsPerStatement = 2000;

} // namespace

Result<void> HistoryStore::appendEvents(const QList<EventRecord> &events)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT INTO events (time, run_id, try_no, task, attempt, kind, state, detail)"
            " SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5,"
            " value->>6, value->>7 FROM json_each(?)")));
    for (qsizetype from = 0; from < events.size(); from += kRowsPerStatement) {
        const qsizetype to = std::min<qsizetype>(events.size(), from + kRowsPerStatement);
        QString json;
        json.reserve(int(to - from) * 80 + 2);
        json += QLatin1Char('[');
        for (qsizetype i = from; i < to; ++i) {
            const EventRecord &e = events[i];
            if (i > from)
                json += QLatin1Char(',');
            json += QLatin1Char('[');
            appendNumber(json, e.time);
            json += QLatin1Char(',');
            appendNumber(json, e.runId, true);
            json += QLatin1Char(',');
            appendNumber(json, e.tryNo);
            json += QLatin1Char(',');
            appendJsonString(json, e.task);
            json += QLatin1Char(',');
            appendNumber(json, e.attempt);
            json += QLatin1Char(',');
            appendJsonString(json, e.kind);
            json += QLatin1Char(',');
            appendJsonString(json, e.state);
            json += QLatin1Char(',');
            appendJsonString(json, SecretMask::apply(e.detail));
            json += QLatin1Char(']');
        }
        json += QLatin1Char(']');
        q->bindValue(0, json);
        if (auto r = d->execLazy(q, [] { return QStringLiteral("appending events"); }); !r)
            return r;
    }
    return {};
}

Result<void> HistoryStore::setTaskStates(const QList<TaskStateWrite> &states)
{
    // The row keeps its id (= insertion order) on update, as setTaskState(). "WHERE true" is
    // how SQLite's grammar separates an INSERT ... SELECT from its upsert clause.
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT INTO task_states (run_id, task, state, try_no, updated, due_at)"
            " SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5"
            " FROM json_each(?) WHERE true ON CONFLICT (run_id, task) DO UPDATE SET"
            " state = excluded.state, try_no = excluded.try_no,"
            " updated = excluded.updated, due_at = excluded.due_at, removed_in_try = NULL")));
    for (qsizetype from = 0; from < states.size(); from += kRowsPerStatement) {
        const qsizetype to = std::min<qsizetype>(states.size(), from + kRowsPerStatement);
        QString json;
        json.reserve(int(to - from) * 56 + 2);
        json += QLatin1Char('[');
        for (qsizetype i = from; i < to; ++i) {
            const TaskStateWrite &t = states[i];
            if (i > from)
                json += QLatin1Char(',');
            json += QLatin1Char('[');
            appendNumber(json, t.runId);
            json += QLatin1Char(',');
            appendJsonString(json, t.task);
            json += QLatin1Char(',');
            appendJsonString(json, toString(t.state));
            json += QLatin1Char(',');
            appendNumber(json, t.tryNo);
            json += QLatin1Char(',');
            appendNumber(json, t.time);
            json += QLatin1Char(',');
            appendNumber(json, t.state == TaskState::RetryWait ? t.dueAt : 0, true);
            json += QLatin1Char(']');
        }
        json += QLatin1Char(']');
        q->bindValue(0, json);
        if (auto r = d->execLazy(q, [] { return QStringLiteral("setting task states"); }); !r)
            return r;
    }
    return {};
}

Result<void> HistoryStore::insertAttempts(const QList<AttemptRecord> &attempts)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT INTO attempts (run_id, task, attempt, try_no, state, started, ended,"
            " exit_code, error, log_path, host, pgid, proc_start, owner_id, rows)"
            " SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5,"
            " value->>6, value->>7, value->>8, value->>9, value->>10, value->>11,"
            " value->>12, value->>13, value->>14 FROM json_each(?)")));
    auto num = [](qint64 v) { return v ? QString::number(v) : QStringLiteral("null"); };
    for (qsizetype from = 0; from < attempts.size(); from += kRowsPerStatement) {
        const qsizetype to = std::min<qsizetype>(attempts.size(), from + kRowsPerStatement);
        QString json;
        json.reserve(int(to - from) * 120 + 2);
        json += QLatin1Char('[');
        for (qsizetype i = from; i < to; ++i) {
            const AttemptRecord &a = attempts[i];
            if (i > from)
                json += QLatin1Char(',');
            json += QLatin1Char('[') + QString::number(a.runId) + QLatin1Char(',');
            appendJsonString(json, a.task);
            json += QLatin1Char(',') + QString::number(a.attempt) + QLatin1Char(',')
                + QString::number(a.tryNo) + QLatin1Char(',');
            appendJsonString(json, toString(a.state));
            json += QLatin1Char(',') + num(a.started) + QLatin1Char(',') + num(a.ended)
                + QLatin1Char(',');
            json += a.exitCode ? QString::number(*a.exitCode) : QStringLiteral("null");
            json += QLatin1Char(',');
            appendJsonString(json, SecretMask::apply(a.error));
            json += QLatin1Char(',');
            appendJsonString(json, a.logPath);
            json += QLatin1Char(',');
            appendJsonString(json, a.host);
            json += QLatin1Char(',') + QString::number(a.pgid) + QLatin1Char(',')
                + QString::number(a.procStart) + QLatin1Char(',') + num(a.ownerId)
                + QLatin1Char(',');
            // rows: the array's JSON text as a string (->> gives it back as text)
            const QVariant rows = AttemptRecord::rowsValue(a.rows);
            if (rows.isNull())
                json += QStringLiteral("null");
            else
                appendJsonString(json, rows.toString());
            json += QLatin1Char(']');
        }
        json += QLatin1Char(']');
        q->bindValue(0, json);
        if (auto r = d->execLazy(q, [] { return QStringLiteral("recording attempts"); }); !r)
            return r;
    }
    return {};
}

Result<QList<EventRecord>> HistoryStore::events(qint64 runId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(
            QStringLiteral("SELECT id, time, run_id, try_no, task, attempt, kind, state, detail"
                           " FROM events WHERE run_id = ? ORDER BY id")));
    q->bindValue(0, runId);
    PW_TRY(d->exec(q, QStringLiteral("reading events")));
    QList<EventRecord> out;
    while (q->next()) {
        EventRecord e;
        e.id = q->value(0).toLongLong();
        e.time = q->value(1).toLongLong();
        e.runId = int64(q->value(2));
        e.tryNo = q->value(3).toInt();
        e.task = q->value(4).toString();
        e.attempt = q->value(5).toInt();
        e.kind = q->value(6).toString();
        e.state = q->value(7).toString();
        e.detail = q->value(8).toString();
        out << e;
    }
    q->finish();
    return out;
}

} // namespace pw
