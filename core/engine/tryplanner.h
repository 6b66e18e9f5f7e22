#pragma once

#include "runrequest.h"

#include "history/records.h"
#include "model/result.h"
#include "model/runplan.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace pw {

// A task with `idempotent: false` that a try would run again (DESIGN §1.5): its id, its
// `check` text (what to verify first; templates rendered with the run's parameters) and its
// recorded state.
struct RerunConfirmation
{
    QString task;
    QString check;
    TaskState state = TaskState::Waiting;
    friend bool operator==(const RerunConfirmation &, const RerunConfirmation &) = default;
};

// What a new try of a run executes.
struct TryDecision
{
    RunPlan plan;           // the plan the try executes
    QSet<QString> selected; // tasks of `plan` that run (again) in this try
    TryTrigger trigger = TryTrigger::Manual;
    QString note; // recorded with the try, e.g. "rerun --from load"
    int tryNo = 1;
    // Tasks of `plan` that are neither selected nor final: an earlier try was interrupted
    // while they waited. They count as interrupted, so nothing in this try waits for them.
    // In the plan's task order.
    QStringList leftUnfinished;
    // Tasks the run has and `plan` does not (rerun --current-definition dropped them): they
    // leave the run's task list. Sorted.
    QStringList removed;
    // Selected tasks with `idempotent: false` that already ran in this run (an attempt, or a
    // failed/interrupted/cancelled/succeeded state) and that the request did not confirm: the
    // try must not start (the engine refuses it with confirmationRefusal(); the GUI's rerun
    // preview asks for them). In the plan's task order.
    QList<RerunConfirmation> needsConfirmation;
    // The same kind of tasks the request confirmed (`--confirm`): the engine records each
    // confirmation (who, when, the check text) as an event of the try.
    QList<RerunConfirmation> confirmed;
};

// The try planner: which plan and which tasks a new try runs (DESIGN §1.1, §1.3, §5 and
// docs/engine.md "Runs, tries, attempts"). A pure function: no store, no engine, any thread.
// The engine starts tries with it and the GUI's rerun preview shows what it will decide.
//
// Rules:
//  - Run of a new key (`run` == nullptr): the request's plan, every task, its trigger.
//  - Run of a succeeded key: refused unless `force`; with it the request's plan (built from
//    the file now), every task, trigger `force`, note "--force".
//  - Run of a failed/cancelled/interrupted key: recovered with the *stored* plan, trigger
//    `recover`; selection as rerun --failed. The note says when the file changed since.
//  - Rerun (trigger `rerun`, note "rerun --MODE [TASK]"): on the stored plan, or with
//    `currentDefinition` on the request's plan (note + " --current-definition"), where a task
//    counts as not yet run unless it has a state and its definition hash is unchanged, and
//    every such task and its downstream run too. Modes: `failed` = every task that is not
//    succeeded or skipped (failed-like or never finished) and its downstream; `all`; `from`
//    = the task and its downstream; `task` = only it. A From/Task task the plan does not have
//    is an error.
//  - A run that is still active is an error: the caller refuses it first (naming the owner)
//    or, when its owner is dead, records it interrupted.
//  - Retry safety (DESIGN §1.5): a selected task with `idempotent: false` that already ran in
//    this run — it has attempts, or (when `attempts` does not know it) it is failed,
//    interrupted, cancelled or succeeded — needs a confirmation: it is listed in
//    `needsConfirmation` unless `request.confirmed` names it (then in `confirmed`). This holds
//    for every path: run (recovering its key), --force, rerun in any mode, backfill. A
//    `request.confirmed` name the plan does not have is an error.
class TryPlanner
{
public:
    // `run`: the run recorded under the request's key (Run) or id (Rerun), nullptr = none.
    // `stored`: the run's stored plan, or why it cannot be read (an error only where the
    // stored plan is needed). `states`: each task's latest state; a missing task counts as
    // waiting.
    // `attempts`: each task's attempt count so far (TaskRecord::attempts); a task it does not
    // list is judged by its state.
    static Result<TryDecision> decide(const RunRequest &request, const RunRecord *run,
        const Result<RunPlan> &stored, const QHash<QString, TaskState> &states,
        const QHash<QString, int> &attempts = {});

    // The one-line refusal of a try whose `needsConfirmation` is not empty (exit 2): names each
    // task, its state and its check text, and the option that confirms it.
    static QString confirmationRefusal(const TryDecision &decision, qint64 runId);
    // The events that record the confirmations of `decision.confirmed` (kind `confirm`, state
    // `confirmed`, detail: what was confirmed, by `who`, and the check text) at `time`.
    static QList<EventRecord> confirmationEvents(
        const TryDecision &decision, qint64 runId, const QString &who, qint64 time);

    // Every task downstream of `roots` (transitively), roots included; ids the flow does not
    // have are ignored.
    static QSet<QString> withDownstream(const Flow &flow, const QSet<QString> &roots);
};

} // namespace pw
