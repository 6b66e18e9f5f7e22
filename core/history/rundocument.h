#pragma once

#include "model/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace pw {

class HistoryStore;
struct RunFilter;
struct RunRecord;

// The JSON documents of `pipewright-cli run|rerun|show|runs --json` (DESIGN §7), built from the
// history store's read API so the CLI and anything else print the same shape:
//   run object: {"id","flow","params","state","trigger","try","created","started","ended"}
//   show:       {"run": <run object>, "tasks": [{"task","state","attempts": [{"attempt","try",
//                "state","started","ended","exit_code","error","log","rows"}]}]}
//   runs:       {"runs": [<run object>, ...]} newest first
// Times are ISO 8601 UTC with milliseconds; absent values (time 0, no exit code, empty error or
// log, no try yet) are null. Stateless; safe on any thread that owns the given store.
class RunDocument
{
public:
    static QJsonObject runObject(const RunRecord &run);
    static Result<QJsonObject> runDocument(HistoryStore &store, qint64 runId);
    static Result<QJsonObject> runsDocument(HistoryStore &store, const RunFilter &filter);

    // "2026-11-24T03:00:00.123Z" for ms since the epoch.
    static QString isoTime(qint64 ms);
    // isoTime(ms), or null when ms is 0 (absent).
    static QJsonValue timeValue(qint64 ms);
};

} // namespace pw
