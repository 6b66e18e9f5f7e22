#include "ownertakeover.h"

#include "history/historystore.h"
#include "history/ownerregistry.h"
#include "platform/grouptermination.h"
#include "runners/outputfiles.h"

#include <QHash>
#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>

namespace pw {

namespace {
Q_LOGGING_CATEGORY(lcTakeover, "pw.core.engine")
constexpr int kRetryWriteMs = 20;
// After this many tries (a busy engine may always have a batch open) the takeover writes inside
// the caller's transaction (a savepoint), which its next commit carries.
constexpr int kMaxWriteRetries = 25;
} // namespace

OwnerTakeover::OwnerTakeover(OwnerRegistry *owners, qint64 killGraceMs, QObject *parent)
    : QObject(parent), m_owners(owners), m_killGraceMs(killGraceMs)
{ }

OwnerTakeover::~OwnerTakeover() = default;

void OwnerTakeover::setReadyToWrite(std::function<bool()> ready)
{
    m_readyToWrite = std::move(ready);
}

Result<void> OwnerTakeover::check()
{
    PW_TRY_ASSIGN(claimed, m_owners->claimDeadOwners());
    for (const OwnerRegistry::Claimed &c : std::as_const(claimed)) {
        const qint64 id = c.owner.id;
        auto termination = GroupTermination::create(c.groups, m_killGraceMs);
        m_pending.push_back({id, termination, c.attempts});
        // Sends SIGTERM now; `done` runs before start() returns when no group is left to end.
        termination->start(this, [this, id] { interrupt(id); });
    }
    return {};
}

void OwnerTakeover::interrupt(qint64 ownerId, bool force, int retries)
{
    auto isOwner = [ownerId](const Pending &p) { return p.ownerId == ownerId; };
    if (std::none_of(m_pending.cbegin(), m_pending.cend(), isOwner))
        return; // already done (settle() came first)
    if (!force && retries < kMaxWriteRetries && m_readyToWrite && !m_readyToWrite()) {
        QTimer::singleShot(kRetryWriteMs, this,
            [this, ownerId, retries] { interrupt(ownerId, false, retries + 1); });
        return;
    }
    const auto pending = std::find_if(m_pending.begin(), m_pending.end(), isOwner);
    const QList<AttemptRecord> attempts = pending->attempts;
    m_pending.erase(std::remove_if(m_pending.begin(), m_pending.end(), isOwner), m_pending.end());
    removeOutputTemps(attempts);
    auto runs = m_owners->interruptClaimed(ownerId);
    if (!runs)
        qCWarning(lcTakeover) << "taking over owner" << ownerId
                              << "failed:" << runs.error().message;
    runSettled();
}

void OwnerTakeover::removeOutputTemps(const QList<AttemptRecord> &attempts)
{
    if (!m_store || attempts.isEmpty())
        return;
    QHash<qint64, QList<EventRecord>> byRun;
    for (const AttemptRecord &a : attempts) {
        if (!byRun.contains(a.runId)) {
            auto events = m_store->events(a.runId);
            if (!events) {
                qCWarning(lcTakeover)
                    << "cannot read the outputs of run" << a.runId << ":" << events.error().message;
                continue;
            }
            byRun.insert(a.runId, *events);
        }
        for (const EventRecord &e : byRun.value(a.runId)) {
            if (e.kind == QLatin1String("outputs") && e.task == a.task && e.attempt == a.attempt)
                OutputFiles::removeTemps(OutputFiles::tempsFromRecord(e.detail));
        }
    }
}

void OwnerTakeover::whenSettled(std::function<void()> action)
{
    if (!isBusy()) {
        action();
        return;
    }
    m_settled.push_back(std::move(action));
}

void OwnerTakeover::runSettled()
{
    while (!isBusy() && !m_settled.empty()) {
        auto actions = std::move(m_settled);
        m_settled.clear();
        for (const auto &a : actions)
            a();
    }
}

void OwnerTakeover::settle()
{
    while (!m_pending.empty()) {
        const Pending p = m_pending.front();
        p.termination->finishNow();
        if (m_readyToWrite)
            (void)m_readyToWrite();
        interrupt(p.ownerId, true);
    }
    runSettled();
}

} // namespace pw
