// pw::Schedule: a flow's schedule parsed once (cron + zone + catch-up + param), the one place
// the scheduler, backfill, the GUI's "next:" and `pipewright-cli next` get fire times from.
#include "format/flowloader.h"
#include "model/schedule.h"

#include <QtTest>

using namespace pw;

namespace {

QDateTime utc(const QString &iso)
{
    return QDateTime::fromString(iso, Qt::ISODate).toUTC();
}

Flow flowWith(const QString &schedule, const QString &paramType = QStringLiteral("date"))
{
    // A default, so that schedules without `param:` are valid too.
    const QString def = paramType == QLatin1String("date") ? QStringLiteral("2026-01-01")
                                                           : QStringLiteral("2026-01-01T00:00:00Z");
    const QString yaml = QStringLiteral(
        "pipewright: 1\nflow: s\nparams:\n  day: {type: %1, default: \"%3\"}\nschedule: %2\n"
        "tasks:\n  a: {type: noop}\n")
                             .arg(paramType, schedule, def);
    auto flow = FlowLoader::loadData(yaml.toUtf8(), QStringLiteral("s.flow.yaml"));
    if (!flow)
        qFatal("test flow does not load: %s", qPrintable(flow.error().first().toString()));
    return *flow;
}

QStringList iso(const QList<QDateTime> &times)
{
    QStringList out;
    for (const QDateTime &t : times)
        out << t.toUTC().toString(Qt::ISODate);
    return out;
}

} // namespace

class TestSchedule : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseErrors_data();
    void parseErrors();
    void paramValue_data();
    void paramValue();
    void due_data();
    void due();
    void startBoundAndLocalTimes();
};

// clang-format off
void TestSchedule::parseErrors_data()
{
    QTest::addColumn<QString>("cron");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("expected"); // the spec's error (the bare one has no "schedule: ")
    QTest::newRow("bad field") << "0 3 * * FOO" << "" << "schedule: cron: day-of-week: ";
    QTest::newRow("field count") << "0 3 * *" << "" << "schedule: cron: expected 5 fields";
    QTest::newRow("unknown zone") << "0 3 * * *" << "Mars/Olympus" << "schedule: unknown time zone 'Mars/Olympus'";
}
// clang-format on

void TestSchedule::parseErrors()
{
    QFETCH(QString, cron);
    QFETCH(QString, zone);
    QFETCH(QString, expected);
    ScheduleSpec spec;
    spec.cron = cron;
    spec.timezone = zone;
    auto s = Schedule::parse(spec);
    QVERIFY(!s);
    QVERIFY2(s.error().message.startsWith(expected), qPrintable(s.error().message));
    auto bare = Schedule::parse(cron, zone);
    QVERIFY(!bare);
    QCOMPARE(QStringLiteral("schedule: ") + bare.error().message, s.error().message);
}

// clang-format off
void TestSchedule::paramValue_data()
{
    QTest::addColumn<QString>("schedule");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("fire");
    QTest::addColumn<QString>("expected");
    QTest::newRow("date, no offset") << "{cron: \"0 3 * * *\", timezone: Asia/Seoul, param: day}" << "date"
                                     << "2026-11-23T18:00:00Z" << "2026-11-24";
    QTest::newRow("date -1d") << "{cron: \"0 3 * * *\", timezone: Asia/Seoul, param: day, offset: -1d}" << "date"
                              << "2026-11-23T18:00:00Z" << "2026-11-23";
    QTest::newRow("date local not utc") << "{cron: \"30 0 * * *\", timezone: Europe/Berlin, param: day}" << "date"
                                        << "2026-11-23T23:30:00Z" << "2026-11-24";
    QTest::newRow("datetime") << "{cron: \"0 * * * *\", timezone: Europe/Berlin, param: day}" << "datetime"
                              << "2026-11-24T10:00:00Z" << "2026-11-24T10:00:00Z";
    QTest::newRow("datetime -1h") << "{cron: \"0 * * * *\", timezone: Europe/Berlin, param: day, offset: -1h}"
                                  << "datetime" << "2026-11-24T10:00:00Z" << "2026-11-24T09:00:00Z";
    // Local wall arithmetic: 03:00 the day after spring-forward minus 1d = 03:00 CET the day
    // before, which is 02:00Z (not 01:00Z).
    QTest::newRow("datetime -1d across dst") << "{cron: \"0 3 * * *\", timezone: Europe/Berlin, param: day, offset: -1d}"
                                             << "datetime" << "2026-03-30T01:00:00Z" << "2026-03-29T01:00:00Z";
}
// clang-format on

