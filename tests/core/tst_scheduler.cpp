#include "engine/home.h"
#include "engine/truststore.h"
#include "enginetestharness.h"
#include "format/flowloader.h"
#include "history/historystore.h"
#include "platform/processinfo.h"
#include "schedule/scheduler.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtConcurrent>
#include <QtTest>

using namespace pw;
using pw::test::EngineHarness;

namespace {

QDateTime utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toUTC();
}

QString flowYaml(const QString &id, const QString &schedule, const QString &extra = {},
    const QString &paramType = QStringLiteral("date"),
    const QString &task = QStringLiteral("{type: noop}"))
{
    return QStringLiteral("pipewright: 1\nflow: %1\nparams:\n  day: {type: %2}\n"
                          "schedule: %3\n%4tasks:\n  a: %5\n")
        .arg(id, paramType, schedule, extra, task);
}

// A clock the test moves by hand.
struct FakeClock
{
    QDateTime now;
    std::function<QDateTime()> fn()
    {
        return [this] { return now; };
    }
};

} // namespace

class TestScheduler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void catchupOff();
    void catchupOn();
    void firstSightWithoutStartRunsNothingOld();
    void restartInTheMiddle();
    void crashBetweenRunAndState();
    void maxActiveRuns();
    void editedFlowIsPickedUp();
    void untrustedChangePausesTheFlow();
    void badFlowsAreReportedNotFatal();
    void secondSchedulerIsRefused();
    void crashedHolderDoesNotKeepTheLock();
    void takenOverSchedulerStops();
    void racingForTheLock_data();
    void racingForTheLock();

private:
    static QList<RunRecord> runsOf(EngineHarness &h, const QString &flowId)
    {
        HistoryStore::Options o;
        o.path = h.home() + QStringLiteral("/history.sqlite");
        auto store = HistoryStore::open(o);
        if (!store)
            return {};
        RunFilter f;
        f.flowId = flowId;
        f.limit = 10000;
        auto runs = (*store)->runs(f);
        QList<RunRecord> out = runs ? *runs : QList<RunRecord>{};
        std::reverse(out.begin(), out.end()); // oldest first
        return out;
    }
    static QStringList days(const QList<RunRecord> &runs)
    {
        QStringList out;
        for (const RunRecord &r : runs)
            out << QJsonDocument::fromJson(r.paramsJson)
                       .object()
                       .value(QStringLiteral("day"))
                       .toString();
        return out;
    }
    static void waitAll(EngineHarness &h, const QList<RunRecord> &runs)
    {
        for (const RunRecord &r : runs)
            h.wait(r.id);
    }
};

void TestScheduler::catchupOff()
{
    EngineHarness h(4);
    h.flow(flowYaml(QStringLiteral("off"),
               QStringLiteral("{cron: \"0 3 * * *\", timezone: UTC, catchup: false, start: "
                              "2026-01-01, param: day, offset: -1d}")),
        QStringLiteral("off"));
    FakeClock clock{utc("2026-01-05T10:00:00Z")};
    Scheduler s(&h.engine(), {{h.dir()}, {}, 0, 10000, 1000, clock.fn(), {}});
    QVERIFY(s.start().has_value());
    QCOMPARE(*s.tick(), 1); // only the latest due time: 01-05 03:00 -> day 01-04
    QCOMPARE(*s.tick(), 0);
    clock.now = utc("2026-01-06T02:59:59Z");
    QCOMPARE(*s.tick(), 0);
    clock.now = utc("2026-01-06T03:00:00Z");
    QCOMPARE(*s.tick(), 1);
    const auto runs = runsOf(h, QStringLiteral("off"));
    QCOMPARE(days(runs), (QStringList{"2026-01-04", "2026-01-05"}));
    for (const RunRecord &r : runs)
        QCOMPARE(toString(r.trigger), QStringLiteral("schedule"));
    waitAll(h, runs);
    const auto st = s.status();
    QCOMPARE(st.size(), 1);
    QCOMPARE(st[0].nextFire, utc("2026-01-07T03:00:00Z"));
}

