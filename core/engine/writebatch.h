#pragma once

#include "engineevent.h"

#include "history/historystore.h"
#include "history/records.h"
#include "model/result.h"
#include "runners/runner.h"

#include <QHash>
#include <QPair>

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace pw {

size_t qHash(const AttemptKey &key, size_t seed = 0) noexcept;

// The engine's buffered writes and what waits for their commit (DESIGN §8: a state change is
// committed before its consequences). Rows (task states, attempts, event log) are written as a
// few bulk statements by commit(); only after it succeeded does the engine take the
// consequences — events for observers, finished runs, after-commit actions such as starting a
// process — and carry them out.
//
// Thread rules: engine thread only. It never begins or rolls back a transaction: the engine
// owns the transaction (its ownership fence) and commit() only writes into it and commits.
class WriteBatch
{
public:
    // --- rows ---
    // A later state of the same task in this batch replaces the earlier one.
    void setTaskState(const HistoryStore::TaskStateWrite &state);
    // A new attempt row; later updates of it in this batch are folded into the insert.
    void insertAttempt(const AttemptRecord &attempt);
    void setAttemptProcess(
        qint64 runId, const QString &task, int attempt, qint64 pgid, qint64 procStart);
    void finishAttempt(qint64 runId, const QString &task, int attempt, AttemptState state,
        qint64 ended, std::optional<int> exitCode, const QString &error);
    void addEvent(const EventRecord &event);

    // --- changes: rows, event-log entries and observer events together ---
    // A task's new state (`attempt` = its latest attempt number, `dueAt` for retry_wait).
    void taskStateChanged(qint64 runId, int tryNo, const QString &task, int attempt,
        TaskState state, qint64 time, qint64 dueAt = 0, const QString &detail = {});
    // A new attempt (its row; no event-log entry: the task's `running` entry carries its number).
    void attemptStarted(const AttemptRecord &attempt);
    // How an attempt ended; `error` is its text form (AttemptError::text()).
    void attemptFinished(const AttemptKey &key, int tryNo, AttemptState state, qint64 ended,
        std::optional<int> exitCode, const QString &error,
        const std::optional<QList<qint64>> &rows = std::nullopt);
    // A run's (try's) new state; its row is written by the engine itself, fenced by ownership.
    void runStateChanged(
        qint64 runId, int tryNo, RunState state, qint64 time, const QString &detail = {});

    // --- consequences, carried out after the commit ---
    void notify(const EngineEvent &event);
    void afterCommit(std::function<void()> action);
    void runFinished(qint64 runId, RunState state);
    bool hasConsequences() const;

    // Writes the rows into `store`'s open transaction and commits it. On success the rows are
    // cleared; on failure they are kept (the engine rolls back and stops writing).
    Result<void> commit(HistoryStore &store);

    struct Consequences
    {
        EngineEvents events;
        std::vector<std::function<void()>> actions;
        std::vector<std::pair<qint64, RunState>> finished;
    };
    Consequences takeConsequences();

private:
    struct PendingAttempt
    {
        AttemptRecord rec;
        bool isNew = false;
        bool processChanged = false;
        bool finished = false;
    };
    PendingAttempt &attempt(qint64 runId, const QString &task, int attempt);
    void clearRows();

    QList<HistoryStore::TaskStateWrite> m_tasks; // as the store takes them: no copy
    QHash<QPair<qint64, QString>, size_t> m_taskIndex;
    std::vector<PendingAttempt> m_attempts;
    QHash<AttemptKey, size_t> m_attemptIndex;
    QList<EventRecord> m_events;
    Consequences m_out;
};

} // namespace pw
