#pragma once

#include "engine/engineevent.h"
#include "engine/home.h"
#include "engine/runrequest.h"
#include "model/result.h"
#include "model/states.h"

#include <QObject>
#include <QSet>

#include <memory>

namespace pw {

class Engine;
class EngineHost;
class HistoryReader;
struct RunPlan;
struct RunRequest;

// The GUI's side of the engine: owns the GUI process' EngineHost (its one Engine, and the
// Notifier that fires the flows' notify/sla hooks for the runs started here, as the CLI's do),
// and the HistoryReader the monitor views read through. Every action returns at
// once; its outcome comes back as a signal on the GUI thread (QFuture continuations, never a
// wait). Started at GUI start-up, so the engine heartbeats and takes over dead owners (runs
// whose owner died turn `interrupted` while the GUI is open).
//
// Main (GUI) thread only.
class RunController : public QObject
{
    Q_OBJECT
public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override; // shuts the engine down (cancels this process' active runs)

    // Resolves the home (--home DIR, else $PIPEWRIGHT_HOME, else the default) and starts the
    // engine. The engine's own start is short (open store, register owner, take over).
    Result<void> start(const QString &homeDir = {}, int maxParallel = 0);
    void shutdown();
    bool isRunning() const;
    // The home cannot be written (a backup, a read-only mount, another user's home; see
    // Home::readOnlyReason): start() then starts no engine (registering an owner and taking
    // over dead owners are writes) and only the reader reads; actions fail with readOnlyMessage().
    bool isReadOnly() const { return !m_readOnlyReason.isEmpty(); }
    QString readOnlyReason() const
    {
        return m_readOnlyReason;
    } // "/mnt/pw is on a read-only file system"
    // "History at PATH is read-only: runs can be viewed but not started" (translated).
    QString readOnlyMessage() const;
    QString home() const { return m_location.home; }
    QString historyPath() const { return m_location.historyPath; }
    QString logsDir() const;

    Engine *engine() const;
    EngineHost *host() const { return m_host.get(); }
    // Exists from construction (reads get no store until start()).
    HistoryReader *reader() const { return m_reader; }

    // Submits a run or a rerun; runSubmitted(runId) or actionFailed(message) follows.
    // `tag` is echoed back (callers use it to tell their submissions apart).
    void submit(const RunRequest &request, const QString &tag = {});
    void run(const RunPlan &plan, bool force = false);
    void rerun(qint64 runId, RerunMode mode, const QString &task = {},
        bool currentDefinition = false, const RunPlan *currentPlan = nullptr);
    void cancel(qint64 runId, const QString &task = {});
    void mark(qint64 runId, const QString &task, TaskState state);

    // Runs submitted from this GUI (their end is announced with guiRunFinished).
    bool startedHere(qint64 runId) const { return m_ours.contains(runId); }
    // Runs submitted from this GUI that have not ended yet (closing the GUI cancels them).
    int activeRunsStartedHere() const { return int(m_active.size()); }

Q_SIGNALS:
    void runSubmitted(qint64 runId, const QString &tag);
    void actionDone(const QString &message);
    void actionFailed(const QString &message);
    void events(const pw::EngineEvents &batch);
    void runFinished(qint64 runId, pw::RunState state);
    // A run submitted from this GUI ended (for the tray notification).
    void guiRunFinished(qint64 runId, pw::RunState state);
    void fatalError(const QString &message);
    // The notifier could not start: the flows' hooks do not fire for runs started here.
    void notificationsOff(const QString &why);

private:
    std::unique_ptr<EngineHost> m_host;
    HistoryReader *m_reader; // exists from construction; reads the home's store once started
    StoreLocation m_location;
    QString m_readOnlyReason; // empty = writable
    QSet<qint64> m_ours;
    QSet<qint64> m_active;
    QSet<qint64> m_endedUnclaimed; // ended before their submission's answer arrived
};

} // namespace pw
