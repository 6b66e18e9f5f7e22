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
    if (p.definitionDiffers) {
        for (auto it = current->taskHashes.cbegin(); it != current->taskHashes.cend(); ++it) {
            const auto was = stored.taskHashes.constFind(it.key());
            if (was == stored.taskHashes.cend())
                p.addedTasks << it.key();
            else if (*was != it.value())
                p.changedTasks << it.key();
        }
        for (auto it = stored.taskHashes.cbegin(); it != stored.taskHashes.cend(); ++it)
            if (!current->taskHashes.contains(it.key()))
                p.removedTasks << it.key();
        p.changedTasks.sort();
        p.addedTasks.sort();
        p.removedTasks.sort();
    }
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

namespace {
QString listed(const QStringList &ids)
{
    constexpr int kShown = 4;
    QString text = ids.mid(0, kShown).join(QStringLiteral(", "));
    if (ids.size() > kShown)
        text += QCoreApplication::translate("pw::RerunPreview", " and %1 more")
                    .arg(ids.size() - kShown);
    return text;
}
} // namespace

QString RerunPreview::differenceSummary() const
{
    QStringList parts;
    auto part = [&](const QStringList &ids, const char *one, const char *many) {
        if (ids.size() == 1)
            parts << QCoreApplication::translate("pw::RerunPreview", one).arg(ids.first());
        else if (!ids.isEmpty())
            parts << QCoreApplication::translate("pw::RerunPreview", many)
                         .arg(ids.size())
                         .arg(listed(ids));
    };
    part(changedTasks, QT_TRANSLATE_NOOP("pw::RerunPreview", "1 task changed: %1"),
        QT_TRANSLATE_NOOP("pw::RerunPreview", "%1 tasks changed: %2"));
    part(addedTasks, QT_TRANSLATE_NOOP("pw::RerunPreview", "1 added: %1"),
        QT_TRANSLATE_NOOP("pw::RerunPreview", "%1 added: %2"));
    part(removedTasks, QT_TRANSLATE_NOOP("pw::RerunPreview", "1 removed: %1"),
        QT_TRANSLATE_NOOP("pw::RerunPreview", "%1 removed: %2"));
    if (parts.isEmpty())
        return QCoreApplication::translate("pw::RerunPreview", "flow settings changed");
    return parts.join(QStringLiteral(" · "));
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