void TestScheduler::catchupOn()
{
    EngineHarness h(4);
    h.flow(flowYaml(QStringLiteral("on"),
               QStringLiteral("{cron: \"0 3 * * *\", timezone: Europe/Berlin, catchup: true, "
                              "start: 2026-01-01, param: day, offset: -1d}")),
        QStringLiteral("on"));
    FakeClock clock{utc("2026-01-05T10:00:00Z")};
    Scheduler s(&h.engine(), {{h.dir()}, {}, 0, 10000, 1000, clock.fn(), {}});
    QSignalSpy spy(&s, &Scheduler::runSubmitted);
    QVERIFY(s.start().has_value());
    QCOMPARE(*s.tick(), 5);
    QCOMPARE(*s.tick(), 0);
    const auto runs = runsOf(h, QStringLiteral("on"));
    QCOMPARE(days(runs),
        (QStringList{"2025-12-31", "2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"}));
    QCOMPARE(spy.size(), 5);
    QCOMPARE(spy.at(0).at(1).toDateTime(), utc("2026-01-01T02:00:00Z")); // 03:00 CET
    waitAll(h, runs);
}

void TestScheduler::firstSightWithoutStartRunsNothingOld()
{
    EngineHarness h(4);
    h.flow(flowYaml(QStringLiteral("fresh"),
               QStringLiteral("{cron: \"*/10 * * * *\", catchup: true, param: day}"), {},
               QStringLiteral("datetime")),
        QStringLiteral("fresh"));
    FakeClock clock{utc("2026-01-05T10:04:00Z")};
    Scheduler s(&h.engine(), {{h.dir()}, {}, 0, 10000, 1000, clock.fn(), {}});
    QVERIFY(s.start().has_value());
    QCOMPARE(*s.tick(), 0);
    clock.now = utc("2026-01-05T10:10:00Z");
    QCOMPARE(*s.tick(), 1);
    clock.now = utc("2026-01-05T10:35:00Z"); // 10:20 and 10:30 are due
    QCOMPARE(*s.tick(), 2);
    const auto runs = runsOf(h, QStringLiteral("fresh"));
    QCOMPARE(days(runs),
        (QStringList{"2026-01-05T10:10:00Z", "2026-01-05T10:20:00Z", "2026-01-05T10:30:00Z"}));
    waitAll(h, runs);
}

void TestScheduler::restartInTheMiddle()
{
    EngineHarness h(4);
    h.flow(
        flowYaml(QStringLiteral("rs"),
            QStringLiteral("{cron: \"0 0 * * *\", catchup: true, start: 2026-02-01, param: day}")),
        QStringLiteral("rs"));
    FakeClock clock{utc("2026-02-05T12:00:00Z")};
    {
        Scheduler s(&h.engine(), {{h.dir()}, {}, 0, 10000, 2, clock.fn(), {}});
        QVERIFY(s.start().has_value());
        QCOMPARE(*s.tick(), 2); // 2 per tick
        s.stop();
    }
    // A new process: another engine (owner) on the same store, a new scheduler.
    waitAll(h, runsOf(h, QStringLiteral("rs")));
    h.restart();
    {
        Scheduler s(&h.engine(), {{h.dir()}, {}, 0, 10000, 2, clock.fn(), {}});
        QVERIFY(s.start().has_value());
        QCOMPARE(*s.tick(), 2);
        QCOMPARE(*s.tick(), 1);
        QCOMPARE(*s.tick(), 0);
    }
    const auto runs = runsOf(h, QStringLiteral("rs"));
    QCOMPARE(days(runs),
        (QStringList{"2026-02-01", "2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05"}));
    waitAll(h, runs);
}

void TestScheduler::crashBetweenRunAndState()
{
    EngineHarness h(4);
    h.flow(
        flowYaml(QStringLiteral("cr"),
            QStringLiteral("{cron: \"0 0 * * *\", catchup: true, start: 2026-02-01, param: day}")),
        QStringLiteral("cr"));
    FakeClock clock{utc("2026-02-03T12:00:00Z")};
    Scheduler s(&h.engine(), {{h.dir()}, {}, 0, 10000, 1000, clock.fn(), {}});
    QVERIFY(s.start().has_value());
    QCOMPARE(*s.tick(), 3);
    waitAll(h, runsOf(h, QStringLiteral("cr")));
    // As if the process died after creating the runs but before recording them.
    {
        HistoryStore::Options o;
        o.path = h.home() + QStringLiteral("/history.sqlite");
        auto store = HistoryStore::open(o);
        QVERIFY(store.has_value());
        QVERIFY((*store)->setScheduleLastFire(
            QStringLiteral("cr"), utc("2026-01-31T00:00:00Z").toMSecsSinceEpoch(), 0));
    }
    QCOMPARE(*s.tick(), 0); // the keys have runs: nothing is submitted twice
    QCOMPARE(runsOf(h, QStringLiteral("cr")).size(), 3);
    QCOMPARE(s.status().at(0).lastFire, utc("2026-02-03T00:00:00Z"));
}

