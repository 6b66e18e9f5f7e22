#pragma once

#include "result.h"

#include <QString>

namespace pw {

// Durations in flow files: a sequence of <number><unit> with units d, h, m, s, ms, optionally
// signed ("-1d", "1h30m", "90s", "250ms"). A bare integer means seconds. Each number and the
// total are at most 1,000,000,000 (days), so every result prints back as parseable text.
namespace Duration {
Result<qint64> parseMs(const QString &text);
// Shortest canonical text: 300000 -> "5m", 5400000 -> "1h30m", -86400000 -> "-1d".
QString format(qint64 ms);
} // namespace Duration

} // namespace pw
