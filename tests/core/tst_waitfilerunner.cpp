// The wait_file sensor (WaitFileRunner, issue 10) inside the engine: it holds no worker, no
// max_parallel slot and no pool slot while it waits; it checks at once and every
// poke_interval; stable_for; the task's timeout (and retry_on: [timeout]); cancel. Real
// files, real shell tasks, a real SQLite history, at several worker counts.

#include "enginetestharness.h"
#include "runners/waitfilerunner.h"

#include <QtTest>

using namespace pw;
using pw::test::EngineHarness;

class TestWaitFileRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void detailText();
    void holdsNoSlot_data() { workers(); }
    void holdsNoSlot();
    void fileAlreadyThere();
    void stableFor();
    void timeoutAndRetry();
    void cancelWhileWaiting_data() { workers(); }
    void cancelWhileWaiting();

private:
    static void workers()
    {
        QTest::addColumn<int>("workers");
        QTest::newRow("1 worker") << 1;
        QTest::newRow("4 workers") << 4;
    }
};

void TestWaitFileRunner::detailText()
{
    QCOMPARE(WaitFileRunner::waitingDetail(QStringLiteral("/in/x")),
        QStringLiteral("waiting for /in/x"));
    QCOMPARE(WaitFileRunner::waitingDetail(QStringLiteral("/in/x"), 1000, 13500),
        QStringLiteral("waiting for /in/x (checked 0:12 ago)"));
    QCOMPARE(WaitFileRunner::waitingDetail(QStringLiteral("/in/x"), 0, 3723000),
        QStringLiteral("waiting for /in/x (checked 1:02:03 ago)"));
    // Checks at start + k * interval.
    QCOMPARE(WaitFileRunner::lastCheck(1000, 30000, 1000), 1000);
    QCOMPARE(WaitFileRunner::lastCheck(1000, 30000, 30999), 1000);
    QCOMPARE(WaitFileRunner::lastCheck(1000, 30000, 31000), 31000);
    QCOMPARE(WaitFileRunner::lastCheck(1000, 30000, 95000), 91000);
}

// A pool of one slot and max_parallel 1: the sensor waits in the pool while the shell task in
// the same pool runs and makes the file it waits for.
void TestWaitFileRunner::holdsNoSlot()
{
    QFETCH(int, workers);
    EngineHarness h(workers, {{QStringLiteral("one"), 1}});
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: sensor
params:
  date: {type: date, default: "2026-11-24"}
limits: {max_parallel: 1}
tasks:
  wait: {type: wait_file, pool: one, wait_file: {path: "in/{{date}}.ready", poke_interval: 50ms}, timeout: 30s}
  make: {type: shell, pool: one, command: "sleep 0.3; mkdir -p in && touch in/2026-11-24.ready"}
  after: {type: noop, after: [wait]}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Succeeded));
    const QStringList log = h.log(id);
    // The sensor started first and was still running when the shell task started (had it held
    // the one slot, `make` could not start and the sensor would time out).
    QVERIFY2(log.indexOf("wait:running") < log.indexOf("make:running"), qPrintable(log.join(' ')));
    QVERIFY2(
        log.indexOf("make:running") < log.indexOf("wait:succeeded"), qPrintable(log.join(' ')));
    QCOMPARE(h.taskLog(id, "wait"), QStringList({"waiting", "queued", "running", "succeeded"}));
    const auto wait = h.attempts(id, "wait");
    const auto make = h.attempts(id, "make");
    QCOMPARE(wait.size(), 1);
    QCOMPARE(make.size(), 1);
    QVERIFY(wait[0].started <= make[0].started && wait[0].ended >= make[0].started + 250);
    QCOMPARE(wait[0].pgid, 0); // no process
    QVERIFY(wait[0].logPath.isEmpty());
    // The running state's detail says what it waits for (the GUI shows it).
    auto events = h.reader()->events(id);
    QVERIFY(events.has_value());
    bool found = false;
    for (const EventRecord &e : *events) {
        if (e.task == QLatin1String("wait") && e.state == QLatin1String("running")) {
            QCOMPARE(e.detail, "waiting for " + h.dir() + "/in/2026-11-24.ready");
            found = true;
        }
    }
    QVERIFY(found);
}

