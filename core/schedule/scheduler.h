#pragma once

#include "model/flow.h"
#include "model/result.h"

#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace pw {

class Engine;
class HistoryStore;

// Creates runs of scheduled flows (DESIGN §4 `schedule:`, issue 5) and submits them to an
// Engine with trigger `schedule`.
//
// Per flow, the due fire times are those in (last handled, now]:
//   - the last handled fire time is kept in the history store (schedule_state), so a restart
//     neither duplicates nor skips; a fire time is recorded as handled right after its run was
//     created (or found to exist already: a key that has a run is never submitted again);
//   - with no state yet: from `start` (local midnight in the schedule's zone) when given, else
//     from the moment the scheduler first sees the flow (nothing from the past is run);
//   - `catchup: true` runs every due time, oldest first; `false` only the latest one (earlier
//     ones are recorded as handled without a run);
//   - `limits.max_active_runs`: no more runs are created while that many of the flow are
//     queued or running; the remaining due times wait for a later tick, oldest first.
// `schedule.param` receives the fire time's local wall time + `offset` (a date param: the local
// date; a datetime param: that local time as UTC). Flow files are re-read when they change
// (mtime/size), and directories are rescanned on every tick for *.flow.yaml / *.flow.json.
// With `trustHome`, a flow is scheduled only while its current definition is trusted there: an
// untrusted change pauses it with a flowError until someone trusts the content (issue 12).
//
// Only one scheduler per history store: start() takes the store's scheduler lock for the
// engine's owner id; a crashed holder's lock is free once its owner heartbeat is stale (or the
// owner was taken over). The lock is checked on every tick; losing it stops scheduling.
//
// Thread rules: lives on one thread and opens its own HistoryStore connection there in start().
// tick() blocks that thread briefly (store reads; waiting for the engine to commit a submitted
// run), so the GUI runs a Scheduler on a worker thread, never on the GUI thread.
class Scheduler : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QStringList paths;                // flow files and directories
        QString historyPath;              // the engine's store (default: the engine's)
        qint64 tickMs = 1000;             // real-time polling period; 0 = only manual tick()
        qint64 lockStaleMs = 10000;       // a lock holder heartbeat older than this = dead
        int maxRunsPerTick = 1000;        // per flow, a bound for huge catch-ups
        std::function<QDateTime()> clock; // injectable; empty = the wall clock
        // The home whose trust store must hold a flow's current definition for it to be
        // scheduled (engine/truststore.h); empty = no trust check (tests, backfill).
        QString trustHome;
    };

    // What the scheduler knows about one flow file (for a GUI's "next run" column).
    struct FlowStatus
    {
        QString path;
        QString flowId;
        QString error;          // load or schedule error, else empty
        bool scheduled = false; // has a valid schedule
        QDateTime nextFire;     // UTC; invalid when none
        QDateTime lastFire;     // UTC; the last handled fire time
    };

    Scheduler(Engine *engine, Options options, QObject *parent = nullptr);
    ~Scheduler() override;

    // Opens the store, takes the lock and starts the timer (an immediate first tick follows).
    // Fails when another live scheduler holds the lock (naming its owner) or the store fails.
    Result<void> start();
    // Stops the timer and releases the lock. Idempotent.
    void stop();
    bool isRunning() const { return m_running; }

    // One evaluation at clock(): reloads changed flows, checks the lock, creates due runs.
    // Returns the number of runs submitted. Tests drive this with an injected clock.
    Result<int> tick();

    QList<FlowStatus> status() const;
    QDateTime now() const;
    // The flow files `paths` name: files as given, directories' *.flow.yaml / *.flow.json.
    static QStringList flowFiles(const QStringList &paths);

Q_SIGNALS:
    void runSubmitted(const QString &flowId, const QDateTime &fireTime, qint64 runId);
    void flowError(const QString &path, const QString &message);
    // An untrusted change paused flow `flowId` (`message` as flowError's). `trustedDefinition`
    // is the canonical JSON trusted before (empty when the file was never trusted): its notify
    // settings, not the untrusted file's, may tell someone (Notifier::notifyPaused). Also
    // recorded in the history as an event of no run: kind "schedule", state "paused".
    void flowPaused(const QString &path, const QString &flowId, const QString &message,
        const QByteArray &trustedDefinition);
    // The paused flow's content is trusted again; its schedule goes on (event state "resumed").
    void flowResumed(const QString &path, const QString &flowId);
    // The lock was taken by another scheduler (this one's owner was declared dead): stopped.
    void lockLost(const QString &message);

private:
    struct Entry
    {
        QString path;
        QDateTime mtime;
        qint64 size = -1;
        std::optional<Flow> flow;
        QString error;
        bool untrusted = false; // paused: its definition is not trusted (error says so)
        QDateTime nextFire;
        QDateTime lastFire;
    };

    void rescan();
    void checkTrust(Entry &e);
    void recordScheduleEvent(const QString &state, const QString &detail);
    Result<int> tickFlow(Entry &entry, const QDateTime &now);

    Engine *m_engine;
    Options m_options;
    std::unique_ptr<HistoryStore> m_store;
    QMap<QString, Entry> m_entries; // by absolute path
    QTimer m_timer;
    bool m_running = false;
};

} // namespace pw
