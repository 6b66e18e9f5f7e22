#pragma once

#include "runrequest.h"

#include "history/records.h"
#include "model/result.h"
#include "model/runplan.h"

#include <QHash>

#include <functional>
#include <optional>

namespace pw {

class HistoryStore;

// What a new try starts from, as recorded: the run a request refers to (by key for a Run, by
// id for a Rerun), its stored plan and its tasks. The try planner decides on it.
//
// read() runs inside the engine's write transaction, so what it found still holds when the
// try is committed. A run that is still active is refused: by `refuseHere` when this process
// runs it, naming its owner when another live process does; with no live owner it cannot
// progress and is recorded interrupted first (then read again).
struct RecordedRun
{
    std::optional<RunRecord> run; // nullopt: a Run of a new key
    // The run's stored plan, or why it cannot be read (only an error where it is needed).
    Result<RunPlan> storedPlan = fail(QStringLiteral("no stored plan"));
    QHash<QString, TaskRecord> tasks; // by task id
    QHash<QString, TaskState> states; // the same, state only

    static Result<RecordedRun> read(HistoryStore &store, const RunRequest &request,
        const std::function<Result<void>(const RunRecord &)> &refuseHere);

private:
    static Result<void> refuseIfActive(HistoryStore &store, const RunRecord &run);
    static Result<RunPlan> readStoredPlan(HistoryStore &store, const RunRecord &run);
};

} // namespace pw
