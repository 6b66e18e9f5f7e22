#include "rerunpreview.h"

#include "model/runplan.h"
#include "statepalette.h"

#include <QCoreApplication>

namespace pw {

RerunPreview RerunPreview::compute(const RunPlan &stored, const RunPlan *current,
    const QHash<QString, TaskState> &states, RerunMode mode, const QString &task,
    bool currentDefinition, const QHash<QString, int> &attempts)
{
    RerunPreview p;
    p.mode = mode;
    p.task = task;
    p.currentDefinition = currentDefinition && current;
    p.definitionDiffers = current && current->definitionHash != stored.definitionHash;
    RunRequest req;
    req.kind = RunRequest::Kind::Rerun;
    req.plan = p.currentDefinition ? *current : stored;
    req.mode = mode;
    req.task = task;
    req.currentDefinition = p.currentDefinition;
    RunRecord run; // a rerun's decision does not depend on the record beyond being finished
    run.state = RunState::Failed;
    const auto decision = TryPlanner::decide(req, &run, stored, states, attempts);
    if (decision) {
        p.rerun = decision->selected; // an unknown task: nothing runs again
        p.needsConfirmation = decision->needsConfirmation;
    }
    for (const TaskSpec &t : req.plan.flow.tasks)
        if (!p.rerun.contains(t.id))
            p.kept.insert(t.id);
    return p;
}

QStringList RerunPreview::confirmationTasks() const
{
    QStringList ids;
    for (const RerunConfirmation &c : needsConfirmation)
        ids << c.task;
    return ids;
}

QString RerunPreview::confirmationText() const
{
    QStringList lines;
    for (const RerunConfirmation &c : needsConfirmation) {
        const QString check = c.check.isEmpty()
            ? QCoreApplication::translate("pw::RerunPreview", "no check given")
            : c.check.simplified();
        lines << QCoreApplication::translate("pw::RerunPreview", "%1 must not run twice (%2): %3")
                     .arg(c.task, StatePalette::label(c.state).toLower(), check);
    }
    return lines.join(QLatin1Char('\n'));
}

QString RerunPreview::summary() const
{
    const int n = int(rerun.size());
    const int k = int(kept.size());
    const QString again = n == 1
        ? QCoreApplication::translate("pw::RerunPreview", "1 task will run again")
        : QCoreApplication::translate("pw::RerunPreview", "%1 tasks will run again").arg(n);
    const QString keep = k == 1
        ? QCoreApplication::translate("pw::RerunPreview", "1 is kept")
        : QCoreApplication::translate("pw::RerunPreview", "%1 are kept").arg(k);
    return again + QStringLiteral(", ") + keep;
}

} // namespace pw
