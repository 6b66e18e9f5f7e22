#pragma once

#include "model/result.h"
#include "model/runplan.h"

#include <QDateTime>
#include <QMap>

namespace pw {

// Builds RunPlans (DESIGN §1.1): flow snapshot + canonical params -> definition JSON and hashes.
class RunPlanner
{
public:
    // RunPlan::taskHashes are what `rerun --current-definition` compares (and the GUI's rerun
    // preview shows); a plan that never meets that comparison may skip them: they cost a
    // canonical JSON text and a SHA-256 per task (a third of a second for 100,000 tasks).
    enum class TaskHashes { Compute, Skip };

    // `given` are -p KEY=VALUE values as typed; every declared param must end up with a value
    // (given or default). An undeclared or ill-typed param is an error naming it.
    static Result<RunPlan> plan(const Flow &flow, const QMap<QString, QString> &given,
        const QDateTime &now = QDateTime::currentDateTime(),
        TaskHashes taskHashes = TaskHashes::Compute);
    // Rebuilds the plan of an existing try from its stored definition and canonical params.
    static Result<RunPlan> fromSnapshot(const QByteArray &definition, const QByteArray &paramsJson,
        const QString &sourcePath, const QString &workdir,
        TaskHashes taskHashes = TaskHashes::Compute);
};

} // namespace pw
