#pragma once

#include "engine/runrequest.h"

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

    // `stored`: the run's own plan; `current`: the plan built from the open file with the run's
    // params (nullptr = unknown); `states`: the run's latest task states. With
    // `currentDefinition` the selection is made on `current` (which must then be given).
    static RerunPreview compute(const RunPlan &stored, const RunPlan *current,
        const QHash<QString, TaskState> &states, RerunMode mode, const QString &task = {},
        bool currentDefinition = false);

    // "7 tasks will run again, 12 are kept" (translated).
    QString summary() const;
};

} // namespace pw
