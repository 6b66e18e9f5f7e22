#include "grouptermination.h"

#include "processinfo.h"

#include <QLoggingCategory>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <csignal>

namespace pw {

namespace {
Q_LOGGING_CATEGORY(lcPlatform, "pw.core.platform")
constexpr qint64 kAfterKillPollMs = 10;
} // namespace

std::shared_ptr<GroupTermination> GroupTermination::create(ProcessGroups groups, qint64 graceMs)
{
    return std::shared_ptr<GroupTermination>(new GroupTermination(std::move(groups), graceMs));
}

GroupTermination::GroupTermination(ProcessGroups groups, qint64 graceMs)
    : m_groups(std::move(groups)), m_graceMs(std::max<qint64>(0, graceMs))
{ }

bool GroupTermination::anyAlive() const
{
    return std::any_of(m_signalled.cbegin(), m_signalled.cend(),
        [](const ProcessGroup &g) { return ProcessInfo::groupAlive(pid_t(g.pgid)); });
}

std::optional<qint64> GroupTermination::advance()
{
    switch (m_phase) {
    case Phase::Start:
        for (const ProcessGroup &g : std::as_const(m_groups)) {
            if (ProcessInfo::signalGroup(pid_t(g.pgid), g.leaderStart, SIGTERM))
                m_signalled.append(g);
            else
                qCInfo(lcPlatform)
                    << "process group" << g.pgid
                    << "not signalled: gone, or its pid now belongs to another process";
        }
        m_phase = Phase::Grace;
        m_deadline = QDeadlineTimer(m_graceMs);
        break;
    case Phase::Grace:
    case Phase::AfterKill:
    case Phase::Done:
        break;
    }
    if (m_phase == Phase::Done)
        return std::nullopt;
    if (!anyAlive()) {
        m_phase = Phase::Done;
        return std::nullopt;
    }
    if (m_phase == Phase::Grace && m_deadline.hasExpired()) {
        bool killed = false;
        for (const ProcessGroup &g : std::as_const(m_signalled)) {
            if (!ProcessInfo::groupAlive(pid_t(g.pgid)))
                continue;
            qCWarning(lcPlatform) << "process group" << g.pgid
                                  << "survived SIGTERM; sending SIGKILL";
            killed = ProcessInfo::signalGroup(pid_t(g.pgid), g.leaderStart, SIGKILL) || killed;
        }
        if (!killed) {
            m_phase = Phase::Done;
            return std::nullopt;
        }
        m_phase = Phase::AfterKill;
        m_deadline = QDeadlineTimer(kAfterKillMs);
        return kAfterKillPollMs;
    }
    if (m_phase == Phase::AfterKill) {
        if (m_deadline.hasExpired()) {
            m_phase = Phase::Done;
            return std::nullopt;
        }
        return kAfterKillPollMs;
    }
    return std::clamp<qint64>(m_deadline.remainingTime(), 1, kPollMs);
}

void GroupTermination::start(QObject *context, std::function<void()> done)
{
    step(QPointer<QObject>(context), std::move(done));
}

void GroupTermination::step(QPointer<QObject> context, std::function<void()> done)
{
    if (!context || isFinished())
        return; // finished by another driver, or nobody is left to tell
    const std::optional<qint64> next = advance();
    if (!next) {
        if (done)
            done();
        return;
    }
    QObject *ctx = context.data();
    QTimer::singleShot(
        int(*next), ctx, [self = shared_from_this(), context, done = std::move(done)] {
            self->step(context, done);
        });
}

void GroupTermination::finishNow(const std::function<void(qint64)> &wait)
{
    while (const std::optional<qint64> next = advance()) {
        if (wait)
            wait(*next);
        else
            QThread::msleep(std::max<qint64>(1, *next));
    }
}

void terminateGroups(
    const ProcessGroups &groups, qint64 graceMs, const std::function<void(qint64)> &wait)
{
    GroupTermination::create(groups, graceMs)->finishNow(wait);
}

} // namespace pw