void TestScheduler::maxActiveRuns()
{
    EngineHarness h(4);
    h.flow(
        flowYaml(QStringLiteral("mx"),
            QStringLiteral("{cron: \"0 0 * * *\", catchup: true, start: 2026-02-01, param: day}"),
            QStringLiteral("limits: {max_active_runs: 1}\n"), QStringLiteral("date"),
            QStringLiteral("{type: shell, command: \"sleep 0.2\"}")),
        QStringLiteral("mx"));
    FakeClock clock{utc("2026-02-03T12:00:00Z")};
    Scheduler s(&h.engine(), {{h.dir()}, {}, 0, 10000, 1000, clock.fn(), {}});
    QVERIFY(s.start().has_value());
    int total = 0;
    QDeadlineTimer deadline(30000);
    while (total < 3 && !deadline.hasExpired()) {
        const int n = *s.tick();
        QVERIFY(n <= 1);
        total += n;
        // Never more than one active run of the flow.
        int active = 0;
        for (const RunRecord &r : runsOf(h, QStringLiteral("mx")))
            active += (r.state == RunState::Queued || r.state == RunState::Running) ? 1 : 0;
        QVERIFY(active <= 1);
        QTest::qWait(20);
    }
    QCOMPARE(total, 3);
    const auto runs = runsOf(h, QStringLiteral("mx"));
    QCOMPARE(days(runs), (QStringList{"2026-02-01", "2026-02-02", "2026-02-03"}));
    waitAll(h, runs);
    for (const RunRecord &r : runsOf(h, QStringLiteral("mx")))
        QCOMPARE(toString(r.state), QStringLiteral("succeeded"));
}

void TestScheduler::editedFlowIsPickedUp()
{
    EngineHarness h(4);
    h.flow(flowYaml(QStringLiteral("ed"), QStringLiteral("{cron: \"0 3 * * *\", param: day}")),
        QStringLiteral("ed"));
    FakeClock clock{utc("2026-02-03T12:00:00Z")};
    Scheduler s(&h.engine(),
        {{h.dir() + QStringLiteral("/ed.flow.yaml")}, {}, 0, 10000, 1000, clock.fn(), {}});
    QVERIFY(s.start().has_value());
    QCOMPARE(*s.tick(), 0);
    QCOMPARE(s.status().at(0).nextFire, utc("2026-02-04T03:00:00Z"));
    QTest::qWait(20); // a different mtime
    h.flow(flowYaml(QStringLiteral("ed"),
               QStringLiteral("{cron: \"0 5 * * *\", param: day}") + QString(20, QLatin1Char(' '))),
        QStringLiteral("ed"));
    QCOMPARE(*s.tick(), 0);
    QCOMPARE(s.status().at(0).nextFire, utc("2026-02-04T05:00:00Z"));
    clock.now = utc("2026-02-04T05:00:00Z");
    QCOMPARE(*s.tick(), 1);
    waitAll(h, runsOf(h, QStringLiteral("ed")));
}

