// HistoryStore: owners and takeover, owner requests, scheduler state.

#include "historystore_p.h"

#include <QDateTime>

namespace pw {

using namespace historydb;

// --- owners ------------------------------------------------------------------------------

namespace {

Error ownerLost(qint64 ownerId)
{
    Error e(QStringLiteral("owner %1 is no longer alive in the history database (it was released "
                           "or taken over by another process); this process stops writing")
                .arg(ownerId));
    e.kind = Error::Kind::OwnershipLost;
    return e;
}

const QString kOwnerColumns = QStringLiteral(
    "id, host, pid, proc_start, boot_id, started, heartbeat, alive, taken_over_by");

OwnerRecord ownerFrom(const QSqlQuery &q)
{
    OwnerRecord o;
    o.id = q.value(0).toLongLong();
    o.host = q.value(1).toString();
    o.pid = q.value(2).toLongLong();
    o.procStart = q.value(3).toLongLong();
    o.bootId = q.value(4).toString();
    o.started = int64(q.value(5));
    o.heartbeat = int64(q.value(6));
    o.alive = q.value(7).toInt() != 0;
    o.takenOverBy = int64(q.value(8));
    return o;
}

} // namespace

Result<qint64> HistoryStore::registerOwner(const OwnerRecord &owner)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT INTO owners (host, pid, proc_start, boot_id, started, heartbeat, alive)"
            " VALUES (?, ?, ?, ?, ?, ?, 1)")));
    q->bindValue(0, text(owner.host));
    q->bindValue(1, owner.pid);
    q->bindValue(2, owner.procStart);
    q->bindValue(3, text(owner.bootId));
    q->bindValue(4, owner.started);
    q->bindValue(5, owner.heartbeat);
    PW_TRY(d->exec(q, QStringLiteral("registering an owner")));
    return q->lastInsertId().toLongLong();
}

Result<void> HistoryStore::heartbeat(qint64 ownerId, qint64 now)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("UPDATE owners SET heartbeat = ? WHERE id = ? AND alive = 1")));
    q->bindValue(0, now);
    q->bindValue(1, ownerId);
    PW_TRY(d->exec(q, QStringLiteral("writing a heartbeat")));
    if (q->numRowsAffected() != 1)
        return Unexpected(ownerLost(ownerId));
    return {};
}

Result<void> HistoryStore::checkOwner(qint64 ownerId)
{
    PW_TRY_ASSIGN(q, d->prepared(QStringLiteral("SELECT alive FROM owners WHERE id = ?")));
    q->bindValue(0, ownerId);
    PW_TRY(d->exec(q, QStringLiteral("checking owner %1").arg(ownerId)));
    const bool alive = q->next() && q->value(0).toInt() == 1;
    q->finish();
    if (!alive)
        return Unexpected(ownerLost(ownerId));
    return {};
}

Result<void> HistoryStore::releaseOwner(qint64 ownerId, qint64 now)
{
    PW_TRY_ASSIGN(q,
        d->prepared(
            QStringLiteral("UPDATE owners SET alive = 0, ended = ? WHERE id = ? AND alive = 1")));
    q->bindValue(0, now);
    q->bindValue(1, ownerId);
    return d->exec(q, QStringLiteral("releasing an owner"));
}

Result<QList<OwnerRecord>> HistoryStore::aliveOwners()
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("SELECT ") + kOwnerColumns
            + QStringLiteral(" FROM owners WHERE alive = 1 ORDER BY id")));
    PW_TRY(d->exec(q, QStringLiteral("reading owners")));
    QList<OwnerRecord> out;
    while (q->next())
        out << ownerFrom(*q);
    q->finish();
    return out;
}

Result<std::optional<OwnerRecord>> HistoryStore::owner(qint64 ownerId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("SELECT ") + kOwnerColumns
            + QStringLiteral(" FROM owners WHERE id = ?")));
    q->bindValue(0, ownerId);
    PW_TRY(d->exec(q, QStringLiteral("reading an owner")));
    std::optional<OwnerRecord> out;
    if (q->next())
        out = ownerFrom(*q);
    q->finish();
    return out;
}

Result<bool> HistoryStore::claimOwner(
    qint64 deadOwnerId, qint64 seenHeartbeat, qint64 byOwnerId, qint64 now)
{
    // One statement, so it is atomic on its own: of two claimers only one sees alive = 1.
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("UPDATE owners SET alive = 0, taken_over_by = ?, ended = ?"
                                   " WHERE id = ? AND alive = 1 AND heartbeat = ?")));
    q->bindValue(0, orNull(byOwnerId));
    q->bindValue(1, now);
    q->bindValue(2, deadOwnerId);
    q->bindValue(3, seenHeartbeat);
    PW_TRY(d->exec(q, QStringLiteral("claiming owner %1").arg(deadOwnerId)));
    return q->numRowsAffected() == 1;
}

