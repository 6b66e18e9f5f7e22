#pragma once

#include "model/flow.h"
#include "model/result.h"

#include <QByteArray>
#include <QString>

namespace pw {

// Loads *.flow.yaml and *.flow.json (the same schema). A name ending in .json (any case) is
// strict JSON: JsonChecker refuses what RFC 8259 does not allow, then the YAML parser (libyaml,
// yaml-cpp where libyaml refuses) builds the nodes as for YAML, so that every error has a line
// and column. Knows the whole v1 schema of DESIGN §4:
// unknown keys are errors with a "did you mean" hint; values are type-checked; then FlowValidator
// runs the semantic checks (ids, duplicates, unknown `after` targets, cycles with their path,
// templates, params). All errors found are returned, each with file:line:col and, where one key is
// at fault, its key path (Error::field: {"tasks", "load", "retries"}).
class FlowLoader
{
public:
    // A flow for an editor: the file parsed and matched the schema (YAML syntax, known keys,
    // value types), so it can be shown and fixed; `problems` are its semantic errors (cycles,
    // unknown `after` targets, bad templates, ...), which make it invalid to run.
    struct Editable
    {
        Flow flow;
        Errors problems;
    };
    static Result<Flow, Errors> loadFile(const QString &path);
    // `fileName` is used in error messages and as Flow::sourcePath (may be empty).
    static Result<Flow, Errors> loadData(const QByteArray &data, const QString &fileName = {});
    // As loadFile/loadData, but only structural errors fail; semantic ones are returned with
    // the flow (see Editable).
    static Result<Editable, Errors> loadFileForEditing(const QString &path);
    static Result<Editable, Errors> loadDataForEditing(
        const QByteArray &data, const QString &fileName = {});
};

} // namespace pw
