#pragma once

#include "engineevent.h"
#include "home.h"
#include "model/result.h"
#include "runrequest.h"

#include <QFuture>
#include <QMap>
#include <QObject>

#include <memory>

class QThread;

namespace pw {

class EngineCore;
class HistoryStore;

struct EngineConfig
{
    QString home;               // resolved home directory (see Home::resolve)
    QString historyPath;        // default: HOME/history.sqlite (see location())
    int maxParallel = 0;        // 0 = config.yaml's, else the number of cores
    QMap<QString, int> pools;   // win over config.yaml and the flows' declared slots
    qint64 killGraceMs = 5000;  // SIGTERM -> SIGKILL
    qint64 requestPollMs = 500; // how often requests from other processes are read
    // 0 = the home's config.yaml (`heartbeat_interval`, `stale_limit`, `busy_timeout`; defaults
    // 2 s, 10 s, 30 s); a value set here wins. EngineCore::init() stores the resolved values.
    qint64 heartbeatMs = 0;
    qint64 ownerStaleMs = 0;        // a heartbeat older than this = a dead owner
    int busyTimeoutMs = 0;          // SQLite busy timeout of the engine's store connection
    qint64 takeoverCheckMs = 5000;  // periodic dead-owner check
    qint64 requestAnswerMs = 10000; // how long cancel()/mark() wait for another owner's answer
    qint64 flushDelayMs
        = 0;      // extra wait before a flush to group more writes (0 = next event-loop turn)
    QString user; // who marks/cancels; default USER@host

    StoreLocation location() const { return StoreLocation::of(home, historyPath); }
};

// The workflow engine (DESIGN §3). Owns its thread, its worker pool, its history store
// connection and every active run; never blocks. Every public function is thread-safe and
// returns at once; results come back as QFutures and signals (queued to the caller's thread).
class Engine : public QObject
{
    Q_OBJECT
public:
    explicit Engine(EngineConfig config, QObject *parent = nullptr);
    ~Engine() override; // shutdown() if still running

    // Starts the engine thread: opens the store, registers this process as an owner and starts
    // taking over dead owners. Blocks until that is done, which is short: the wait for a dead
    // owner's process groups to end runs on the engine thread's timers, and submit(), cancel()
    // and mark() answer only after it. Errors are environment errors.
    Result<void> start();
    // Cancels active runs, waits for their attempts to end and for takeovers in progress,
    // releases the owner, stops the thread.
    void shutdown();
    bool isRunning() const;
    qint64 ownerId() const;
    const EngineConfig &config() const { return m_config; }
    // The history store this engine writes: config().historyPath, else HOME/history.sqlite.
    // Readers beside the engine (notifier, scheduler, backfill, UI) open their own connection
    // to this path.
    QString historyPath() const;
    // The busy timeout readers beside the engine use for their own connection: config().
    // busyTimeoutMs if set, else the home's config.yaml `busy_timeout` (default 30 s).
    int busyTimeoutMs() const;
    // A connection of the caller's own to this engine's store (or to `path` when given), with
    // that busy timeout: for the readers beside the engine (notifier, scheduler, backfill).
    Result<std::unique_ptr<HistoryStore>> openStore(const QString &path = {}) const;

    // Creates or recovers a run (see RunRequest); the future gives its id once the new try is
    // committed, or why it was refused.
    QFuture<Result<qint64>> submit(const RunRequest &request);
    // Cancels a run (task empty) or one task. A run owned by another live process gets a
    // request row its owner executes; the future then waits for the owner's answer: its
    // refusal is the error, and no answer within requestAnswerMs is an Environment error.
    QFuture<Result<void>> cancel(qint64 runId, const QString &task = {});
    // Marks a task (or the run, task empty) succeeded/failed and records who and when; starts
    // nothing. Runs owned elsewhere: as cancel().
    QFuture<Result<void>> mark(qint64 runId, const QString &task, TaskState state);
    // Number of active runs in this engine.
    QFuture<int> activeRunCount();

Q_SIGNALS:
    void events(const pw::EngineEvents &batch);
    void runFinished(qint64 runId, pw::RunState state);
    // The history store became unusable (locked past the busy timeout, disk full): the engine
    // stopped starting work. Exit code 3 territory.
    void fatalError(const QString &message);

private:
    EngineConfig m_config;
    QThread *m_thread = nullptr;
    EngineCore *m_core = nullptr;
    qint64 m_ownerId = 0;
};

} // namespace pw
