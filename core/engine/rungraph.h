#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include <vector>

namespace pw {

struct Flow;

// The DAG of one run's plan as indices (task i = flow.tasks[i]): each task's upstream and
// downstream tasks and its number of transitive downstream tasks, the queue's priority
// tie-breaker (DESIGN §4). Built once per try; immutable after. Any thread.
class RunGraph
{
public:
    RunGraph() = default;
    explicit RunGraph(const Flow &flow);

    int size() const { return int(m_up.size()); }
    // -1 when the plan has no such task.
    int indexOf(const QString &task) const { return m_index.value(task, -1); }
    const QList<int> &upstream(int task) const { return m_up[size_t(task)]; }
    const QList<int> &downstream(int task) const { return m_down[size_t(task)]; }
    // Exact up to kExactLimit tasks; above it an upper bound (the sum over the children),
    // which keeps building linear and still ranks hubs first.
    int downstreamCount(int task) const { return m_downstreamCount[size_t(task)]; }

    static constexpr size_t kExactLimit = 2000;

private:
    void countDownstream();

    QHash<QString, int> m_index;
    std::vector<QList<int>> m_up;
    std::vector<QList<int>> m_down;
    std::vector<int> m_downstreamCount;
};

} // namespace pw
