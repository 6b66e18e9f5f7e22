#include "states.h"

#include "enumnames.h"

#include <array>
#include <iterator>

namespace pw {

namespace {

constexpr std::array kTaskStates{"waiting", "queued", "running", "succeeded", "failed",
    "retry_wait", "upstream_failed", "skipped", "cancelled", "interrupted"};
constexpr std::array kAttemptStates{"running", "succeeded", "failed", "cancelled", "interrupted"};
constexpr std::array kRunStates{
    "queued", "running", "succeeded", "failed", "cancelled", "interrupted"};
constexpr std::array kTriggers{"manual", "schedule", "backfill", "recover", "rerun", "force"};

// The names as QStrings, made once: toString() is called for every state change the engine
// records (several per task), and a copy of a shared string allocates nothing.
template<const auto &names>
const QString &nameOf(size_t i)
{
    static const auto strings = [] {
        std::array<QString, std::size(names)> out;
        for (size_t k = 0; k < out.size(); ++k)
            out[k] = QString::fromLatin1(names[k]);
        return out;
    }();
    return strings[i];
}

} // namespace

QString toString(TaskState s)
{
    return nameOf<kTaskStates>(size_t(s));
}
QString toString(AttemptState s)
{
    return nameOf<kAttemptStates>(size_t(s));
}
QString toString(RunState s)
{
    return nameOf<kRunStates>(size_t(s));
}
QString toString(TryTrigger t)
{
    return nameOf<kTriggers>(size_t(t));
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
