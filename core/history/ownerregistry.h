#pragma once

#include "model/result.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace pw {

class HistoryStore;

// This process as an owner of runs in the history store (DESIGN §6), and the takeover of dead
// owners.
//
// registerSelf() writes an owner row (host, pid, process start time, boot id) and starts a
// heartbeat every `heartbeatMs`. takeOverDeadOwners() finds owners whose heartbeat is older
// than `staleMs`, or that ran on this machine (same host and boot id) and whose process is gone
// (pid dead or reused: different start time); it claims each atomically (of two racing
// processes exactly one wins), kills the process groups of the dead owner's running attempts on
// this machine (SIGTERM, `killGraceMs` grace, SIGKILL; only when the group leader's recorded
// start time still matches, so a reused pid is never hit) and marks its attempts, tasks, tries
// and runs interrupted.
//
// Thread rules: lives on the thread that opened `store` (a HistoryStore is single-thread) and
// needs that thread's event loop for the timers. takeOverDeadOwners() blocks up to
// `killGraceMs` while a dead owner's process groups die, so call it where that is acceptable
// (engine start, or a history/engine thread), never on the GUI thread with live groups.
class OwnerRegistry : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        qint64 heartbeatMs = 2000;     // heartbeat period
        qint64 staleMs = 10000;        // a heartbeat older than this = a dead owner
        qint64 killGraceMs = 5000;     // SIGTERM -> SIGKILL
        qint64 takeoverCheckMs = 0;    // periodic takeOverDeadOwners(); 0 = off
        std::function<qint64()> now;   // ms since epoch (UTC); empty = the wall clock
    };

    explicit OwnerRegistry(HistoryStore *store, QObject *parent = nullptr);
    OwnerRegistry(HistoryStore *store, const Options &options, QObject *parent = nullptr);
    ~OwnerRegistry() override; // does not release: call release() on a clean shutdown

    // Registers this process and starts heartbeating. Returns the owner id.
    Result<qint64> registerSelf();
    qint64 ownerId() const { return m_ownerId; }
    bool isRegistered() const { return m_ownerId > 0; }

    // One heartbeat now (the timer calls this). Fails when the row was taken over: then
    // ownershipLost() is emitted and heartbeating stops.
    Result<void> heartbeat();

    // Clean shutdown: stops the timers and marks the owner row not alive.
    Result<void> release();
    // Stops the timers and forgets the owner id without writing: after ownership was lost
    // (the row is someone else's to change), or to leave this owner's runs to a takeover when
    // the store cannot be written (the heartbeat goes stale, so another process takes over).
    void abandon();

    // See the class comment. Returns the ids of the runs marked interrupted and emits
    // runsInterrupted() with them when not empty. Owners claimed by someone else are skipped.
    Result<QList<qint64>> takeOverDeadOwners();

    void setClock(std::function<qint64()> now);
    void setStaleAfterMs(qint64 ms);
    void setKillGraceMs(qint64 ms);
    void setHeartbeatIntervalMs(qint64 ms);
    // Periodic takeover check; 0 stops it.
    void setTakeoverCheckInterval(qint64 ms);

    qint64 now() const;

Q_SIGNALS:
    void runsInterrupted(const QList<qint64> &runIds);
    // A heartbeat write failed (e.g. the store is locked); heartbeating continues.
    void heartbeatFailed(const QString &message);
    // Another process took this owner over, or (self-fencing) the heartbeat could not be
    // renewed for two thirds of the stale limit, so another process may take over at any
    // moment: this process must end its own children and stop writing its runs.
    void ownershipLost(const QString &message);

private:
    void onHeartbeatTimer();
    void onTakeoverTimer();
    // SIGTERM, wait up to killGraceMs, SIGKILL; only groups whose leader start time matches.
    void killGroups(const QList<QPair<qint64, qint64>> &groups);

    HistoryStore *m_store;
    Options m_options;
    qint64 m_ownerId = 0;
    qint64 m_lastHeartbeat = 0; // last heartbeat that was written
    QString m_host;
    QString m_bootId;
    QTimer m_heartbeatTimer;
    QTimer m_takeoverTimer;
};

} // namespace pw
