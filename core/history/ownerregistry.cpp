#include "ownerregistry.h"

#include "historystore.h"
#include "platform/processinfo.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <unistd.h>

namespace pw {

namespace {
Q_LOGGING_CATEGORY(lcOwners, "pw.core.history")
}

OwnerRegistry::OwnerRegistry(HistoryStore *store, QObject *parent)
    : OwnerRegistry(store, Options(), parent)
{ }

OwnerRegistry::OwnerRegistry(HistoryStore *store, const Options &options, QObject *parent)
    : QObject(parent),
      m_store(store),
      m_options(options),
      m_host(ProcessInfo::hostName()),
      m_bootId(ProcessInfo::bootId())
{
    m_heartbeatTimer.setTimerType(Qt::CoarseTimer);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &OwnerRegistry::onHeartbeatTimer);
}

OwnerRegistry::~OwnerRegistry() = default;

qint64 OwnerRegistry::now() const
{
    return m_options.now ? m_options.now() : QDateTime::currentMSecsSinceEpoch();
}

void OwnerRegistry::setClock(std::function<qint64()> now)
{
    m_options.now = std::move(now);
}
void OwnerRegistry::setStaleAfterMs(qint64 ms)
{
    m_options.staleMs = ms;
}

void OwnerRegistry::setHeartbeatIntervalMs(qint64 ms)
{
    m_options.heartbeatMs = ms;
    if (ms > 0 && isRegistered())
        m_heartbeatTimer.start(int(ms));
    else
        m_heartbeatTimer.stop();
}

Result<qint64> OwnerRegistry::registerSelf()
{
    if (isRegistered())
        return m_ownerId;
    const qint64 t = now();
    OwnerRecord me;
    me.host = m_host;
    me.pid = ::getpid();
    me.procStart = ProcessInfo::startTime(::getpid());
    me.bootId = m_bootId;
    me.started = t;
    me.heartbeat = t;
    auto id = m_store->registerOwner(me);
    if (!id)
        return id;
    m_ownerId = *id;
    m_lastHeartbeat = t;
    qCDebug(lcOwners) << "registered as owner" << m_ownerId;
    if (m_options.heartbeatMs > 0)
        m_heartbeatTimer.start(int(m_options.heartbeatMs));
    return m_ownerId;
}

Result<void> OwnerRegistry::heartbeat()
{
    if (!isRegistered())
        return fail(QStringLiteral("heartbeat before registerSelf()"));
    return m_store->heartbeat(m_ownerId, now());
}

void OwnerRegistry::onHeartbeatTimer()
{
    // Inside the caller's open batch the heartbeat commits with it (a few ms later); skipping
    // it instead could starve heartbeats when batches are back to back.
    const qint64 t = now();
    auto r = heartbeat();
    if (r) {
        m_lastHeartbeat = t;
        return;
    }
    // Distinguish "taken over" from a transient failure (locked, disk full).
    auto row = m_store->owner(m_ownerId);
    if (row && (!row->has_value() || !(*row)->alive)) {
        m_heartbeatTimer.stop();
        qCWarning(lcOwners) << "owner" << m_ownerId << "was taken over:" << r.error().message;
        Q_EMIT ownershipLost(r.error().message);
        return;
    }
    qCWarning(lcOwners) << "heartbeat failed:" << r.error().message;
    Q_EMIT heartbeatFailed(r.error().message);
    // Self-fencing: past two thirds of the stale limit another process may decide this one is
    // dead before the next heartbeat lands; stop before it can race a live child of ours.
    const qint64 silent = now() - m_lastHeartbeat;
    if (silent > m_options.staleMs * 2 / 3) {
        m_heartbeatTimer.stop();
        const QString message
            = QStringLiteral("the heartbeat of owner %1 could not be renewed for %2 ms "
                             "(stale limit %3 ms): %4")
                  .arg(m_ownerId)
                  .arg(silent)
                  .arg(m_options.staleMs)
                  .arg(r.error().message);
        qCWarning(lcOwners) << message;
        Q_EMIT ownershipLost(message);
    }
}

Result<void> OwnerRegistry::release()
{
    m_heartbeatTimer.stop();
    if (!isRegistered())
        return {};
    const qint64 id = m_ownerId;
    m_ownerId = 0;
    return m_store->releaseOwner(id, now());
}

void OwnerRegistry::abandon()
{
    m_heartbeatTimer.stop();
    m_ownerId = 0;
}

Result<QList<OwnerRegistry::Claimed>> OwnerRegistry::claimDeadOwners()
{
    PW_TRY_ASSIGN(owners, m_store->aliveOwners());
    const qint64 t = now();
    QList<Claimed> claimed;
    for (const OwnerRecord &o : std::as_const(owners)) {
        if (o.id == m_ownerId)
            continue;
        const bool sameMachine = o.host == m_host && !m_bootId.isEmpty() && o.bootId == m_bootId;
        const bool stale = t - o.heartbeat > m_options.staleMs;
        bool gone = false;
        if (sameMachine) {
            const auto pid = pid_t(o.pid);
            gone = !ProcessInfo::isAlive(pid)
                || (o.procStart >= 0 && ProcessInfo::startTime(pid) != o.procStart);
        }
        if (!stale && !gone)
            continue;

        PW_TRY_ASSIGN(won, m_store->claimOwner(o.id, o.heartbeat, m_ownerId, t));
        if (!won)
            continue; // someone else took it, or it came back to life
        qCInfo(lcOwners).nospace()
            << "taking over owner " << o.id << " (" << o.host << " pid " << o.pid << ", "
            << (stale ? "stale heartbeat" : "process gone") << ")";
        QList<AttemptRecord> here;
        PW_TRY_ASSIGN(groups, groupsToEnd(o, sameMachine, &here));
        claimed.append({o, groups, here});
    }
    return claimed;
}

// The process groups of `owner`'s running attempts that this process can end safely.
Result<ProcessGroups> OwnerRegistry::groupsToEnd(
    const OwnerRecord &owner, bool sameMachine, QList<AttemptRecord> *here)
{
    PW_TRY_ASSIGN(attempts, m_store->runningAttemptsOfOwner(owner.id));
    ProcessGroups groups;
    for (const AttemptRecord &a : std::as_const(attempts)) {
        if (sameMachine && a.host == m_host)
            here->append(a);
        // Only on this machine, and only with a known start time: start times are
        // comparable within one boot only, and without one a reused pid cannot be told apart.
        if (!sameMachine || a.host != m_host || a.pgid <= 1)
            continue;
        if (a.procStart < 0) {
            qCWarning(lcOwners) << "not ending process group" << a.pgid << "of" << a.task
                                << "attempt" << a.attempt << ": no recorded start time";
            continue;
        }
        groups.append({a.pgid, a.procStart});
    }
    return groups;
}

Result<QList<qint64>> OwnerRegistry::interruptClaimed(qint64 ownerId)
{
    auto runs = m_store->interruptOwner(ownerId, now());
    if (!runs)
        return runs;
    if (!runs->isEmpty())
        Q_EMIT runsInterrupted(*runs);
    return runs;
}

} // namespace pw
