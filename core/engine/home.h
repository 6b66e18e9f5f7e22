#pragma once

#include "model/result.h"

#include <QMap>
#include <QString>

#include <optional>

namespace pw {

// Settings of a home's config.yaml (DESIGN §7): `max_parallel` (default: number of cores) and
// `pools: {name: slots}`, which win over a flow's declared defaults; `durability`; and the
// store/ownership timings (DESIGN §3, §6) as durations (`500ms`, `2s`, `1m`; a bare number is
// seconds): `busy_timeout`, `heartbeat_interval`, `stale_limit` (heartbeat < stale, all > 0);
// `log_limit`, the most output an attempt's log keeps, as a size (`512KB`, `100MB`, `2GB`:
// 1024-based; `B` for bytes).
struct HomeConfig
{
    static constexpr int kDefaultBusyTimeoutMs = 30000;
    static constexpr qint64 kDefaultHeartbeatMs = 2000;
    static constexpr qint64 kDefaultStaleLimitMs = 10000;
    static constexpr qint64 kDefaultLogLimit = 100 * 1024 * 1024;

    int maxParallel = 0; // 0 = number of cores
    QMap<QString, int> pools;
    bool synchronousFull = false;               // `durability: full` -> PRAGMA synchronous=FULL
    int busyTimeoutMs = kDefaultBusyTimeoutMs;  // `busy_timeout`: SQLite busy timeout
    qint64 heartbeatMs = kDefaultHeartbeatMs;   // `heartbeat_interval`: owner heartbeat period
    qint64 staleLimitMs = kDefaultStaleLimitMs; // `stale_limit`: older heartbeat = dead owner
    qint64 logLimit = kDefaultLogLimit;         // `log_limit`: bytes of output per attempt log
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
    // Why runs cannot be started or changed with this home and the history store at
    // `historyPath` (empty = historyPath()): the home directory (logs), the store's directory
    // (SQLite's -wal/-shm) or the store file is not writable — a read-only mount, a backup,
    // another user's home. nullopt when they are writable or do not exist yet (they are
    // created on first use). Such a store can still be read (HistoryStore::Options::readOnly).
    // E.g. "/mnt/backup/pw is on a read-only file system".
    std::optional<QString> readOnlyReason(const QString &historyPath = {}) const;
    // Missing config.yaml = defaults; a malformed one is an error with file:line:col.
    Result<HomeConfig> loadConfig() const;
    // The busy timeout every connection to this home's store uses: config.yaml's
    // `busy_timeout`, else the default (also when config.yaml is malformed — commands that
    // run the engine report that; reading commands still work).
    int storeBusyTimeoutMs() const;

private:
    QString m_dir;
};

// Where a process keeps its history (DESIGN §7): the home directory and the history store.
// The one place that applies the rules: --home DIR, else $PIPEWRIGHT_HOME, else the XDG data
// directory (Home::resolve); --db sqlite:///ABS/PATH, else HOME/history.sqlite.
struct StoreLocation
{
    QString home;        // absolute
    QString historyPath; // the SQLite file

    // A usage error on an unsupported --db URL.
    static Result<StoreLocation> resolve(const QString &homeArg, const QString &dbUrl = {});
    // The home's store unless `historyPath` names another one.
    static StoreLocation of(const QString &home, const QString &historyPath = {});

    Home homeDir() const { return Home(home); }
    // Why this location cannot be written (Home::readOnlyReason), nullopt when it can.
    std::optional<QString> readOnlyReason() const { return homeDir().readOnlyReason(historyPath); }
    // The busy timeout of every connection to this store (config.yaml's `busy_timeout`).
    int busyTimeoutMs() const { return homeDir().storeBusyTimeoutMs(); }
};

} // namespace pw
