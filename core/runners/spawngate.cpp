#include "spawngate.h"

#include <chrono>

namespace pw {

void SpawnGate::decide(Decision d)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_decision != Decision::Pending)
            return;
        m_decision = d;
    }
    m_cond.notify_all();
}

SpawnGate::Decision SpawnGate::wait(const std::atomic<bool> &cancel, int pollMs)
{
    std::unique_lock lock(m_mutex);
    while (m_decision == Decision::Pending) {
        if (cancel.load())
            return Decision::Refused;
        m_cond.wait_for(lock, std::chrono::milliseconds(pollMs));
    }
    return m_decision;
}

} // namespace pw