// Checked at once: an existing file ends the wait without waiting for the poke interval.
void TestWaitFileRunner::fileAlreadyThere()
{
    EngineHarness h(1);
    QFile f(h.dir() + "/ready");
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: there
tasks:
  wait: {type: wait_file, wait_file: {path: ready, poke_interval: 1h}}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Succeeded));
    const auto a = h.attempts(id, "wait");
    QCOMPARE(a.size(), 1);
    QVERIFY(a[0].ended - a[0].started < 5000);
}

// stable_for: the file grows for a while; the sensor ends only once it stopped changing for
// stable_for.
void TestWaitFileRunner::stableFor()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: stable
tasks:
  grow: {type: shell, command: "for i in 1 2 3 4 5 6; do echo $i >> growing; sleep 0.15; done"}
  wait: {type: wait_file, wait_file: {path: growing, poke_interval: 50ms, stable_for: 600ms}, timeout: 30s}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Succeeded));
    const auto grow = h.attempts(id, "grow");
    const auto wait = h.attempts(id, "wait");
    QCOMPARE(wait.size(), 1);
    // Its last change was at the last append (before grow ended): stable 600 ms after that.
    QVERIFY2(wait[0].ended >= grow[0].ended + 600 - 200,
        qPrintable(
            QStringLiteral("wait ended %1 ms after grow").arg(wait[0].ended - grow[0].ended)));
}

// The task's timeout bounds the wait; retry_on: [timeout] retries it.
void TestWaitFileRunner::timeoutAndRetry()
{
    EngineHarness h(1);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: late
tasks:
  wait: {type: wait_file, wait_file: {path: never, poke_interval: 50ms}, timeout: 200ms, retries: 1, retry_delay: 0s, retry_on: [timeout]}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Failed));
    QCOMPARE(h.taskLog(id, "wait"),
        QStringList({"waiting", "queued", "running", "retry_wait", "queued", "running", "failed"}));
    const auto a = h.attempts(id, "wait");
    QCOMPARE(a.size(), 2);
    for (const AttemptRecord &r : a) {
        QCOMPARE(r.error, QStringLiteral("timeout"));
        QVERIFY(r.ended - r.started >= 150);
    }
}

void TestWaitFileRunner::cancelWhileWaiting()
{
    QFETCH(int, workers);
    EngineHarness h(workers);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: cancel
tasks:
  wait: {type: wait_file, wait_file: {path: never, poke_interval: 10s}}
  next: {type: noop, after: [wait]}
)"));
    const auto id = h.start(flow);
    QVERIFY(id.has_value());
    QTRY_VERIFY_WITH_TIMEOUT(h.taskLog(*id, "wait").contains("running"), 10000);
    QElapsedTimer t;
    t.start();
    auto c = h.engine().cancel(*id);
    c.waitForFinished();
    QVERIFY(c.result().has_value());
    QCOMPARE(toString(h.wait(*id)), toString(RunState::Cancelled));
    QVERIFY(t.elapsed() < 5000);
    QCOMPARE(h.taskLog(*id, "wait"), QStringList({"waiting", "queued", "running", "cancelled"}));
    QCOMPARE(h.taskLog(*id, "next"), QStringList({"waiting", "cancelled"}));
    const auto a = h.attempts(*id, "wait");
    QCOMPARE(a.size(), 1);
    QCOMPARE(toString(a[0].state), toString(AttemptState::Cancelled));
    // Shutting the engine down with nothing left waiting is quick.
    h.engine().shutdown();
}

QTEST_GUILESS_MAIN(TestWaitFileRunner)
#include "tst_waitfilerunner.moc"
