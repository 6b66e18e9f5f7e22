#include "recordedrun.h"

#include "format/runplanner.h"
#include "history/historystore.h"

#include <QDateTime>

namespace pw {

Result<RecordedRun> RecordedRun::read(HistoryStore &store, const RunRequest &req,
    const std::function<Result<void>(const RunRecord &)> &refuseHere)
{
    const bool byKey = req.kind == RunRequest::Kind::Run;
    PW_TRY_ASSIGN(existing, byKey ? store.runByKey(req.plan.key()) : store.run(req.runId));
    RecordedRun out;
    if (!existing) {
        if (byKey)
            return out;
        return fail(QStringLiteral("no run with id %1").arg(req.runId));
    }
    const qint64 id = existing->id;
    PW_TRY(refuseHere(*existing));
    PW_TRY(refuseIfActive(store, *existing));
    auto latest = store.run(id);
    if (!latest || !*latest)
        return fail(QStringLiteral("run %1 disappeared").arg(id));
    out.run = **latest;
    out.storedPlan = readStoredPlan(store, *out.run);
    PW_TRY_ASSIGN(tasks, store.tasks(id));
    for (const TaskRecord &t : std::as_const(tasks)) {
        out.tasks.insert(t.task, t);
        out.states.insert(t.task, t.state);
    }
    return out;
}

Result<void> RecordedRun::refuseIfActive(HistoryStore &store, const RunRecord &run)
{
    if (isFinal(run.state))
        return {};
    // Active elsewhere? Dead owners were taken over before this submit (EngineCore::
    // afterTakeovers), which interrupted their runs.
    PW_TRY_ASSIGN(fresh, store.run(run.id));
    if (!fresh || isFinal(fresh->state))
        return {};
    auto owner = store.owner(fresh->ownerId);
    if (owner && *owner && (*owner)->alive)
        return fail(QStringLiteral("run %1 is active in another process: pid %2 on %3 (owner %4); "
                                   "cancel it there or wait for it to end")
                        .arg(run.id)
                        .arg((*owner)->pid)
                        .arg((*owner)->host)
                        .arg((*owner)->id));
    // No live owner recorded: it cannot progress; treat it as interrupted.
    return store.setRunState(run.id, RunState::Interrupted, QDateTime::currentMSecsSinceEpoch());
}

Result<RunPlan> RecordedRun::readStoredPlan(HistoryStore &store, const RunRecord &run)
{
    PW_TRY_ASSIGN(def, store.definition(run.definitionHash));
    auto plan = RunPlanner::fromSnapshot(def, run.paramsJson, run.sourcePath, run.workdir);
    if (!plan)
        return Unexpected(Error(QStringLiteral("stored plan of run %1 cannot be read: %2")
                                    .arg(run.id)
                                    .arg(plan.error().message)));
    return plan;
}

} // namespace pw
