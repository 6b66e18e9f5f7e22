#include "flowvalidator.h"

#include "didyoumean.h"
#include "model/cronexpression.h"
#include "model/template.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>
#include <QUrl>

#include <algorithm>
#include <functional>
#include <vector>

// Decisions (where DESIGN §4 is silent):
// - Parameter names are identifiers ([A-Za-z_][A-Za-z0-9_]*): they become PW_PARAM_<NAME>
//   and SQL binds :name. The template built-ins and `state` are reserved.
// - Pools used by tasks need not be declared (the home's config.yaml may declare them), but
//   declared slots must be >= 1.
// - A scheduled flow needs a default for every parameter but the schedule's own.
// - The cron expression is parsed here (CronExpression), so `validate` catches it, and a
//   schedule that fires more than once a day cannot feed a date parameter (DESIGN §4).
// - Task fields that do not apply to the task's type are kept, not rejected, so the editor
//   can switch a task's type back and forth without losing settings.
namespace pw {

namespace {

const QString kSecretsNotHere = QStringLiteral(
    "'{{%1}}' cannot be used here: secrets may be used in shell commands, env values, notify "
    "commands and webhooks, and connection URLs");

const QString kIdRule = QStringLiteral(
    "ids use ASCII letters, digits, '_', '.' and '-' and do not start with '.' or '-'");

bool isIdentifier(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return re.match(s).hasMatch();
}

// How often `cron` fires on a day it matches (DST aside): 0 if it never matches a day.
int firesPerDay(const CronExpression &cron)
{
    // Four years hold every month day and weekday combination, Feb 29 included.
    QDate day(2024, 1, 1);
    for (int i = 0; i < 4 * 366 && !cron.matchesDay(day); ++i)
        day = day.addDays(1);
    if (!cron.matchesDay(day))
        return 0;
    int n = 0;
    for (int minute = 0; minute < 24 * 60; ++minute)
        n += cron.matches(day, QTime(minute / 60, minute % 60)) ? 1 : 0;
    return n;
}

// Task id -> the index of its first task.
QHash<QString, int> taskIndex(const Flow &flow)
{
    QHash<QString, int> index;
    index.reserve(flow.tasks.size());
    for (int i = int(flow.tasks.size()) - 1; i >= 0; --i)
        index.insert(flow.tasks[i].id, i); // the first of duplicate ids wins
    return index;
}

// The dependencies u -> v between known tasks (v runs after u; u != v), in file order of v.
struct Edges
{
    std::vector<int> upstream;
    std::vector<int> downstream;
    void add(int u, int v)
    {
        upstream.push_back(u);
        downstream.push_back(v);
    }
};

QStringList findCycleIn(const Flow &flow, const Edges &edges);

class Checker
{
public:
    explicit Checker(const Flow &flow) : m_flow(flow)
    {
        for (const ParamSpec &p : flow.params)
            m_paramNames.append(p.name);
        for (const QString &name : m_paramNames + Template::builtinNames())
            m_templateNames.insert(name);
        m_index = taskIndex(flow);
    }

    Errors run();

private:
    // A "did you mean" hint, for the first kMaxHints misspellings only: each compares the word
    // with every candidate, and a hostile flow can misspell 200,000 task ids among 200,000.
    QString hint(const QString &word, const QStringList &candidates) const
    {
        return m_hintsLeft-- > 0 ? detail::didYouMean(word, candidates) : QString();
    }
    // `field`: the key path of the wrong value (Error::field), where the error is found.
    void add(const QStringList &field, const QString &message, int line = 0, int column = 0)
    {
        m_errors.append(Error(message, m_flow.sourcePath, line, column).at(field));
    }
    // `key`: the path under the task ({"partition", "value"}; empty = the task's id).
    void addTask(const TaskSpec &t, const QStringList &key, const QString &message)
    {
        add(QStringList{QStringLiteral("tasks"), t.id} + key,
            QStringLiteral("task '%1': %2").arg(t.id, message), t.line, t.column);
    }