void TestSchedule::paramValue()
{
    QFETCH(QString, schedule);
    QFETCH(QString, type);
    QFETCH(QString, fire);
    QFETCH(QString, expected);
    const Flow flow = flowWith(schedule, type);
    auto s = Schedule::parse(flow.schedule);
    QVERIFY2(s, s ? "" : qPrintable(s.error().message));
    auto v = s->paramValue(flow, utc(fire));
    QVERIFY2(v.has_value(), v ? "" : qPrintable(v.error().message));
    QCOMPARE(*v, expected);
    if (type == QLatin1String("date"))
        QCOMPARE(s->paramDate(utc(fire)).toString(Qt::ISODate), expected);
}

// clang-format off
void TestSchedule::due_data()
{
    QTest::addColumn<QString>("schedule");
    QTest::addColumn<QString>("after");
    QTest::addColumn<QString>("now");
    QTest::addColumn<int>("max");
    QTest::addColumn<QStringList>("expected");
    const QString daily = QStringLiteral("{cron: \"0 3 * * *\", timezone: UTC, catchup: %1}");
    QTest::newRow("catch-up: every missed day, oldest first")
        << daily.arg(QStringLiteral("true")) << "2026-01-01T00:00:00Z" << "2026-01-04T10:00:00Z" << 100
        << QStringList{"2026-01-01T03:00:00Z", "2026-01-02T03:00:00Z", "2026-01-03T03:00:00Z", "2026-01-04T03:00:00Z"};
    QTest::newRow("catch-up bounded by max")
        << daily.arg(QStringLiteral("true")) << "2026-01-01T00:00:00Z" << "2026-01-04T10:00:00Z" << 2
        << QStringList{"2026-01-01T03:00:00Z", "2026-01-02T03:00:00Z"};
    QTest::newRow("no catch-up: only the latest")
        << daily.arg(QStringLiteral("false")) << "2026-01-01T00:00:00Z" << "2026-01-04T10:00:00Z" << 100
        << QStringList{"2026-01-04T03:00:00Z"};
    QTest::newRow("no catch-up after a pause of years")
        << QStringLiteral("{cron: \"* * * * *\", timezone: UTC}") << "2020-01-01T00:00:00Z" << "2026-01-04T10:00:30Z"
        << 100 << QStringList{"2026-01-04T10:00:00Z"};
    QTest::newRow("no catch-up, the last fire is years back")
        << QStringLiteral("{cron: \"0 0 1 1 *\", timezone: UTC}") << "2021-06-01T00:00:00Z" << "2026-06-01T00:00:00Z"
        << 100 << QStringList{"2026-01-01T00:00:00Z"};
    QTest::newRow("nothing due yet")
        << daily.arg(QStringLiteral("true")) << "2026-01-04T03:00:00Z" << "2026-01-04T10:00:00Z" << 100 << QStringList{};
    QTest::newRow("the bound is inclusive at now")
        << daily.arg(QStringLiteral("true")) << "2026-01-03T03:00:00Z" << "2026-01-04T03:00:00Z" << 100
        << QStringList{"2026-01-04T03:00:00Z"};
    QTest::newRow("in the schedule's zone")
        << QStringLiteral("{cron: \"0 3 * * *\", timezone: Asia/Seoul, catchup: true}") << "2026-01-01T00:00:00Z"
        << "2026-01-02T00:00:00Z" << 100 << QStringList{"2026-01-01T18:00:00Z"};
}
// clang-format on

void TestSchedule::due()
{
    QFETCH(QString, schedule);
    QFETCH(QString, after);
    QFETCH(QString, now);
    QFETCH(int, max);
    QFETCH(QStringList, expected);
    auto s = Schedule::parse(flowWith(schedule).schedule);
    QVERIFY2(s, s ? "" : qPrintable(s.error().message));
    QCOMPARE(iso(s->due(utc(after), utc(now), max)), expected);
}

void TestSchedule::startBoundAndLocalTimes()
{
    auto s = Schedule::parse(
        flowWith(QStringLiteral("{cron: \"0 3 * * *\", timezone: Asia/Seoul, start: 2026-02-01}"))
            .schedule);
    QVERIFY(s);
    QCOMPARE(s->zoneName(), QStringLiteral("Asia/Seoul"));
    // 2026-02-01 00:00 in Seoul is 2026-01-31T15:00Z; the bound is 1 ms before it.
    QCOMPARE(s->startBound(), utc(QStringLiteral("2026-01-31T15:00:00Z")).addMSecs(-1));
    auto first = s->next(s->startBound());
    QVERIFY(first);
    QCOMPARE(*first, utc(QStringLiteral("2026-01-31T18:00:00Z"))); // 03:00 in Seoul
    QCOMPARE(s->toLocal(*first).toString(QStringLiteral("yyyy-MM-dd HH:mm")),
        QStringLiteral("2026-02-01 03:00"));

    auto plain = Schedule::parse(QStringLiteral("@daily"), QString());
    QVERIFY(plain);
    QCOMPARE(plain->zoneName(), QStringLiteral("UTC"));
    QVERIFY(!plain->startBound().isValid());
}

QTEST_GUILESS_MAIN(TestSchedule)
#include "tst_schedule.moc"
