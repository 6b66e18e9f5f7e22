#pragma once

#include "model/result.h"

#include <QMap>
#include <QString>

namespace pw {

// Settings of a home's config.yaml (DESIGN §7): `max_parallel` (default: number of cores) and
// `pools: {name: slots}`, which win over a flow's declared defaults.
struct HomeConfig
{
    int maxParallel = 0;            // 0 = number of cores
    QMap<QString, int> pools;
    bool synchronousFull = false;   // `durability: full` -> PRAGMA synchronous=FULL
};

// The Pipewright home: history.sqlite, logs/RUN_ID/TASK/attempt-N.log, config.yaml,
// connections.yaml. The same for GUI and CLI.
class Home
{
public:
    // --home DIR, else $PIPEWRIGHT_HOME, else QStandardPaths::GenericDataLocation + /pipewright.
    static QString resolve(const QString &explicitDir = {});

    explicit Home(QString dir);
    const QString &dir() const { return m_dir; }
    QString historyPath() const;
    QString logsDir() const;
    QString logPath(qint64 runId, const QString &task, int attempt) const;
    QString configPath() const;

    // Creates the directory if needed; an error if it cannot be created or written.
    Result<void> ensureExists() const;
    // Missing config.yaml = defaults; a malformed one is an error with file:line:col.
    Result<HomeConfig> loadConfig() const;

private:
    QString m_dir;
};

} // namespace pw
