#pragma once

#include <QString>

#include <optional>

namespace pw {

// Task states (DESIGN §5). waiting -> queued -> running -> succeeded | failed | retry_wait
// (-> queued when due) | cancelled; upstream_failed and skipped never run; interrupted =
// its runner died while it ran.
enum class TaskState {
    Waiting,
    Queued,
    Running,
    Succeeded,
    Failed,
    RetryWait,
    UpstreamFailed,
    Skipped,
    Cancelled,
    Interrupted,
};

enum class AttemptState { Running, Succeeded, Failed, Cancelled, Interrupted };

enum class RunState { Queued, Running, Succeeded, Failed, Cancelled, Interrupted };

// What started a try of a run.
enum class TryTrigger { Manual, Schedule, Backfill, Recover, Rerun, Force };

QString toString(TaskState s);
QString toString(AttemptState s);
QString toString(RunState s);
QString toString(TryTrigger t);
std::optional<TaskState> taskStateFromString(const QString &s);
std::optional<AttemptState> attemptStateFromString(const QString &s);
std::optional<RunState> runStateFromString(const QString &s);
std::optional<TryTrigger> tryTriggerFromString(const QString &s);

// A task in this state will not change any more within the current try.
bool isFinal(TaskState s);
// A final state that counts as "done well" for the all_success trigger (succeeded, skipped).
bool isSuccessLike(TaskState s);
// A final state that counts as failed for triggers and the run result
// (failed, upstream_failed, cancelled, interrupted).
bool isFailureLike(TaskState s);
bool isFinal(RunState s);

} // namespace pw
