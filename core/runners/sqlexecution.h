#pragma once

#include "connectionurl.h"
#include "sqlscript.h"

#include "model/result.h"
#include "model/taskspec.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

class QTextStream;

namespace pw {

// What one sql attempt does, in the child process `pipewright-sqlrun` (app/sqlrun, a thin main
// around childMain()): the engine's SqlRunner writes a Job as JSON on the child's stdin (never
// its arguments, which `ps` shows: the URL holds the password), the child runs it and writes
// its Outcome as JSON to Job::resultPath. Running it in a child lets timeout, cancel and
// takeover end a statement like any shell attempt (SIGTERM to its process group, grace,
// SIGKILL): the connection drops and the database rolls the transaction back.
//
// run(): opens the connection with QtSql (QSQLITE with a busy timeout, QPSQL), then in ONE
// transaction (SQLite: BEGIN IMMEDIATE) deletes the partition's rows (`partition: {table,
// column, value}`: DELETE FROM table WHERE column = :value, the value bound) and runs the
// statements, binding each `:name` it uses from Job::values (never spliced into the text); all
// or nothing. Progress lines go to `log` (the attempt's log).
class SqlExecution
{
public:
    // Exit codes of the child (and Outcome::exitCode).
    static constexpr int kExitFailed = 1;     // a statement failed (rolled back)
    static constexpr int kExitInvalid = 2;    // the task cannot run as written (bad partition
                                              // name, unknown :parameter, transaction control,
                                              // unknown URL or driver, unusable SQLite file)
    static constexpr int kExitTemporary = 75; // worth retrying: cannot connect, database busy
                                              // or locked, serialization failure, deadlock
    static constexpr int kExitGate = 125;     // refused at the spawn gate: ran nothing

    struct Job
    {
        QString url; // ConnectionUrl::toString(): password included
        QList<SqlStatement> statements;
        QMap<QString, QString> values; // what the statements' :name parameters bind
        PartitionSpec partition;       // value rendered
        qint64 parentPid = 0;          // the child runs nothing once this is not its parent
        QString resultPath;            // the Outcome's JSON; empty = not written
        int busyTimeoutMs = 30000;     // SQLite

        QByteArray toJson() const;
        static Result<Job> fromJson(const QByteArray &json);
    };

    struct Outcome
    {
        int exitCode = 0;
        QList<qint64> rows; // per statement, when committed
        QString error;      // e.g. "statement 2 (line 4): no such table: x"; never the password

        QByteArray toJson() const;
        static Result<Outcome> fromJson(const QByteArray &json);
    };

    static Outcome run(const Job &job, QTextStream &log);

    // The child's main: prctl(PR_SET_PDEATHSIG) so it never outlives its engine, the spawn
    // gate (the line "go" on stdin; anything else or end of file: exit 125 having run
    // nothing), the Job (the rest of stdin), run(), the Outcome file. Returns the exit code.
    static int childMain();

    // Opens the connection and closes it again: "PostgreSQL 15.10 ..." / "SQLite 3.40.1", or
    // why not (without the password).
    static Result<QString> test(const ConnectionUrl &url, int busyTimeoutMs = 5000);
};

} // namespace pw
