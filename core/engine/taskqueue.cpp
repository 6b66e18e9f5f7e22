#include "taskqueue.h"

#include <iterator>

namespace pw {

bool TaskQueue::Order::operator()(const Item &a, const Item &b) const
{
    if (a.priority != b.priority)
        return a.priority > b.priority;
    if (a.downstream != b.downstream)
        return a.downstream > b.downstream;
    return a.seq < b.seq;
}

void TaskQueue::setFlowLimit(const QString &flow, int limit)
{
    if (limit > 0)
        m_flowLimit.insert(flow, limit);
    else
        m_flowLimit.remove(flow);
}

void TaskQueue::setPoolSlots(const QString &pool, int slots)
{
    m_poolSlots.insert(pool, slots);
}

int TaskQueue::poolSlots(const QString &pool) const
{
    return m_poolSlots.value(pool, defaultPoolSlots());
}

void TaskQueue::push(Item item)
{
    item.seq = m_nextSeq++;
    m_queued.insert({item.runId, item.task}, item);
    m_queue.insert(std::move(item));
}

bool TaskQueue::remove(qint64 runId, int task)
{
    const auto it = m_queued.constFind({runId, task});
    if (it == m_queued.cend())
        return false;
    m_queue.erase(*it);
    m_queued.erase(it);
    return true;
}

std::vector<TaskQueue::Item> TaskQueue::takeRunnable()
{
    std::vector<Item> out;
    if (m_running >= m_globalLimit)
        return out;
    for (auto it = m_queue.begin(); it != m_queue.end() && m_running < m_globalLimit;) {
        const Item &item = *it;
        const auto flowLimit = m_flowLimit.constFind(item.flow);
        if (flowLimit != m_flowLimit.cend() && m_flowRunning.value(item.flow) >= *flowLimit) {
            ++it;
            continue;
        }
        if (!item.pool.isEmpty() && m_poolRunning.value(item.pool) >= poolSlots(item.pool)) {
            ++it;
            continue;
        }
        ++m_running;
        ++m_flowRunning[item.flow];
        if (!item.pool.isEmpty())
            ++m_poolRunning[item.pool];
        m_queued.remove({item.runId, item.task});
        out.push_back(item);
        it = m_queue.erase(it);
    }
    return out;
}

void TaskQueue::release(const Item &item)
{
    --m_running;
    if (--m_flowRunning[item.flow] <= 0)
        m_flowRunning.remove(item.flow);
    if (!item.pool.isEmpty() && --m_poolRunning[item.pool] <= 0)
        m_poolRunning.remove(item.pool);
}

int TaskQueue::position(qint64 runId, int task) const
{
    const auto it = m_queued.constFind({runId, task});
    if (it == m_queued.cend())
        return 0;
    return int(std::distance(m_queue.begin(), m_queue.find(*it))) + 1;
}

} // namespace pw
