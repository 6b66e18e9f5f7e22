#include "taskspec.h"

#include "enumnames.h"

namespace pw {

namespace {
constexpr std::array kTypes{"shell", "noop", "sql", "wait_file"};
constexpr std::array kExecutors{"local", "slurm"};
constexpr std::array kTriggers{"all_success", "all_done", "one_failed"};

} // namespace

QString toString(TaskType t)
{
    return QString::fromLatin1(kTypes[size_t(t)]);
}
QString toString(Executor e)
{
    return QString::fromLatin1(kExecutors[size_t(e)]);
}
QString toString(TriggerRule t)
{
    return QString::fromLatin1(kTriggers[size_t(t)]);
}
std::optional<TaskType> taskTypeFromString(const QString &s)
{
    return detail::lookupName<TaskType>(kTypes, s);
}
std::optional<Executor> executorFromString(const QString &s)
{
    return detail::lookupName<Executor>(kExecutors, s);
}
std::optional<TriggerRule> triggerRuleFromString(const QString &s)
{
    return detail::lookupName<TriggerRule>(kTriggers, s);
}

} // namespace pw
