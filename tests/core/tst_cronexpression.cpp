#include "model/cronexpression.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QtTest>

using namespace pw;

namespace {

QDateTime utc(const char *iso)
{
    QDateTime d = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
    return d.toUTC();
}

QString isoZ(const QDateTime &d)
{
    return d.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

QStringList fireTimes(
    const CronExpression &c, const QDateTime &after, const QTimeZone &zone, int count)
{
    QStringList out;
    QDateTime t = after;
    for (int i = 0; i < count; ++i) {
        auto n = c.next(t, zone);
        if (!n)
            break;
        out << isoZ(*n);
        t = *n;
    }
    return out;
}

} // namespace

class TestCronExpression : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void parseValid_data();
    void parseValid();
    void parseErrors_data();
    void parseErrors();
    void matches_data();
    void matches();
    void generatedTable_data();
    void generatedTable();
    void handPicked_data();
    void handPicked();
    void impossibleIsBoundedError_data();
    void impossibleIsBoundedError();
    void properties_data();
    void properties();
    void localToUtc_data();
    void localToUtc();
};

void TestCronExpression::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    for (const char *z : {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Seoul"})
        QVERIFY2(QTimeZone(QByteArray(z)).isValid(), z);
}

// clang-format off
void TestCronExpression::parseValid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("same"); // an equivalent expression
    QTest::newRow("star") << "* * * * *" << "0-59 0-23 1-31 1-12 0-6";
    QTest::newRow("spaces") << "  0   3 * *   * " << "0 3 * * *";
    QTest::newRow("month names") << "0 0 1 jan,Mar,DEC *" << "0 0 1 1,3,12 *";
    QTest::newRow("month name range") << "0 0 1 FEB-apr *" << "0 0 1 2-4 *";
    QTest::newRow("day names") << "0 0 * * sun,MON,Sat" << "0 0 * * 0,1,6";
    QTest::newRow("day name range") << "0 0 * * Mon-Fri" << "0 0 * * 1-5";
    QTest::newRow("7 is sunday") << "0 0 * * 7" << "0 0 * * 0";
    QTest::newRow("5-7") << "0 0 * * 5-7" << "0 0 * * 0,5,6";
    QTest::newRow("step star") << "*/15 * * * *" << "0,15,30,45 * * * *";
    QTest::newRow("step range") << "10-20/5 * * * *" << "10,15,20 * * * *";
    QTest::newRow("step from value") << "50/3 * * * *" << "50,53,56,59 * * * *";
    QTest::newRow("big step") << "*/90 * * * *" << "0 * * * *";
    QTest::newRow("list mix") << "1,5-7,*/30 * * * *" << "0,1,5,6,7,30 * * * *";
    QTest::newRow("@yearly") << "@yearly" << "0 0 1 1 *";
    QTest::newRow("@annually") << "@ANNUALLY" << "0 0 1 1 *";
    QTest::newRow("@monthly") << "@monthly" << "0 0 1 * *";
    QTest::newRow("@weekly") << "@weekly" << "0 0 * * 0";
    QTest::newRow("@daily") << "@daily" << "0 0 * * *";
    QTest::newRow("@midnight") << "@midnight" << "0 0 * * *";
    QTest::newRow("@hourly") << "@hourly" << "0 * * * *";
}
// clang-format on

void TestCronExpression::parseValid()
{
    QFETCH(QString, text);
    QFETCH(QString, same);
    auto a = CronExpression::parse(text);
    QVERIFY2(a.has_value(), a ? "" : qPrintable(a.error().message));
    auto b = CronExpression::parse(same);
    QVERIFY2(b.has_value(), b ? "" : qPrintable(b.error().message));
    // Equivalence is checked by behaviour (the star flags of the day rule may differ).
    const QTimeZone z("Europe/Berlin");
    QCOMPARE(fireTimes(*a, utc("2026-03-27T10:00:00Z"), z, 40),
        fireTimes(*b, utc("2026-03-27T10:00:00Z"), z, 40));
}

