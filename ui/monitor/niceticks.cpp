#include "niceticks.h"

#include <QCoreApplication>
#include <QDateTime>

#include <array>
#include <cmath>

namespace pw::NiceTicks {

double step(double raw)
{
    if (!(raw > 0) || !std::isfinite(raw))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        // A little slack so that 0.3 / 3 · 10 does not climb past 1 on a rounding error.
        if (m * magnitude >= raw * (1 - 1e-9))
            return m * magnitude;
    }
    return 10 * magnitude;
}

qint64 timeStep(qint64 rawMs)
{
    constexpr qint64 s = 1000, min = 60 * s, h = 60 * min, d = 24 * h;
    static constexpr std::array<qint64, 28> steps = {1, 2, 5, 10, 20, 50, 100, 200, 500, s, 2 * s,
        5 * s, 10 * s, 15 * s, 30 * s, min, 2 * min, 5 * min, 10 * min, 15 * min, 30 * min, h,
        2 * h, 3 * h, 6 * h, 12 * h, d, 2 * d};
    for (qint64 st : steps) {
        if (st >= rawMs)
            return st;
    }
    // Beyond two days: whole days of 1, 2 or 5 × 10ⁿ.
    return qint64(step(double(rawMs) / d)) * d;
}

qint64 timeStepFor(qint64 spanMs, double pixels, double minGapPx)
{
    if (spanMs <= 0 || pixels <= 0)
        return 1000;
    const double maxTicks = std::max(1.0, pixels / std::max(1.0, minGapPx));
    return timeStep(qint64(std::ceil(double(spanMs) / maxTicks)));
}

QList<qint64> timeTicks(qint64 loMs, qint64 hiMs, qint64 stepMs)
{
    QList<qint64> ticks;
    if (stepMs <= 0 || hiMs < loMs || (hiMs - loMs) / stepMs > 10000)
        return ticks;
    // Whole multiples in local time: 12:00:00 local, not 12:00:00 UTC plus the offset.
    const qint64 offset = qint64(QDateTime::fromMSecsSinceEpoch(loMs).offsetFromUtc()) * 1000;
    qint64 t = loMs + offset;
    t = (t / stepMs + (t % stepMs > 0 ? 1 : 0)) * stepMs - offset;
    for (; t <= hiMs; t += stepMs)
        ticks << t;
    return ticks;
}

QString timeLabel(qint64 ms, qint64 stepMs, bool withDate)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms);
    constexpr qint64 day = 24 * 3600 * 1000;
    if (stepMs >= day)
        return t.toString(QStringLiteral("MM-dd"));
    if (withDate || (stepMs >= 60 * 1000 && t.time().hour() == 0 && t.time().minute() == 0))
        return t.toString(
            stepMs >= 60 * 1000 ? QStringLiteral("MM-dd HH:mm") : QStringLiteral("MM-dd HH:mm:ss"));
    if (stepMs >= 60 * 1000)
        return t.toString(QStringLiteral("HH:mm"));
    if (stepMs >= 1000)
        return t.toString(QStringLiteral("HH:mm:ss"));
    const QString full = t.toString(QStringLiteral("HH:mm:ss.zzz"));
    const int digits = stepMs >= 100 ? 1 : stepMs >= 10 ? 2 : 3;
    return full.left(full.size() - (3 - digits));
}

DurationUnit durationUnit(double maxSeconds)
{
    const auto unit
        = [](const char *name) { return QCoreApplication::translate("pw::NiceTicks", name); };
    if (maxSeconds < 1)
        return {0.001, unit(QT_TRANSLATE_NOOP("pw::NiceTicks", "ms"))};
    if (maxSeconds < 120)
        return {1, unit(QT_TRANSLATE_NOOP("pw::NiceTicks", "s"))};
    if (maxSeconds < 7200)
        return {60, unit(QT_TRANSLATE_NOOP("pw::NiceTicks", "min"))};
    return {3600, unit(QT_TRANSLATE_NOOP("pw::NiceTicks", "h"))};
}

} // namespace pw::NiceTicks
