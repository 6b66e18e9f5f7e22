#pragma once

#include "model/states.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace pw {

// A change the engine made, sent to observers (UI, CLI) in batches *after* it was committed to
// the history store. A value type: safe to queue across threads.
struct EngineEvent
{
    enum class Kind {
        RunState,       // runState (run or try level), tryNo
        TaskState,      // task, taskState, dueAt (retry_wait), attempt = last attempt number
        AttemptStarted, // task, attempt
        AttemptFinished // task, attempt, attemptState, detail = error
    };
    Kind kind = Kind::TaskState;
    qint64 runId = 0;
    int tryNo = 0;
    QString task;
    int attempt = 0;
    RunState runState = RunState::Queued;
    TaskState taskState = TaskState::Waiting;
    AttemptState attemptState = AttemptState::Running;
    qint64 time = 0;  // ms since epoch
    qint64 dueAt = 0; // retry_wait: when the next attempt is due
    QString detail;   // error text, reason, who marked
};

using EngineEvents = QList<EngineEvent>;

} // namespace pw

// Its members move by memcpy: a growing batch (an event per state change) is not copied.
Q_DECLARE_TYPEINFO(pw::EngineEvent, Q_RELOCATABLE_TYPE);
Q_DECLARE_METATYPE(pw::EngineEvent)
Q_DECLARE_METATYPE(pw::EngineEvents)
