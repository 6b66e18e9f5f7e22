#pragma once

#include "flow.h"

#include <QByteArray>
#include <QMap>
#include <QString>

namespace pw {

// What a try executes: a flow snapshot plus resolved, canonical parameter values.
// Immutable once built (format/RunPlanner builds it). Same flow + same params = same key;
// same definition + same params = same hash.
struct RunPlan
{
    Flow flow;                     // the snapshot (parsed from `definition`)
    QMap<QString, QString> params; // canonical values of every declared param
    QByteArray definition;         // canonical JSON of the flow (no layout, no source path)
    QString definitionHash;        // SHA-256 hex of `definition`
    QString hash;       // SHA-256 hex of the canonical plan JSON {definition hash, params}
    QString sourcePath; // flow file the plan came from (absolute), may be empty
    QString workdir;    // base working directory: the flow file's directory
    QMap<QString, QString> taskHashes; // per-task definition hash (for --current-definition)

    // Run key: "FLOW_ID" + canonical JSON of params (sorted keys), e.g. daily{"date":"2026-11-24"}.
    QString key() const;
    // Canonical JSON object text of the params (sorted keys, compact).
    QByteArray paramsJson() const;
};

} // namespace pw
