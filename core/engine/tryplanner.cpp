#include "tryplanner.h"

#include "model/template.h"

#include <algorithm>
#include <utility>

namespace pw {

namespace {

QSet<QString> allTasks(const Flow &flow)
{
    QSet<QString> all;
    all.reserve(flow.tasks.size());
    for (const TaskSpec &t : flow.tasks)
        all.insert(t.id);
    return all;
}

// The selection rules of the rerun modes on one plan and its tasks' states.
QSet<QString> select(
    const Flow &flow, const QHash<QString, TaskState> &states, RerunMode mode, const QString &task)
{
    switch (mode) {
    case RerunMode::All:
        return allTasks(flow);
    case RerunMode::From:
        return TryPlanner::withDownstream(flow, {task});
    case RerunMode::Task:
        return flow.task(task) ? QSet<QString>{task} : QSet<QString>{};
    case RerunMode::Failed:
        break;
    }
    QSet<QString> roots;
    for (const TaskSpec &t : flow.tasks) {
        if (!isSuccessLike(states.value(t.id, TaskState::Waiting)))
            roots.insert(t.id); // failed-like or never finished
    }
    return TryPlanner::withDownstream(flow, roots);
}

QString rerunNote(const RunRequest &req)
{
    QString note;
    switch (req.mode) {
    case RerunMode::Failed:
        note = QStringLiteral("rerun --failed");
        break;
    case RerunMode::All:
        note = QStringLiteral("rerun --all");
        break;
    case RerunMode::From:
        note = QStringLiteral("rerun --from ") + req.task;
        break;
    case RerunMode::Task:
        note = QStringLiteral("rerun --task ") + req.task;
        break;
    }
    if (req.currentDefinition)
        note += QStringLiteral(" --current-definition");
    return note;
}

// Rerun with the current definition: a task counts as not yet run unless it has a state and
// its definition is unchanged; such tasks run, and so does everything downstream of them.
QSet<QString> selectOnCurrent(const RunPlan &plan, const RunPlan &stored,
    const QHash<QString, TaskState> &states, const RunRequest &req)
{
    QSet<QString> changed;
    for (const TaskSpec &t : plan.flow.tasks) {
        const QString oldHash = stored.taskHashes.value(t.id);
        if (oldHash.isEmpty() || oldHash != plan.taskHashes.value(t.id) || !states.contains(t.id))
            changed.insert(t.id);
    }
    QHash<QString, TaskState> effective;
    for (const TaskSpec &t : plan.flow.tasks)
        effective.insert(t.id,
            changed.contains(t.id) ? TaskState::Waiting : states.value(t.id, TaskState::Waiting));
    QSet<QString> sel = select(plan.flow, effective, req.mode, req.task);
    sel.unite(TryPlanner::withDownstream(plan.flow, changed));
    return sel;
}

Result<TryDecision> decideRun(const RunRequest &req, const RunRecord *run,
    const Result<RunPlan> &stored, const QHash<QString, TaskState> &states)
{
    TryDecision d;
    if (!run) {
        d.plan = req.plan;
        d.selected = allTasks(d.plan.flow);
        d.trigger = req.trigger;
        return d;
    }
    if (run->state == RunState::Succeeded) {
        if (!req.force)
            return fail(QStringLiteral("run %1 (%2) already succeeded; use --force to run it again")
                            .arg(run->id)
                            .arg(run->key));
        d.plan = req.plan;
        d.selected = allTasks(d.plan.flow);
        d.trigger = TryTrigger::Force;
        d.note = QStringLiteral("--force");
        return d;
    }
    // failed / cancelled / interrupted: recover with the stored plan.
    PW_TRY(stored);
    d.plan = *stored;
    d.selected = select(d.plan.flow, states, RerunMode::Failed, {});
    d.trigger = TryTrigger::Recover;
    d.note = QStringLiteral("recover");
    if (stored->definitionHash != req.plan.definitionHash)
        d.note += QStringLiteral(
            "; the flow file changed since this run: using the run's stored definition");
    return d;
}

Result<TryDecision> decideRerun(const RunRequest &req, const RunRecord *run,
    const Result<RunPlan> &stored, const QHash<QString, TaskState> &states)
{
    if (!run)
        return fail(QStringLiteral("no run with id %1").arg(req.runId));
    PW_TRY(stored);
    TryDecision d;
    d.plan = req.currentDefinition ? req.plan : *stored;
    if ((req.mode == RerunMode::From || req.mode == RerunMode::Task) && !d.plan.flow.task(req.task))
        return fail(QStringLiteral("run %1 has no task '%2'").arg(run->id).arg(req.task));
    d.selected = req.currentDefinition ? selectOnCurrent(d.plan, *stored, states, req)
                                       : select(d.plan.flow, states, req.mode, req.task);
    d.trigger = TryTrigger::Rerun;
    d.note = rerunNote(req);
    return d;
}

// Has `t` already run in this run (so running it again may repeat its effect)?
bool ranBefore(
    const TaskSpec &t, const QHash<QString, TaskState> &states, const QHash<QString, int> &attempts)
{
    const auto n = attempts.constFind(t.id);
    if (n != attempts.cend())
        return *n > 0;
    switch (states.value(t.id, TaskState::Waiting)) {
    case TaskState::Failed:
    case TaskState::Interrupted:
    case TaskState::Cancelled:
    case TaskState::Succeeded:
        return true;
    default:
        return false;
    }
}

// Retry safety: which selected non-idempotent tasks need a confirmation, which got one.
Result<void> decideConfirmations(TryDecision &d, const RunRequest &req,
    const QHash<QString, TaskState> &states, const QHash<QString, int> &attempts)
{
    for (const QString &c : req.confirmed) {
        if (!d.plan.flow.task(c))
            return fail(
                QStringLiteral("--confirm %1: flow %2 has no task '%1'").arg(c, d.plan.flow.id));
    }
    for (const TaskSpec &t : std::as_const(d.plan.flow.tasks)) {
        if (t.idempotent || !d.selected.contains(t.id) || !ranBefore(t, states, attempts))
            continue;
        QString check = t.check; // its templates rendered with the run's parameters
        if (const auto tpl = Template::parse(t.check)) {
            QHash<QString, QString> values(d.plan.params.cbegin(), d.plan.params.cend());
            values.insert(QStringLiteral("flow"), d.plan.flow.id);
            values.insert(QStringLiteral("task"), t.id);
            check = tpl->render(values, Template::Quoting::None);
        }
        const RerunConfirmation c{t.id, check, states.value(t.id, TaskState::Waiting)};
        (req.confirmed.contains(t.id) ? d.confirmed : d.needsConfirmation).append(c);
    }
    return {};
}

} // namespace

QString TryPlanner::confirmationRefusal(const TryDecision &decision, qint64 runId)
{
    QStringList parts;
    QStringList options;
    for (const RerunConfirmation &c : decision.needsConfirmation) {
        parts << QStringLiteral("'%1' (%2; check: %3)")
                     .arg(c.task, toString(c.state),
                         c.check.isEmpty() ? QStringLiteral("none given") : c.check.simplified());
        options << QStringLiteral("--confirm ") + c.task;
    }
    return QStringLiteral("run %1 would run again %2 that %3 not idempotent: %4; check, then "
                          "confirm with %5")
        .arg(runId)
        .arg(parts.size() == 1 ? QStringLiteral("a task") : QStringLiteral("tasks"))
        .arg(parts.size() == 1 ? QStringLiteral("is") : QStringLiteral("are"))
        .arg(parts.join(QStringLiteral(", ")), options.join(QLatin1Char(' ')));
}

QList<EventRecord> TryPlanner::confirmationEvents(
    const TryDecision &decision, qint64 runId, const QString &who, qint64 time)
{
    QList<EventRecord> out;
    for (const RerunConfirmation &c : decision.confirmed) {
        EventRecord e;
        e.time = time;
        e.runId = runId;
        e.tryNo = decision.tryNo;
        e.task = c.task;
        e.kind = QStringLiteral("confirm");
        e.state = QStringLiteral("confirmed");
        e.detail = QStringLiteral("rerun of a task that is not idempotent (%1) confirmed by %2; "
                                  "check: %3")
                       .arg(toString(c.state), who,
                           c.check.isEmpty() ? QStringLiteral("none given") : c.check);
        out.append(e);
    }
    return out;
}

QSet<QString> TryPlanner::withDownstream(const Flow &flow, const QSet<QString> &roots)
{
    QHash<QString, QStringList> children;
    const QSet<QString> ids = allTasks(flow);
    for (const TaskSpec &t : flow.tasks) {
        for (const QString &up : t.after)
            children[up].append(t.id);
    }
    QSet<QString> out;
    QStringList stack(roots.cbegin(), roots.cend());
    while (!stack.isEmpty()) {
        const QString id = stack.takeLast();
        if (out.contains(id) || !ids.contains(id))
            continue;
        out.insert(id);
        stack.append(children.value(id));
    }
    return out;
}

Result<TryDecision> TryPlanner::decide(const RunRequest &request, const RunRecord *run,
    const Result<RunPlan> &stored, const QHash<QString, TaskState> &states,
    const QHash<QString, int> &attempts)
{
    if (run && !isFinal(run->state))
        return fail(
            QStringLiteral("run %1 is still active (%2)").arg(run->id).arg(toString(run->state)));
    auto decided = request.kind == RunRequest::Kind::Run
        ? decideRun(request, run, stored, states)
        : decideRerun(request, run, stored, states);
    if (!decided)
        return decided;
    TryDecision &d = *decided;
    d.tryNo = run ? run->tryNo + 1 : 1;
    PW_TRY(decideConfirmations(d, request, states, attempts));
    if (d.selected.size() == d.plan.flow.tasks.size() && states.isEmpty())
        return decided; // a new run: nothing left over from earlier tries
    for (const TaskSpec &t : std::as_const(d.plan.flow.tasks)) {
        if (!d.selected.contains(t.id) && !isFinal(states.value(t.id, TaskState::Waiting)))
            d.leftUnfinished << t.id;
    }
    const QSet<QString> ids = allTasks(d.plan.flow);
    for (auto it = states.cbegin(); it != states.cend(); ++it) {
        if (!ids.contains(it.key()))
            d.removed << it.key();
    }
    std::sort(d.removed.begin(), d.removed.end());
    return decided;
}

} // namespace pw