// clang-format off
void TestCronExpression::parseErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << "" << "expected 5 fields";
    QTest::newRow("four fields") << "* * * *" << "expected 5 fields (minute hour day-of-month month day-of-week), got 4";
    QTest::newRow("six fields") << "* * * * * *" << "got 6";
    QTest::newRow("bad dow name") << "0 0 * * FOO" << "day-of-week: bad token 'FOO'";
    QTest::newRow("bad month name") << "0 0 1 JANUARY *" << "month: bad token 'JANUARY'";
    QTest::newRow("name in minute") << "MON * * * *" << "minute: bad token 'MON'";
    QTest::newRow("minute 60") << "60 * * * *" << "minute: value 60 is out of range 0-59";
    QTest::newRow("hour 24") << "0 24 * * *" << "hour: value 24 is out of range 0-23";
    QTest::newRow("dom 0") << "0 0 0 * *" << "day-of-month: value 0 is out of range 1-31";
    QTest::newRow("dom 32") << "0 0 32 * *" << "day-of-month: value 32 is out of range 1-31";
    QTest::newRow("month 13") << "0 0 1 13 *" << "month: value 13 is out of range 1-12";
    QTest::newRow("dow 8") << "0 0 * * 8" << "day-of-week: value 8 is out of range 0-7";
    QTest::newRow("step 0") << "*/0 * * * *" << "minute: step must be positive";
    QTest::newRow("bad step") << "*/x * * * *" << "minute: bad token 'x'";
    QTest::newRow("negative") << "-5 * * * *" << "minute: bad token";
    QTest::newRow("backwards") << "0 5-2 * * *" << "hour: range '5-2' goes backwards";
    QTest::newRow("empty item") << "1,,2 * * * *" << "minute: empty item";
    QTest::newRow("open range") << "0 0 1- * *" << "day-of-month: bad token '1-'";
    QTest::newRow("unknown preset") << "@often" << "unknown preset '@often'";
    QTest::newRow("@reboot") << "@reboot" << "unknown preset '@reboot'";
    QTest::newRow("L is not cron") << "0 0 L * *" << "day-of-month: bad token 'L'";
    QTest::newRow("question mark") << "0 0 ? * *" << "day-of-month: bad token '?'";
    QTest::newRow("plus") << "+5 * * * *" << "minute: bad token '+5'";
}
// clang-format on

void TestCronExpression::parseErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    auto c = CronExpression::parse(text);
    QVERIFY(!c.has_value());
    QVERIFY2(c.error().message.contains(error), qPrintable(c.error().message));
}

// clang-format off
void TestCronExpression::matches_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("local"); // local wall time
    QTest::addColumn<bool>("match");
    // 2026-11-13 is a Friday; 2026-11-16 a Monday.
    QTest::newRow("vixie or: dom") << "0 0 13 * 1" << "2026-11-13T00:00" << true;
    QTest::newRow("vixie or: dow") << "0 0 13 * 1" << "2026-11-16T00:00" << true;
    QTest::newRow("vixie or: neither") << "0 0 13 * 1" << "2026-11-17T00:00" << false;
    QTest::newRow("star dom: dow only") << "0 0 * * 5" << "2026-11-13T00:00" << true;
    QTest::newRow("star dom: not dow") << "0 0 * * 5" << "2026-11-14T00:00" << false;
    QTest::newRow("star dow: dom only") << "0 0 14 * *" << "2026-11-14T00:00" << true;
    QTest::newRow("*/2 dom counts as star: both") << "0 0 */2 * 1" << "2026-11-17T00:00" << false; // odd but Tuesday
    QTest::newRow("*/2 dom and monday odd") << "0 0 */2 * 1" << "2026-11-23T00:00" << true;   // 23 is odd, Monday
    QTest::newRow("*/2 dom, monday even") << "0 0 */2 * 1" << "2026-11-16T00:00" << false;
    QTest::newRow("sunday 7") << "0 0 * * 7" << "2026-11-15T00:00" << true;
    QTest::newRow("minute mismatch") << "5 0 * * *" << "2026-11-15T00:06" << false;
    QTest::newRow("month mismatch") << "0 0 * FEB *" << "2026-11-15T00:00" << false;
    QTest::newRow("leap day") << "0 0 29 2 *" << "2028-02-29T00:00" << true;
}
// clang-format on

void TestCronExpression::matches()
{
    QFETCH(QString, expr);
    QFETCH(QString, local);
    QFETCH(bool, match);
    auto c = CronExpression::parse(expr);
    QVERIFY(c.has_value());
    const QDateTime t = QDateTime::fromString(local, Qt::ISODate);
    QCOMPARE(c->matches(t.date(), t.time()), match);
}

