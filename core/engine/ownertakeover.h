#pragma once

#include "history/records.h"
#include "model/result.h"

#include <QList>
#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace pw {

class GroupTermination;
class HistoryStore;
class OwnerRegistry;

// Takes over dead owners (DESIGN §6) without ever blocking its thread: history claims them and
// names their process groups on this machine (OwnerRegistry::claimDeadOwners), this ends those
// groups on timers (GroupTermination: SIGTERM, `killGraceMs`, SIGKILL), and only once they are
// gone has history mark the owner's attempts, tasks, tries and runs interrupted
// (OwnerRegistry::interruptClaimed). An owner with no group to end is interrupted at once.
//
// Thread rules: lives on the engine thread (the thread of `owners`), which needs its event
// loop for the timers. Only settle() blocks (shutdown).
class OwnerTakeover : public QObject
{
    Q_OBJECT
public:
    OwnerTakeover(OwnerRegistry *owners, qint64 killGraceMs, QObject *parent = nullptr);
    ~OwnerTakeover() override;

    // Called before a takeover writes; returns false while the caller's own write transaction
    // is still open: the takeover prefers a transaction of its own and tries again a moment
    // later (a while; then it writes inside the caller's). Default: always ready.
    void setReadyToWrite(std::function<bool()> ready);
    // Once a dead owner's groups are gone and before its runs are marked, remove the temporary
    // output files its attempts on this machine recorded (`outputs` events read from `store`,
    // OutputFiles): no partial output outlives a killed process. Off until set.
    void setOutputCleanup(HistoryStore *store) { m_store = store; }

    // Claims the dead owners now and starts ending their groups; returns at once.
    Result<void> check();
    // Claimed owners whose groups are still being ended.
    bool isBusy() const { return !m_pending.empty(); }
    // Runs `action` once no takeover is in progress: at once when none is. A command that
    // reads runs (submit, cancel, mark) waits so, so that it sees the taken-over runs
    // interrupted, as after a blocking takeover.
    void whenSettled(std::function<void()> action);
    // Finishes every takeover in progress now, blocking until their groups are gone
    // (shutdown), then runs what waited for them.
    void settle();

private:
    struct Pending
    {
        qint64 ownerId = 0;
        std::shared_ptr<GroupTermination> termination;
        QList<AttemptRecord> attempts; // on this machine
    };
    void interrupt(qint64 ownerId, bool force = false, int retries = 0);
    void removeOutputTemps(const QList<AttemptRecord> &attempts);
    void runSettled();

    OwnerRegistry *m_owners;
    qint64 m_killGraceMs;
    std::function<bool()> m_readyToWrite;
    HistoryStore *m_store = nullptr;
    std::vector<Pending> m_pending;
    std::vector<std::function<void()>> m_settled;
};

} // namespace pw
