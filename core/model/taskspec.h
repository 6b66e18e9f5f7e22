#pragma once

#include "retrypolicy.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace pw {

enum class TaskType { Shell, Noop, Sql, WaitFile };
enum class Executor { Local, Slurm };
enum class TriggerRule { AllSuccess, AllDone, OneFailed };

QString toString(TaskType t);
QString toString(Executor e);
QString toString(TriggerRule t);
std::optional<TaskType> taskTypeFromString(const QString &s);
std::optional<Executor> executorFromString(const QString &s);
std::optional<TriggerRule> triggerRuleFromString(const QString &s);

// `partition: {table, column, value}` of a sql task: delete-and-rewrite one partition.
struct PartitionSpec
{
    QString table;
    QString column;
    QString value;
    bool isSet() const { return !table.isEmpty(); }
    friend bool operator==(const PartitionSpec &, const PartitionSpec &) = default;
};

// `wait_file: {path, poke_interval, stable_for}` of a wait_file task (a sensor): `path`
// (templates rendered) relative to the flow file's directory; checked at once, then every
// poke_interval, until it exists and its size and mtime have not changed for stable_for.
struct WaitFileSpec
{
    QString path;
    std::optional<qint64> pokeIntervalMs; // default kDefaultPokeIntervalMs
    std::optional<qint64> stableForMs;    // default 0: exists is enough
    static constexpr qint64 kDefaultPokeIntervalMs = 30 * 1000;
    qint64 pokeInterval() const { return pokeIntervalMs.value_or(kDefaultPokeIntervalMs); }
    qint64 stableFor() const { return stableForMs.value_or(0); }
    friend bool operator==(const WaitFileSpec &, const WaitFileSpec &) = default;
};

// `slurm: {partition, time, cpus, mem, account, qos, extra_args}` for executor: slurm.
struct SlurmSpec
{
    QString partition;
    QString time;
    std::optional<int> cpus;
    QString mem;
    QString account;
    QString qos;
    QStringList extraArgs;
    bool isSet() const
    {
        return !partition.isEmpty() || !time.isEmpty() || cpus || !mem.isEmpty()
            || !account.isEmpty() || !qos.isEmpty() || !extraArgs.isEmpty();
    }
    friend bool operator==(const SlurmSpec &, const SlurmSpec &) = default;
};

// Retry/timeout settings as written: unset fields fall back to the flow's `defaults`, then to
// the built-in defaults (see Flow::retryPolicy / Flow::timeoutMs).
struct RetrySettings
{
    std::optional<int> retries;
    std::optional<qint64> retryDelayMs;
    std::optional<Backoff> backoff;
    std::optional<qint64> maxRetryDelayMs;
    std::optional<bool> jitter;
    std::optional<QStringList> retryOn;
    std::optional<qint64> timeoutMs;
    friend bool operator==(const RetrySettings &, const RetrySettings &) = default;
};

// One task of a flow, as written in the file (a value; no behaviour beyond accessors).
struct TaskSpec
{
    QString id;
    TaskType type = TaskType::Shell;
    QString description;
    QStringList after; // upstream task ids, in file order
    TriggerRule trigger = TriggerRule::AllSuccess;
    int priority = 0;
    QString pool;

    QString command;         // shell
    QString sql;             // sql
    QString connection;      // sql: name in the home's connections.yaml
    PartitionSpec partition; // sql
    QStringList outputs;     // declared output files (written via temp + rename)
    WaitFileSpec waitFile;   // wait_file
    Executor executor = Executor::Local;
    SlurmSpec slurm;

    QMap<QString, QString> env;
    QString workdir;
    // DESIGN §1.5: `idempotent: false` = a run of it cannot be repeated safely: never retried
    // automatically, and rerun only on an explicit, recorded confirmation (`--confirm TASK`);
    // `check` says what to verify before confirming.
    bool idempotent = true;
    QString check;
    RetrySettings retry;

    int line = 0; // where the task's key is in the source (1-based, 0 = unknown)
    int column = 0;

    friend bool operator==(const TaskSpec &a, const TaskSpec &b)
    {
        // Source position is not part of a task's definition.
        return a.id == b.id && a.type == b.type && a.description == b.description
            && a.after == b.after && a.trigger == b.trigger && a.priority == b.priority
            && a.pool == b.pool && a.command == b.command && a.sql == b.sql
            && a.connection == b.connection && a.partition == b.partition && a.outputs == b.outputs
            && a.waitFile == b.waitFile && a.executor == b.executor && a.slurm == b.slurm
            && a.env == b.env && a.workdir == b.workdir && a.idempotent == b.idempotent
            && a.check == b.check && a.retry == b.retry;
    }
};

} // namespace pw
