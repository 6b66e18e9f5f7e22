#pragma once

#include "commandline.h"
#include "host/enginehost.h"
#include "model/result.h"

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <memory>

namespace pw {

class HistoryStore;

// pipewright-cli: parses a command line, wires core objects together and maps outcomes to
// exit codes (DESIGN §7). Nothing here decides domain questions; the engine and the store do.
class Cli
{
public:
    using enum cli::Exit;

    Cli();
    ~Cli();
    int exec(const QStringList &args);

private:
    int cmdValidate(const QStringList &args);
    int cmdRun(const QStringList &args);
    int cmdRerun(const QStringList &args);
    int cmdRuns(const QStringList &args);
    int cmdShow(const QStringList &args);
    int cmdMark(const QStringList &args);
    int cmdCancel(const QStringList &args);
    int cmdLogs(const QStringList &args);
    int cmdExport(const QStringList &args);

    // Starts the engine on the resolved home/store (registers this process as an owner and
    // takes over dead owners). Returns an exit code on failure.
    // With `notifications`, the flows' notify/sla hooks fire for the runs this process makes.
    std::optional<int> startEngine(int maxParallel = 0, bool notifications = false);
    // The store for reading commands: after a short engine pass, or read-only (with one note on
    // stderr) when the home or store cannot be written (Home::readOnlyReason).
    std::unique_ptr<HistoryStore> openReader(int *exitCode);
    // Submits and waits for the run to finish, printing progress; handles Ctrl+C.
    int runAndWait(const RunRequest &request, bool json, bool quiet, bool allTasks);
    // The run's result: its document (--json), or its header and a table of its tasks — every
    // task with `allTasks` or up to kFullTableTasks tasks, else the counts per state and the
    // tasks that did not succeed or took more than one attempt (at most kSummaryTasks).
    int printRun(qint64 runId, bool json, bool allTasks);
    static constexpr int kFullTableTasks = 50;
    static constexpr int kSummaryTasks = 100;
    // The common options (--help, --home, --db); an exit code when the command stops here.
    std::optional<int> parse(QCommandLineParser &p, const QStringList &args, const char *synopsis);
    int usage(const QString &message);
    int error(int code, const QString &message);

    EngineHost::Options m_hostOptions; // --home, --db
    StoreLocation m_location;
    bool m_readOnly = false; // openReader() opened a read-only store
    std::unique_ptr<EngineHost> m_host;
    QTextStream m_out;
    QTextStream m_err;
};

} // namespace pw