// tests/data/cron_cases.tsv: generated by tests/data/gen_cron_cases.py with an independent
// algorithm (brute force over UTC minutes with Python's zoneinfo).
// clang-format off
void TestCronExpression::generatedTable_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("after");
    QTest::addColumn<QStringList>("expected");
    QFile f(QStringLiteral(PW_TEST_DATA_DIR "/cron_cases.tsv"));
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    int rows = 0;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).chopped(1);
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList cols = line.split(QLatin1Char('\t'));
        QCOMPARE(cols.size(), 4);
        const QStringList expected = cols[3].split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QTest::addRow("%d %s | %s | %s", ++rows, qPrintable(cols[0]), qPrintable(cols[1]), qPrintable(cols[2]))
            << cols[0] << cols[1] << cols[2] << expected;
    }
    QVERIFY(rows >= 1000);
}
// clang-format on

void TestCronExpression::generatedTable()
{
    QFETCH(QString, expr);
    QFETCH(QString, zone);
    QFETCH(QString, after);
    QFETCH(QStringList, expected);
    auto c = CronExpression::parse(expr);
    QVERIFY2(c.has_value(), c ? "" : qPrintable(c.error().message));
    const QTimeZone z(zone.toLatin1());
    QVERIFY(z.isValid());
    QCOMPARE(fireTimes(*c, QDateTime::fromString(after, Qt::ISODate), z, int(expected.size())),
        expected);
}

// Hand-verified: each row was checked against the zone's published DST dates.
// clang-format off
void TestCronExpression::handPicked_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("after");
    QTest::addColumn<QStringList>("expected");
    // Berlin 2026-03-29: 02:00 CET -> 03:00 CEST (01:00Z). 02:30 fires at 03:00 CEST = 01:00Z.
    QTest::newRow("berlin gap 02:30") << "30 2 * * *" << "Europe/Berlin" << "2026-03-28T12:00:00Z"
                                      << QStringList{"2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"};
    // Every 15 minutes across the gap: 01:45 CET, then one fire at 03:00 CEST, then 03:15.
    QTest::newRow("berlin gap */15") << "*/15 * * * *" << "Europe/Berlin" << "2026-03-29T00:40:00Z"
                                     << QStringList{"2026-03-29T00:45:00Z", "2026-03-29T01:00:00Z",
                                                    "2026-03-29T01:15:00Z"};
    // Berlin 2026-10-25: 03:00 CEST -> 02:00 CET (01:00Z). 02:30 fires once, at 02:30 CEST.
    QTest::newRow("berlin fold 02:30") << "30 2 * * *" << "Europe/Berlin" << "2026-10-24T12:00:00Z"
                                       << QStringList{"2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"};
    QTest::newRow("berlin fold hourly") << "0 * * * *" << "Europe/Berlin" << "2026-10-24T23:30:00Z"
                                        << QStringList{"2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z"};
    // Starting inside the second 02:xx: the repeated 02:30 does not fire again.
    QTest::newRow("berlin inside second 02h") << "30 2 * * *" << "Europe/Berlin" << "2026-10-25T01:10:00Z"
                                              << QStringList{"2026-10-26T01:30:00Z"};
    // New York 2026-03-08: 02:00 EST -> 03:00 EDT (07:00Z).
    QTest::newRow("new york gap") << "30 2 * * *" << "America/New_York" << "2026-03-07T12:00:00Z"
                                  << QStringList{"2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"};
    // New York 2026-11-01: 02:00 EDT -> 01:00 EST (06:00Z). 01:30 once, as EDT (05:30Z).
    QTest::newRow("new york fold") << "30 1 * * *" << "America/New_York" << "2026-10-31T12:00:00Z"
                                   << QStringList{"2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"};
    // Lord Howe 2026-10-04: 02:00 +10:30 -> 02:30 +11 (15:30Z): 02:00 and 02:15 fire at 02:30.
    QTest::newRow("lord howe 30-min gap") << "0,15,45 2 * * *" << "Australia/Lord_Howe" << "2026-10-03T12:00:00Z"
                                          << QStringList{"2026-10-03T15:30:00Z", "2026-10-03T15:45:00Z",
                                                         "2026-10-04T15:00:00Z"};
    // Lord Howe 2026-04-05: 02:00 +11 -> 01:30 +10:30 (15:00Z): 01:45 once, as +11 (14:45Z).
    QTest::newRow("lord howe 30-min fold") << "45 1 * * *" << "Australia/Lord_Howe" << "2026-04-04T12:00:00Z"
                                           << QStringList{"2026-04-04T14:45:00Z", "2026-04-05T15:15:00Z"};
    // A huge step must not overflow (found by fuzz_cron): 59/2147483647 is minute 59 only.
    QTest::newRow("huge step") << "59/2147483647 * * * *" << "UTC" << "2026-01-01T03:00:00Z"
                               << QStringList{"2026-01-01T03:59:00Z", "2026-01-01T04:59:00Z"};
    // Seoul: +09:00 all year.
    QTest::newRow("seoul") << "0 3 * * *" << "Asia/Seoul" << "2026-03-28T00:00:00Z"
                           << QStringList{"2026-03-28T18:00:00Z", "2026-03-29T18:00:00Z"};
    // Exclusive start, and a start with seconds.
    QTest::newRow("exclusive") << "0 3 * * *" << "UTC" << "2026-01-01T03:00:00Z"
                               << QStringList{"2026-01-02T03:00:00Z"};
    QTest::newRow("seconds") << "* * * * *" << "UTC" << "2026-01-01T03:00:59Z"
                             << QStringList{"2026-01-01T03:01:00Z"};
    QTest::newRow("leap day") << "0 0 29 2 *" << "UTC" << "2026-01-01T00:00:00Z"
                              << QStringList{"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"};
    // 2100 is not a leap year: 2096 -> 2104.
    QTest::newRow("leap day 2100") << "0 0 29 2 *" << "UTC" << "2096-03-01T00:00:00Z"
                                   << QStringList{"2104-02-29T00:00:00Z"};
    QTest::newRow("month end 31") << "0 0 31 * *" << "UTC" << "2026-01-31T00:00:00Z"
                                  << QStringList{"2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z"};
    QTest::newRow("new year") << "59 23 31 12 *" << "UTC" << "2026-06-01T00:00:00Z"
                              << QStringList{"2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z"};
}
// clang-format on

