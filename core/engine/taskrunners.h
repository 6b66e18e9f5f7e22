#pragma once

#include "runners/runner.h"
#include "runners/sqlrunner.h"

#include <memory>

class QObject;
class QThreadPool;

namespace pw {

class InlineRunner;
class ShellRunner;
class WaitFileRunner;

// The runners of one engine and which one runs a task (a named part of EngineCore): `shell`
// on the engine's worker pool, `sql` as a pipewright-sqlrun child through the shell runner's
// process machinery, `wait_file` sensors on timers of the engine thread, `noop` inline;
// executors not implemented yet (`executor: slurm`) fail inline with "unsupported: ...".
// Engine thread.
class TaskRunners
{
public:
    // `pool`: the engine's workers; `parent`: the engine-thread object that owns the runners;
    // `connections`: the sql runner's connection names (Connections::resolver).
    TaskRunners(QThreadPool *pool, QObject *parent, SqlRunner::ConnectionResolver connections);
    ~TaskRunners();
    TaskRunners(const TaskRunners &) = delete;
    TaskRunners &operator=(const TaskRunners &) = delete;

    // The most bytes of output an attempt's log keeps (shell and sql; HomeConfig::logLimit).
    void setLogLimit(qint64 bytes);

    Runner *forTask(const TaskSpec &spec) const;
    // Does an attempt of `spec` take a slot (global, flow and pool limits)? A sensor waits on
    // timers and takes none.
    static bool holdsSlot(const TaskSpec &spec);
    // Attempts out with a runner that are not finished yet.
    int activeCount() const;
    // Delivers what the runners posted to the engine thread (results of ended attempts) while
    // the caller blocks its event loop (shutdown).
    void deliverPosted();

private:
    ShellRunner *m_shell;
    WaitFileRunner *m_sensor;
    std::unique_ptr<SqlRunner> m_sql; // runs its children through m_shell
    std::unique_ptr<InlineRunner> m_noop;
    std::unique_ptr<InlineRunner> m_unsupported;
};

} // namespace pw
