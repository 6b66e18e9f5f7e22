#include "taskqueue.h"

#include <algorithm>
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
    if (!item.holdsSlot)
        m_slotless.push_back(std::move(item));
    else
        m_queue.insert(std::move(item));
}

bool TaskQueue::remove(qint64 runId, int task)
{
    const auto it = m_queued.constFind({runId, task});
    if (it == m_queued.cend())
        return false;
    if (it->holdsSlot) {
        m_queue.erase(*it);
    } else {
        m_slotless.erase(std::find_if(m_slotless.begin(), m_slotless.end(),
            [&](const Item &i) { return i.runId == runId && i.task == task; }));
    }
    m_queued.erase(it);
    return true;
}

std::vector<TaskQueue::Item> TaskQueue::takeRunnable()
{
    std::vector<Item> out = std::move(m_slotless);
    m_slotless.clear();
    for (const Item &item : out)
        m_queued.remove({item.runId, item.task});
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
    if (!item.holdsSlot)
        return;
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
    if (!it->holdsSlot) // starts with the next dispatch, before anything that holds a slot
        return 1;
    return int(std::distance(m_queue.begin(), m_queue.find(*it))) + 1;
}

} // namespace pw
