#pragma once

#include "processgroup.h"

#include <QDeadlineTimer>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QObject;

namespace pw {

// The one rule for ending process groups (DESIGN §3, §6): SIGTERM to every group whose leader
// still has its recorded start time (a reused pid is never hit; a leaderless group, still ours,
// is signalled too), up to `graceMs` for them to go, SIGKILL to the survivors, then up to 2 s
// for the kernel to deliver it. Zombies do not count as alive (ProcessInfo::groupAlive).
//
// It is a step machine, so that the same rule can be driven two ways:
//  - terminateGroups(groups, grace): blocking, for worker threads (the shell runner);
//  - GroupTermination::start(context, done): on single-shot timers of `context`'s thread, never
//    blocking it (the engine ending a dead owner's groups during a takeover).
//
// Thread rules: one GroupTermination is used by one thread at a time. advance() never blocks.
class GroupTermination : public std::enable_shared_from_this<GroupTermination>
{
public:
    static constexpr qint64 kAfterKillMs = 2000; // SIGKILL is delivered asynchronously
    static constexpr qint64 kPollMs = 20;

    static std::shared_ptr<GroupTermination> create(ProcessGroups groups, qint64 graceMs);

    // Does what is due now (the first call sends SIGTERM). Returns how long to wait before
    // the next call, or nullopt once every signalled group is gone or the rule gave up on it.
    std::optional<qint64> advance();
    bool isFinished() const { return m_phase == Phase::Done; }

    // Non-blocking driver: calls advance() on single-shot timers in `context`'s thread and
    // `done` there once finished. Nothing runs after `context` is destroyed. If another driver
    // (finishNow()) finishes it first, `done` is not called.
    void start(QObject *context, std::function<void()> done);
    // Blocking driver: advances until finished. `wait(ms)` waits between steps (default:
    // sleep); a caller that owns the group leader as a QProcess waits on it instead, so the
    // leader is reaped as soon as it exits.
    void finishNow(const std::function<void(qint64)> &wait = {});

private:
    enum class Phase { Start, Grace, AfterKill, Done };
    GroupTermination(ProcessGroups groups, qint64 graceMs);
    bool anyAlive() const;
    void step(QPointer<QObject> context, std::function<void()> done);

    ProcessGroups m_groups;
    ProcessGroups m_signalled; // received SIGTERM: their leader matched, or they were leaderless
    qint64 m_graceMs;
    Phase m_phase = Phase::Start;
    QDeadlineTimer m_deadline;
};

// Ends `groups` by the rule above, blocking until they are gone. Worker threads only: never on
// the engine or GUI thread (use GroupTermination::start there).
void terminateGroups(
    const ProcessGroups &groups, qint64 graceMs, const std::function<void(qint64)> &wait = {});

} // namespace pw
