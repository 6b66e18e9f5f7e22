#pragma once

#include "engine/runrequest.h"
#include "engine/tryplanner.h"

#include <QHash>
#include <QSet>
#include <QString>

namespace pw {

struct RunPlan;

// What a rerun of a run will do (UI.md "Rerun preview"): which tasks run again and which are
// kept — the engine's own decision (TryPlanner::decide on the run's task states; with the
// current definition, changed or new tasks and their downstream run too) — and whether the
// open file's definition differs from the run's. A value; computed on any thread.
struct RerunPreview
{
    QSet<QString> rerun;            // tasks of the plan that will run again
    QSet<QString> kept;             // tasks of the plan that keep their state
    bool definitionDiffers = false; // the open file's definition != the run's
    RerunMode mode = RerunMode::Failed;
    QString task;
    bool currentDefinition = false;
    // Tasks to run again with `idempotent: false` that already ran (DESIGN §1.5): the engine
    // refuses the rerun unless each is confirmed (RunRequest::confirmed); the preview marks
    // them and asks, showing their check text. In the plan's task order.
    QList<RerunConfirmation> needsConfirmation;
    // How the open file's definition differs from the run's (when `current` was given): tasks
    // whose definition changed, tasks only the file has, tasks only the run has. Sorted.
    QStringList changedTasks;
    QStringList addedTasks;
    QStringList removedTasks;

    // `stored`: the run's own plan; `current`: the plan built from the open file with the run's
    // params (nullptr = unknown); `states`: the run's latest task states; `attempts`: each
    // task's attempt count (a task it does not list is judged by its state). With
    // `currentDefinition` the selection is made on `current` (which must then be given).
    static RerunPreview compute(const RunPlan &stored, const RunPlan *current,
        const QHash<QString, TaskState> &states, RerunMode mode, const QString &task = {},
        bool currentDefinition = false, const QHash<QString, int> &attempts = {});

    // The tasks to confirm, by id.
    QStringList confirmationTasks() const;
    // "load must not run twice (failed): no rows for 2026-11-24 in sales" (translated; one line
    // per task).
    QString confirmationText() const;

    // "2 tasks changed: load, report · 1 added: audit" (translated); "flow settings changed"
    // when no task did.
    QString differenceSummary() const;
    // "7 tasks will run again, 12 are kept" (translated).
    QString summary() const;
};

} // namespace pw
