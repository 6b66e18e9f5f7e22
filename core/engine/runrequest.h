#pragma once

#include "model/runplan.h"
#include "model/states.h"

namespace pw {

// Which tasks a rerun executes again (DESIGN §1.3; TryPlanner decides it).
enum class RerunMode {
    Failed, // failed, upstream_failed, cancelled, interrupted (and unfinished) tasks + downstream
    All,    // every task
    From,   // the given task and everything downstream of it
    Task,   // only the given task
};

// What a caller asks the engine to execute (TryPlanner turns it into a try).
//   Run:   the plan's key. A new key creates a run (trigger as given). An existing key that
//          failed / was cancelled / interrupted is recovered as a new try (trigger `recover`)
//          with the run's *stored* plan; a succeeded key is refused unless `force` (a new try
//          with this plan, every task); an active key is refused.
//   Rerun: a new try of run `runId` (trigger `rerun`) with `mode`/`task`; the stored plan,
//          or `plan` (built from the current file with the run's params) when
//          `currentDefinition` is set: new tasks run, removed ones are dropped, and a succeeded
//          task is kept only if its definition hash is unchanged.
struct RunRequest
{
    enum class Kind { Run, Rerun };
    Kind kind = Kind::Run;
    RunPlan plan;
    TryTrigger trigger = TryTrigger::Manual;
    bool force = false;
    qint64 runId = 0;
    RerunMode mode = RerunMode::Failed;
    QString task;
    bool currentDefinition = false;
    // `--confirm TASK`: tasks with `idempotent: false` the caller confirms may run again
    // (DESIGN §1.5; TryPlanner refuses a try that would rerun one without it). A name the plan
    // does not have is an error. The scheduler never sets it.
    QStringList confirmed;
};

} // namespace pw
