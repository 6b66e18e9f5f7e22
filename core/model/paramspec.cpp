#include "paramspec.h"

#include "enumnames.h"

#include <QRegularExpression>
#include <QTimeZone>

namespace pw {

namespace {
constexpr std::array kParamTypes{"string", "int", "bool", "date", "datetime", "choice"};

QString isoUtc(const QDateTime &dt)
{
    return dt.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QLatin1Char('Z');
}

Error paramError(const QString &name, const QString &expected, const QString &raw)
{
    return Error(QStringLiteral("parameter '%1': expected %2, got '%3'").arg(name, expected, raw));
}

// Strict YYYY-MM-DD (QDate::fromString alone also accepts e.g. "2026-1-5" with other formats).
std::optional<QDate> parseDate(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (!re.match(s).hasMatch())
        return std::nullopt;
    const QDate d = QDate::fromString(s, Qt::ISODate);
    if (!d.isValid())
        return std::nullopt;
    return d;
}

} // namespace

QString toString(ParamType t)
{
    return QString::fromLatin1(kParamTypes[size_t(t)]);
}

std::optional<ParamType> paramTypeFromString(const QString &s)
{
    return detail::lookupName<ParamType>(kParamTypes, s);
}

// `today` and dates are taken in the time zone of `now` (the caller passes local time, or a
// zone-specific clock in tests). Datetimes without an offset are local times in that zone;
// every datetime is converted to UTC, whole seconds.
Result<QString> ParamSpec::canonicalize(const QString &raw, const QDateTime &now) const
{
    // A command line ends at its first NUL: the rest of a command after such a value would be
    // dropped without a word. No type's value may hold one.
    if (raw.contains(QChar(0)))
        return Unexpected(Error(
            QStringLiteral("parameter '%1': a value may not contain a NUL character").arg(name)));
    const QString v = type == ParamType::String ? raw : raw.trimmed();
    switch (type) {
    case ParamType::String:
        return raw;
    case ParamType::Int: {
        static const QRegularExpression re(QStringLiteral("^[+-]?\\d+$"));
        bool ok = false;
        const qlonglong n = re.match(v).hasMatch() ? v.toLongLong(&ok, 10) : 0;
        if (!ok)
            return Unexpected(paramError(name, QStringLiteral("an integer"), raw));
        return QString::number(n);
    }
    case ParamType::Bool: {
        const QString l = v.toLower();
        if (l == QLatin1String("true") || l == QLatin1String("yes") || l == QLatin1String("1")
            || l == QLatin1String("on"))
            return QStringLiteral("true");
        if (l == QLatin1String("false") || l == QLatin1String("no") || l == QLatin1String("0")
            || l == QLatin1String("off"))
            return QStringLiteral("false");
        return Unexpected(paramError(name, QStringLiteral("true or false"), raw));
    }
    case ParamType::Date: {
        if (v.compare(QLatin1String("today"), Qt::CaseInsensitive) == 0)
            return now.date().toString(Qt::ISODate);
        if (v.compare(QLatin1String("yesterday"), Qt::CaseInsensitive) == 0)
            return now.date().addDays(-1).toString(Qt::ISODate);
        if (const auto d = parseDate(v))
            return d->toString(Qt::ISODate);
        return Unexpected(paramError(name, QStringLiteral("a date YYYY-MM-DD or 'today'"), raw));
    }
    case ParamType::DateTime: {
        const QString expected
            = QStringLiteral("a datetime YYYY-MM-DDTHH:MM:SSZ (or with an offset, or 'now')");
        if (v.compare(QLatin1String("now"), Qt::CaseInsensitive) == 0) {
            QDateTime t = now;
            t.setTime(QTime(t.time().hour(), t.time().minute(), t.time().second()));
            return isoUtc(t);
        }
        if (v.compare(QLatin1String("today"), Qt::CaseInsensitive) == 0)
            return isoUtc(QDateTime(now.date(), QTime(0, 0), now.timeZone()));
        static const QRegularExpression re(
            QStringLiteral("^(\\d{4}-\\d{2}-\\d{2})(?:[T "
                           "](\\d{2}):(\\d{2})(?::(\\d{2}))?(Z|[+-]\\d{2}:?\\d{2})?)?$"));
        const QRegularExpressionMatch m = re.match(v);
        if (!m.hasMatch())
            return Unexpected(paramError(name, expected, raw));
        const auto d = parseDate(m.captured(1));
        QTime time(0, 0);
        if (m.hasCaptured(2))
            time = QTime(m.captured(2).toInt(), m.captured(3).toInt(),
                m.hasCaptured(4) ? m.captured(4).toInt() : 0);
        if (!d || !time.isValid())
            return Unexpected(paramError(name, expected, raw));
        const QString zone = m.captured(5);
        QDateTime dt;
        if (zone.isEmpty()) {
            dt = QDateTime(*d, time, now.timeZone());
        } else if (zone == QLatin1String("Z")) {
            dt = QDateTime(*d, time, QTimeZone::utc());
        } else {
            QString digits = zone.mid(1);
            digits.remove(QLatin1Char(':'));
            const int hours = digits.left(2).toInt();
            const int minutes = digits.mid(2).toInt();
            if (hours > 23 || minutes > 59)
                return Unexpected(paramError(name, expected, raw));
            const int sign = zone.startsWith(QLatin1Char('-')) ? -1 : 1;
            dt = QDateTime(*d, time, QTimeZone(sign * (hours * 3600 + minutes * 60)));
        }
        if (!dt.isValid())
            return Unexpected(paramError(name, expected, raw));
        return isoUtc(dt);
    }
    case ParamType::Choice:
        if (values.contains(v))
            return v;
        return Unexpected(
            paramError(name, QStringLiteral("one of: ") + values.join(QStringLiteral(", ")), raw));
    }
    return raw;
}

} // namespace pw
