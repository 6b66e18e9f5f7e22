#include "writebatch.h"

namespace pw {

size_t qHash(const AttemptKey &key, size_t seed) noexcept
{
    return qHashMulti(seed, key.runId, key.task, key.attempt);
}

namespace {

AttemptKey attemptKey(qint64 runId, const QString &task, int attempt)
{
    return {runId, task, attempt};
}

} // namespace

void WriteBatch::setTaskState(const HistoryStore::TaskStateWrite &state)
{
    const auto key = qMakePair(state.runId, state.task);
    const auto it = m_taskIndex.constFind(key);
    if (it != m_taskIndex.cend()) {
        m_tasks[*it] = state;
        return;
    }
    m_taskIndex.insert(key, m_tasks.size());
    m_tasks.push_back(state);
}

void WriteBatch::insertAttempt(const AttemptRecord &rec)
{
    m_attemptIndex.insert(attemptKey(rec.runId, rec.task, rec.attempt), m_attempts.size());
    m_attempts.push_back({rec, true, false, false});
}

// The buffered write of an attempt in this batch; an attempt inserted by an earlier batch gets
// an update entry.
WriteBatch::PendingAttempt &WriteBatch::attempt(qint64 runId, const QString &task, int attempt)
{
    const AttemptKey key = attemptKey(runId, task, attempt);
    const auto p = m_attemptIndex.constFind(key);
    if (p != m_attemptIndex.cend())
        return m_attempts[*p];
    m_attemptIndex.insert(key, m_attempts.size());
    AttemptRecord rec;
    rec.runId = runId;
    rec.task = task;
    rec.attempt = attempt;
    m_attempts.push_back({rec, false, false, false});
    return m_attempts.back();
}

void WriteBatch::setAttemptProcess(
    qint64 runId, const QString &task, int n, qint64 pgid, qint64 procStart)
{
    PendingAttempt &a = attempt(runId, task, n);
    a.rec.pgid = pgid;
    a.rec.procStart = procStart;
    a.processChanged = true;
}

void WriteBatch::finishAttempt(qint64 runId, const QString &task, int n, AttemptState state,
    qint64 ended, std::optional<int> exitCode, const QString &error)
{
    PendingAttempt &a = attempt(runId, task, n);
    a.rec.state = state;
    a.rec.ended = ended;
    a.rec.exitCode = exitCode;
    a.rec.error = error;
    a.finished = true;
}

void WriteBatch::addEvent(const EventRecord &event)
{
    m_events.push_back(event);
}

void WriteBatch::taskStateChanged(qint64 runId, int tryNo, const QString &task, int attempt,
    TaskState state, qint64 time, qint64 dueAt, const QString &detail)
{
    setTaskState({runId, task, state, tryNo, time, dueAt});
    EventRecord e;
    e.time = time;
    e.runId = runId;
    e.tryNo = tryNo;
    e.task = task;
    e.attempt = attempt;
    e.kind = QStringLiteral("task");
    e.state = toString(state);
    e.detail = detail;
    addEvent(e);

    EngineEvent ev;
    ev.kind = EngineEvent::Kind::TaskState;
    ev.runId = runId;
    ev.tryNo = tryNo;
    ev.task = task;
    ev.attempt = attempt;
    ev.taskState = state;
    ev.time = time;
    ev.dueAt = dueAt;
    ev.detail = detail;
    notify(ev);
}

void WriteBatch::attemptStarted(const AttemptRecord &rec)
{
    insertAttempt(rec);
    EngineEvent ev;
    ev.kind = EngineEvent::Kind::AttemptStarted;
    ev.runId = rec.runId;
    ev.tryNo = rec.tryNo;
    ev.task = rec.task;
    ev.attempt = rec.attempt;
    ev.time = rec.started;
    notify(ev);
}

void WriteBatch::attemptFinished(const AttemptKey &key, int tryNo, AttemptState state, qint64 ended,
    std::optional<int> exitCode, const QString &error, const std::optional<QList<qint64>> &rows)
{
    finishAttempt(key.runId, key.task, key.attempt, state, ended, exitCode, error);
    attempt(key.runId, key.task, key.attempt).rec.rows = rows;
    EngineEvent ev;
    ev.kind = EngineEvent::Kind::AttemptFinished;
    ev.runId = key.runId;
    ev.tryNo = tryNo;
    ev.task = key.task;
    ev.attempt = key.attempt;
    ev.attemptState = state;
    ev.time = ended;
    ev.detail = error;
    notify(ev);
}

void WriteBatch::runStateChanged(
    qint64 runId, int tryNo, RunState state, qint64 time, const QString &detail)
{
    EventRecord e;
    e.time = time;
    e.runId = runId;
    e.tryNo = tryNo;
    e.kind = QStringLiteral("run");
    e.state = toString(state);
    e.detail = detail;
    addEvent(e);

    EngineEvent ev;
    ev.kind = EngineEvent::Kind::RunState;
    ev.runId = runId;
    ev.tryNo = tryNo;
    ev.runState = state;
    ev.time = time;
    ev.detail = detail;
    notify(ev);
}

void WriteBatch::notify(const EngineEvent &event)
{
    m_out.events.append(event);
}

void WriteBatch::afterCommit(std::function<void()> action)
{
    m_out.actions.push_back(std::move(action));
}

void WriteBatch::runFinished(qint64 runId, RunState state)
{
    m_out.finished.emplace_back(runId, state);
}

bool WriteBatch::hasConsequences() const
{
    return !m_out.actions.empty() || !m_out.events.isEmpty() || !m_out.finished.empty();
}

Result<void> WriteBatch::commit(HistoryStore &store)
{
    if (!m_tasks.isEmpty()) {
        if (auto ok = store.setTaskStates(m_tasks); !ok)
            return ok;
    }
    QList<AttemptRecord> newAttempts;
    for (const PendingAttempt &a : m_attempts) {
        if (a.isNew)
            newAttempts.append(a.rec);
    }
    if (!newAttempts.isEmpty()) {
        if (auto ok = store.insertAttempts(newAttempts); !ok)
            return ok;
    }
    for (const PendingAttempt &a : m_attempts) {
        if (a.isNew)
            continue;
        const AttemptRecord &r = a.rec;
        if (a.processChanged) {
            if (auto ok = store.setAttemptProcess(r.runId, r.task, r.attempt, r.pgid, r.procStart);
                !ok)
                return ok;
        }
        if (a.finished) {
            if (auto ok = store.finishAttempt(
                    r.runId, r.task, r.attempt, r.state, r.ended, r.exitCode, r.error, r.rows);
                !ok)
                return ok;
        }
    }
    if (!m_events.isEmpty()) {
        if (auto ok = store.appendEvents(m_events); !ok)
            return ok;
    }
    if (auto ok = store.commit(); !ok)
        return ok;
    clearRows();
    return {};
}

void WriteBatch::clearRows()
{
    m_tasks.clear();
    m_taskIndex.clear();
    m_attempts.clear();
    m_attemptIndex.clear();
    m_events.clear();
}

WriteBatch::Consequences WriteBatch::takeConsequences()
{
    Consequences out = std::move(m_out);
    m_out = {};
    return out;
}

} // namespace pw
