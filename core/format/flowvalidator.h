#pragma once

#include "model/flow.h"
#include "model/result.h"

namespace pw {

// Semantic checks on a Flow value (used by the loader and live by the editor): id syntax,
// duplicate task ids, unknown `after` targets, self-dependencies, cycles (reported with their
// path "a -> b -> a"), templates (unterminated `{{`, unknown names/filters, `{{` in SQL),
// params (type, choice values, defaults canonicalizable), pools referenced but limits.pools
// entries that are not positive, retry_on entries, schedule param declared and typed.
// Errors carry the file (Flow::sourcePath), the line/column of the task or param when known,
// and always the key path of the wrong value (Error::field), which the designer marks.
class FlowValidator
{
public:
    static Errors validate(const Flow &flow);
    // The first cycle found as a path of task ids whose first and last element are equal, or
    // an empty list if the graph is acyclic.
    static QStringList findCycle(const Flow &flow);
    // Would adding edge from -> to (to runs after from) create a cycle? (for the editor)
    static bool wouldCreateCycle(const Flow &flow, const QString &from, const QString &to);
};

} // namespace pw
