#include "activerunslots.h"

#include "history/historystore.h"
#include "model/flow.h"

namespace pw {

ActiveRunSlots::ActiveRunSlots(HistoryStore *store, qint64 ownerId)
    : m_store(store), m_ownerId(ownerId)
{ }

Result<QString> ActiveRunSlots::waitReason(const Flow &flow)
{
    const int maxActive = flow.limits.maxActiveRuns.value_or(0);
    if (maxActive <= 0)
        return QString();
    PW_TRY_ASSIGN(holders, m_store->runningRuns(flow.id));
    if (holders.size() < maxActive)
        return QString();
    return holdersText(flow.id, maxActive, holders);
}

QString ActiveRunSlots::holdersText(
    const QString &flowId, int maxActive, const QList<RunRecord> &holders)
{
    QStringList who;
    for (const RunRecord &h : holders) {
        QString owner = QStringLiteral("owner %1").arg(h.ownerId);
        if (h.ownerId == m_ownerId) {
            owner = QStringLiteral("this process");
        } else if (auto o = m_store->owner(h.ownerId); o && *o) {
            owner = QStringLiteral("pid %1 on %2").arg((*o)->pid).arg((*o)->host);
        }
        who << QStringLiteral("run %1 (%2)").arg(h.id).arg(owner);
    }
    return QStringLiteral("waiting for a slot of max_active_runs %1 of flow %2, held by %3")
        .arg(maxActive)
        .arg(flowId, who.join(QStringLiteral(", ")));
}

void ActiveRunSlots::wait(const QString &flowId, qint64 runId)
{
    m_waiting[flowId].append(runId);
}

void ActiveRunSlots::forget(const QString &flowId, qint64 runId)
{
    const auto it = m_waiting.find(flowId);
    if (it == m_waiting.end())
        return;
    it->removeAll(runId);
}

Result<void> ActiveRunSlots::startWaiting(const QString &flowId,
    const std::function<int(qint64)> &maxActiveOf, const std::function<void(qint64)> &start)
{
    while (m_waiting.contains(flowId) && !m_waiting[flowId].isEmpty()) {
        const qint64 runId = m_waiting[flowId].first();
        const int maxActive = maxActiveOf(runId);
        if (maxActive > 0) {
            PW_TRY_ASSIGN(holders, m_store->runningRuns(flowId));
            if (holders.size() >= maxActive)
                return {};
        }
        m_waiting[flowId].removeFirst();
        if (maxActive >= 0)
            start(runId);
    }
    m_waiting.remove(flowId);
    return {};
}

} // namespace pw
