#pragma once

#include "activerun.h"
#include "engine.h"
#include "home.h"
#include "retryscheduler.h"
#include "taskqueue.h"
#include "writebatch.h"

#include "history/historystore.h"
#include "runners/runner.h"

#include <QHash>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>
#include <unordered_set>
#include <vector>

namespace pw {

class ActiveRunSlots;
class OwnerRegistry;
class OwnerRequests;
class OwnerTakeover;
class TaskRunners;
struct TryDecision;

// The engine's state machine. Lives on the engine thread and is only called there (Engine
// marshals every call). Owns the active runs, the TaskQueue, the RetryScheduler, the runners
// and the writing HistoryStore connection. Its named parts: TryPlanner (which tasks a try runs),
// ActiveRun (a run's runtime state, with its RunGraph and AttemptSpecBuilder), TaskRunners
// (which runner runs a task, and whether it takes a slot), WriteBatch
// (buffered rows and what waits for their commit), ActiveRunSlots (max_active_runs across
// processes), OwnerTakeover (dead owners, ended without blocking) and OwnerRequests (commands
// to and from other processes).
//
// Write discipline (DESIGN §8): every change is buffered and written in one transaction per
// flush (every few ms); what follows from a change (starting a process, telling observers) is
// done only after the transaction that records it has committed.
class EngineCore : public QObject
{
    Q_OBJECT
public:
    explicit EngineCore(EngineConfig config);
    ~EngineCore() override;

    // Opens the store, registers this process as an owner and starts taking over dead owners
    // (without waiting for their process groups to end). Returns the owner id.
    Result<qint64> init();
    // Cancels the active runs and waits for their attempts, finishes takeovers in progress,
    // releases the owner. Blocks.
    void shutdown();

    // Takes over dead owners, then runs `command` once every takeover in progress is done
    // (their groups ended, their runs recorded interrupted), so that a command reading runs
    // sees them interrupted. Never blocks: `command` may run later, from a timer.
    void afterTakeovers(std::function<void()> command);

    // The commands. Engine calls them through afterTakeovers().
    Result<qint64> submit(const RunRequest &request);
    // A run owned by another live process gets a request row; its id goes to *requestId.
    Result<void> cancel(qint64 runId, const QString &task, qint64 *requestId = nullptr);
    Result<void> mark(qint64 runId, const QString &task, TaskState state, const QString &who,
        qint64 *requestId = nullptr);
    // Calls `done` once the owner has answered request `requestId` (its refusal as an error),
    // or with an Environment error after EngineConfig::requestAnswerMs without an answer.
    void awaitRequest(qint64 requestId, std::function<void(const Result<void> &)> done);
    int activeRunCount() const { return int(m_runs.size()); }
    // Commits what is buffered now and runs its consequences; false if the store failed.
    bool flushNow();

Q_SIGNALS:
    void events(const pw::EngineEvents &batch);
    void runFinished(qint64 runId, pw::RunState state);
    void fatalError(const QString &message);

private:
    // buffered writes
    void ensureTransaction();
    void scheduleFlush();
    void flush();
    // Up to `rounds` rounds of commit, consequences and dispatch; more work: scheduleFlush().
    void flushRounds(int rounds);
    bool writePending();
    void setTaskState(
        ActiveRun &run, int task, TaskState state, qint64 dueAt = 0, const QString &detail = {});
    void recordEvent(const EventRecord &e);
    // Stops for good: the store failed, the machine cannot run attempts, or this process lost
    // ownership of its runs. Refuses held children, cancels running attempts, emits fatalError.
    void failStore(const Error &error);
    void finishFatal();

    // run lifecycle
    Result<qint64> submitLocked(const RunRequest &request); // inside the batch transaction
    Result<qint64> startTry(
        qint64 runId, const TryDecision &decision, const QHash<QString, TaskRecord> &recorded);
    Result<void> recordTry(ActiveRun &run, const TryDecision &decision, const QString &waitReason);
    void beginRun(ActiveRun &run);
    void evaluate(ActiveRun &run, int task);
    void makeReady(ActiveRun &run, int task);
    void finishTask(ActiveRun &run, int task, TaskState state, const QString &detail = {});
    void checkRunDone(ActiveRun &run);
    void setRunState(ActiveRun &run, RunState state, const QString &detail = {});
    void startPendingRuns(const QString &flowId);
    void startPendingRunsOfAllFlows();

    // execution
    void dispatch();
    void startAttempt(const TaskQueue::Item &item);
    void onAttemptStarted(qint64 runId, int task, int attempt, qint64 pgid, qint64 procStart,
        std::shared_ptr<SpawnGate> gate);
    void onAttemptFinished(qint64 runId, int task, int attempt, const AttemptOutcome &outcome);
    void onRetryDue();
    void applyLimits(const RunPlan &plan);

    // other processes
    Result<void> executeRequest(const RequestRecord &request);
    void checkDeadOwners();
    Result<void> markStored(
        const RunRecord &run, const QString &task, TaskState state, const QString &who);

    qint64 now() const;

    EngineConfig m_config;
    Home m_home;
    HomeConfig m_homeConfig;
    std::unique_ptr<HistoryStore> m_store;
    OwnerRegistry *m_owners = nullptr;
    OwnerTakeover *m_takeover = nullptr;
    OwnerRequests *m_requests = nullptr;
    qint64 m_ownerId = 0;
    QString m_host;
    QThreadPool m_pool;
    std::unique_ptr<TaskRunners> m_runners;
    TaskQueue m_queue;
    RetryScheduler *m_retries = nullptr;
    QTimer m_requestTimer;
    QTimer m_takeoverTimer;
    QTimer m_pendingTimer;

    std::map<qint64, std::unique_ptr<ActiveRun>> m_runs;
    std::unique_ptr<ActiveRunSlots> m_slots; // runs waiting for a max_active_runs slot

    WriteBatch m_batch;
    bool m_inTransaction = false;
    bool m_flushScheduled = false;
    bool m_fatal = false;
    bool m_ownershipLost = false;
    bool m_fatalFinished = false;
    QString m_fatalMessage;
    std::unordered_set<std::shared_ptr<SpawnGate>> m_gates; // held children awaiting their commit
    bool m_shuttingDown = false;
    std::vector<std::pair<qint64, int>> m_propagate;
    bool m_propagating = false;
    bool m_dispatching = false;
};

} // namespace pw
