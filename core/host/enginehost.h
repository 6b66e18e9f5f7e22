#pragma once

#include "engine/engine.h"
#include "engine/home.h"
#include "model/result.h"
#include "schedule/scheduler.h"

#include <QObject>

#include <memory>

namespace pw {

class Notifier;

// The composition root of a process that runs flows (DESIGN §2): the CLI's run commands,
// `pipewright-cli schedule`/`backfill` and the GUI each make one. It is the only place that
// turns --home/--db into a store location, and it wires the Engine together with the Notifier
// that follows its runs (the flows' `notify:`/`sla:` hooks fire for every run of the engine,
// wherever it was started) and, on request, a Scheduler.
//
// Thread rules: lives on the thread that made it (the GUI thread or the CLI's main thread),
// which needs an event loop. The engine has its own thread; the notifier lives here (its
// deliveries are asynchronous and never block). A scheduler made by startScheduler() lives
// here too: the GUI moves its own to a worker thread (ui/monitor/SchedulerRunner).
class EngineHost : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString home;              // --home; empty = $PIPEWRIGHT_HOME, else the XDG data dir
        QString db;                // --db URL (sqlite:///ABS/PATH); empty = HOME/history.sqlite
        int maxParallel = 0;       // 0 = config.yaml's, else the number of cores
        bool notifications = true; // start a Notifier with the engine
        EngineConfig engine;       // further engine settings (home/historyPath are ignored)
    };

    explicit EngineHost(Options options, QObject *parent = nullptr);
    ~EngineHost() override; // shutdown()

    // Where history lives, or why the options name no valid store (a usage error, e.g. an
    // unsupported --db URL). Needs no engine.
    static Result<StoreLocation> locate(const Options &options);

    // Resolves the location, starts the engine (registers this process as an owner, takes over
    // dead owners) and the notifier. Engine errors are environment errors; a notifier that
    // cannot start only turns notifications off (notificationsOff()).
    Result<void> start();
    // Stops the scheduler, lets notifications in flight finish (at most `notifyGraceMs`), then
    // stops the engine (which cancels its active runs). Idempotent.
    void shutdown(int notifyGraceMs = 5000);

    // Valid once start() resolved it (also when the engine then failed to start).
    const StoreLocation &location() const { return m_location; }
    Engine *engine() const { return m_engine.get(); }
    Notifier *notifier() const { return m_notifier.get(); }
    bool isRunning() const { return m_engine && m_engine->isRunning(); }

    // A scheduler of `paths` on this engine, started (it takes the store's scheduler lock).
    Result<Scheduler *> startScheduler(Scheduler::Options options);
    Scheduler *scheduler() const { return m_scheduler.get(); }

Q_SIGNALS:
    // The engine's history store became unusable; the engine stopped (Engine::fatalError).
    void fatalError(const QString &message);
    // The notifier could not start: the flows' hooks do not fire in this process.
    void notificationsOff(const QString &why);

private:
    Options m_options;
    StoreLocation m_location;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Notifier> m_notifier;
    std::unique_ptr<Scheduler> m_scheduler;
};

} // namespace pw
