#pragma once

#include <QStringList>
#include <QTextStream>

namespace pw {

// `pipewright-cli connection ...` (issue 10): the named database connections of sql tasks,
// kept in HOME/connections.yaml (core/engine/connections.h). Takes the command's arguments the
// way Cli passes them (args[0] = "pipewright-cli connection", --home/--db included) and returns
// the exit code (0 ok, 2 bad input or refused, 3 the connection test failed).
//
//   connection set NAME URL      adds or replaces NAME (URL "-": read it from stdin, so the
//                                password stays out of `ps` and the shell's history)
//   connection list [--json]     names and URLs with the passwords as ***
//   connection test NAME [--dir DIR]   connects; DIR (default: the current directory) stands
//                                for the flow's directory: its connections.yaml, relative paths
class ConnectionCommands
{
public:
    static int run(const QStringList &args, QTextStream &out, QTextStream &err);
};

} // namespace pw