// --- attempts (read helpers shared with takeover) ---------------------------------------

Result<QList<AttemptRecord>> HistoryStore::runningAttemptsOfOwner(qint64 ownerId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("SELECT ") + kAttemptColumns
            + QStringLiteral(" FROM attempts a WHERE a.state = 'running' AND (a.owner_id = ?"
                             " OR a.run_id IN (SELECT id FROM runs WHERE owner_id = ?))"
                             " ORDER BY a.run_id, a.started, a.task, a.attempt")));
    q->bindValue(0, ownerId);
    q->bindValue(1, ownerId);
    PW_TRY(d->exec(q, QStringLiteral("reading running attempts")));
    QList<AttemptRecord> out;
    while (q->next())
        out << attemptFrom(*q);
    q->finish();
    return out;
}

Result<QList<qint64>> HistoryStore::interruptOwner(
    qint64 deadOwnerId, qint64 now, const QString &reason)
{
    QString why = reason;
    if (why.isEmpty()) {
        PW_TRY_ASSIGN(ownerRow, owner(deadOwnerId));
        why = ownerRow ? QStringLiteral("owner %1 (%2 pid %3) died")
                             .arg(deadOwnerId)
                             .arg(ownerRow->host)
                             .arg(ownerRow->pid)
                       : QStringLiteral("owner %1 died").arg(deadOwnerId);
    }
    return interruptRuns(deadOwnerId, now, why, false);
}

Result<QList<qint64>> HistoryStore::endOwner(qint64 ownerId, qint64 now, const QString &reason)
{
    return interruptRuns(ownerId, now, reason, true);
}

Result<QList<qint64>> HistoryStore::interruptRuns(
    qint64 deadOwnerId, qint64 now, const QString &why, bool fenced)
{
    PW_TRY(d->beginAtomic());
    auto body = [&]() -> Result<QList<qint64>> {
        if (fenced)
            PW_TRY(checkOwner(deadOwnerId));
        struct ActiveRun
        {
            qint64 id;
            int tryNo;
        };
        QList<ActiveRun> active;
        {
            PW_TRY_ASSIGN(q,
                d->prepared(QStringLiteral("SELECT id, try_no FROM runs WHERE (owner_id = ? AND "
                                           "state IN ('queued', 'running'))"
                                           " OR id IN (SELECT run_id FROM attempts WHERE state = "
                                           "'running' AND owner_id = ?)"
                                           " ORDER BY id")));
            q->bindValue(0, deadOwnerId);
            q->bindValue(1, deadOwnerId);
            PW_TRY(d->exec(q, QStringLiteral("finding the runs of owner %1").arg(deadOwnerId)));
            while (q->next())
                active.append({q->value(0).toLongLong(), q->value(1).toInt()});
            q->finish();
        }
        QList<qint64> runIds;
        const QString interrupted = toString(TaskState::Interrupted);
        for (const ActiveRun &run : active) {
            runIds << run.id;
            QList<EventRecord> events;
            auto event = [&](int tryNo, const QString &task, int attempt, const QString &kind) {
                EventRecord e;
                e.time = now;
                e.runId = run.id;
                e.tryNo = tryNo;
                e.task = task;
                e.attempt = attempt;
                e.kind = kind;
                e.state = interrupted;
                e.detail = why;
                events << e;
            };
            {
                PW_TRY_ASSIGN(q,
                    d->prepared(QStringLiteral("SELECT task, attempt, try_no FROM attempts"
                                               " WHERE run_id = ? AND state = 'running' ORDER BY "
                                               "started, task, attempt")));
                q->bindValue(0, run.id);
                PW_TRY(d->exec(q, QStringLiteral("reading running attempts")));
                while (q->next())
                    event(q->value(2).toInt(), q->value(0).toString(), q->value(1).toInt(),
                        QStringLiteral("attempt"));
                q->finish();
            }
            {
                PW_TRY_ASSIGN(q,
                    d->prepared(QStringLiteral(
                        "SELECT task FROM task_states WHERE run_id = ? AND removed_in_try IS NULL"
                        " AND state IN ('waiting', 'queued', 'running', 'retry_wait') ORDER BY "
                        "id")));
                q->bindValue(0, run.id);
                PW_TRY(d->exec(q, QStringLiteral("reading active tasks")));
                while (q->next())
                    event(run.tryNo, q->value(0).toString(), 0, QStringLiteral("task"));
                q->finish();
            }
            event(run.tryNo, {}, 0, QStringLiteral("run"));

            PW_TRY_ASSIGN(a,
                d->prepared(QStringLiteral(
                    "UPDATE attempts SET state = 'interrupted', ended = ?, error = 'interrupted'"
                    " WHERE run_id = ? AND state = 'running'")));
            a->bindValue(0, now);
            a->bindValue(1, run.id);
            PW_TRY(d->exec(a, QStringLiteral("interrupting attempts")));
            PW_TRY_ASSIGN(t,
                d->prepared(QStringLiteral(
                    "UPDATE task_states SET state = 'interrupted', updated = ?, try_no = ?, due_at "
                    "= NULL"
                    " WHERE run_id = ? AND removed_in_try IS NULL"
                    " AND state IN ('waiting', 'queued', 'running', 'retry_wait')")));
            t->bindValue(0, now);
            t->bindValue(1, run.tryNo);
            t->bindValue(2, run.id);
            PW_TRY(d->exec(t, QStringLiteral("interrupting tasks")));
            PW_TRY_ASSIGN(tr,
                d->prepared(
                    QStringLiteral("UPDATE tries SET state = 'interrupted', ended = ?"
                                   " WHERE run_id = ? AND state IN ('queued', 'running')")));
            tr->bindValue(0, now);
            tr->bindValue(1, run.id);
            PW_TRY(d->exec(tr, QStringLiteral("interrupting tries")));
            PW_TRY_ASSIGN(r,
                d->prepared(QStringLiteral("UPDATE runs SET state = 'interrupted'"
                                           " WHERE id = ? AND state IN ('queued', 'running')")));
            r->bindValue(0, run.id);
            PW_TRY(d->exec(r, QStringLiteral("interrupting runs")));
            for (const EventRecord &e : std::as_const(events))
                PW_TRY(appendEvent(e));
        }
        PW_TRY_ASSIGN(o,
            d->prepared(QStringLiteral(
                "UPDATE owners SET alive = 0, ended = COALESCE(ended, ?) WHERE id = ?")));
        o->bindValue(0, now);
        o->bindValue(1, deadOwnerId);
        PW_TRY(d->exec(o, QStringLiteral("retiring owner %1").arg(deadOwnerId)));
        return runIds;
    };
    auto result = body();
    if (!result) {
        d->abortAtomic();
        return result;
    }
    PW_TRY(d->endAtomic());
    return result;
}

