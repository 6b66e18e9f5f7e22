#pragma once

#include <QHash>
#include <QString>

#include <set>
#include <vector>

namespace pw {

// Decides which ready tasks may start now (DESIGN §1.6): a global parallelism limit, a limit
// per flow (over all runs of that flow in this engine), and named pools with slots shared by
// every run of the engine, whichever flow it comes from. Order: higher priority first, then more
// transitive downstream tasks, then FIFO (file order within a run, submission order across).
// An item blocked by its flow or pool limit does not block items behind it. An item that
// holds no slot (a sensor) is never blocked and blocks nothing.
//
// A plain value structure: no threads, no timers. The engine owns one on its thread.
class TaskQueue
{
public:
    struct Item
    {
        qint64 runId = 0;
        int task = 0; // index of the task in its run
        QString flow;
        QString pool; // empty = no pool
        int priority = 0;
        int downstream = 0; // number of transitive downstream tasks
        quint64 seq = 0;    // assigned by push()
        // false: a sensor (wait_file) that waits on timers of the engine thread: it starts at
        // once and takes no global, flow or pool capacity (issue 10).
        bool holdsSlot = true;
    };

    void setGlobalLimit(int limit) { m_globalLimit = limit; }
    int globalLimit() const { return m_globalLimit; }
    // 0 or less = no per-flow limit.
    void setFlowLimit(const QString &flow, int limit);
    // Slots of a pool. A pool without slots set has `defaultPoolSlots()` (1): an undeclared
    // pool name is most likely a typo, and the safe reading protects the external system.
    void setPoolSlots(const QString &pool, int slots);
    int poolSlots(const QString &pool) const;
    static int defaultPoolSlots() { return 1; }

    void push(Item item);
    // Removes a waiting item; false if it is not queued.
    bool remove(qint64 runId, int task);
    // Takes every queued item that may start now, in order, and counts it as running (items
    // that hold no slot first, whatever the limits).
    std::vector<Item> takeRunnable();
    // A running item finished: frees its global, flow and pool capacity (if it held any).
    void release(const Item &item);

    int queuedCount() const { return int(m_queue.size() + m_slotless.size()); }
    int runningCount() const { return m_running; }
    int runningInPool(const QString &pool) const { return m_poolRunning.value(pool); }
    int runningInFlow(const QString &flow) const { return m_flowRunning.value(flow); }
    // 1-based position of a queued item in start order, 0 if not queued. O(n).
    int position(qint64 runId, int task) const;

private:
    struct Order
    {
        bool operator()(const Item &a, const Item &b) const;
    };
    std::set<Item, Order> m_queue;
    std::vector<Item> m_slotless;             // queued items that hold no slot, in push order
    QHash<QPair<qint64, int>, Item> m_queued; // queued items by (run, task), to find them
    QHash<QString, int> m_flowLimit;
    QHash<QString, int> m_poolSlots;
    QHash<QString, int> m_flowRunning;
    QHash<QString, int> m_poolRunning;
    int m_globalLimit = 1;
    int m_running = 0;
    quint64 m_nextSeq = 0;
};

} // namespace pw
