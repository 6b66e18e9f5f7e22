#pragma once

#include "model/attempterror.h"
#include "model/states.h"
#include "model/taskspec.h"
#include "spawngate.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace pw {

// Identifies one attempt across the engine.
struct AttemptKey
{
    qint64 runId = 0;
    QString task;
    int attempt = 0;
    friend bool operator==(const AttemptKey &, const AttemptKey &) = default;
};

// A declared output of an attempt (`outputs:`, DESIGN §1.5): the task writes `temp` (in the
// same directory, so the rename is atomic); only when the attempt succeeds is it made `path`.
struct AttemptOutput
{
    QString path; // absolute final path
    QString temp; // absolute temporary path: DIR/.NAME.pw-tmp-RUN-ATTEMPT
    friend bool operator==(const AttemptOutput &, const AttemptOutput &) = default;
};

// Everything a runner needs to execute one attempt; built by the engine from the RunPlan
// (templates already rendered).
struct AttemptSpec
{
    AttemptKey key;
    int tryNo = 0;
    TaskSpec task;   // the task's definition
    QString command; // shell: rendered command line for /bin/sh -c
    // Instead of `/bin/sh -c command`: a program of Pipewright's own (the sql runner's
    // pipewright-sqlrun) that honours the spawn gate itself — it runs nothing before it has read
    // the line "go" on its stdin, which is followed by `input` (may hold secrets: it is never
    // logged or recorded).
    QString program;
    QStringList arguments;
    QByteArray input;
    QMap<QString, QString> values; // sql: what its :name parameters bind (params and built-ins)
    QString workdir;               // absolute
    QMap<QString, QString> env;    // added to the runner's environment
    QString logPath;               // absolute; empty = no log
    QList<AttemptOutput> outputs;  // shell: committed by OutputFiles when the attempt succeeds
    QString waitPath;              // wait_file: the absolute path the sensor waits for
    std::optional<qint64> timeoutMs;
    qint64 killGraceMs = 5000; // SIGTERM -> SIGKILL grace
    // Set when the attempt cannot start as defined (a {{secret:NAME}} that cannot be resolved):
    // the engine fails it with this error instead of giving it to a runner.
    std::optional<AttemptError> failure;
};

// How an attempt ended: its state and, unless it succeeded, why (an Environment error means this
// machine cannot run attempts at all; the engine then stops, as for a store failure).
struct AttemptOutcome
{
    AttemptState state = AttemptState::Failed;
    std::optional<int> exitCode;
    AttemptError error;
    qint64 started = 0; // ms since epoch
    qint64 ended = 0;
    std::optional<QList<qint64>> rows; // sql: rows affected per statement, when committed
};

// Callbacks a runner invokes, always on the engine thread.
struct AttemptCallbacks
{
    // The attempt's process group exists (pgid, leader start time) and its child is held at
    // `gate` before running any user code: the engine records the group, commits, then opens
    // the gate (or refuses it: the child is killed unrun). So a crash at any moment leaves no
    // child whose group is not in the history store, and a takeover can always end it.
    std::function<void(qint64 pgid, qint64 procStart, std::shared_ptr<SpawnGate> gate)> started;
    std::function<void(const AttemptOutcome &)> finished;
};

// Executes attempts of one kind of task. Lives on (and is only called from) the engine thread;
// it must never block it: blocking work goes to the engine's worker pool, waiting work
// (sensors) to timers, remote work (Slurm) to batched polls. finished() must be called exactly
// once per start(), possibly synchronously from within start().
class Runner
{
public:
    virtual ~Runner() = default;
    virtual void start(const AttemptSpec &spec, const AttemptCallbacks &callbacks) = 0;
    // Asks a running attempt to stop (SIGTERM, grace, SIGKILL for processes); its finished()
    // later reports state cancelled. Unknown keys are ignored.
    virtual void cancel(const AttemptKey &key) = 0;
    // Number of attempts started and not yet finished.
    virtual int activeCount() const = 0;
    // Inline runners have no side effects outside the engine (noop): the engine may start
    // them before the attempt's `running` state is committed, in the same write batch.
    virtual bool runsInline() const { return false; }
};

} // namespace pw
