#pragma once

#include "model/result.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace pw {

class HistoryStore;
struct Flow;
struct RunRecord;

// `limits.max_active_runs` across processes (DESIGN §6, docs/engine.md): the runs of a flow
// that run now are counted in the store (running runs with a live owner), read inside the
// engine's write transaction, so two processes never both take the last slot. A run over the
// limit waits here, `queued`, until a slot frees; its own process starts it.
//
// Engine thread; the store is the engine's writing connection.
class ActiveRunSlots
{
public:
    ActiveRunSlots(HistoryStore *store, qint64 ownerId);

    // Empty when a run of `flow` may start now; else why it waits, naming the slots' holders.
    Result<QString> waitReason(const Flow &flow);

    void wait(const QString &flowId, qint64 runId);
    void forget(const QString &flowId, qint64 runId);
    bool isWaiting(const QString &flowId) const { return m_waiting.contains(flowId); }
    QStringList waitingFlows() const { return m_waiting.keys(); }

    // Starts the waiting runs of `flowId` that fit now, first come first served:
    // `maxActiveOf(runId)` is a waiting run's limit (-1: the run is gone), `start(runId)`
    // starts it (the store then counts it for the next one).
    Result<void> startWaiting(const QString &flowId, const std::function<int(qint64)> &maxActiveOf,
        const std::function<void(qint64)> &start);

private:
    QString holdersText(const QString &flowId, int maxActive, const QList<RunRecord> &holders);

    HistoryStore *m_store;
    qint64 m_ownerId;
    QHash<QString, QList<qint64>> m_waiting; // flow -> runs waiting for a slot
};

} // namespace pw
