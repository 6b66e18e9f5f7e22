#include "retryscheduler.h"

#include <QDateTime>

#include <algorithm>

namespace pw {

RetryScheduler::RetryScheduler(QObject *parent)
    : QObject(parent), m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &RetryScheduler::due);
}

void RetryScheduler::schedule(Key key, qint64 dueAt)
{
    cancel(key);
    m_byKey.emplace(key, dueAt);
    m_byTime.emplace(dueAt, key);
    rearm();
}

bool RetryScheduler::cancel(Key key)
{
    const auto it = m_byKey.find(key);
    if (it == m_byKey.end())
        return false;
    auto [first, last] = m_byTime.equal_range(it->second);
    for (auto t = first; t != last; ++t) {
        if (t->second == key) {
            m_byTime.erase(t);
            break;
        }
    }
    m_byKey.erase(it);
    rearm();
    return true;
}

std::vector<RetryScheduler::Key> RetryScheduler::takeDue(qint64 now)
{
    std::vector<Key> out;
    while (!m_byTime.empty() && m_byTime.begin()->first <= now) {
        out.push_back(m_byTime.begin()->second);
        m_byKey.erase(m_byTime.begin()->second);
        m_byTime.erase(m_byTime.begin());
    }
    rearm();
    return out;
}

qint64 RetryScheduler::nextDue() const
{
    return m_byTime.empty() ? 0 : m_byTime.begin()->first;
}

void RetryScheduler::rearm()
{
    if (m_byTime.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 wait
        = std::clamp<qint64>(m_byTime.begin()->first - m_clock(), 0, 24 * 3600 * 1000);
    m_timer.start(int(wait));
}

} // namespace pw
