#pragma once

// Value types read from and written to the history store (DESIGN §8). Times are milliseconds
// since the Unix epoch (UTC); 0 = absent.

#include "model/states.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QVariant>

#include <optional>

namespace pw {

struct OwnerRecord
{
    qint64 id = 0;
    QString host;
    qint64 pid = 0;
    qint64 procStart = -1; // ProcessInfo::startTime of the owner process
    QString bootId;
    qint64 started = 0;
    qint64 heartbeat = 0;
    bool alive = true; // false once released or taken over
    qint64 takenOverBy = 0;
};

struct RunRecord
{
    qint64 id = 0;
    QString flowId;
    QString key;           // flow id + canonical params JSON
    QByteArray paramsJson; // canonical params JSON object
    QString sourcePath;
    QString workdir;
    RunState state = RunState::Queued;
    TryTrigger trigger = TryTrigger::Manual; // of the latest try
    int tryNo = 0;                           // latest try
    QString planHash;                        // of the latest try
    QString definitionHash;                  // of the latest try
    qint64 ownerId = 0;
    qint64 created = 0;
    qint64 started = 0; // of the latest try
    qint64 ended = 0;   // of the latest try
    int tasksTotal = 0; // filled by read queries
    int tasksDone = 0;  // tasks in a final state
};

struct TryRecord
{
    qint64 runId = 0;
    int tryNo = 0;
    TryTrigger trigger = TryTrigger::Manual;
    QString planHash;
    QString definitionHash;
    RunState state = RunState::Queued;
    qint64 ownerId = 0;
    QString note; // e.g. "rerun --from load"
    qint64 started = 0;
    qint64 ended = 0;
};

struct TaskRecord
{
    qint64 runId = 0;
    QString task;
    TaskState state = TaskState::Waiting;
    int tryNo = 0;    // try that last changed it
    int attempts = 0; // attempts so far, across tries
    qint64 updated = 0;
    qint64 dueAt = 0; // retry_wait: when the next attempt is due
    QString markedBy; // `mark`: who
    qint64 markedAt = 0;
};

struct AttemptRecord
{
    qint64 runId = 0;
    QString task;
    int attempt = 0; // rises across tries
    int tryNo = 0;
    AttemptState state = AttemptState::Running;
    qint64 started = 0;
    qint64 ended = 0;
    std::optional<int> exitCode;
    QString error;   // "exit:3", "timeout", "signal:9", "spawn: ...", ...
    QString logPath; // absolute; empty = no log (noop)
    QString host;
    qint64 pgid = 0;       // process group of the attempt (0 = none)
    qint64 procStart = -1; // start time of the group leader (ProcessInfo::startTime)
    qint64 ownerId = 0;
    std::optional<QList<qint64>> rows; // sql: rows affected per statement (committed attempts)

    // `rows` as stored: a JSON array ("[3,0]"), or null.
    static QVariant rowsValue(const std::optional<QList<qint64>> &rows);
    static std::optional<QList<qint64>> rowsFrom(const QVariant &value);
};

// One row of the append-only event log.
struct EventRecord
{
    qint64 id = 0;
    qint64 time = 0;
    qint64 runId = 0;
    int tryNo = 0;
    QString task; // empty for run-level events
    int attempt = 0;
    QString kind;   // "run", "try", "task", "attempt", "mark", "request", "owner"
    QString state;  // the new state's name
    QString detail; // free text (error, who, reason)
};

// A command on a run owned by another live process (DESIGN §6): the owner polls and executes it.
struct RequestRecord
{
    qint64 id = 0;
    qint64 runId = 0;
    QString task;        // empty = whole run
    QString kind;        // "cancel", "mark"
    QString arg;         // for mark: the state name
    QString requestedBy; // user@host
    qint64 created = 0;
    qint64 handled = 0; // 0 = pending
    QString result;
};

struct RunFilter
{
    QString flowId;
    std::optional<RunState> state;
    QString text; // substring of flow id or params
    int limit = 100;
    int offset = 0;
};

} // namespace pw

// Moved by memcpy when a list of them grows (the engine buffers one per state change).
Q_DECLARE_TYPEINFO(pw::EventRecord, Q_RELOCATABLE_TYPE);
