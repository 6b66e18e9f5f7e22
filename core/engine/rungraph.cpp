#include "rungraph.h"

#include "model/flow.h"

#include <QSet>

#include <algorithm>

namespace pw {

RunGraph::RunGraph(const Flow &flow)
{
    const size_t n = size_t(flow.tasks.size());
    m_up.resize(n);
    m_down.resize(n);
    m_downstreamCount.assign(n, 0);
    m_index.reserve(qsizetype(n));
    for (size_t i = 0; i < n; ++i)
        m_index.insert(flow.tasks[qsizetype(i)].id, int(i));
    for (size_t i = 0; i < n; ++i) {
        for (const QString &up : flow.tasks[qsizetype(i)].after) {
            const int u = m_index.value(up, -1);
            if (u >= 0) {
                m_up[i].append(u);
                m_down[size_t(u)].append(int(i));
            }
        }
    }
    countDownstream();
}

// Transitive downstream counts, in reverse topological order.
void RunGraph::countDownstream()
{
    const size_t n = m_up.size();
    std::vector<int> order;
    order.reserve(n);
    std::vector<int> indeg(n);
    for (size_t i = 0; i < n; ++i)
        indeg[i] = int(m_up[i].size());
    for (size_t i = 0; i < n; ++i)
        if (indeg[i] == 0)
            order.push_back(int(i));
    for (size_t k = 0; k < order.size(); ++k)
        for (int d : m_down[size_t(order[k])])
            if (--indeg[size_t(d)] == 0)
                order.push_back(d);
    const bool exact = n <= kExactLimit;
    std::vector<QSet<int>> reach(exact ? n : 0);
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const size_t t = size_t(*it);
        if (exact) {
            QSet<int> &r = reach[t];
            for (int d : m_down[t]) {
                r.insert(d);
                r.unite(reach[size_t(d)]);
            }
            m_downstreamCount[t] = int(r.size());
        } else {
            qint64 sum = 0;
            for (int d : m_down[t])
                sum += 1 + m_downstreamCount[size_t(d)];
            m_downstreamCount[t] = int(std::min<qint64>(sum, 1 << 30));
        }
    }
}

} // namespace pw
