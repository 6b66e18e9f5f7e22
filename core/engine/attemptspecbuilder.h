#pragma once

#include "home.h"

#include "runners/runner.h"

#include <QHash>
#include <QString>

namespace pw {

struct RunPlan;

// Builds what a runner needs for one attempt of a run (AttemptSpec; DESIGN §3, §4): for local
// shell tasks the command with its templates rendered and shell-quoted, the working directory
// (`workdir` relative to the plan's, else the plan's), the environment (`env` rendered, plus
// PW_FLOW, PW_RUN_ID, PW_TRY, PW_TASK, PW_ATTEMPT, PW_PARAM_<NAME> and PW_OUTPUT_<N>), the
// declared outputs with their temporary paths ({{output.N}}, OutputFiles) and the log path
// HOME/logs/RUN_ID/TASK/attempt-N.log; for local sql tasks the values their :name parameters
// bind (params, flow, run_id, task, attempt), the partition value rendered, the flow's directory
// (relative sqlite: paths) and the log path; for wait_file sensors the absolute path they wait
// for (relative to the flow file's directory); for every task its timeout and kill grace.
// {{secret:NAME}} in a shell command or env value is resolved from the home's Secrets; one that
// cannot be is AttemptSpec::failure.
//
// One per try, built from its plan; `plan` must outlive it (the engine's run state owns both).
// Engine thread.
class AttemptSpecBuilder
{
public:
    AttemptSpecBuilder(
        const Home &home, const RunPlan &plan, qint64 runId, int tryNo, qint64 killGraceMs);

    AttemptSpec build(const TaskSpec &task, int attempt) const;

private:
    Home m_home;
    const RunPlan *m_plan;
    qint64 m_runId;
    int m_tryNo;
    qint64 m_killGraceMs;
    QHash<QString, QString> m_values; // template values: params + flow + run_id
};

} // namespace pw
