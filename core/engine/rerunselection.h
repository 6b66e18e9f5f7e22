#pragma once

#include "model/flow.h"
#include "model/states.h"

#include <QHash>
#include <QSet>
#include <QString>

namespace pw {

enum class RerunMode {
    Failed, // failed, upstream_failed, cancelled, interrupted (and unfinished) tasks + downstream
    All,    // every task
    From,   // the given task and everything downstream of it
    Task,   // only the given task
};

// Which tasks a new try of a run executes again (DESIGN §1.3, §5). Pure function of the plan's
// DAG and the task states recorded so far.
class RerunSelection
{
public:
    // `states` = the latest state of each task (tasks missing from it count as waiting).
    static QSet<QString> select(const Flow &flow, const QHash<QString, TaskState> &states,
                                RerunMode mode, const QString &task = {});
    // Every task downstream of `roots` (transitively), roots included.
    static QSet<QString> withDownstream(const Flow &flow, const QSet<QString> &roots);
};

} // namespace pw
