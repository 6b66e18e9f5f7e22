#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>

namespace pw {

// Axis ticks a reader can add up in their head (issue 17 item 4): value steps of 1, 2 or 5 × 10ⁿ,
// clock steps that divide the next unit (…, 500 ms, 1 s, 2 s, 5 s, 10 s, 15 s, 30 s, 1 min, …),
// ticks on whole multiples of the step in local time, and a duration unit that fits the data.
namespace NiceTicks {

// The smallest step of 1, 2 or 5 × 10ⁿ that is ≥ `raw` (> 0).
double step(double raw);
// The smallest clock step ≥ `rawMs`, in ms.
qint64 timeStep(qint64 rawMs);
// The clock step for `spanMs` on `pixels`, with labels at least `minGapPx` apart.
qint64 timeStepFor(qint64 spanMs, double pixels, double minGapPx);
// The multiples of `stepMs` (in local time) within [loMs, hiMs].
QList<qint64> timeTicks(qint64 loMs, qint64 hiMs, qint64 stepMs);
// A tick label at the step's precision: "12:04", "12:04:30", "12:04:30.5", "12-01" (steps of
// days); midnight, or every label `withDate`, gets the date: "12-01 00:00".
QString timeLabel(qint64 ms, qint64 stepMs, bool withDate = false);

// How to show durations whose largest is `maxSeconds`: the unit's length in seconds and its name
// (ms, s, min, h).
struct DurationUnit
{
    double seconds = 1;
    QString name;
};
DurationUnit durationUnit(double maxSeconds);

} // namespace NiceTicks
} // namespace pw
