#include "cronexpression.h"

#include <QRegularExpression>
#include <QStringList>

#include <array>

namespace pw {

namespace {

struct FieldSpec
{
    const char *name;
    int min;
    int max;
    const char *const *names; // names[i] is the name of value min + i, or nullptr
    int nameCount;
};

const char *const kMonthNames[]
    = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const char *const kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

// day-of-week accepts 0-7 (7 = Sunday); names map to 0-6.
const std::array<FieldSpec, 5> kFields = {{
    {"minute", 0, 59, nullptr, 0},
    {"hour", 0, 23, nullptr, 0},
    {"day-of-month", 1, 31, nullptr, 0},
    {"month", 1, 12, kMonthNames, 12},
    {"day-of-week", 0, 7, kDayNames, 7},
}};

constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kDayMs = 24 * 60 * kMinuteMs;

Error fieldError(const FieldSpec &f, const QString &message)
{
    return Error(QString::fromLatin1(f.name) + QStringLiteral(": ") + message);
}

// A number or (where the field has them) a name; -1 when the token is neither.
int parseValue(const FieldSpec &f, const QString &token)
{
    if (token.isEmpty())
        return -1;
    bool ok = false;
    const int n = token.toInt(&ok, 10);
    if (ok && !token.startsWith(QLatin1Char('+')) && !token.startsWith(QLatin1Char('-')))
        return n;
    for (int i = 0; i < f.nameCount; ++i) {
        if (token.compare(QLatin1String(f.names[i]), Qt::CaseInsensitive) == 0)
            return f.min + i;
    }
    return -1;
}

// Parses one field into a mask of bits min..max. `star` = the field begins with '*'.
Result<quint64> parseField(const FieldSpec &f, const QString &text)
{
    quint64 mask = 0;
    const QStringList items = text.split(QLatin1Char(','));
    for (const QString &item : items) {
        if (item.isEmpty())
            return Unexpected(fieldError(f, QStringLiteral("empty item in list '%1'").arg(text)));
        QString base = item;
        int step = 1;
        bool hasStep = false;
        const int slash = item.indexOf(QLatin1Char('/'));
        if (slash >= 0) {
            base = item.left(slash);
            const QString stepText = item.mid(slash + 1);
            bool ok = false;
            step = stepText.toInt(&ok, 10);
            if (!ok || stepText.startsWith(QLatin1Char('+'))
                || stepText.startsWith(QLatin1Char('-')))
                return Unexpected(fieldError(
                    f, QStringLiteral("bad token '%1'").arg(stepText.isEmpty() ? item : stepText)));
            if (step <= 0)
                return Unexpected(
                    fieldError(f, QStringLiteral("step must be positive in '%1'").arg(item)));
            hasStep = true;
        }
        int lo = 0;
        int hi = 0;
        if (base == QLatin1String("*")) {
            lo = f.min;
            hi = f.max;
        } else {
            const int dash = base.indexOf(QLatin1Char('-'));
            const QString a = dash >= 0 ? base.left(dash) : base;
            lo = parseValue(f, a);
            if (lo < 0)
                return Unexpected(
                    fieldError(f, QStringLiteral("bad token '%1'").arg(a.isEmpty() ? item : a)));
            if (dash >= 0) {
                const QString b = base.mid(dash + 1);
                hi = parseValue(f, b);
                if (hi < 0)
                    return Unexpected(fieldError(
                        f, QStringLiteral("bad token '%1'").arg(b.isEmpty() ? item : b)));
            } else {
                hi = hasStep ? f.max : lo; // a/n = a-max/n
            }
            for (int v : {lo, hi}) {
                if (v < f.min || v > f.max) {
                    return Unexpected(fieldError(f,
                        QStringLiteral("value %1 is out of range %2-%3 in '%4'")
                            .arg(v)
                            .arg(f.min)
                            .arg(f.max)
                            .arg(item)));
                }
            }
            if (lo > hi) {
                return Unexpected(fieldError(f,
                    QStringLiteral("range '%1' goes backwards (write %2-%3)")
                        .arg(base)
                        .arg(hi)
                        .arg(lo)));
            }
        }
        // `step` may be as large as an int: never add past `hi` (signed overflow).
        for (int v = lo; v <= hi; v += step) {
            mask |= quint64(1) << v;
            if (step > hi - v)
                break;
        }
    }
    return mask;
}

qint64 offsetMsAt(const QTimeZone &zone, qint64 utcMs)
{
    return qint64(zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(utcMs, Qt::UTC))) * 1000;
}

} // namespace

