#pragma once

#include "engine.h"
#include "home.h"
#include "retryscheduler.h"
#include "taskqueue.h"

#include "history/historystore.h"
#include "runners/runner.h"

#include <QHash>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <functional>
#include <memory>
#include <unordered_set>
#include <vector>

namespace pw {

class InlineRunner;
class OwnerRegistry;
class ShellRunner;

// The engine's state machine. Lives on the engine thread and is only called there (Engine
// marshals every call). Owns the active runs, the TaskQueue, the RetryScheduler, the runners
// and the writing HistoryStore connection.
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

    Result<qint64> init(); // returns the owner id
    void shutdown();

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
    struct TaskRt
    {
        const TaskSpec *spec = nullptr;
        TaskState state = TaskState::Waiting;
        QList<int> up;
        QList<int> down;
        int downstreamCount = 0;
        bool selected = false;
        bool running = false;
        bool cancelRequested = false;
        int attemptInTry = 0;
        int lastAttempt = 0;
        RetryPolicy policy;
        std::optional<qint64> timeoutMs;
        TaskQueue::Item item;
        Runner *runner = nullptr;
    };
    struct RunRt
    {
        qint64 id = 0;
        int tryNo = 0;
        RunPlan plan;
        std::vector<TaskRt> tasks;
        QHash<QString, int> index;
        QHash<QString, QString> values; // template values: params + flow + run_id
        int unfinished = 0;
        bool started = false;
        bool cancelRequested = false;
        RunState state = RunState::Queued;
    };

    // buffered writes
    void ensureTransaction();
    void scheduleFlush();
    void flush();
    bool writePending();
    void setTaskState(RunRt &run, int task, TaskState state, qint64 dueAt = 0, const QString &detail = {});
    void recordEvent(const EventRecord &e);
    // Stops for good: the store failed, the machine cannot run attempts, or this process lost
    // ownership of its runs. Refuses held children, cancels running attempts, emits fatalError.
    void failStore(const Error &error);
    void finishFatal();

    // run lifecycle
    Result<qint64> submitLocked(const RunRequest &request); // inside the batch transaction
    Result<RunPlan> storedPlan(const RunRecord &run);
    Result<void> refuseIfActive(const RunRecord &run);
    Result<qint64> startTry(qint64 runId, int tryNo, TryTrigger trigger, const RunPlan &plan,
                            const QSet<QString> &selected, const QString &note);
    void beginRun(RunRt &run);
    void evaluate(RunRt &run, int task);
    void makeReady(RunRt &run, int task);
    void finishTask(RunRt &run, int task, TaskState state, const QString &detail = {});
    void checkRunDone(RunRt &run);
    void setRunState(RunRt &run, RunState state, const QString &detail = {});
    void startPendingRuns(const QString &flowId);
    void startPendingRunsOfAllFlows();
    QString slotHoldersText(const QString &flowId, int maxActive, const QList<RunRecord> &holders);

    // execution
    void dispatch();
    void startAttempt(const TaskQueue::Item &item);
    void onAttemptStarted(qint64 runId, int task, int attempt, qint64 pgid, qint64 procStart,
                          std::shared_ptr<SpawnGate> gate);
    void onAttemptFinished(qint64 runId, int task, int attempt, const AttemptOutcome &outcome);
    void onRetryDue();
    Runner *runnerFor(const TaskSpec &spec);
    void applyLimits(const RunPlan &plan);

    // other processes
    void pollRequests();
    void pollAwaited();
    void checkDeadOwners();
    Result<void> markStored(const RunRecord &run, const QString &task, TaskState state, const QString &who);

    qint64 now() const;

    EngineConfig m_config;
    Home m_home;
    HomeConfig m_homeConfig;
    std::unique_ptr<HistoryStore> m_store;
    OwnerRegistry *m_owners = nullptr;
    qint64 m_ownerId = 0;
    QString m_host;
    QThreadPool m_pool;
    ShellRunner *m_shell = nullptr;
    std::unique_ptr<InlineRunner> m_noop;
    std::unique_ptr<InlineRunner> m_unsupported;
    TaskQueue m_queue;
    RetryScheduler *m_retries = nullptr;
    QTimer m_requestTimer;
    QTimer m_takeoverTimer;
    QTimer m_awaitTimer;
    QTimer m_pendingTimer;
    struct Awaited
    {
        qint64 requestId = 0;
        qint64 deadline = 0;
        std::function<void(const Result<void> &)> done;
    };
    std::vector<Awaited> m_awaited; // our requests to other owners, until they answer

    std::map<qint64, std::unique_ptr<RunRt>> m_runs;
    QHash<QString, QList<qint64>> m_pendingRuns; // flow -> runs waiting for max_active_runs

    // pending writes of the current batch
    struct PendingTask
    {
        qint64 runId;
        QString task;
        TaskState state;
        int tryNo;
        qint64 time;
        qint64 dueAt;
    };
    struct PendingAttempt
    {
        AttemptRecord rec;
        bool isNew = false;
        bool processChanged = false;
        bool finished = false;
    };
    std::vector<PendingTask> m_pendingTasks;
    QHash<QPair<qint64, QString>, size_t> m_pendingTaskIndex;
    PendingAttempt &pendingAttempt(qint64 runId, const QString &task, int attempt);
    std::vector<PendingAttempt> m_pendingAttempts;
    QHash<QString, size_t> m_pendingAttemptIndex;
    std::vector<EventRecord> m_pendingEvents;
    std::vector<std::function<void()>> m_afterCommit;
    EngineEvents m_outEvents;
    std::vector<std::pair<qint64, RunState>> m_finishedRuns;
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
