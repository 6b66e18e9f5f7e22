#pragma once

#include "host/enginehost.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QStringList>
#include <QTextStream>

#include <optional>

// What every pipewright-cli command shares: exit codes, the one-line error, the common options
// (--help, --home, --db) and their parsing into a store location, and SIGINT/SIGTERM as an
// event-loop wake-up.
namespace pw::cli {

enum Exit { Ok = 0, RunFailed = 1, BadInput = 2, Environment = 3, Interrupted = 130 };

// "pipewright-cli: MESSAGE" on `err`; returns `code`.
int fail(QTextStream &err, int code, const QString &message);

// --help, --home DIR, --db URL.
void addCommonOptions(QCommandLineParser &p);

// Parses `args` (args[0] = "pipewright-cli COMMAND"). Returns the exit code when the command
// stops here: Ok after printing --help (usage line `synopsis`), BadInput after printing a parse
// error or a bad --db. Else fills *host with --home/--db and *location with where they lead.
std::optional<int> parseCommand(QCommandLineParser &p, const QStringList &args,
    const char *synopsis, QTextStream &out, QTextStream &err, EngineHost::Options *host = nullptr,
    StoreLocation *location = nullptr);

// --confirm TASK (repeatable): rerun a task with `idempotent: false` that already ran
// (DESIGN §1.5); without it such a try is refused (exit 2, naming the task and its check).
QCommandLineOption confirmOption();
// --quiet of run and rerun: no progress output.
// --all-tasks of run and rerun: the result lists every task, also of a large run.
QCommandLineOption allTasksOption();
QCommandLineOption quietOption();

// A UTC instant as 2026-11-24T03:00:00Z.
QString isoSeconds(const QDateTime &t);

// SIGINT and SIGTERM turned into a readable byte on fd(), for a QSocketNotifier (the handler
// only writes; everything else happens in the event loop). Installed once per process.
class StopSignals
{
public:
    // False when the socket pair cannot be made.
    static bool install();
    static int fd();
    // Reads the byte that woke the notifier.
    static void acknowledge();
};

} // namespace pw::cli