    void checkFlow();
    void checkParams();
    void checkSchedule();
    void checkLimits();
    void checkRetry(const RetrySettings &r,
        const std::function<void(const QString &key, const QString &message)> &report);
    void checkTasks();
    // `upstream`: the index of each task in t.after (-1: unknown).
    void checkTask(const TaskSpec &t, const std::vector<int> &upstream);
    // Template problems of `text` (none if it is fine), each a complete message tail; `extra`
    // are further names the text may use (a task's {{output.N}}); {{secret:NAME}} is allowed
    // only where `secrets` says so (what runs: commands, env values, notify hooks).
    enum class SecretUse { Refused, Allowed };
    QStringList templateProblems(const QString &text, bool allowState,
        const QStringList &extra = {}, SecretUse secrets = SecretUse::Refused) const;
    // The parameters' names for a message: the first few and how many there are in all (a
    // message quoting 200,000 names per unknown name would fill the memory).
    QString parameterList() const;
    QString unknownName(const QString &name, const QString &hint) const
    {
        return QStringLiteral("unknown name '%1' in '{{%1}}' (parameters: %2; built-ins: %3)%4")
            .arg(name, parameterList(), Template::builtinNames().join(QStringLiteral(", ")), hint);
    }

    const Flow &m_flow;
    QStringList m_paramNames;
    QSet<QString> m_templateNames; // the parameters and the built-ins
    static constexpr int kMaxHints = 100;
    mutable int m_hintsLeft = kMaxHints;
    QHash<QString, int> m_index; // task id -> its first task
    Edges m_edges;               // found by checkTasks()
    QStringList m_taskIds;       // for hints, on the first unknown id
    Errors m_errors;

