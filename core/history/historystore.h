#pragma once

#include "model/result.h"
#include "records.h"

#include <QMap>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <memory>

class QSqlQuery;

namespace pw {

// The history database (DESIGN §8): every run, try, task state, attempt, owner, request and an
// append-only event log. SQLite by default (WAL, synchronous=NORMAL or FULL, busy timeout 30 s,
// schema version in PRAGMA user_version with forward migrations).
//
// Thread rules: a HistoryStore owns one QSqlDatabase connection and must only be used on the
// thread that opened it. The engine's writer and every reader (UI models, CLI) open their own.
// Writes are grouped by the caller: begin() ... commit() is one transaction; every write method
// also works outside a transaction (autocommit). Errors are values; "database is locked" after
// the busy timeout and "disk full" come back as errors whose message says so.
class HistoryStore
{
public:
    struct Options
    {
        QString path; // SQLite file; created (with parent dirs) unless readOnly
        // Never writes, and works on a read-only file system with or without -wal/-shm (then
        // it reads a snapshot: changes made later by others are not seen; see open()).
        bool readOnly = false;
        bool synchronousFull = false; // PRAGMA synchronous=FULL instead of NORMAL
        int busyTimeoutMs = 30000;
    };

    static Result<std::unique_ptr<HistoryStore>> open(const Options &options);
    ~HistoryStore();
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    static int latestSchemaVersion();
    int schemaVersion() const;
    QString path() const;

    // --- transactions --------------------------------------------------------------------
    // BEGIN IMMEDIATE (takes the write lock at once, so a batch never fails half-way on an
    // upgrade); no nesting. Compound writes (startTry, setRunState, markTask, interruptOwner)
    // use a savepoint inside it, or their own transaction outside one.
    Result<void> begin();
    Result<void> commit();
    void rollback();
    bool inTransaction() const;

    // Cheap change detection for pollers: PRAGMA data_version (changes when *another*
    // connection commits).
    Result<qint64> dataVersion();

    // --- owners (DESIGN §6) -----------------------------------------------------------------
    Result<qint64> registerOwner(const OwnerRecord &owner); // returns the new id
    Result<void> heartbeat(qint64 ownerId, qint64 now);
    Result<void> releaseOwner(qint64 ownerId, qint64 now); // clean shutdown: alive = 0
    Result<QList<OwnerRecord>> aliveOwners();
    Result<std::optional<OwnerRecord>> owner(qint64 ownerId);
    // Atomically claims a dead owner: succeeds (true) only if it is still alive and its
    // heartbeat is still `seenHeartbeat` — so of two processes racing, exactly one wins.
    Result<bool> claimOwner(qint64 deadOwnerId, qint64 seenHeartbeat, qint64 byOwnerId, qint64 now);
    // Attempts still `running` that belong to runs of `ownerId`.
    Result<QList<AttemptRecord>> runningAttemptsOfOwner(qint64 ownerId);
    // Marks everything the dead owner left active as interrupted: running attempts ->
    // interrupted (error "interrupted"), waiting/queued/running/retry_wait tasks ->
    // interrupted (a try that ended leaves no task unfinished, so no later try waits on one),
    // active tries and runs -> interrupted (ended = now); appends events whose detail is
    // `reason` (default: "owner N (HOST pid P) died") and retires the owner row. Returns the
    // run ids.
    Result<QList<qint64>> interruptOwner(
        qint64 deadOwnerId, qint64 now, const QString &reason = {});
    // The same for this process's own runs after it stopped (a fatal store or environment
    // error), fenced: does nothing but return OwnershipLost when `ownerId` is no longer alive.
    Result<QList<qint64>> endOwner(qint64 ownerId, qint64 now, const QString &reason);

    // The ownership fence (DESIGN §6): inside the caller's write transaction, checks that
    // `ownerId` is still an alive owner. Takeover is the only way runs change owner and it
    // claims the owner row first (claimOwner), so while this holds in a transaction no other
    // process owns this owner's runs until it commits. Error kind OwnershipLost otherwise.
    Result<void> checkOwner(qint64 ownerId);

    // --- definitions ------------------------------------------------------------------------
    // Stores a flow definition snapshot under its hash (idempotent).
    Result<void> storeDefinition(
        const QString &hash, const QString &flowId, const QByteArray &definition);
    Result<QByteArray> definition(const QString &hash);

    // --- runs and tries ---------------------------------------------------------------------
    struct NewRun
    {
        QString flowId;
        QString key;
        QByteArray paramsJson;
        QString sourcePath;
        QString workdir;
        qint64 ownerId = 0;
        qint64 created = 0;
    };
    Result<qint64> createRun(const NewRun &run); // state queued, try 0
    Result<std::optional<RunRecord>> runByKey(const QString &key);
    Result<std::optional<RunRecord>> run(qint64 runId);
    Result<QList<RunRecord>> runs(const RunFilter &filter); // newest first
    // Adds try `t.tryNo` (must be the run's latest + 1) and makes it the run's current try;
    // the run takes its trigger, owner, start and state.
    Result<void> startTry(const TryRecord &t);
    Result<QList<TryRecord>> tries(qint64 runId);
    // Sets the state of the run and of its current try; a final state also sets ended.
    // With a fence, only while the run's current try is `fence.tryNo` and it is owned by
    // `fence.ownerId`; otherwise nothing changes and the error's kind is OwnershipLost.
    struct Fence
    {
        qint64 ownerId = 0;
        int tryNo = 0;
    };
    Result<void> setRunState(
        qint64 runId, RunState state, qint64 now, std::optional<Fence> fence = std::nullopt);
    Result<void> setRunOwner(qint64 runId, qint64 ownerId);

