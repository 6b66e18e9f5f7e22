#pragma once

#include "model/result.h"

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QTime>
#include <QTimeZone>

#include <bitset>

namespace pw {

// A standard 5-field cron expression (minute hour day-of-month month day-of-week), evaluated
// in the local time of an IANA time zone. A value type; every function is reentrant.
//
// Syntax: numbers, names (JAN-DEC, SUN-SAT, case-insensitive, also inside ranges), `*`, ranges
// `a-b`, steps `*/n`, `a-b/n` and `a/n` (= a-max/n), lists `a,b-c,*/n`; day-of-week 0 and 7 are
// both Sunday. Presets: @yearly @annually @monthly @weekly @daily @midnight @hourly.
//
// Vixie cron's day rule: when both day-of-month and day-of-week are restricted, a day matches
// if EITHER matches. As in Vixie cron, a field that begins with `*` (also `*/2`) counts as
// unrestricted for this rule, and then both must match.
//
// Time zones and DST, like Vixie cron: the expression is matched against local wall-clock
// times. A matching local time that a spring-forward gap skips fires once, at the instant the
// gap ends (02:30 on a 02:00->03:00 day fires at 03:00 local); several skipped matches collapse
// into that one fire time. A local time that the fall-back repeats fires once, at its first
// occurrence.
class CronExpression
{
public:
    // Errors name the field and the bad token: "day-of-week: bad token 'FOO'".
    static Result<CronExpression> parse(const QString &text);

    // The first fire time strictly after `after`, as a UTC QDateTime. An error when there is
    // none within kSearchYears years (e.g. "0 0 30 2 *"), after a bounded search that skips
    // by month, day, hour and minute.
    Result<QDateTime> next(const QDateTime &after, const QTimeZone &zone) const;

    // Does this local wall-clock date and time (seconds ignored) match?
    bool matches(const QDate &date, const QTime &time) const;
    bool matchesDay(const QDate &date) const;

    const QString &text() const { return m_text; }

    // The instant of a local wall-clock time in `zone` under the DST rules above: the first
    // occurrence of a repeated time, the end of the gap for a skipped time. UTC QDateTime.
    static QDateTime localToUtc(const QDate &date, const QTime &time, const QTimeZone &zone);
    // Milliseconds since the epoch of local wall-clock ms (local time read as if it were UTC).
    static qint64 localMsToUtcMs(qint64 localMs, const QTimeZone &zone);
    // Local wall-clock time of an instant.
    static QDateTime utcToLocal(const QDateTime &instant, const QTimeZone &zone);

    // An IANA zone by name; empty = UTC. An error names an unknown zone.
    static Result<QTimeZone> timeZone(const QString &name);

    static constexpr int kSearchYears = 30;

    friend bool operator==(const CronExpression &a, const CronExpression &b)
    {
        return a.m_minutes == b.m_minutes && a.m_hours == b.m_hours && a.m_days == b.m_days
            && a.m_months == b.m_months && a.m_weekdays == b.m_weekdays
            && a.m_daysStar == b.m_daysStar && a.m_weekdaysStar == b.m_weekdaysStar;
    }

private:
    // Smallest local (date, minute of day) >= (date, minuteOfDay) that matches, or false when
    // none up to `limit`.
    bool nextLocal(QDate *date, int *minuteOfDay, const QDate &limit) const;

    QString m_text;
    std::bitset<60> m_minutes;
    std::bitset<24> m_hours;
    std::bitset<32> m_days;    // 1..31
    std::bitset<13> m_months;  // 1..12
    std::bitset<7> m_weekdays; // 0 = Sunday
    bool m_daysStar = false;
    bool m_weekdaysStar = false;
};

} // namespace pw
