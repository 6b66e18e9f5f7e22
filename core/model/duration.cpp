#include "duration.h"

namespace pw::Duration {

namespace {
// The largest duration: 1,000,000,000 days (also the largest number parseMs takes per part).
constexpr qint64 kMaxMs = 1000000000LL * 86400000LL;
} // namespace

Result<qint64> parseMs(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return fail(QStringLiteral("empty duration"));
    int i = 0;
    bool negative = false;
    if (t[0] == QLatin1Char('-') || t[0] == QLatin1Char('+')) {
        negative = t[0] == QLatin1Char('-');
        ++i;
    }
    if (i >= t.size())
        return fail(QStringLiteral("invalid duration '%1'").arg(text));
    qint64 total = 0;
    bool any = false;
    while (i < t.size()) {
        const int start = i;
        while (i < t.size() && t[i].isDigit())
            ++i;
        if (i == start)
            return fail(QStringLiteral("invalid duration '%1' (expected e.g. 30s, 5m, 1h30m, 1d)")
                            .arg(text));
        bool ok = false;
        const qint64 n = t.mid(start, i - start).toLongLong(&ok);
        if (!ok || n > 1000000000LL)
            return fail(QStringLiteral("duration '%1' is out of range").arg(text));
        qint64 unit = 1000;
        if (i < t.size()) {
            if (t.mid(i, 2) == QLatin1String("ms")) {
                unit = 1;
                i += 2;
            } else {
                switch (t[i].unicode()) {
                case 'd':
                    unit = 86400000;
                    break;
                case 'h':
                    unit = 3600000;
                    break;
                case 'm':
                    unit = 60000;
                    break;
                case 's':
                    unit = 1000;
                    break;
                default:
                    return fail(
                        QStringLiteral("invalid duration unit in '%1' (use d, h, m, s or ms)")
                            .arg(text));
                }
                ++i;
            }
        } else if (any) {
            return fail(QStringLiteral("invalid duration '%1': number without unit").arg(text));
        }
        // n * unit <= 8.64e16 cannot overflow; the sum is capped so that it cannot either,
        // and so that format() prints it with numbers parseMs accepts again.
        if (n * unit > kMaxMs - total)
            return fail(QStringLiteral("duration '%1' is out of range").arg(text));
        total += n * unit;
        any = true;
    }
    return negative ? -total : total;
}

QString format(qint64 msIn)
{
    if (msIn == 0)
        return QStringLiteral("0s");
    QString out;
    // Unsigned, so that the most negative qint64 has a magnitude too.
    quint64 ms = quint64(msIn);
    if (msIn < 0) {
        out += QLatin1Char('-');
        ms = 0 - ms;
    }
    const struct
    {
        quint64 unit;
        const char *name;
    } units[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
    for (const auto &u : units) {
        if (ms >= u.unit) {
            out += QString::number(ms / u.unit) + QLatin1String(u.name);
            ms %= u.unit;
        }
    }
    return out;
}

} // namespace pw::Duration