Result<CronExpression> CronExpression::parse(const QString &textIn)
{
    const QString text = textIn.trimmed();
    QString expanded = text;
    if (text.startsWith(QLatin1Char('@'))) {
        const QString preset = text.toLower();
        if (preset == QLatin1String("@yearly") || preset == QLatin1String("@annually"))
            expanded = QStringLiteral("0 0 1 1 *");
        else if (preset == QLatin1String("@monthly"))
            expanded = QStringLiteral("0 0 1 * *");
        else if (preset == QLatin1String("@weekly"))
            expanded = QStringLiteral("0 0 * * 0");
        else if (preset == QLatin1String("@daily") || preset == QLatin1String("@midnight"))
            expanded = QStringLiteral("0 0 * * *");
        else if (preset == QLatin1String("@hourly"))
            expanded = QStringLiteral("0 * * * *");
        else
            return fail(QStringLiteral("cron: unknown preset '%1' (@yearly, @annually, @monthly, "
                                       "@weekly, @daily, @midnight, @hourly)")
                            .arg(text));
    }
    static const QRegularExpression ws(QStringLiteral("\\s+"));
    const QStringList fields = expanded.split(ws, Qt::SkipEmptyParts);
    if (fields.size() != 5) {
        return fail(QStringLiteral("cron: expected 5 fields (minute hour day-of-month month "
                                   "day-of-week), got %1 in '%2'")
                        .arg(fields.size())
                        .arg(text));
    }
    CronExpression c;
    c.m_text = text;
    quint64 masks[5] = {};
    for (int i = 0; i < 5; ++i) {
        PW_TRY_ASSIGN(mask, parseField(kFields[size_t(i)], fields[i]));
        masks[i] = mask;
    }
    for (int v = 0; v < 60; ++v)
        c.m_minutes[size_t(v)] = (masks[0] >> v) & 1;
    for (int v = 0; v < 24; ++v)
        c.m_hours[size_t(v)] = (masks[1] >> v) & 1;
    for (int v = 1; v <= 31; ++v)
        c.m_days[size_t(v)] = (masks[2] >> v) & 1;
    for (int v = 1; v <= 12; ++v)
        c.m_months[size_t(v)] = (masks[3] >> v) & 1;
    for (int v = 0; v <= 7; ++v) {
        if ((masks[4] >> v) & 1)
            c.m_weekdays[size_t(v % 7)] = true;
    }
    c.m_daysStar = fields[2].startsWith(QLatin1Char('*'));
    c.m_weekdaysStar = fields[4].startsWith(QLatin1Char('*'));
    return c;
}

bool CronExpression::matchesDay(const QDate &date) const
{
    if (!m_months[size_t(date.month())])
        return false;
    const bool dom = m_days[size_t(date.day())];
    const bool dow = m_weekdays[size_t(date.dayOfWeek() % 7)];
    if (m_daysStar || m_weekdaysStar)
        return dom && dow;
    return dom || dow;
}

bool CronExpression::matches(const QDate &date, const QTime &time) const
{
    return matchesDay(date) && m_hours[size_t(time.hour())] && m_minutes[size_t(time.minute())];
}

bool CronExpression::nextLocal(QDate *date, int *minuteOfDay, const QDate &limit) const
{
    QDate d = *date;
    int m = *minuteOfDay;
    while (d <= limit) {
        if (!m_months[size_t(d.month())]) {
            d = QDate(d.year(), d.month(), 1).addMonths(1);
            m = 0;
            continue;
        }
        if (!matchesDay(d)) {
            d = d.addDays(1);
            m = 0;
            continue;
        }
        for (int h = m / 60; h < 24; ++h) {
            if (!m_hours[size_t(h)])
                continue;
            for (int mm = (h == m / 60 ? m % 60 : 0); mm < 60; ++mm) {
                if (m_minutes[size_t(mm)]) {
                    *date = d;
                    *minuteOfDay = h * 60 + mm;
                    return true;
                }
            }
        }
        d = d.addDays(1);
        m = 0;
    }
    return false;
}