void TestCronExpression::handPicked()
{
    QFETCH(QString, expr);
    QFETCH(QString, zone);
    QFETCH(QString, after);
    QFETCH(QStringList, expected);
    auto c = CronExpression::parse(expr);
    QVERIFY(c.has_value());
    QCOMPARE(fireTimes(*c, QDateTime::fromString(after, Qt::ISODate), QTimeZone(zone.toLatin1()),
                 int(expected.size())),
        expected);
}

// clang-format off
void TestCronExpression::impossibleIsBoundedError_data()
{
    QTest::addColumn<QString>("expr");
    QTest::newRow("feb 30") << "0 0 30 2 *";
    QTest::newRow("feb 31") << "0 0 31 2 *";
    QTest::newRow("apr 31") << "0 0 31 4 *";
    QTest::newRow("short months 31") << "0 0 31 4,6,9,11 *";
    QTest::newRow("feb 30 but star dow") << "* * 30 2 */1";
}
// clang-format on

void TestCronExpression::impossibleIsBoundedError()
{
    QFETCH(QString, expr);
    auto c = CronExpression::parse(expr);
    QVERIFY(c.has_value());
    QElapsedTimer t;
    t.start();
    auto n = c->next(utc("2026-01-01T00:00:00Z"), QTimeZone("Europe/Berlin"));
    QVERIFY(!n.has_value());
    QVERIFY2(n.error().message.contains(QLatin1String("no fire time within")),
        qPrintable(n.error().message));
    QVERIFY2(t.elapsed() < 2000, "the bounded search took too long");
}

// Property tests on generated expressions: results strictly increase, and each is a match in
// local time (first occurrence) or the end of a DST gap that skipped a matching local time.
// clang-format off
void TestCronExpression::properties_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("after");
    QRandomGenerator gen(20261124); // fixed seed: the same rows on every run
    const QStringList zones = {QStringLiteral("UTC"), QStringLiteral("Europe/Berlin"),
                               QStringLiteral("America/New_York"), QStringLiteral("Australia/Lord_Howe"),
                               QStringLiteral("Asia/Seoul")};
    auto part = [&gen](int lo, int hi) -> QString {
        switch (gen.bounded(5)) {
        case 0:
            return QStringLiteral("*");
        case 1:
            return QString::number(lo + int(gen.bounded(hi - lo + 1)));
        case 2: {
            const int a = lo + int(gen.bounded(hi - lo + 1));
            const int b = a + int(gen.bounded(hi - a + 1));
            return QStringLiteral("%1-%2").arg(a).arg(b);
        }
        case 3:
            return QStringLiteral("*/%1").arg(1 + gen.bounded(hi - lo + 1));
        default:
            return QStringLiteral("%1,%2").arg(lo + gen.bounded(hi - lo + 1)).arg(lo + gen.bounded(hi - lo + 1));
        }
    };
    for (int i = 0; i < 200; ++i) {
        const QString expr = QStringList{part(0, 59), part(0, 23), part(1, 28), part(1, 12), part(0, 7)}.join(QLatin1Char(' '));
        const QString zone = zones[int(gen.bounded(zones.size()))];
        const QDateTime after = QDateTime::fromSecsSinceEpoch(qint64(1767225600) + qint64(gen.bounded(3 * 365 * 86400)), Qt::UTC);
        QTest::addRow("%d %s %s", i, qPrintable(expr), qPrintable(zone)) << expr << zone << after.toString(Qt::ISODate);
    }
}
// clang-format on

