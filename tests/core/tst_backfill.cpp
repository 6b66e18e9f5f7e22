#include "enginetestharness.h"
#include "history/historystore.h"
#include "schedule/backfill.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace pw;
using pw::test::EngineHarness;

class TestBackfill : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void items_data();
    void items();
    void itemErrors_data();
    void itemErrors();
    void runsOldestFirstSkipsSucceededRecoversFailed();
    void maxActiveRuns_data();
    void maxActiveRuns();
    void cancelStopsSubmitting();

private:
    struct Result
    {
        QStringList lines; // "DATE outcome"
        Backfill::Summary summary;
    };
    static Result runBackfill(
        EngineHarness &h, const Flow &flow, const char *from, const char *to, int maxActive)
    {
        Result out;
        auto items = Backfill::items(flow, QDate::fromString(QLatin1String(from), Qt::ISODate),
            QDate::fromString(QLatin1String(to), Qt::ISODate));
        if (!items) {
            qWarning("%s", qPrintable(items.error().message));
            return out;
        }
        Backfill b(&h.engine(), *items, maxActive);
        bool done = false;
        QObject::connect(&b, &Backfill::itemDone, &b,
            [&out](const Backfill::Item &item, qint64, Backfill::Outcome o, const QString &) {
                static const char *names[] = {"skipped", "succeeded", "failed", "refused"};
                out.lines << item.date.toString(Qt::ISODate) + QLatin1Char(' ')
                        + QLatin1String(names[int(o)]);
            });
        QObject::connect(&b, &Backfill::finished, &b, [&](const Backfill::Summary &s) {
            out.summary = s;
            done = true;
        });
        if (auto r = b.start(); !r) {
            qWarning("%s", qPrintable(r.error().message));
            return out;
        }
        QDeadlineTimer deadline(60000);
        while (!done && !deadline.hasExpired())
            QTest::qWait(10);
        if (!done)
            qWarning("backfill did not finish");
        return out;
    }
};

// clang-format off
void TestBackfill::items_data()
{
    QTest::addColumn<QString>("header");  // params + schedule lines
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QStringList>("values"); // the date param of each item, in order
    QTest::newRow("daily, -1d: data dates in range")
        << "params:\n  day: {type: date}\nschedule: {cron: \"0 3 * * *\", timezone: Asia/Seoul, param: day, offset: -1d}\n"
        << "2026-11-01" << "2026-11-03" << QStringList{"2026-11-01", "2026-11-02", "2026-11-03"};
    QTest::newRow("weekdays only")
        << "params:\n  day: {type: date}\nschedule: {cron: \"0 6 * * MON-FRI\", timezone: Europe/Berlin, param: day}\n"
        << "2026-11-20" << "2026-11-24" << QStringList{"2026-11-20", "2026-11-23", "2026-11-24"};
    QTest::newRow("no schedule: per day")
        << "params:\n  day: {type: date}\n" << "2026-02-27" << "2026-03-01"
        << QStringList{"2026-02-27", "2026-02-28", "2026-03-01"};
    QTest::newRow("no schedule: leap year")
        << "params:\n  day: {type: date}\n" << "2028-02-28" << "2028-03-01"
        << QStringList{"2028-02-28", "2028-02-29", "2028-03-01"};
    QTest::newRow("no schedule: datetime param")
        << "params:\n  at: {type: datetime}\n" << "2026-02-27" << "2026-02-28"
        << QStringList{"2026-02-27T00:00:00Z", "2026-02-28T00:00:00Z"};
    QTest::newRow("hourly into datetime")
        << "params:\n  at: {type: datetime}\nschedule: {cron: \"0 */8 * * *\", timezone: Asia/Seoul, param: at}\n"
        << "2026-11-01" << "2026-11-01"
        << QStringList{"2026-10-31T15:00:00Z", "2026-10-31T23:00:00Z", "2026-11-01T07:00:00Z"};
    QTest::newRow("single day") << "params:\n  day: {type: date}\n" << "2026-02-27" << "2026-02-27"
                                << QStringList{"2026-02-27"};
}
// clang-format on

void TestBackfill::items()
{
    QFETCH(QString, header);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QStringList, values);
    EngineHarness h(1);
    const Flow flow = h.flow(QStringLiteral("pipewright: 1\nflow: b\n") + header
        + QStringLiteral("tasks:\n  a: {type: noop}\n"));
    auto items = Backfill::items(
        flow, QDate::fromString(from, Qt::ISODate), QDate::fromString(to, Qt::ISODate));
    QVERIFY2(items.has_value(), items ? "" : qPrintable(items.error().message));
    QStringList got;
    for (const Backfill::Item &i : *items)
        got << i.plan.params.first();
    QCOMPARE(got, values);
}

// clang-format off
void TestBackfill::itemErrors_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("error");
    QTest::newRow("reversed") << "params:\n  day: {type: date}\n" << "2026-02-27" << "2026-02-01" << "is after --to";
    QTest::newRow("no date param") << "params:\n  n: {type: int, default: 1}\n" << "2026-02-01" << "2026-02-02" << "needs exactly one";
    QTest::newRow("two date params") << "params:\n  a: {type: date}\n  b: {type: date}\n" << "2026-02-01" << "2026-02-02"
                                     << "2 date parameters";
    QTest::newRow("too many") << "params:\n  day: {type: date}\n" << "1990-01-01" << "2026-01-01" << "more than 10000 runs";
}
// clang-format on

void TestBackfill::itemErrors()
{
    QFETCH(QString, header);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, error);
    EngineHarness h(1);
    const Flow flow = h.flow(QStringLiteral("pipewright: 1\nflow: b\n") + header
        + QStringLiteral("tasks:\n  a: {type: noop}\n"));
    auto items = Backfill::items(
        flow, QDate::fromString(from, Qt::ISODate), QDate::fromString(to, Qt::ISODate));
    QVERIFY(!items.has_value());
    QVERIFY2(items.error().message.contains(error), qPrintable(items.error().message));
}