// --- requests ----------------------------------------------------------------------------

namespace {

const QString kRequestColumns = QStringLiteral(
    "q.id, q.run_id, q.task, q.kind, q.arg, q.requested_by, q.created, q.handled, q.result");

RequestRecord requestFrom(const QSqlQuery &q)
{
    RequestRecord r;
    r.id = q.value(0).toLongLong();
    r.runId = q.value(1).toLongLong();
    r.task = q.value(2).toString();
    r.kind = q.value(3).toString();
    r.arg = q.value(4).toString();
    r.requestedBy = q.value(5).toString();
    r.created = int64(q.value(6));
    r.handled = int64(q.value(7));
    r.result = q.value(8).toString();
    return r;
}

} // namespace

Result<qint64> HistoryStore::addRequest(const RequestRecord &r)
{
    PW_TRY_ASSIGN(q,
        d->prepared(
            QStringLiteral("INSERT INTO requests (run_id, task, kind, arg, requested_by, created)"
                           " VALUES (?, ?, ?, ?, ?, ?)")));
    q->bindValue(0, r.runId);
    q->bindValue(1, text(r.task));
    q->bindValue(2, text(r.kind));
    q->bindValue(3, text(r.arg));
    q->bindValue(4, text(r.requestedBy));
    q->bindValue(5, r.created);
    PW_TRY(d->exec(q, QStringLiteral("adding a request")));
    return q->lastInsertId().toLongLong();
}

Result<QList<RequestRecord>> HistoryStore::pendingRequests(qint64 ownerId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("SELECT ") + kRequestColumns
            + QStringLiteral(" FROM requests q JOIN runs r ON r.id = q.run_id"
                             " WHERE q.handled IS NULL AND r.owner_id = ?"
                             " ORDER BY q.id")));
    q->bindValue(0, ownerId);
    PW_TRY(d->exec(q, QStringLiteral("reading pending requests")));
    QList<RequestRecord> out;
    while (q->next())
        out << requestFrom(*q);
    q->finish();
    return out;
}

Result<void> HistoryStore::completeRequest(qint64 requestId, const QString &result, qint64 now)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "UPDATE requests SET handled = ?, result = ? WHERE id = ? AND handled IS NULL")));
    q->bindValue(0, now);
    q->bindValue(1, text(result));
    q->bindValue(2, requestId);
    PW_TRY(d->exec(q, QStringLiteral("completing request %1").arg(requestId)));
    if (q->numRowsAffected() != 1)
        return fail(
            QStringLiteral("request %1 does not exist or was already handled").arg(requestId));
    return {};
}