// With a trust home (pipewright-cli schedule, the GUI), a flow runs only while its current
// definition is trusted: a changed task pauses it with one clear error naming the change and the
// way out; trusting the content resumes it, and the due time runs (issue 12).
void TestScheduler::untrustedChangePausesTheFlow()
{
    EngineHarness h(2);
    const QString cron = QStringLiteral("{cron: \"0 3 * * *\", param: day}");
    h.flow(flowYaml(QStringLiteral("tr"), cron), QStringLiteral("tr"));
    const QString file = h.dir() + QStringLiteral("/tr.flow.yaml");
    const QString home = h.dir() + QStringLiteral("/trusting-home");
    TrustStore store{Home(home)};
    QVERIFY(store.trust(*FlowLoader::loadFile(file)).has_value());
    FakeClock clock{utc("2026-02-03T12:00:00Z")};
    Scheduler s(&h.engine(), {{file}, {}, 0, 10000, 1000, clock.fn(), home});
    QSignalSpy errors(&s, &Scheduler::flowError);
    QVERIFY(s.start().has_value());
    QCOMPARE(*s.tick(), 0);
    QVERIFY(errors.isEmpty());
    QVERIFY(s.status().at(0).scheduled);

    QTest::qWait(20); // a different mtime
    h.flow(flowYaml(QStringLiteral("tr"), cron, {}, QStringLiteral("date"),
               QStringLiteral("{type: shell, command: \"echo changed\"}")),
        QStringLiteral("tr"));
    clock.now = utc("2026-02-04T03:00:00Z");
    QCOMPARE(*s.tick(), 0); // due, but paused
    QCOMPARE(errors.size(), 1);
    const QString message = errors.at(0).at(1).toString();
    QVERIFY2(message.contains(QLatin1String("changed since it was trusted (changed task a)"))
            && message.contains(QLatin1String("pipewright-cli trust ") + file),
        qPrintable(message));
    QVERIFY(!s.status().at(0).scheduled);
    QCOMPARE(s.status().at(0).error, message);
    QCOMPARE(*s.tick(), 0);
    QCOMPARE(errors.size(), 1); // said once

    QVERIFY(store.trust(*FlowLoader::loadFile(file)).has_value());
    QCOMPARE(*s.tick(), 1);
    QVERIFY(s.status().at(0).error.isEmpty());
    waitAll(h, runsOf(h, QStringLiteral("tr")));
}

void TestScheduler::badFlowsAreReportedNotFatal()
{
    EngineHarness h(4);
    h.flow(flowYaml(QStringLiteral("good"), QStringLiteral("{cron: \"* * * * *\", param: day}"), {},
               QStringLiteral("datetime")),
        QStringLiteral("good"));
    QFile bad(h.dir() + QStringLiteral("/bad.flow.yaml"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(
        "pipewright: 1\nflow: bad\nschedule: {cron: \"0 0 * * FOO\"}\ntasks:\n  a: {type: noop}\n");
    bad.close();
    FakeClock clock{utc("2026-02-03T12:00:30Z")};
    Scheduler s(&h.engine(), {{h.dir()}, {}, 0, 10000, 1000, clock.fn(), {}});
    QSignalSpy errors(&s, &Scheduler::flowError);
    QVERIFY(s.start().has_value());
    QCOMPARE(*s.tick(), 0);
    clock.now = utc("2026-02-03T12:01:00Z");
    QCOMPARE(*s.tick(), 1);
    QVERIFY(!errors.isEmpty());
    bool named = false;
    for (const auto &e : errors)
        named = named || e.at(1).toString().contains(QLatin1String("day-of-week: bad token 'FOO'"));
    QVERIFY(named);
    waitAll(h, runsOf(h, QStringLiteral("good")));
}

void TestScheduler::secondSchedulerIsRefused()
{
    EngineHarness h(2);
    EngineConfig cfg = h.engine().config();
    Engine other(cfg);
    QVERIFY(other.start().has_value());
    Scheduler a(&h.engine(), {{h.dir()}, {}, 0, 10000, 1000, {}, {}});
    Scheduler b(&other, {{h.dir()}, {}, 0, 10000, 1000, {}, {}});
    QVERIFY(a.start().has_value());
    auto r = b.start();
    QVERIFY(!r.has_value());
    QVERIFY2(r.error().message.contains(QLatin1String("another scheduler is already running")),
        qPrintable(r.error().message));
    QVERIFY(r.error().message.contains(
        QStringLiteral("pid %1").arg(QCoreApplication::applicationPid())));
    a.stop();
    QVERIFY(b.start().has_value());
    // A's engine is alive; A cannot take it back while B holds it.
    QVERIFY(!a.start().has_value());
    b.stop();
    other.shutdown();
}

void TestScheduler::crashedHolderDoesNotKeepTheLock()
{
    EngineHarness h(2);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    {
        HistoryStore::Options o;
        o.path = h.home() + QStringLiteral("/history.sqlite");
        auto store = HistoryStore::open(o);
        QVERIFY(store.has_value());
        // A scheduler process that died holding the lock: its owner row is alive but stale.
        OwnerRecord dead;
        dead.host = QStringLiteral("elsewhere.example");
        dead.pid = 999999;
        dead.started = now - 120000;
        dead.heartbeat = now - 60000;
        auto id = (*store)->registerOwner(dead);
        QVERIFY(id.has_value());
        QCOMPARE(*(*store)->acquireSchedulerLock(*id, dead.heartbeat, 10000), *id);
        QCOMPARE(*(*store)->schedulerLockHolder(), *id);
    }
    Scheduler s(&h.engine(), {{h.dir()}, {}, 0, 10000, 1000, {}, {}});
    auto r = s.start();
    QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().message));
    s.stop();
}

