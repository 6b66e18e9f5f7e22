#pragma once

#include "runner.h"

#include "model/result.h"
#include "platform/childenvironment.h"

#include <QString>

#include <functional>

namespace pw {

class ShellRunner;

// Runs `sql` attempts (DESIGN §1 rule 5): the statements of the task, in one transaction, on
// its named connection, in a child process `pipewright-sqlrun` (SqlExecution) that the shell
// runner's machinery starts and ends — its own process group, recorded before it runs anything
// (the spawn gate), timeout and cancel by SIGTERM, grace, SIGKILL, a takeover's kill — so
// ending an attempt drops its connection and the database rolls the transaction back.
//
// start() resolves the connection (`resolve`: the home's connections.yaml or the environment),
// makes a relative sqlite: path absolute against the flow's directory (AttemptSpec::workdir),
// splits the script (SqlScript) and hands the job, password included, to the child on its
// stdin. When the child ends, its outcome file (next to the attempt's log, removed after
// reading) gives the rows per statement (AttemptOutcome::rows) or the database's message,
// which becomes the error's detail ("exit:1: statement 2 (line 4): no such table: x").
// A connection that cannot be resolved fails the attempt ("spawn: connection 'x' ..."); a
// missing pipewright-sqlrun is an Environment error (the installation is broken).
//
// Engine thread only, like the ShellRunner it uses (which must outlive it).
class SqlRunner : public Runner
{
public:
    // The URL of a connection name for a flow in `flowDir`, or why there is none (never with
    // the password).
    using ConnectionResolver
        = std::function<Result<QString>(const QString &name, const QString &flowDir)>;

    // The prefix of the environment variables that define connections; they are passed on to
    // no child (ChildEnvironment).
    static constexpr const char *kConnectionEnvPrefix = ChildEnvironment::kConnectionPrefix;

    SqlRunner(ShellRunner *processes, ConnectionResolver resolve, QString program = {});

    void start(const AttemptSpec &spec, const AttemptCallbacks &callbacks) override;
    void cancel(const AttemptKey &key) override;
    int activeCount() const override { return m_active; }

    // pipewright-sqlrun: $PIPEWRIGHT_SQLRUN, else next to the running executable, else in the
    // build tree (tests). Empty when none exists.
    static QString locateProgram();

private:
    ShellRunner *m_processes;
    ConnectionResolver m_resolve;
    QString m_program;
    int m_active = 0;
};

} // namespace pw
