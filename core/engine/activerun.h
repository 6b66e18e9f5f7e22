#pragma once

#include "attemptspecbuilder.h"
#include "rungraph.h"
#include "taskqueue.h"

#include "history/records.h"
#include "model/retrypolicy.h"
#include "model/runplan.h"
#include "model/states.h"

#include <QHash>

#include <vector>

namespace pw {

class Home;
class Runner;
struct TryDecision;

// A run active in this engine: the plan of its current try, the plan's graph, the runtime
// state of every task and the builder of its attempts. The engine (EngineCore) owns it and
// changes it; the rules that only read it are here: a waiting task's trigger rule (DESIGN §4)
// and the run's result.
//
// Engine thread. Never copied or moved (its graph, specs and tasks point into its plan).
struct ActiveRun
{
    struct Task
    {
        const TaskSpec *spec = nullptr;
        TaskState state = TaskState::Waiting;
        bool selected = false; // runs in this try
        bool running = false;  // an attempt is out with `runner`
        bool cancelRequested = false;
        int attemptInTry = 0;
        int lastAttempt = 0; // rises across tries
        RetryPolicy policy;
        TaskQueue::Item item; // its queue slot while an attempt runs
        Runner *runner = nullptr;
    };

    // What a waiting task does now, by its trigger rule and its upstream tasks' states.
    enum class Readiness { Wait, Ready, UpstreamFailed, Skipped };

    // The try `decision` of run `runId`: tasks it selects start waiting; the others keep their
    // `recorded` state. Every task keeps its recorded attempt number.
    ActiveRun(qint64 runId, const TryDecision &decision, const QHash<QString, TaskRecord> &recorded,
        const Home &home, qint64 killGraceMs);
    ActiveRun(const ActiveRun &) = delete;
    ActiveRun &operator=(const ActiveRun &) = delete;

    Readiness readiness(int task) const;
    // The run's state once no selected task is unfinished: cancelled after a cancel of the run,
    // succeeded when every task is succeeded or skipped, failed otherwise.
    RunState result() const;

    qint64 id = 0;
    int tryNo = 0;
    RunPlan plan;
    RunGraph graph;
    AttemptSpecBuilder specs;
    std::vector<Task> tasks;
    int unfinished = 0;   // selected tasks not final yet
    bool started = false; // false while it waits for a max_active_runs slot
    bool cancelRequested = false;
    RunState state = RunState::Queued;
};

} // namespace pw
