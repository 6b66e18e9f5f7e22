#pragma once

#include "model/flow.h"
#include "model/result.h"

#include <QByteArray>
#include <QString>

namespace pw {

// Saves flows. Stable: the same flow gives the same bytes; keys in a fixed order (the order of
// DESIGN §4), tasks in flow order, only settings that are set are written.
class FlowWriter
{
public:
    static QByteArray toYaml(const Flow &flow);
    // Same schema as JSON (indented, keys in the same fixed order as YAML).
    static QByteArray toJson(const Flow &flow);
    // Compact canonical JSON of the run definition: everything but layout, title,
    // description and source path. Used for RunPlan::definition and its hash.
    static QByteArray canonicalDefinition(const Flow &flow);
    // Canonical JSON of one task's definition with its effective retry/timeout settings
    // (for per-task definition hashes).
    static QByteArray canonicalTask(const Flow &flow, const TaskSpec &task);
    // Writes YAML (or JSON when the path ends in .json) atomically (QSaveFile).
    static Result<void> saveFile(const Flow &flow, const QString &path);
};

} // namespace pw
