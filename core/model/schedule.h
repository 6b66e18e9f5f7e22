#pragma once

#include "cronexpression.h"
#include "flow.h"
#include "result.h"

#include <QDateTime>
#include <QList>
#include <QTimeZone>

namespace pw {

// A flow's `schedule:` parsed once: its cron expression evaluated in its time zone, whether
// missed fires catch up, and the parameter a fire feeds (DESIGN §4). The one place that turns
// cron + zone text into fire times; the scheduler, backfill, the notifier's SLA, the window's
// "next:" label and `pipewright-cli next` all go through it. A value; every function is
// reentrant. All instants are UTC QDateTimes.
class Schedule
{
public:
    // From a flow's schedule (which must be set). Errors: "schedule: cron: <why>" or
    // "schedule: unknown time zone 'X'".
    static Result<Schedule> parse(const ScheduleSpec &spec);
    // A bare expression in a zone (empty = UTC), for `pipewright-cli next --cron EXPR --tz ZONE`.
    static Result<Schedule> parse(const QString &cron, const QString &zone);

    const CronExpression &cron() const { return m_cron; }
    const QTimeZone &zone() const { return m_zone; }
    // The zone's IANA name, "UTC" for the default.
    QString zoneName() const;
    const ScheduleSpec &spec() const { return m_spec; }

    // The first fire time strictly after `after`; an error when there is none in
    // CronExpression::kSearchYears years.
    Result<QDateTime> next(const QDateTime &after) const;

    // The fire times in (after, now] that are due, oldest first: with catchup every one of
    // them (at most `max`), else only the latest (found in growing look-back windows, so a long
    // pause does not walk every missed minute).
    QList<QDateTime> due(const QDateTime &after, const QDateTime &now, int max) const;

    // The first instant a schedule with `start:` may fire after (the start date's 00:00 local,
    // minus 1 ms); invalid without a start.
    QDateTime startBound() const;

    // The value `schedule.param` gets for a fire: the fire's local wall time shifted by the
    // offset, as a canonical date or datetime. An error when the parameter is not declared in
    // `flow` or is not a date/datetime.
    Result<QString> paramValue(const Flow &flow, const QDateTime &fire) const;
    // The local date that value names (the offset applies only with a param).
    QDate paramDate(const QDateTime &fire) const;

    // Local wall-clock time of an instant, and the instant of a local date's midnight.
    QDateTime toLocal(const QDateTime &instant) const
    {
        return CronExpression::utcToLocal(instant, m_zone);
    }
    QDateTime midnight(const QDate &date) const
    {
        return CronExpression::localToUtc(date, QTime(0, 0), m_zone);
    }

private:
    ScheduleSpec m_spec;
    CronExpression m_cron;
    QTimeZone m_zone = QTimeZone::utc();
};

} // namespace pw