// A scheduler whose owner was declared dead (its heartbeat stalled) loses the lock to the next
// scheduler and stops on its next tick instead of scheduling twice.
void TestScheduler::takenOverSchedulerStops()
{
    EngineHarness h(2);
    Scheduler a(&h.engine(), {{h.dir()}, {}, 0, 10000, 1000, {}, {}});
    QSignalSpy lost(&a, &Scheduler::lockLost);
    QVERIFY(a.start().has_value());
    QVERIFY(a.tick().has_value());
    {
        HistoryStore::Options o;
        o.path = h.home() + QStringLiteral("/history.sqlite");
        auto store = HistoryStore::open(o);
        QVERIFY(store.has_value());
        auto owner = (*store)->owner(h.engine().ownerId());
        QVERIFY(owner.has_value() && owner->has_value());
        QVERIFY(*(*store)->claimOwner(
            (*owner)->id, (*owner)->heartbeat, 0, QDateTime::currentMSecsSinceEpoch()));
    }
    EngineConfig cfg = h.engine().config();
    Engine other(cfg);
    QVERIFY(other.start().has_value());
    Scheduler b(&other, {{h.dir()}, {}, 0, 10000, 1000, {}, {}});
    QVERIFY(b.start().has_value());
    auto r = a.tick();
    QVERIFY(!r.has_value());
    QCOMPARE(lost.size(), 1);
    QVERIFY(!a.isRunning());
    QVERIFY(b.tick().has_value());
    b.stop();
    other.shutdown();
}

// clang-format off
void TestScheduler::racingForTheLock_data()
{
    QTest::addColumn<int>("contenders");
    QTest::newRow("2") << 2;
    QTest::newRow("4") << 4;
    QTest::newRow("8") << 8;
}
// clang-format on

// Contenders with live owners race on their own connections (threads): exactly one wins
// every round.
void TestScheduler::racingForTheLock()
{
    QFETCH(int, contenders);
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/history.sqlite");
    QList<qint64> owners;
    {
        HistoryStore::Options o;
        o.path = path;
        auto store = HistoryStore::open(o);
        QVERIFY(store.has_value());
        for (int i = 0; i < contenders; ++i) {
            OwnerRecord rec;
            rec.host = QStringLiteral("h%1").arg(i);
            rec.pid = 1000 + i;
            rec.started = rec.heartbeat
                = QDateTime::currentMSecsSinceEpoch() + 3600000; // stays fresh
            owners << *(*store)->registerOwner(rec);
        }
    }
    for (int round = 0; round < 10; ++round) {
        QList<QFuture<qint64>> futures;
        for (qint64 owner : owners) {
            futures << QtConcurrent::run([path, owner]() -> qint64 {
                HistoryStore::Options o;
                o.path = path;
                auto store = HistoryStore::open(o);
                if (!store)
                    return -1;
                auto held = (*store)->acquireSchedulerLock(
                    owner, QDateTime::currentMSecsSinceEpoch(), 10000);
                return held ? *held : -1;
            });
        }
        QSet<qint64> holders;
        int winners = 0;
        for (int i = 0; i < futures.size(); ++i) {
            const qint64 held = futures[i].result();
            QVERIFY(held > 0);
            holders << held;
            winners += held == owners[i] ? 1 : 0;
        }
        QCOMPARE(winners, 1);
        QCOMPARE(holders.size(), 1);
        // Free the lock for the next round.
        HistoryStore::Options o;
        o.path = path;
        auto store = HistoryStore::open(o);
        QVERIFY((*store)->releaseSchedulerLock(*holders.begin()));
    }
}

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
