#include "activerun.h"

#include "tryplanner.h"

namespace pw {

ActiveRun::ActiveRun(qint64 runId, const TryDecision &decision,
    const QHash<QString, TaskRecord> &recorded, const Home &home, qint64 killGraceMs)
    : id(runId),
      tryNo(decision.tryNo),
      plan(decision.plan),
      graph(plan.flow),
      specs(home, plan, runId, decision.tryNo, killGraceMs)
{
    const Flow &flow = plan.flow;
    tasks.resize(size_t(flow.tasks.size()));
    for (int i = 0; i < flow.tasks.size(); ++i) {
        Task &t = tasks[size_t(i)];
        t.spec = &flow.tasks[i];
        t.policy = flow.retryPolicy(*t.spec);
        t.selected = decision.selected.contains(t.spec->id);
        const auto rec = recorded.constFind(t.spec->id);
        t.lastAttempt = rec != recorded.cend() ? rec->attempts : 0;
        t.state = !t.selected && rec != recorded.cend() ? rec->state : TaskState::Waiting;
    }
}

ActiveRun::Readiness ActiveRun::readiness(int task) const
{
    bool allFinal = true;
    bool anyFailed = false;
    bool allSuccess = true;
    for (int u : graph.upstream(task)) {
        const TaskState s = tasks[size_t(u)].state;
        allFinal = allFinal && isFinal(s);
        anyFailed = anyFailed || isFailureLike(s);
        allSuccess = allSuccess && isSuccessLike(s);
    }
    switch (tasks[size_t(task)].spec->trigger) {
    case TriggerRule::AllSuccess:
        if (anyFailed)
            return Readiness::UpstreamFailed;
        return allFinal && allSuccess ? Readiness::Ready : Readiness::Wait;
    case TriggerRule::AllDone:
        return allFinal ? Readiness::Ready : Readiness::Wait;
    case TriggerRule::OneFailed:
        if (anyFailed)
            return Readiness::Ready;
        return allFinal ? Readiness::Skipped : Readiness::Wait;
    }
    return Readiness::Wait;
}

RunState ActiveRun::result() const
{
    if (cancelRequested)
        return RunState::Cancelled;
    for (const Task &t : tasks) {
        if (!isSuccessLike(t.state))
            return RunState::Failed;
    }
    return RunState::Succeeded;
}

} // namespace pw