void TestBackfill::runsOldestFirstSkipsSucceededRecoversFailed()
{
    EngineHarness h(4);
    const QString marker = h.dir() + QStringLiteral("/fixed");
    const Flow flow = h.flow(QStringLiteral(
        "pipewright: 1\nflow: bf\nparams:\n  day: {type: date}\n"
        "tasks:\n  a: {type: shell, command: \"test {{day}} != 2026-11-03 || test -e %1\"}\n")
                                 .arg(marker));
    auto first = runBackfill(h, flow, "2026-11-01", "2026-11-04", 1);
    QCOMPARE(first.lines,
        (QStringList{"2026-11-01 succeeded", "2026-11-02 succeeded", "2026-11-03 failed",
            "2026-11-04 succeeded"}));
    QCOMPARE(first.summary.succeeded, 3);
    QCOMPARE(first.summary.failed, 1);
    QFile(marker).open(QIODevice::WriteOnly);
    auto second = runBackfill(h, flow, "2026-11-01", "2026-11-05", 1);
    QCOMPARE(second.lines,
        (QStringList{"2026-11-01 skipped", "2026-11-02 skipped", "2026-11-03 succeeded",
            "2026-11-04 skipped", "2026-11-05 succeeded"}));
    QCOMPARE(second.summary.skipped, 3);
    // Runs are ordered oldest first, the failed one recovered as a second try.
    HistoryStore::Options o;
    o.path = h.home() + QStringLiteral("/history.sqlite");
    auto store = HistoryStore::open(o);
    QVERIFY(store.has_value());
    RunFilter f;
    f.flowId = QStringLiteral("bf");
    auto runs = (*store)->runs(f);
    QVERIFY(runs.has_value());
    QCOMPARE(runs->size(), 5);
    QStringList order;
    for (auto it = runs->crbegin(); it != runs->crend(); ++it)
        order << QJsonDocument::fromJson(it->paramsJson)
                     .object()
                     .value(QStringLiteral("day"))
                     .toString();
    QCOMPARE(
        order, (QStringList{"2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"}));
    for (const RunRecord &r : *runs) {
        const QString day = QJsonDocument::fromJson(r.paramsJson)
                                .object()
                                .value(QStringLiteral("day"))
                                .toString();
        QCOMPARE(toString(r.state), QStringLiteral("succeeded"));
        QCOMPARE(r.tryNo, day == QLatin1String("2026-11-03") ? 2 : 1);
        if (r.tryNo == 1)
            QCOMPARE(toString(r.trigger), QStringLiteral("backfill"));
    }
}

// clang-format off
void TestBackfill::maxActiveRuns_data()
{
    QTest::addColumn<int>("maxActive");
    QTest::newRow("1") << 1;
    QTest::newRow("2") << 2;
    QTest::newRow("4") << 4;
}
// clang-format on

// Invariant from the recorded history: never more than maxActive runs overlap in time.
void TestBackfill::maxActiveRuns()
{
    QFETCH(int, maxActive);
    EngineHarness h(8);
    const Flow flow
        = h.flow(QStringLiteral("pipewright: 1\nflow: mx\nparams:\n  day: {type: date}\n"
                                "tasks:\n  a: {type: shell, command: \"sleep 0.15\"}\n"));
    auto r = runBackfill(h, flow, "2026-11-01", "2026-11-06", maxActive);
    QCOMPARE(r.summary.succeeded, 6);
    HistoryStore::Options o;
    o.path = h.home() + QStringLiteral("/history.sqlite");
    auto store = HistoryStore::open(o);
    RunFilter f;
    f.flowId = QStringLiteral("mx");
    const auto runs = *(*store)->runs(f);
    QList<QPair<qint64, int>> edges;
    for (const RunRecord &run : runs) {
        edges << qMakePair(run.created, +1) << qMakePair(run.ended, -1);
    }
    std::sort(edges.begin(), edges.end(), [](auto a, auto b) {
        return a.first != b.first ? a.first < b.first : a.second < b.second;
    });
    int active = 0;
    int peak = 0;
    for (const auto &e : edges) {
        active += e.second;
        peak = std::max(peak, active);
    }
    QVERIFY2(peak <= maxActive, qPrintable(QStringLiteral("peak %1").arg(peak)));
    if (maxActive > 1)
        QVERIFY(peak > 1);
}

void TestBackfill::cancelStopsSubmitting()
{
    EngineHarness h(4);
    const Flow flow
        = h.flow(QStringLiteral("pipewright: 1\nflow: cx\nparams:\n  day: {type: date}\n"
                                "tasks:\n  a: {type: shell, command: \"sleep 30\"}\n"));
    auto items = Backfill::items(flow, QDate(2026, 11, 1), QDate(2026, 11, 10));
    QVERIFY(items.has_value());
    Backfill b(&h.engine(), *items, 2);
    int started = 0;
    bool done = false;
    connect(
        &b, &Backfill::itemStarted, &b, [&](const Backfill::Item &, qint64, bool) { ++started; });
    connect(&b, &Backfill::finished, &b, [&](const Backfill::Summary &) { done = true; });
    QVERIFY(b.start().has_value());
    QTRY_COMPARE_WITH_TIMEOUT(started, 2, 10000);
    b.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
    QCOMPARE(started, 2);
    QVERIFY(b.summary().cancelled);
    QCOMPARE(b.summary().failed, 2); // cancelled runs
}

QTEST_GUILESS_MAIN(TestBackfill)
#include "tst_backfill.moc"