    const QStringList &taskIds()
    {
        if (m_taskIds.isEmpty()) {
            for (const TaskSpec &t : m_flow.tasks)
                m_taskIds.append(t.id);
        }
        return m_taskIds;
    }
};

Errors Checker::run()
{
    checkFlow();
    checkParams();
    checkSchedule();
    checkLimits();
    checkRetry(m_flow.defaults, [this](const QString &key, const QString &m) {
        add({QStringLiteral("defaults"), key}, QStringLiteral("defaults: ") + m);
    });
    checkTasks();
    const QStringList cycle = findCycleIn(m_flow, m_edges);
    if (!cycle.isEmpty()) {
        const TaskSpec *first = m_flow.task(cycle.first());
        // A long cycle shows its ends: a message of 200,000 ids is one no one reads.
        constexpr qsizetype kEnds = 10;
        const QString path = cycle.size() <= 3 * kEnds
            ? cycle.join(QStringLiteral(" -> "))
            : cycle.first(kEnds).join(QStringLiteral(" -> "))
                + QStringLiteral(" -> ... (%1 more) -> ").arg(cycle.size() - 2 * kEnds)
                + cycle.last(kEnds).join(QStringLiteral(" -> "));
        add({QStringLiteral("tasks"), cycle.first(), QStringLiteral("after")},
            QStringLiteral("cycle: ") + path, first ? first->line : 0, first ? first->column : 0);
    }
    return m_errors;
}

void Checker::checkFlow()
{
    if (m_flow.formatVersion != 1)
        add({QStringLiteral("pipewright")},
            QStringLiteral("unsupported format version %1 (this Pipewright reads 'pipewright: 1')")
                .arg(m_flow.formatVersion));
    if (m_flow.id.isEmpty())
        add({QStringLiteral("flow")}, QStringLiteral("missing flow id (e.g. 'flow: daily_sales')"));
    else if (!isValidId(m_flow.id))
        add({QStringLiteral("flow")},
            QStringLiteral("invalid flow id %1 (%2)").arg(detail::quoted(m_flow.id), kIdRule));

    const NotifySpec &n = m_flow.notify;
    static const QStringList events{QStringLiteral("failure"), QStringLiteral("retry"),
        QStringLiteral("success"), QStringLiteral("sla")};
    for (const QString &e : n.on) {
        if (!events.contains(e))
            add({QStringLiteral("notify"), QStringLiteral("on")},
                QStringLiteral("notify: unknown event '%1' (use %2)%3")
                    .arg(e, events.join(QStringLiteral(", ")), hint(e, events)));
    }
    for (const QString &p : templateProblems(n.command, true, {}, SecretUse::Allowed))
        add({QStringLiteral("notify"), QStringLiteral("command")},
            QStringLiteral("notify: command: ") + p);
    // A webhook's URL may hold a token: {{secret:NAME}}, and no other template.
    const auto webhook = Template::withStandInSecrets(n.webhook);
    if (!webhook) {
        add({QStringLiteral("notify"), QStringLiteral("webhook")},
            QStringLiteral("notify: webhook: ") + webhook.error().message);
    } else if (!n.webhook.isEmpty()) {
        const QUrl url(*webhook, QUrl::StrictMode);
        const QString scheme = url.scheme();
        if (!url.isValid() || url.host().isEmpty()
            || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
            add({QStringLiteral("notify"), QStringLiteral("webhook")},
                QStringLiteral("notify: webhook '%1' is not an http(s) URL").arg(n.webhook));
    }
    if (n.isSet() && n.command.isEmpty() && n.webhook.isEmpty())
        add({QStringLiteral("notify"), QStringLiteral("command")},
            QStringLiteral("notify: needs a 'command' or a 'webhook'"));

    const SlaSpec &s = m_flow.sla;
    if (s.durationMs && *s.durationMs <= 0)
        add({QStringLiteral("sla"), QStringLiteral("duration")},
            QStringLiteral("sla: duration must be positive"));
    if (!s.time.isEmpty()) {
        static const QRegularExpression re(QStringLiteral("^\\d{2}:\\d{2}$"));
        if (!re.match(s.time).hasMatch()
            || !QTime::fromString(s.time, QStringLiteral("HH:mm")).isValid())
            add({QStringLiteral("sla"), QStringLiteral("time")},
                QStringLiteral("sla: time '%1' is not a local time HH:MM").arg(s.time));
    }
}

void Checker::checkParams()
{
    static const QStringList reserved = Template::builtinNames() << QStringLiteral("state");
    QHash<QString, const ParamSpec *> seen;
    const QDateTime now = QDateTime::currentDateTime();
    for (const ParamSpec &p : m_flow.params) {
        const QStringList at{QStringLiteral("params"), p.name};
        auto err = [&](const QString &key, const QString &m) {
            add(at + QStringList{key}, QStringLiteral("parameter '%1': %2").arg(p.name, m), p.line,
                p.column);
        };
        if (!isIdentifier(p.name)) {
            add(at,
                QStringLiteral("invalid parameter name %1 (use ASCII letters, digits and '_', not "
                               "starting with a digit)")
                    .arg(detail::quoted(p.name)),
                p.line, p.column);
        } else if (reserved.contains(p.name)) {
            add(at,
                QStringLiteral("parameter name '%1' is reserved (built-ins: %2)")
                    .arg(p.name, reserved.join(QStringLiteral(", "))),
                p.line, p.column);
        }
        if (const ParamSpec *first = seen.value(p.name)) {
            add(at,
                QStringLiteral("duplicate parameter '%1'%2")
                    .arg(p.name,
                        first->line > 0
                            ? QStringLiteral(" (first declared at line %1)").arg(first->line)
                            : QString()),
                p.line, p.column);
            continue;
        }
        seen.insert(p.name, &p);
        if (p.type == ParamType::Choice) {
            if (p.values.isEmpty())
                err(QStringLiteral("values"), QStringLiteral("a choice needs 'values'"));
            QSet<QString> vs;
            for (const QString &v : p.values) {
                if (vs.contains(v))
                    err(QStringLiteral("values"),
                        QStringLiteral("value '%1' is listed twice").arg(v));
                vs.insert(v);
            }
        } else if (!p.values.isEmpty()) {
            err(QStringLiteral("values"),
                QStringLiteral("'values' only apply to choice parameters (this one is %1)")
                    .arg(toString(p.type)));
        }
        if (p.defaultValue && !(p.type == ParamType::Choice && p.values.isEmpty())) {
            const auto c = p.canonicalize(*p.defaultValue, now);
            if (!c) {
                QString m = c.error().message;
                const QString prefix = QStringLiteral("parameter '%1': ").arg(p.name);
                if (m.startsWith(prefix))
                    m = m.mid(prefix.size());
                err(QStringLiteral("default"), QStringLiteral("invalid default: ") + m);
            }
        }
    }
}

void Checker::checkSchedule()
{
    const ScheduleSpec &s = m_flow.schedule;
    if (!s.isSet()) {
        if (!s.timezone.isEmpty() || s.start || !s.param.isEmpty() || s.offsetMs || s.catchup)
            add({QStringLiteral("schedule"), QStringLiteral("cron")},
                QStringLiteral("schedule: needs a 'cron' expression"));
        return;
    }
    // The expression itself: the scheduler would refuse it only when it first reads the flow.
    const auto cron = CronExpression::parse(s.cron);
    if (!cron) {
        QString m = cron.error().message;
        if (m.startsWith(QLatin1String("cron: ")))
            m = m.mid(6);
        add({QStringLiteral("schedule"), QStringLiteral("cron")},
            QStringLiteral("schedule: cron: ") + m);
    } else if (firesPerDay(*cron) == 0) {
        add({QStringLiteral("schedule"), QStringLiteral("cron")},
            QStringLiteral("schedule: '%1' never fires (no date has its day of month, month and "
                           "day of week)")
                .arg(s.cron.trimmed()));
    }
    if (!s.timezone.isEmpty() && !QTimeZone(s.timezone.toUtf8()).isValid()) {
        QStringList zones;
        for (const QByteArray &z : QTimeZone::availableTimeZoneIds())
            zones.append(QString::fromUtf8(z));
        add({QStringLiteral("schedule"), QStringLiteral("timezone")},
            QStringLiteral("schedule: unknown time zone '%1' (use an IANA name like Asia/Seoul)%2")
                .arg(s.timezone, hint(s.timezone, zones)));
    }
    const QStringList param{QStringLiteral("schedule"), QStringLiteral("param")};
    if (!s.param.isEmpty()) {
        const ParamSpec *p = m_flow.param(s.param);
        if (!p)
            add(param,
                QStringLiteral("schedule: parameter '%1' is not declared%2")
                    .arg(s.param, hint(s.param, m_paramNames)));
        else if (p->type != ParamType::Date && p->type != ParamType::DateTime)
            add(param,
                QStringLiteral("schedule: parameter '%1' must be a date or datetime (it is %2)")
                    .arg(s.param, toString(p->type)));
        else if (p->type == ParamType::Date && cron && firesPerDay(*cron) > 1)
            add(param,
                QStringLiteral("schedule: '%1' fires more than once a day, so every fire of a day "
                               "would be the same run of date parameter '%2' (use a datetime "
                               "parameter)")
                    .arg(s.cron.trimmed(), s.param));
    } else if (s.offsetMs) {
        add({QStringLiteral("schedule"), QStringLiteral("offset")},
            QStringLiteral("schedule: 'offset' needs 'param' (the parameter it shifts)"));
    }
    for (const ParamSpec &p : m_flow.params) {
        if (p.name != s.param && !p.defaultValue)
            add({QStringLiteral("params"), p.name, QStringLiteral("default")},
                QStringLiteral(
                    "schedule: parameter '%1' has no default, so scheduled runs cannot supply it")
                    .arg(p.name),
                p.line, p.column);
    }
}

void Checker::checkLimits()
{
    const LimitsSpec &l = m_flow.limits;
    if (l.maxParallel && *l.maxParallel < 1)
        add({QStringLiteral("limits"), QStringLiteral("max_parallel")},
            QStringLiteral("limits: max_parallel must be at least 1"));
    if (l.maxActiveRuns && *l.maxActiveRuns < 1)
        add({QStringLiteral("limits"), QStringLiteral("max_active_runs")},
            QStringLiteral("limits: max_active_runs must be at least 1"));
    for (auto it = l.pools.cbegin(); it != l.pools.cend(); ++it) {
        const QStringList pool{QStringLiteral("limits"), QStringLiteral("pools"), it.key()};
        if (!isValidId(it.key()))
            add(pool,
                QStringLiteral("limits: invalid pool name %1 (%2)")
                    .arg(detail::quoted(it.key()), kIdRule));
        if (it.value() < 1)
            add(pool, QStringLiteral("limits: pool '%1' must have at least 1 slot").arg(it.key()));
    }
}

void Checker::checkRetry(const RetrySettings &r,
    const std::function<void(const QString &key, const QString &message)> &report)
{
    if (r.retries && *r.retries < 0)
        report(QStringLiteral("retries"), QStringLiteral("retries must not be negative"));
    if (r.retryDelayMs && *r.retryDelayMs < 0)
        report(QStringLiteral("retry_delay"), QStringLiteral("retry_delay must not be negative"));
    if (r.maxRetryDelayMs && *r.maxRetryDelayMs < 0)
        report(QStringLiteral("max_retry_delay"),
            QStringLiteral("max_retry_delay must not be negative"));
    if (r.timeoutMs && *r.timeoutMs <= 0)
        report(QStringLiteral("timeout"), QStringLiteral("timeout must be positive"));
    if (r.retryOn) {
        for (const QString &c : *r.retryOn) {
            if (!RetryPolicy::isValidCondition(c))
                report(QStringLiteral("retry_on"),
                    QStringLiteral("invalid retry_on entry '%1' (use exit, exit:N with N 1-255, "
                                   "timeout, signal or spawn)")
                        .arg(c));
        }
    }
}

QString Checker::parameterList() const
{
    constexpr qsizetype kShown = 10;
    if (m_paramNames.isEmpty())
        return QStringLiteral("none");
    if (m_paramNames.size() <= kShown)
        return m_paramNames.join(QStringLiteral(", "));
    return m_paramNames.first(kShown).join(QStringLiteral(", "))
        + QStringLiteral(", ... (%1 in all)").arg(m_paramNames.size());
}

QStringList Checker::templateProblems(
    const QString &text, bool allowState, const QStringList &extra, SecretUse secrets) const
{
    if (!text.contains(QLatin1String("{{")))
        return {};
    const auto t = Template::parse(text);
    if (!t)
        return {t.error().message};
    QStringList problems;
    for (const QString &name : t->names()) {
        if (m_templateNames.contains(name) || extra.contains(name)
            || (allowState && name == QLatin1String("state")))
            continue;
        if (!Template::secretName(name).isEmpty()) {
            if (secrets == SecretUse::Refused)
                problems.append(kSecretsNotHere.arg(name));
            continue;
        }
        if (name == QLatin1String("state"))
            problems.append(QStringLiteral("'{{state}}' is only available in notify commands"));
        else if (name.startsWith(QLatin1String("output.")))
            problems.append(QStringLiteral("'{{%1}}' is not available here ({{output.N}} is the "
                                           "temporary path of the task's N-th output, in its "
                                           "command and env)")
                                .arg(name));
        else if (m_hintsLeft <= 0) // then no list of candidates to build either
            problems.append(unknownName(name, QString()));
        else
            problems.append(unknownName(name,
                hint(name,
                    m_paramNames + Template::builtinNames() + extra
                        + (allowState ? QStringList{QStringLiteral("state")} : QStringList()))));
    }
    return problems;
}

void Checker::checkTasks()
{
    std::vector<int> upstream;
    for (int i = 0; i < int(m_flow.tasks.size()); ++i) {
        const TaskSpec &t = m_flow.tasks[i];
        upstream.clear();
        for (const QString &u : t.after) {
            upstream.push_back(m_index.value(u, -1));
            if (upstream.back() >= 0 && upstream.back() != i)
                m_edges.add(upstream.back(), i);
        }
        const int firstIndex = m_index.value(t.id, i);
        if (firstIndex != i) {
            const TaskSpec *first = &m_flow.tasks[firstIndex];
            add({QStringLiteral("tasks"), t.id},
                QStringLiteral("duplicate task id %1%2")
                    .arg(detail::quoted(t.id),
                        first->line > 0
                            ? QStringLiteral(" (first defined at line %1)").arg(first->line)
                            : QString()),
                t.line, t.column);
            continue;
        }
        checkTask(t, upstream);
    }
}

void Checker::checkTask(const TaskSpec &t, const std::vector<int> &upstream)
{
    if (t.id.isEmpty()) {
        add({QStringLiteral("tasks"), t.id}, QStringLiteral("empty task id"), t.line, t.column);
    } else if (!isValidId(t.id)) {
        add({QStringLiteral("tasks"), t.id},
            QStringLiteral("invalid task id %1 (%2)").arg(detail::quoted(t.id), kIdRule), t.line,
            t.column);
    }

    static const QStringList after{QStringLiteral("after")};
    QSet<QString> listed; // for long lists; a short one is searched
    constexpr qsizetype kLinear = 16;
    for (qsizetype i = 0; i < t.after.size(); ++i) {
        const QString &u = t.after[i];
        const bool twice = t.after.size() > kLinear
            ? listed.contains(u)
            : std::find(t.after.cbegin(), t.after.cbegin() + i, u) != t.after.cbegin() + i;
        if (twice) {
            addTask(t, after, QStringLiteral("'after' lists %1 twice").arg(detail::quoted(u)));
            continue;
        }
        if (t.after.size() > kLinear)
            listed.insert(u);
        if (u == t.id)
            addTask(t, after, QStringLiteral("depends on itself"));
        else if (upstream[size_t(i)] < 0)
            addTask(t, after,
                QStringLiteral("unknown task %1 in 'after'%2")
                    .arg(detail::quoted(u), hint(u, taskIds())));
    }

    switch (t.type) {
    case TaskType::Shell:
        if (t.command.trimmed().isEmpty())
            addTask(
                t, {QStringLiteral("command")}, QStringLiteral("a shell task needs a 'command'"));
        break;
    case TaskType::Sql:
        if (t.sql.trimmed().isEmpty())
            addTask(t, {QStringLiteral("sql")}, QStringLiteral("a sql task needs 'sql'"));
        if (t.connection.isEmpty())
            addTask(t, {QStringLiteral("connection")},
                QStringLiteral(
                    "a sql task needs a 'connection' (a name from the home's connections.yaml)"));
        break;
    case TaskType::WaitFile:
        if (t.waitFile.path.isEmpty())
            addTask(t, {QStringLiteral("wait_file"), QStringLiteral("path")},
                QStringLiteral("a wait_file task needs 'wait_file: {path: ...}'"));
        break;
    case TaskType::Noop:
        break;
    }
    if (t.sql.contains(QLatin1String("{{"))) {
        // Name the bound form to write instead: {{date}} / {{ date|nodash }} -> :date.
        static const QRegularExpression name(QStringLiteral("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)"));
        static const QRegularExpression secret(QStringLiteral("\\{\\{\\s*secret\\s*:"));
        const QRegularExpressionMatch m = name.match(t.sql);
        addTask(t, {QStringLiteral("sql")},
            secret.match(t.sql).hasMatch()
                ? QStringLiteral("sql must not contain '{{': secrets cannot be used in SQL text (a "
                                 "connection's password can be a secret: connections.yaml)")
                : m.hasMatch()
                ? QStringLiteral("sql must not contain '{{': write :%1 instead of {{%1}} "
                                 "(parameters are bound, never spliced into SQL)")
                      .arg(m.captured(1))
                : QStringLiteral("sql must not contain '{{' (SQL refers to parameters as bound "
                                 ":name)"));
    }
    if (t.partition.isSet() || !t.partition.column.isEmpty() || !t.partition.value.isEmpty()) {
        const QString missing = t.partition.table.isEmpty() ? QStringLiteral("table")
            : t.partition.column.isEmpty()                  ? QStringLiteral("column")
            : t.partition.value.isEmpty()                   ? QStringLiteral("value")
                                                            : QString();
        if (!missing.isEmpty()) // the path names the first missing key
            addTask(t, {QStringLiteral("partition"), missing},
                QStringLiteral("partition needs 'table', 'column' and 'value'"));
    }
    if (!t.pool.isEmpty() && !isValidId(t.pool))
        addTask(t, {QStringLiteral("pool")},
            QStringLiteral("invalid pool name %1 (%2)").arg(detail::quoted(t.pool), kIdRule));
    if (t.waitFile.pokeIntervalMs && *t.waitFile.pokeIntervalMs <= 0)
        addTask(t, {QStringLiteral("wait_file"), QStringLiteral("poke_interval")},
            QStringLiteral("wait_file poke_interval must be positive"));
    if (t.waitFile.stableForMs && *t.waitFile.stableForMs < 0)
        addTask(t, {QStringLiteral("wait_file"), QStringLiteral("stable_for")},
            QStringLiteral("wait_file stable_for must not be negative"));
    if (!t.idempotent && t.retry.retries && *t.retry.retries > 0)
        addTask(t, {QStringLiteral("retries")},
            QStringLiteral("retries: %1, but a task with 'idempotent: false' is never retried "
                           "automatically (remove 'retries', or make the task idempotent)")
                .arg(*t.retry.retries));
    if (t.slurm.cpus && *t.slurm.cpus < 1)
        addTask(t, {QStringLiteral("slurm"), QStringLiteral("cpus")},
            QStringLiteral("slurm cpus must be at least 1"));
    // {{output.N}}: the temporary path of the N-th declared output (commands and env only).
    QStringList outputNames;
    for (int i = 1; i <= t.outputs.size(); ++i)
        outputNames.append(QStringLiteral("output.%1").arg(i));
    for (auto it = t.env.cbegin(); it != t.env.cend(); ++it) {
        const QStringList var{QStringLiteral("env"), it.key()};
        if (!isIdentifier(it.key()))
            addTask(t, var,
                QStringLiteral("invalid environment variable name %1")
                    .arg(detail::quoted(it.key())));
        for (const QString &p :
            templateProblems(it.value(), false, outputNames, SecretUse::Allowed))
            addTask(t, var, QStringLiteral("env %1: %2").arg(it.key(), p));
    }
    static const QStringList outputs{QStringLiteral("outputs")};
    QSet<QString> listedOutputs;
    for (const QString &o : t.outputs) {
        if (o.trimmed().isEmpty())
            addTask(t, outputs, QStringLiteral("empty entry in 'outputs'"));
        else if (o.endsWith(QLatin1Char('/')))
            addTask(t, outputs,
                QStringLiteral("output '%1' names a directory; outputs are files").arg(o));
        if (listedOutputs.contains(o))
            addTask(t, outputs, QStringLiteral("output '%1' is listed twice").arg(o));
        listedOutputs.insert(o);
        for (const QString &p : templateProblems(o, false))
            addTask(t, outputs, QStringLiteral("outputs: ") + p);
    }
    using Text = const QString &(*)(const TaskSpec &);
    // Only the command may use outputs and secrets: the others are paths and values that are
    // shown (the task's detail, the rerun check) or recorded.
    static const struct
    {
        const char *name; // in the message
        QStringList field;
        Text text;
        bool ofCommand;
    } templated[] = {
        {"command", {QStringLiteral("command")},
            [](const TaskSpec &s) -> const QString & { return s.command; }, true},
        {"workdir", {QStringLiteral("workdir")},
            [](const TaskSpec &s) -> const QString & { return s.workdir; }, false},
        {"wait_file path", {QStringLiteral("wait_file"), QStringLiteral("path")},
            [](const TaskSpec &s) -> const QString & { return s.waitFile.path; }, false},
        {"partition value", {QStringLiteral("partition"), QStringLiteral("value")},
            [](const TaskSpec &s) -> const QString & { return s.partition.value; }, false},
        {"check", {QStringLiteral("check")},
            [](const TaskSpec &s) -> const QString & { return s.check; }, false},
    };
    for (const auto &[name, field, text, ofCommand] : templated) {
        for (const QString &p :
            templateProblems(text(t), false, ofCommand ? outputNames : QStringList(),
                ofCommand ? SecretUse::Allowed : SecretUse::Refused))
            addTask(t, field, QLatin1String(name) + QStringLiteral(": ") + p);
    }
    checkRetry(t.retry, [&](const QString &key, const QString &m) { addTask(t, {key}, m); });
}

} // namespace

Errors FlowValidator::validate(const Flow &flow)
{
    return Checker(flow).run();
}

QStringList FlowValidator::findCycle(const Flow &flow)
{
    const QHash<QString, int> index = taskIndex(flow);
    Edges edges;
    for (int v = 0; v < int(flow.tasks.size()); ++v) {
        for (const QString &u : flow.tasks[v].after) {
            const int i = index.value(u, -1);
            if (i >= 0 && i != v)
                edges.add(i, v);
        }
    }
    return findCycleIn(flow, edges);
}

namespace {

QStringList findCycleIn(const Flow &flow, const Edges &edges)
{
    const qsizetype n = flow.tasks.size();
    // Downstream edges u -> v in file order of v: the v's of u are down[first[u] .. first[u + 1])
    // (one array, not a vector per task).
    std::vector<int> first(static_cast<size_t>(n) + 1, 0);
    for (const int u : edges.upstream)
        ++first[size_t(u) + 1];
    for (size_t i = 1; i < first.size(); ++i)
        first[i] += first[i - 1];
    std::vector<int> down(edges.upstream.size());
    {
        std::vector<int> fill(first.begin(), first.end() - 1);
        for (size_t e = 0; e < edges.upstream.size(); ++e)
            down[size_t(fill[size_t(edges.upstream[e])]++)] = edges.downstream[e];
    }
    auto childCount = [&](int u) { return size_t(first[size_t(u) + 1] - first[size_t(u)]); };
    auto childAt = [&](int u, size_t k) { return down[size_t(first[size_t(u)]) + k]; };
    enum Color : char { White, Gray, Black };
    std::vector<Color> color(static_cast<size_t>(n), White);
    std::vector<std::pair<int, size_t>> stack;
    for (int start = 0; start < n; ++start) {
        if (color[size_t(start)] != White)
            continue;
        stack.assign(1, {start, 0});
        color[size_t(start)] = Gray;
        while (!stack.empty()) {
            auto &[node, next] = stack.back();
            if (next < childCount(node)) {
                const int c = childAt(node, next++);
                if (color[size_t(c)] == Gray) {
                    QStringList path;
                    size_t from = 0;
                    while (stack[from].first != c)
                        ++from;
                    for (size_t i = from; i < stack.size(); ++i)
                        path.append(flow.tasks[stack[i].first].id);
                    path.append(flow.tasks[c].id);
                    return path;
                }
                if (color[size_t(c)] == White) {
                    color[size_t(c)] = Gray;
                    stack.emplace_back(c, 0);
                }
            } else {
                color[size_t(node)] = Black;
                stack.pop_back();
            }
        }
    }
    return {};
}

} // namespace

bool FlowValidator::wouldCreateCycle(const Flow &flow, const QString &from, const QString &to)
{
    if (from == to)
        return true;
    // The new edge makes `to` run after `from`; that closes a cycle if `from` already runs
    // (transitively) after `to`, i.e. `to` is among the upstreams of `from`.
    QSet<QString> seen{from};
    QStringList queue{from};
    while (!queue.isEmpty()) {
        const TaskSpec *t = flow.task(queue.takeFirst());
        if (!t)
            continue;
        for (const QString &u : t->after) {
            if (u == to)
                return true;
            if (!seen.contains(u)) {
                seen.insert(u);
                queue.append(u);
            }
        }
    }
    return false;
}

} // namespace pw
