// libFuzzer harness for cron expressions (docs/hardening.md says how to run it).
//
// Properties checked on every input (the bytes read as UTF-8):
// - CronExpression::parse never crashes and parses the same text to an equal expression;
// - for a parsed expression, next() from fixed instants in UTC and in zones with DST returns
//   (within its bounded search) an instant strictly later than the start, and in UTC that
//   instant's wall-clock time matches the expression.
#include "model/cronexpression.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void fail(const char *what, const QString &input, const QString &got)
{
    std::fprintf(
        stderr, "%s\ninput: [%s]\ngot:   [%s]\n", what, qPrintable(input), qPrintable(got));
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size > 256)
        return 0; // cron expressions are short; long inputs only slow the search down
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto cron = pw::CronExpression::parse(text);
    if (!cron) {
        if (cron.error().message.isEmpty())
            fail("error without a message", text, QString());
        return 0;
    }
    const auto again = pw::CronExpression::parse(cron->text());
    if (!again || !(*again == *cron))
        fail("parsing the expression's own text differs", text, cron->text());

    static const QTimeZone zones[]
        = {QTimeZone(QByteArrayLiteral("UTC")), QTimeZone(QByteArrayLiteral("America/New_York")),
            QTimeZone(QByteArrayLiteral("Australia/Lord_Howe"))};
    static const QDateTime starts[] = {
        QDateTime(QDate(2026, 3, 8), QTime(6, 59, 30), QTimeZone::utc()),
        QDateTime(QDate(2026, 11, 1), QTime(5, 30), QTimeZone::utc()),
    };
    for (const QTimeZone &zone : zones) {
        if (!zone.isValid())
            continue;
        for (const QDateTime &start : starts) {
            const auto next = cron->next(start, zone);
            if (!next)
                continue; // e.g. "0 0 30 2 *": no fire time
            if (!(*next > start))
                fail("next() is not after the start", text, next->toString(Qt::ISODate));
            if (zone.id() == "UTC" && !cron->matches(next->date(), next->time()))
                fail("next() in UTC does not match", text, next->toString(Qt::ISODate));
        }
    }
    return 0;
}