void TestCronExpression::properties()
{
    QFETCH(QString, expr);
    QFETCH(QString, zone);
    QFETCH(QString, after);
    auto c = CronExpression::parse(expr);
    QVERIFY2(c.has_value(), c ? "" : qPrintable(c.error().message));
    const QTimeZone z(zone.toLatin1());
    QDateTime prev = QDateTime::fromString(after, Qt::ISODate);
    for (int i = 0; i < 30; ++i) {
        auto n = c->next(prev, z);
        if (!n)
            break; // an impossible random combination is allowed
        QVERIFY2(*n > prev, qPrintable(isoZ(*n)));
        QCOMPARE(n->time().second(), 0);
        const QDateTime local = CronExpression::utcToLocal(*n, z);
        if (c->matches(local.date(), local.time())) {
            // First occurrence: one hour (or 30 minutes) earlier the same wall time did not exist
            // with another offset, i.e. mapping the wall time back gives this very instant.
            QCOMPARE(CronExpression::localToUtc(local.date(), local.time(), z), *n);
        } else {
            // The end of a gap: the wall clock jumped to here, and a skipped time matches.
            const QDateTime before = CronExpression::utcToLocal(n->addSecs(-60), z);
            QVERIFY2(before.secsTo(local) > 60,
                qPrintable(QStringLiteral("%1 is no match and no gap end").arg(isoZ(*n))));
            bool skippedMatch = false;
            for (QDateTime w = before.addSecs(60); w < local; w = w.addSecs(60))
                skippedMatch = skippedMatch || c->matches(w.date(), w.time());
            QVERIFY(skippedMatch);
        }
        prev = *n;
    }
}

// clang-format off
void TestCronExpression::localToUtc_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("local");
    QTest::addColumn<QString>("expected");
    QTest::newRow("utc") << "UTC" << "2026-05-01T12:00:00" << "2026-05-01T12:00:00Z";
    QTest::newRow("berlin winter") << "Europe/Berlin" << "2026-01-10T06:00:00" << "2026-01-10T05:00:00Z";
    QTest::newRow("berlin summer") << "Europe/Berlin" << "2026-07-10T06:00:00" << "2026-07-10T04:00:00Z";
    QTest::newRow("berlin gap") << "Europe/Berlin" << "2026-03-29T02:30:00" << "2026-03-29T01:00:00Z";
    QTest::newRow("berlin fold first") << "Europe/Berlin" << "2026-10-25T02:30:00" << "2026-10-25T00:30:00Z";
    QTest::newRow("lord howe gap") << "Australia/Lord_Howe" << "2026-10-04T02:10:00" << "2026-10-03T15:30:00Z";
    QTest::newRow("lord howe fold") << "Australia/Lord_Howe" << "2026-04-05T01:40:00" << "2026-04-04T14:40:00Z";
    QTest::newRow("seoul") << "Asia/Seoul" << "2026-06-06T06:00:00" << "2026-06-05T21:00:00Z";
}
// clang-format on

void TestCronExpression::localToUtc()
{
    QFETCH(QString, zone);
    QFETCH(QString, local);
    QFETCH(QString, expected);
    const QDateTime l = QDateTime::fromString(local, Qt::ISODate);
    QCOMPARE(
        isoZ(CronExpression::localToUtc(l.date(), l.time(), QTimeZone(zone.toLatin1()))), expected);
}

QTEST_GUILESS_MAIN(TestCronExpression)
#include "tst_cronexpression.moc"
