#pragma once

#include <QtGlobal>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace pw {

// The handshake that records a child's process group before the child runs user code
// (DESIGN §6: no crash may leave an unrecorded child).
//
// A runner spawns its child held at a gate (forked, in its own process group, not yet exec'd),
// hands the group to the engine with AttemptCallbacks::started() together with this gate, and
// waits. The engine commits the group to the history store and then calls open(); if it cannot
// record it (store failure, ownership lost, cancel) it calls refuse(), and the runner kills the
// held child, which never ran anything.
//
// Thread rules: open() and refuse() are called on the engine thread, wait() on the runner's
// worker thread; the first of open()/refuse() wins, later calls do nothing.
class SpawnGate
{
public:
    enum class Decision { Pending, Open, Refused };

    void open() { decide(Decision::Open); }
    void refuse() { decide(Decision::Refused); }

    // Blocks until decided; returns Refused early when `cancel` becomes true (checked every
    // `pollMs`).
    Decision wait(const std::atomic<bool> &cancel, int pollMs = 20);

private:
    void decide(Decision d);

    std::mutex m_mutex;
    std::condition_variable m_cond;
    Decision m_decision = Decision::Pending;
};

} // namespace pw
