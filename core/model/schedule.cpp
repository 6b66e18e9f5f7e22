#include "schedule.h"

namespace pw {

namespace {

// The cron error with "cron: " in front, once.
QString cronError(const Error &e)
{
    return e.message.startsWith(QLatin1String("cron: ")) ? e.message
                                                         : QStringLiteral("cron: ") + e.message;
}

} // namespace

Result<Schedule> Schedule::parse(const ScheduleSpec &spec)
{
    auto s = parse(spec.cron, spec.timezone);
    if (!s)
        return fail(QStringLiteral("schedule: ") + s.error().message);
    s->m_spec = spec;
    return s;
}

Result<Schedule> Schedule::parse(const QString &cronText, const QString &zoneName)
{
    auto cron = CronExpression::parse(cronText);
    if (!cron)
        return fail(cronError(cron.error()));
    PW_TRY_ASSIGN(zone, CronExpression::timeZone(zoneName));
    Schedule s;
    s.m_spec.cron = cronText;
    s.m_spec.timezone = zoneName;
    s.m_cron = std::move(*cron);
    s.m_zone = zone;
    return s;
}

QString Schedule::zoneName() const
{
    return m_spec.timezone.isEmpty() ? QStringLiteral("UTC") : QString::fromUtf8(m_zone.id());
}

Result<QDateTime> Schedule::next(const QDateTime &after) const
{
    return m_cron.next(after, m_zone);
}

QList<QDateTime> Schedule::due(const QDateTime &after, const QDateTime &now, int max) const
{
    QList<QDateTime> out;
    if (m_spec.catchup) {
        QDateTime cur = after;
        while (out.size() < max) {
            auto n = next(cur);
            if (!n || *n > now)
                break;
            out << *n;
            cur = *n;
        }
        return out;
    }
    QDateTime latest;
    for (qint64 windowMs : {3600'000LL, 86400'000LL, 32 * 86400'000LL, 366 * 86400'000LL, 0LL}) {
        const QDateTime from = windowMs ? std::max(after, now.addMSecs(-windowMs)) : after;
        QDateTime cur = from;
        while (true) {
            auto n = next(cur);
            if (!n || *n > now)
                break;
            latest = *n;
            cur = *n;
        }
        if (latest.isValid() || from == after)
            break;
    }
    if (latest.isValid() && max > 0)
        out << latest;
    return out;
}

QDateTime Schedule::startBound() const
{
    return m_spec.start ? midnight(*m_spec.start).addMSecs(-1) : QDateTime();
}

QDate Schedule::paramDate(const QDateTime &fire) const
{
    const qint64 wall = toLocal(fire).toMSecsSinceEpoch()
        + (m_spec.param.isEmpty() ? 0 : m_spec.offsetMs.value_or(0));
    return QDateTime::fromMSecsSinceEpoch(wall, Qt::UTC).date();
}

Result<QString> Schedule::paramValue(const Flow &flow, const QDateTime &fire) const
{
    const ParamSpec *param = flow.param(m_spec.param);
    if (!param)
        return fail(QStringLiteral("schedule.param '%1' is not a declared parameter of flow %2")
                        .arg(m_spec.param, flow.id));
    const qint64 wall = toLocal(fire).toMSecsSinceEpoch() + m_spec.offsetMs.value_or(0);
    switch (param->type) {
    case ParamType::Date:
        return QDateTime::fromMSecsSinceEpoch(wall, Qt::UTC).date().toString(Qt::ISODate);
    case ParamType::DateTime:
        return QDateTime::fromMSecsSinceEpoch(CronExpression::localMsToUtcMs(wall, m_zone), Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
    default:
        return fail(QStringLiteral("schedule.param '%1' must be a date or datetime parameter")
                        .arg(m_spec.param));
    }
}

} // namespace pw
