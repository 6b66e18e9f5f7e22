#include "states.h"

#include "enumnames.h"

namespace pw {

namespace {

constexpr std::array kTaskStates{"waiting", "queued", "running", "succeeded", "failed",
    "retry_wait", "upstream_failed", "skipped", "cancelled", "interrupted"};
constexpr std::array kAttemptStates{"running", "succeeded", "failed", "cancelled", "interrupted"};
constexpr std::array kRunStates{
    "queued", "running", "succeeded", "failed", "cancelled", "interrupted"};
constexpr std::array kTriggers{"manual", "schedule", "backfill", "recover", "rerun", "force"};

} // namespace

QString toString(TaskState s)
{
    return QString::fromLatin1(kTaskStates[size_t(s)]);
}
QString toString(AttemptState s)
{
    return QString::fromLatin1(kAttemptStates[size_t(s)]);
}
QString toString(RunState s)
{
    return QString::fromLatin1(kRunStates[size_t(s)]);
}
QString toString(TryTrigger t)
{
    return QString::fromLatin1(kTriggers[size_t(t)]);
}

std::optional<TaskState> taskStateFromString(const QString &s)
{
    return detail::lookupName<TaskState>(kTaskStates, s);
}
std::optional<AttemptState> attemptStateFromString(const QString &s)
{
    return detail::lookupName<AttemptState>(kAttemptStates, s);
}
std::optional<RunState> runStateFromString(const QString &s)
{
    return detail::lookupName<RunState>(kRunStates, s);
}
std::optional<TryTrigger> tryTriggerFromString(const QString &s)
{
    return detail::lookupName<TryTrigger>(kTriggers, s);
}

bool isFinal(TaskState s)
{
    switch (s) {
    case TaskState::Succeeded:
    case TaskState::Failed:
    case TaskState::UpstreamFailed:
    case TaskState::Skipped:
    case TaskState::Cancelled:
    case TaskState::Interrupted:
        return true;
    default:
        return false;
    }
}

bool isSuccessLike(TaskState s)
{
    return s == TaskState::Succeeded || s == TaskState::Skipped;
}

bool isFailureLike(TaskState s)
{
    return s == TaskState::Failed || s == TaskState::UpstreamFailed || s == TaskState::Cancelled
        || s == TaskState::Interrupted;
}

bool isFinal(RunState s)
{
    return s != RunState::Queued && s != RunState::Running;
}

} // namespace pw
