#include "flowloader_p.h"

#include <QScopeGuard>

// The `tasks:` map of a flow file (see flowloader.cpp for the decisions that apply to every key).
namespace pw {

namespace {

const QStringList kTaskKeys{"type", "description", "after", "trigger", "priority", "pool",
    "command", "sql", "connection", "partition", "outputs", "wait_file", "executor", "slurm", "env",
    "workdir", "idempotent", "check", "retries", "retry_delay", "backoff", "max_retry_delay",
    "jitter", "retry_on", "timeout"};
const QStringList kPartitionKeys{"table", "column", "value"};
const QStringList kWaitFileKeys{"path", "poke_interval", "stable_for"};
const QStringList kSlurmKeys{"partition", "time", "cpus", "mem", "account", "qos", "extra_args"};

} // namespace

namespace loading {

void Loader::readTasks(const Entry &e, Flow &flow)
{
    if (!expectMap(e, QStringLiteral("a map of task id to task settings")))
        return;
    const Entries tasks = entries(e.value, e.path(), QStringLiteral("tasks"), {}, true);
    // `after` entries share the ids' strings (a third fewer allocations in a large flow).
    // They point into the tree: forgotten when the tasks are read.
    const auto forget = qScopeGuard([this] { m_taskIds.clear(); });
    m_taskIds.reserve(tasks.size());
    for (const Entry &te : tasks)
        m_taskIds.insert(te.keyNode.bytes(), te.key);
    flow.tasks.reserve(flow.tasks.size() + tasks.size());
    yaml::adviseHugePages(flow.tasks.constData() + flow.tasks.size(),
        size_t(flow.tasks.capacity() - flow.tasks.size()) * sizeof(TaskSpec), true);
    for (const Entry &te : tasks) {
        if (full())
            return;
        TaskSpec &t = flow.tasks.emplaceBack(); // built in place: a TaskSpec is large
        t.id = te.key;
        const Position at = position(te.keyNode.mark());
        t.line = at.line;
        t.column = at.column;
        const int before = int(m_errors.size());
        readTask(te, t);
        if (m_errors.size() != before)
            m_tasksWithErrors.insert(t.id);
    }
}

void Loader::readTask(const Entry &te, TaskSpec &t)
{
    if (!expectMap(te, QStringLiteral("a map of task settings (type, command, after, ...)")))
        return;
    for (const Entry &f :
        entries(te.value, te.path(), Context(QStringLiteral("task"), t.id), kTaskKeys)) {
        if (full())
            return;
        const QString &k = f.key;
        if (readRetryKey(f, t.retry))
            continue;
        if (k == QLatin1String("type")) {
            static const QStringList names{"shell", "noop", "sql", "wait_file"};
            if (auto v = enumValue<TaskType>(f, &taskTypeFromString, names))
                t.type = *v;
        } else if (k == QLatin1String("description")) {
            if (auto v = string(f))
                t.description = *v;
        } else if (k == QLatin1String("after")) {
            if (auto v = stringList(f, true, &m_taskIds))
                t.after = std::move(*v);
        } else if (k == QLatin1String("trigger")) {
            static const QStringList names{"all_success", "all_done", "one_failed"};
            if (auto v = enumValue<TriggerRule>(f, &triggerRuleFromString, names))
                t.trigger = *v;
        } else if (k == QLatin1String("priority")) {
            if (auto v = integer(f))
                t.priority = *v;
        } else if (k == QLatin1String("pool")) {
            if (auto v = string(f))
                t.pool = *v;
        } else if (k == QLatin1String("command")) {
            if (auto v = string(f))
                t.command = *v;
        } else if (k == QLatin1String("sql")) {
            if (auto v = string(f))
                t.sql = *v;
        } else if (k == QLatin1String("connection")) {
            if (auto v = string(f))
                t.connection = *v;
        } else if (k == QLatin1String("partition")) {
            if (!expectMap(f, QStringLiteral("a map {table, column, value}")))
                continue;
            QSet<QString> have;
            for (const Entry &p :
                entries(f.value, f.path(), QStringLiteral("partition"), kPartitionKeys)) {
                const auto v = string(p);
                if (!v)
                    continue;
                have.insert(p.key);
                if (p.key == QLatin1String("table"))
                    t.partition.table = *v;
                else if (p.key == QLatin1String("column"))
                    t.partition.column = *v;
                else
                    t.partition.value = *v;
            }
            for (const QString &need : kPartitionKeys) {
                if (!have.contains(need))
                    error(f.value, QStringLiteral("partition needs '%1'").arg(need),
                        f.path() + QStringList{need});
            }
        } else if (k == QLatin1String("outputs")) {
            if (auto v = stringList(f, true))
                t.outputs = *v;
        } else if (k == QLatin1String("wait_file")) {
            if (!expectMap(f, QStringLiteral("a map {path, poke_interval, stable_for}")))
                continue;
            bool havePath = false;
            for (const Entry &w :
                entries(f.value, f.path(), QStringLiteral("wait_file"), kWaitFileKeys)) {
                if (w.key == QLatin1String("path")) {
                    havePath = true;
                    if (auto v = string(w))
                        t.waitFile.path = *v;
                } else if (auto v = duration(w)) {
                    if (w.key == QLatin1String("poke_interval"))
                        t.waitFile.pokeIntervalMs = *v;
                    else
                        t.waitFile.stableForMs = *v;
                }
            }
            if (!havePath)
                error(f.value, QStringLiteral("wait_file needs 'path'"),
                    f.path() + QStringList{QStringLiteral("path")});
        } else if (k == QLatin1String("executor")) {
            static const QStringList names{"local", "slurm"};
            if (auto v = enumValue<Executor>(f, &executorFromString, names))
                t.executor = *v;
        } else if (k == QLatin1String("slurm")) {
            if (!expectMap(f))
                continue;
            SlurmSpec &s = t.slurm;
            for (const Entry &se :
                entries(f.value, f.path(), QStringLiteral("slurm"), kSlurmKeys)) {
                if (se.key == QLatin1String("cpus")) {
                    if (auto v = integer(se))
                        s.cpus = *v;
                } else if (se.key == QLatin1String("extra_args")) {
                    if (auto v = stringList(se, false))
                        s.extraArgs = *v;
                } else if (auto v = string(se)) {
                    if (se.key == QLatin1String("partition"))
                        s.partition = *v;
                    else if (se.key == QLatin1String("time"))
                        s.time = *v;
                    else if (se.key == QLatin1String("mem"))
                        s.mem = *v;
                    else if (se.key == QLatin1String("account"))
                        s.account = *v;
                    else if (se.key == QLatin1String("qos"))
                        s.qos = *v;
                }
            }
        } else if (k == QLatin1String("env")) {
            if (!expectMap(f, QStringLiteral("a map of variable name to value")))
                continue;
            for (const Entry &v : entries(f.value, f.path(), QStringLiteral("env"), {})) {
                if (auto s = string(v))
                    t.env.insert(v.key, *s);
            }
        } else if (k == QLatin1String("workdir")) {
            if (auto v = string(f))
                t.workdir = *v;
        } else if (k == QLatin1String("idempotent")) {
            if (auto v = boolean(f))
                t.idempotent = *v;
        } else if (k == QLatin1String("check")) {
            if (auto v = string(f))
                t.check = *v;
        }
    }
}

} // namespace loading

} // namespace pw
