#include "rerunpreview.h"

#include "model/runplan.h"

#include <QCoreApplication>

namespace pw {

RerunPreview RerunPreview::compute(const RunPlan &stored, const RunPlan *current,
                                   const QHash<QString, TaskState> &states, RerunMode mode,
                                   const QString &task, bool currentDefinition)
{
    RerunPreview p;
    p.mode = mode;
    p.task = task;
    p.currentDefinition = currentDefinition && current;
    p.definitionDiffers = current && current->definitionHash != stored.definitionHash;
    const RunPlan &plan = p.currentDefinition ? *current : stored;
    if (p.currentDefinition) {
        // As the engine does it: a task is kept only if it succeeded and is unchanged.
        QSet<QString> changed;
        for (const TaskSpec &t : plan.flow.tasks) {
            const QString oldHash = stored.taskHashes.value(t.id);
            if (oldHash.isEmpty() || oldHash != plan.taskHashes.value(t.id) || !states.contains(t.id))
                changed.insert(t.id);
        }
        QHash<QString, TaskState> effective;
        for (const TaskSpec &t : plan.flow.tasks)
            effective.insert(t.id, changed.contains(t.id) ? TaskState::Waiting : states.value(t.id, TaskState::Waiting));
        p.rerun = RerunSelection::select(plan.flow, effective, mode, task);
        p.rerun.unite(RerunSelection::withDownstream(plan.flow, changed));
    } else {
        p.rerun = RerunSelection::select(plan.flow, states, mode, task);
    }
    for (const TaskSpec &t : plan.flow.tasks)
        if (!p.rerun.contains(t.id))
            p.kept.insert(t.id);
    return p;
}

QString RerunPreview::summary() const
{
    const int n = int(rerun.size());
    const int k = int(kept.size());
    const QString again = n == 1 ? QCoreApplication::translate("pw::RerunPreview", "1 task will run again")
                                 : QCoreApplication::translate("pw::RerunPreview", "%1 tasks will run again").arg(n);
    const QString keep = k == 1 ? QCoreApplication::translate("pw::RerunPreview", "1 is kept")
                                : QCoreApplication::translate("pw::RerunPreview", "%1 are kept").arg(k);
    return again + QStringLiteral(", ") + keep;
}

} // namespace pw
