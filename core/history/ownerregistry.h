#pragma once

#include "history/records.h"
#include "model/result.h"
#include "platform/processgroup.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace pw {

class HistoryStore;

// This process as an owner of runs in the history store (DESIGN §6), and the store's side of
// taking over dead owners. It stores; it never signals a process.
//
// registerSelf() writes an owner row (host, pid, process start time, boot id) and starts a
// heartbeat every `heartbeatMs`. A takeover has two steps, with the caller ending process
// groups in between (the engine's OwnerTakeover does it, without blocking its thread):
//  1. claimDeadOwners() finds owners whose heartbeat is older than `staleMs`, or that ran on
//     this machine (same host and boot id) and whose process is gone (pid dead or reused:
//     different start time), claims each atomically (of two racing processes exactly one wins)
//     and returns the process groups of its running attempts on this machine that have a
//     recorded leader start time (so a reused pid can be told apart);
//  2. once those groups are gone, interruptClaimed() marks the owner's attempts, tasks, tries
//     and runs interrupted.
//
// Thread rules: lives on the thread that opened `store` (a HistoryStore is single-thread) and
// needs that thread's event loop for the heartbeat timer. Nothing here waits for a process.
class OwnerRegistry : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        qint64 heartbeatMs = 2000;   // heartbeat period
        qint64 staleMs = 10000;      // a heartbeat older than this = a dead owner
        std::function<qint64()> now; // ms since epoch (UTC); empty = the wall clock
    };

    // A dead owner this process claimed: its runs are this process's to interrupt once
    // `groups` (its running attempts' process groups on this machine) are gone.
    struct Claimed
    {
        OwnerRecord owner; // the row as it was before the claim
        ProcessGroups groups;
        // Its running attempts recorded on this machine (the engine removes what they left
        // behind here, e.g. temporary output files, once `groups` are gone).
        QList<AttemptRecord> attempts;
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

    // Step 1 of a takeover (class comment). Owners claimed by someone else are skipped.
    Result<QList<Claimed>> claimDeadOwners();
    // Step 2: marks everything claimed owner `ownerId` left active interrupted
    // (HistoryStore::interruptOwner) and emits runsInterrupted() with the run ids when not
    // empty. Call it only once the groups claimDeadOwners() returned for it are gone.
    Result<QList<qint64>> interruptClaimed(qint64 ownerId);

    void setClock(std::function<qint64()> now);
    void setStaleAfterMs(qint64 ms);
    void setHeartbeatIntervalMs(qint64 ms);

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
    Result<ProcessGroups> groupsToEnd(
        const OwnerRecord &owner, bool sameMachine, QList<AttemptRecord> *here);

    HistoryStore *m_store;
    Options m_options;
    qint64 m_ownerId = 0;
    qint64 m_lastHeartbeat = 0; // last heartbeat that was written
    QString m_host;
    QString m_bootId;
    QTimer m_heartbeatTimer;
};

} // namespace pw
