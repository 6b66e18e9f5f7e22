#pragma once

#include "paramspec.h"
#include "retrypolicy.h"
#include "taskspec.h"

#include <QDate>
#include <QMap>
#include <QPointF>
#include <QString>

#include <optional>

namespace pw {

// `schedule:` (DESIGN §4). `param` receives the scheduled local time shifted by `offset`.
struct ScheduleSpec
{
    QString cron;
    QString timezone; // IANA name; empty = UTC
    bool catchup = false;
    std::optional<QDate> start;
    QString param;
    std::optional<qint64> offsetMs; // e.g. -1d
    bool isSet() const { return !cron.isEmpty(); }
    friend bool operator==(const ScheduleSpec &, const ScheduleSpec &) = default;
};

// `limits:` — per-flow parallelism, active runs and the default slots of named pools.
struct LimitsSpec
{
    std::optional<int> maxParallel;
    std::optional<int> maxActiveRuns;
    QMap<QString, int> pools;
    friend bool operator==(const LimitsSpec &, const LimitsSpec &) = default;
};

// `notify:` — on which run events to run a command and/or POST to a webhook.
struct NotifySpec
{
    QStringList on; // failure, retry, success, sla
    QString command;
    QString webhook;
    bool isSet() const { return !on.isEmpty() || !command.isEmpty() || !webhook.isEmpty(); }
    friend bool operator==(const NotifySpec &, const NotifySpec &) = default;
};

// `sla:` — a run not finished within `duration` or by local `time` notifies `sla`.
struct SlaSpec
{
    std::optional<qint64> durationMs;
    QString time; // "HH:MM"
    bool isSet() const { return durationMs.has_value() || !time.isEmpty(); }
    friend bool operator==(const SlaSpec &, const SlaSpec &) = default;
};

// A flow definition: the whole v1 schema as values. Tasks keep file order (the last
// tie-breaker of priority). Built by the loader or the editor; never does I/O itself.
struct Flow
{
    int formatVersion = 1;
    QString id;
    QString title;
    QString description;
    QList<ParamSpec> params;
    ScheduleSpec schedule;
    LimitsSpec limits;
    RetrySettings defaults;
    NotifySpec notify;
    SlaSpec sla;
    QList<TaskSpec> tasks;
    QMap<QString, QPointF> layout; // editor positions; not part of the run definition

    QString sourcePath; // file it was loaded from (absolute), empty if none

    int indexOf(const QString &taskId) const;
    const TaskSpec *task(const QString &taskId) const;
    TaskSpec *task(const QString &taskId);
    const ParamSpec *param(const QString &name) const;

    // Effective settings of a task: the task's own, else the flow's defaults, else built-ins.
    RetryPolicy retryPolicy(const TaskSpec &task) const;
    std::optional<qint64> timeoutMs(const TaskSpec &task) const; // nullopt = no timeout

    friend bool operator==(const Flow &a, const Flow &b)
    {
        return a.formatVersion == b.formatVersion && a.id == b.id && a.title == b.title
            && a.description == b.description && a.params == b.params && a.schedule == b.schedule
            && a.limits == b.limits && a.defaults == b.defaults && a.notify == b.notify
            && a.sla == b.sla && a.tasks == b.tasks && a.layout == b.layout;
    }
};

// Flow and task ids match [A-Za-z0-9_][A-Za-z0-9_.-]*.
bool isValidId(const QString &id);

} // namespace pw