Result<std::optional<RequestRecord>> HistoryStore::request(qint64 requestId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("SELECT ") + kRequestColumns
            + QStringLiteral(" FROM requests q WHERE q.id = ?")));
    q->bindValue(0, requestId);
    PW_TRY(d->exec(q, QStringLiteral("reading request %1").arg(requestId)));
    std::optional<RequestRecord> out;
    if (q->next())
        out = requestFrom(*q);
    q->finish();
    return out;
}

// --- scheduling --------------------------------------------------------------------------

Result<std::optional<qint64>> HistoryStore::scheduleLastFire(const QString &flowId)
{
    PW_TRY_ASSIGN(
        q, d->prepared(QStringLiteral("SELECT last_fire FROM schedule_state WHERE flow_id = ?")));
    q->bindValue(0, text(flowId));
    PW_TRY(d->exec(q, QStringLiteral("reading the schedule state of %1").arg(flowId)));
    std::optional<qint64> out;
    if (q->next())
        out = q->value(0).toLongLong();
    q->finish();
    return out;
}

Result<void> HistoryStore::setScheduleLastFire(const QString &flowId, qint64 fireTime, qint64 now)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT INTO schedule_state (flow_id, last_fire, updated) VALUES (?, ?, ?)"
            " ON CONFLICT (flow_id) DO UPDATE SET last_fire = excluded.last_fire,"
            " updated = excluded.updated")));
    q->bindValue(0, text(flowId));
    q->bindValue(1, fireTime);
    q->bindValue(2, now);
    return d->exec(q, QStringLiteral("writing the schedule state of %1").arg(flowId));
}

Result<qint64> HistoryStore::acquireSchedulerLock(qint64 ownerId, qint64 now, qint64 staleMs)
{
    PW_TRY(d->beginAtomic());
    auto body = [&]() -> Result<qint64> {
        qint64 holder = 0;
        {
            PW_TRY_ASSIGN(q,
                d->prepared(QStringLiteral(
                    "SELECT l.owner_id FROM scheduler_lock l JOIN owners o ON o.id = l.owner_id"
                    " WHERE l.id = 1 AND o.alive = 1 AND o.heartbeat >= ?")));
            q->bindValue(0, now - staleMs);
            PW_TRY(d->exec(q, QStringLiteral("reading the scheduler lock")));
            if (q->next())
                holder = q->value(0).toLongLong();
            q->finish();
        }
        if (holder != 0 && holder != ownerId)
            return holder;
        PW_TRY_ASSIGN(w,
            d->prepared(QStringLiteral(
                "INSERT INTO scheduler_lock (id, owner_id, acquired) VALUES (1, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id,"
                " acquired = excluded.acquired")));
        w->bindValue(0, ownerId);
        w->bindValue(1, now);
        PW_TRY(d->exec(w, QStringLiteral("taking the scheduler lock")));
        return ownerId;
    };
    auto r = body();
    if (!r) {
        d->abortAtomic();
        return r;
    }
    PW_TRY(d->endAtomic());
    return r;
}

Result<void> HistoryStore::releaseSchedulerLock(qint64 ownerId)
{
    PW_TRY_ASSIGN(
        q, d->prepared(QStringLiteral("DELETE FROM scheduler_lock WHERE id = 1 AND owner_id = ?")));
    q->bindValue(0, ownerId);
    return d->exec(q, QStringLiteral("releasing the scheduler lock"));
}

Result<qint64> HistoryStore::schedulerLockHolder()
{
    PW_TRY_ASSIGN(
        q, d->prepared(QStringLiteral("SELECT owner_id FROM scheduler_lock WHERE id = 1")));
    PW_TRY(d->exec(q, QStringLiteral("reading the scheduler lock")));
    const qint64 holder = q->next() ? q->value(0).toLongLong() : 0;
    q->finish();
    return holder;
}

Result<QList<RunRecord>> HistoryStore::runningRuns(const QString &flowId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(runSelect()
            + QStringLiteral(" WHERE r.flow_id = ? AND r.state = 'running'"
                             " AND r.owner_id IN (SELECT id FROM owners WHERE alive = 1)"
                             " ORDER BY r.id")));
    q->bindValue(0, text(flowId));
    PW_TRY(d->exec(q, QStringLiteral("reading the running runs of %1").arg(flowId)));
    QList<RunRecord> out;
    while (q->next())
        out << runFrom(*q);
    q->finish();
    return out;
}

Result<int> HistoryStore::activeRunCount(const QString &flowId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "SELECT count(*) FROM runs WHERE flow_id = ? AND state IN ('queued', 'running')")));
    q->bindValue(0, text(flowId));
    PW_TRY(d->exec(q, QStringLiteral("counting the active runs of %1").arg(flowId)));
    const int n = q->next() ? q->value(0).toInt() : 0;
    q->finish();
    return n;
}

} // namespace pw