Result<QDateTime> CronExpression::next(const QDateTime &after, const QTimeZone &zone) const
{
    if (!after.isValid())
        return fail(QStringLiteral("cron: invalid start time"));
    if (!zone.isValid())
        return fail(QStringLiteral("cron: invalid time zone"));
    const qint64 afterMs = after.toMSecsSinceEpoch();
    const qint64 localMs = afterMs + offsetMsAt(zone, afterMs);
    // Local wall time as (date, minute of day); start at the next whole minute.
    qint64 startMin
        = localMs >= 0 ? localMs / kMinuteMs + 1 : -((-localMs + kMinuteMs - 1) / kMinuteMs) + 1;
    const qint64 epochDay
        = startMin >= 0 ? startMin / (24 * 60) : -((-startMin + 24 * 60 - 1) / (24 * 60));
    QDate d = QDate(1970, 1, 1).addDays(epochDay);
    int m = int(startMin - epochDay * 24 * 60);
    const QDate limit = d.addYears(kSearchYears);
    // Local matches are visited in wall-clock order; their instants never decrease, so the
    // first one after `after` is the answer. Matches inside a repeated hour whose first
    // occurrence is already past are skipped (at most an hour's worth).
    while (nextLocal(&d, &m, limit)) {
        const qint64 wall = (QDate(1970, 1, 1).daysTo(d)) * kDayMs + qint64(m) * kMinuteMs;
        const qint64 utc = localMsToUtcMs(wall, zone);
        if (utc > afterMs)
            return QDateTime::fromMSecsSinceEpoch(utc, Qt::UTC);
        if (++m >= 24 * 60) {
            m = 0;
            d = d.addDays(1);
        }
    }
    return fail(QStringLiteral("cron: '%1' has no fire time within %2 years after %3")
                    .arg(m_text)
                    .arg(kSearchYears)
                    .arg(after.toUTC().toString(Qt::ISODate)));
}

qint64 CronExpression::localMsToUtcMs(qint64 wall, const QTimeZone &zone)
{
    // The offsets in force around this wall time (no zone changes twice within 36 hours).
    constexpr qint64 kWindow = 18 * 3600 * 1000LL;
    const qint64 before = offsetMsAt(zone, wall - kWindow);
    const qint64 after = offsetMsAt(zone, wall + kWindow);
    qint64 best = 0;
    bool found = false;
    for (qint64 off : {before, after}) {
        const qint64 u = wall - off;
        if (offsetMsAt(zone, u) == off && (!found || u < best)) {
            best = u;
            found = true;
        }
    }
    if (found)
        return best;
    // In a gap: the wall time lies between transition + smaller offset and transition +
    // larger offset. Fire at the transition (the end of the gap), found by bisection.
    qint64 lo = wall - std::max(before, after); // offset there is the earlier one
    qint64 hi = wall - std::min(before, after); // offset there is the later one
    const qint64 loOff = offsetMsAt(zone, lo);
    while (hi - lo > 1) {
        const qint64 mid = lo + (hi - lo) / 2;
        if (offsetMsAt(zone, mid) == loOff)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

QDateTime CronExpression::localToUtc(const QDate &date, const QTime &time, const QTimeZone &zone)
{
    const qint64 wall = QDate(1970, 1, 1).daysTo(date) * kDayMs + time.msecsSinceStartOfDay();
    return QDateTime::fromMSecsSinceEpoch(localMsToUtcMs(wall, zone), Qt::UTC);
}

Result<QTimeZone> CronExpression::timeZone(const QString &name)
{
    if (name.isEmpty() || name == QLatin1String("UTC"))
        return QTimeZone(QByteArrayLiteral("UTC"));
    const QTimeZone zone(name.toUtf8());
    if (!zone.isValid())
        return fail(
            QStringLiteral("unknown time zone '%1' (use an IANA name such as Europe/Berlin)")
                .arg(name));
    return zone;
}

QDateTime CronExpression::utcToLocal(const QDateTime &instant, const QTimeZone &zone)
{
    const qint64 ms = instant.toMSecsSinceEpoch();
    return QDateTime::fromMSecsSinceEpoch(ms + offsetMsAt(zone, ms), Qt::UTC);
}

} // namespace pw
