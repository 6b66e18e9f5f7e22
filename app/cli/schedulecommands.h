#pragma once

#include <QStringList>
#include <QTextStream>

namespace pw {

// The scheduling commands of pipewright-cli (issue 5; DESIGN §7). Each takes the command's
// arguments the way Cli passes them to its own commands (args[0] = "pipewright-cli COMMAND",
// then the options and positionals, --home/--db included) and returns the exit code:
// 0 ok, 1 a backfill run failed, 2 bad input/usage/refused, 3 environment, 130 interrupted.
//
//   next (FLOW | --cron EXPR [--tz ZONE]) [--from ISO] [--count N] [--json]
//   schedule FLOW_OR_DIR...          foreground; SIGTERM/SIGINT stop it cleanly (exit 0)
//   backfill FLOW --from DATE --to DATE [--max-active-runs N]
//
// `schedule` honours PIPEWRIGHT_SCHEDULE_CLOCK=ISO (tests only): the scheduler's clock starts
// at that instant and runs at real speed from there.
class ScheduleCommands
{
public:
    static int next(const QStringList &args, QTextStream &out, QTextStream &err);
    static int schedule(const QStringList &args, QTextStream &out, QTextStream &err);
    static int backfill(const QStringList &args, QTextStream &out, QTextStream &err);
};

} // namespace pw
