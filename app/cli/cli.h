#pragma once

#include "engine/engine.h"
#include "model/result.h"

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
    enum Exit { Ok = 0, RunFailed = 1, BadInput = 2, Environment = 3, Interrupted = 130 };

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
    std::optional<int> startEngine(int maxParallel = 0);
    // The store for reading commands: after a short engine pass, or read-only (with one note on
    // stderr) when the home or store cannot be written (Home::readOnlyReason).
    std::unique_ptr<HistoryStore> openReader(int *exitCode);
    // Submits and waits for the run to finish, printing progress; handles Ctrl+C.
    int runAndWait(const RunRequest &request, bool json);
    int printRun(qint64 runId, bool json);
    // --db's SQLite path, else HOME/history.sqlite.
    QString historyPath() const;
    int usage(const QString &message);
    int error(int code, const QString &message);

    QString m_home;
    QString m_dbPath;
    bool m_readOnly = false; // openReader() opened a read-only store
    std::unique_ptr<Engine> m_engine;
    QTextStream m_out;
    QTextStream m_err;
};

} // namespace pw
