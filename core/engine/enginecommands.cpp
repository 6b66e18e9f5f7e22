// EngineCore's commands (cancel, mark) and its dealings with other processes (their requests,
// dead owners' takeover). The rest of EngineCore is in enginecore.cpp.

#include "enginecore.h"

#include "activerunslots.h"
#include "ownerrequests.h"
#include "ownertakeover.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace pw {

// --- commands -------------------------------------------------------------------------------

Result<void> EngineCore::cancel(qint64 runId, const QString &task, qint64 *requestId)
{
    const auto it = m_runs.find(runId);
    if (it == m_runs.end()) { // not run here: its live owner gets the request
        PW_TRY_ASSIGN(id, m_requests->forwardCancel(runId, task, m_config.user, now()));
        if (requestId)
            *requestId = id;
        return {};
    }
    ActiveRun &run = *it->second;
    if (!task.isEmpty()) {
        const int idx = run.graph.indexOf(task);
        if (idx < 0)
            return fail(QStringLiteral("run %1 has no task '%2'").arg(runId).arg(task));
        ActiveRun::Task &t = run.tasks[size_t(idx)];
        if (isFinal(t.state))
            return fail(
                QStringLiteral("task '%1' is not active (%2)").arg(task).arg(toString(t.state)));
        t.cancelRequested = true;
        if (t.running) {
            t.runner->cancel({runId, task, t.lastAttempt});
        } else {
            m_queue.remove(runId, idx);
            m_retries->cancel({runId, idx});
            finishTask(
                run, idx, TaskState::Cancelled, QStringLiteral("cancelled by ") + m_config.user);
        }
        dispatch();
        scheduleFlush();
        return {};
    }
    run.cancelRequested = true;
    for (size_t i = 0; i < run.tasks.size(); ++i) {
        ActiveRun::Task &t = run.tasks[i];
        if (!t.selected || isFinal(t.state))
            continue;
        if (t.running) {
            t.runner->cancel({runId, t.spec->id, t.lastAttempt});
            continue;
        }
        m_queue.remove(runId, int(i));
        m_retries->cancel({runId, int(i)});
        setTaskState(
            run, int(i), TaskState::Cancelled, 0, QStringLiteral("cancelled by ") + m_config.user);
        --run.unfinished;
    }
    if (!run.started) {
        run.started = true; // a pending run ends here without ever starting
        m_slots->forget(run.plan.flow.id, runId);
    }
    checkRunDone(run);
    scheduleFlush();
    return {};
}

Result<void> EngineCore::markStored(
    const RunRecord &run, const QString &task, TaskState state, const QString &who)
{
    const qint64 t = now();
    ensureTransaction();
    if (task.isEmpty()) {
        if (auto ok = m_store->setRunState(
                run.id, state == TaskState::Succeeded ? RunState::Succeeded : RunState::Failed, t);
            !ok)
            return ok;
    } else {
        PW_TRY_ASSIGN(tasks, m_store->tasks(run.id));
        bool found = false;
        bool allSuccess = true;
        for (const TaskRecord &r : tasks) {
            const TaskState s = r.task == task ? state : r.state;
            found = found || r.task == task;
            allSuccess = allSuccess && isSuccessLike(s);
        }
        if (!found)
            return fail(QStringLiteral("run %1 has no task '%2'").arg(run.id).arg(task));
        if (auto ok = m_store->markTask(run.id, task, state, who, t); !ok)
            return ok;
        if (auto ok
            = m_store->setRunState(run.id, allSuccess ? RunState::Succeeded : RunState::Failed, t);
            !ok)
            return ok;
    }
    if (task.isEmpty()) { // HistoryStore::markTask records task marks itself
        EventRecord e;
        e.time = t;
        e.runId = run.id;
        e.tryNo = run.tryNo;
        e.kind = QStringLiteral("mark");
        e.state = toString(state);
        e.detail = who;
        recordEvent(e);
    }
    scheduleFlush();
    return {};
}

Result<void> EngineCore::mark(
    qint64 runId, const QString &task, TaskState state, const QString &who, qint64 *requestId)
{
    if (state != TaskState::Succeeded && state != TaskState::Failed)
        return fail(QStringLiteral("a task can only be marked succeeded or failed"));
    const auto it = m_runs.find(runId);
    if (it == m_runs.end()) {
        PW_TRY_ASSIGN(rec, m_store->run(runId));
        if (!rec)
            return fail(QStringLiteral("no run with id %1").arg(runId));
        // Active in another live process: its owner gets the request; else it is marked here.
        PW_TRY_ASSIGN(
            sent, m_requests->forwardMark(*rec, task, toString(state), who, m_ownerId, now()));
        if (!sent)
            return markStored(*rec, task, state, who);
        if (requestId)
            *requestId = *sent;
        return {};
    }
    ActiveRun &run = *it->second;
    if (task.isEmpty())
        return fail(QStringLiteral("run %1 is active; cancel it before marking it").arg(runId));
    const int idx = run.graph.indexOf(task);
    if (idx < 0)
        return fail(QStringLiteral("run %1 has no task '%2'").arg(runId).arg(task));
    ActiveRun::Task &t = run.tasks[size_t(idx)];
    if (t.running)
        return fail(QStringLiteral("task '%1' is running; cancel it before marking it").arg(task));
    m_queue.remove(runId, idx);
    m_retries->cancel({runId, idx});
    const qint64 time = now();
    ensureTransaction();
    // The state row is written through the batch; markTask records who/when on top.
    finishTask(run, idx, state, QStringLiteral("marked by ") + who);
    m_batch.afterCommit([this, runId, task, state, who, time] {
        ensureTransaction();
        if (auto ok = m_store->markTask(runId, task, state, who, time); !ok)
            failStore(ok.error());
    });
    dispatch();
    scheduleFlush();
    return {};
}

// --- other processes ------------------------------------------------------------------------

void EngineCore::awaitRequest(qint64 requestId, std::function<void(const Result<void> &)> done)
{
    if (!m_requests) {
        done(fail(QStringLiteral("engine is not running")));
        return;
    }
    m_requests->await(requestId, std::move(done));
}

// A request row of another process for one of this process's runs.
Result<void> EngineCore::executeRequest(const RequestRecord &r)
{
    Result<void> res;
    if (r.kind == QLatin1String("cancel")) {
        res = cancel(r.runId, r.task);
    } else if (r.kind == QLatin1String("mark")) {
        const auto st = taskStateFromString(r.arg);
        res = st ? mark(r.runId, r.task, *st, r.requestedBy)
                 : Result<void>(fail(QStringLiteral("bad mark state '%1'").arg(r.arg)));
    } else {
        res = fail(QStringLiteral("unknown request '%1'").arg(r.kind));
    }
    flush(); // the answer is recorded once what it did is committed
    return res;
}

void EngineCore::checkDeadOwners()
{
    if (!m_takeover || m_fatal)
        return;
    if (m_inTransaction) // takeover writes in its own transaction
        flush();
    if (m_inTransaction)
        return;
    if (auto ok = m_takeover->check(); !ok)
        qCWarning(lcEngine) << "dead owner check failed:" << ok.error().message;
}

void EngineCore::afterTakeovers(std::function<void()> command)
{
    checkDeadOwners();
    if (m_takeover)
        m_takeover->whenSettled(std::move(command));
    else
        command();
}

} // namespace pw