    // --- tasks ------------------------------------------------------------------------------
    // Insert or update the state row of a task (dueAt only meaningful for retry_wait).
    Result<void> setTaskState(qint64 runId, const QString &task, TaskState state, int tryNo,
        qint64 now, qint64 dueAt = 0);
    // Also appends a `mark` event (detail = who): marking is an operator action, recorded
    // whether or not an engine executes it.
    Result<void> markTask(
        qint64 runId, const QString &task, TaskState state, const QString &who, qint64 now);
    // A run's tasks in insertion order, without those that a later try's plan removed.
    Result<QList<TaskRecord>> tasks(qint64 runId);
    // What a summary of a large run lists: tasks() that are neither succeeded, skipped nor
    // upstream_failed, or that took more than one attempt; at most `limit` (0 = all).
    Result<QList<TaskRecord>> notableTasks(qint64 runId, int limit = 0);
    // How many of a run's tasks (as in tasks()) are in each state.
    Result<QMap<TaskState, int>> taskStateCounts(qint64 runId);
    // Tasks of the run's recorded state that try `tryNo`'s plan no longer has (rerun
    // --current-definition): they leave tasks() and the run's state; their attempts and events
    // stay in the history. A later try that has the task again brings it back.
    Result<void> removeTasks(qint64 runId, int tryNo, const QStringList &tasks, qint64 now);

    // --- attempts ---------------------------------------------------------------------------
    Result<void> insertAttempt(const AttemptRecord &a); // state running normally
    Result<void> setAttemptProcess(
        qint64 runId, const QString &task, int attempt, qint64 pgid, qint64 procStart);
    Result<void> finishAttempt(qint64 runId, const QString &task, int attempt, AttemptState state,
        qint64 ended, std::optional<int> exitCode, const QString &error,
        const std::optional<QList<qint64>> &rows = std::nullopt);
    // With a task: by attempt number; without: every task's, by start time.
    Result<QList<AttemptRecord>> attempts(qint64 runId, const QString &task = {});
    Result<int> lastAttemptNumber(qint64 runId, const QString &task);

    // --- events -----------------------------------------------------------------------------
    Result<void> appendEvent(const EventRecord &e);
    // Many events (and task states below) in few statements: the engine's batch path. Each
    // statement binds one JSON array of rows that SQLite unpacks with json_each, because
    // QSqlQuery's per-value binding costs more than SQLite's own work on large batches.
    Result<void> appendEvents(const QList<EventRecord> &events);
    struct TaskStateWrite
    {
        qint64 runId = 0;
        QString task;
        TaskState state = TaskState::Waiting;
        int tryNo = 0;
        qint64 time = 0;
        qint64 dueAt = 0;
    };
    Result<void> setTaskStates(const QList<TaskStateWrite> &states);
    // insertAttempt() for many (the engine always sets ownerId).
    Result<void> insertAttempts(const QList<AttemptRecord> &attempts);
    Result<QList<EventRecord>> events(qint64 runId);

    // --- requests ---------------------------------------------------------------------------
    Result<qint64> addRequest(const RequestRecord &r);
    Result<QList<RequestRecord>> pendingRequests(qint64 ownerId); // for runs owned by ownerId
    Result<void> completeRequest(qint64 requestId, const QString &result, qint64 now);
    Result<std::optional<RequestRecord>> request(qint64 requestId);

    // --- scheduling (schema version 2) -------------------------------------------------------
    // The latest fire time (ms UTC) the scheduler has handled for a flow; nullopt = never.
    Result<std::optional<qint64>> scheduleLastFire(const QString &flowId);
    Result<void> setScheduleLastFire(const QString &flowId, qint64 fireTime, qint64 now);
    // The one scheduler lock of this store, held by an owner (DESIGN §6). Atomically takes it
    // for `ownerId` unless another owner holds it that is alive with a heartbeat no older than
    // `staleMs` (so a crashed holder never keeps it). Returns the holder afterwards: `ownerId`
    // when taken (or already held), else the live holder's id.
    Result<qint64> acquireSchedulerLock(qint64 ownerId, qint64 now, qint64 staleMs);
    Result<void> releaseSchedulerLock(qint64 ownerId); // only if `ownerId` holds it
    Result<qint64> schedulerLockHolder();              // 0 = nobody (alive or not)
    // Runs of `flowId` that are queued or running.
    Result<int> activeRunCount(const QString &flowId);
    // Runs of `flowId` that are running with an alive owner: the ones holding its
    // max_active_runs slots, whichever process runs them (oldest first).
    Result<QList<RunRecord>> runningRuns(const QString &flowId);

private:
    HistoryStore();
    Result<QList<qint64>> interruptRuns(
        qint64 ownerId, qint64 now, const QString &why, bool fenced);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace pw

Q_DECLARE_TYPEINFO(pw::HistoryStore::TaskStateWrite, Q_RELOCATABLE_TYPE);
