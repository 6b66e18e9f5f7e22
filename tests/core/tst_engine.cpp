// Engine behaviour with real shell tasks and a real SQLite history, at several worker counts.
// Each test asserts the ordered event log the engine emitted and invariants read back from
// the history store.

#include "enginetestharness.h"
#include "platform/processinfo.h"

#include <QtTest>

using namespace pw;
using pw::test::EngineHarness;

class TestEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void chainSucceeds_data() { workers(); }
    void chainSucceeds();
    void failureMarksDownstream_data() { workers(); }
    void failureMarksDownstream();
    void retryThenSucceed_data() { workers(); }
    void retryThenSucceed();
    void retryOnlyOnChosenErrors();
    void timeoutKillsWholeGroup();
    void cancelRun_data() { workers(); }
    void cancelRun();
    void cancelOneTask();
    void triggerRules_data() { workers(); }
    void triggerRules();
    void poolAndGlobalLimits_data() { workers(); }
    void poolAndGlobalLimits();
    void priorityOrder();
    void unsupportedTypeFailsClearly();
    void environmentAndWorkdir();
    void logCapturesStdoutAndStderr();
    void storeEventLogMatches();
    void maxActiveRuns();
    void longNoopChain();

private:
    static void workers()
    {
        QTest::addColumn<int>("workers");
        QTest::newRow("1 worker") << 1;
        QTest::newRow("2 workers") << 2;
        QTest::newRow("8 workers") << 8;
    }
};

void TestEngine::chainSucceeds()
{
    QFETCH(int, workers);
    EngineHarness h(workers);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: chain
tasks:
  a: {type: shell, command: "true"}
  b: {type: noop, after: [a]}
  c: {type: shell, after: [b], command: "echo done"}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Succeeded));
    QCOMPARE(h.log(id),
        QStringList({"run:running", "a:waiting", "b:waiting", "c:waiting", "a:queued", "a:running",
            "a:succeeded", "b:queued", "b:running", "b:succeeded", "c:queued", "c:running",
            "c:succeeded", "run:succeeded"}));
    const auto tasks = h.tasks(id);
    QCOMPARE(tasks.size(), 3);
    for (const TaskRecord &t : tasks) {
        QCOMPARE(toString(t.state), toString(TaskState::Succeeded));
        QCOMPARE(t.attempts, 1);
    }
    const auto attempts = h.attempts(id);
    QCOMPARE(attempts.size(), 3);
    for (const AttemptRecord &a : attempts) {
        QCOMPARE(toString(a.state), toString(AttemptState::Succeeded));
        QCOMPARE(a.exitCode.value_or(-1), 0);
        QVERIFY(a.ended >= a.started);
        QCOMPARE(a.tryNo, 1);
    }
    auto run = h.reader()->run(id);
    QVERIFY(run && *run);
    QCOMPARE(toString((*run)->state), toString(RunState::Succeeded));
    QCOMPARE((*run)->tryNo, 1);
    QCOMPARE(toString((*run)->trigger), toString(TryTrigger::Manual));
}

void TestEngine::failureMarksDownstream()
{
    QFETCH(int, workers);
    EngineHarness h(workers);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: failing
tasks:
  a: {type: shell, command: "exit 3"}
  b: {type: shell, after: [a], command: "true"}
  c: {type: noop, after: [b]}
  side: {type: shell, command: "true"}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Failed));
    QCOMPARE(h.taskLog(id, "a"), QStringList({"waiting", "queued", "running", "failed"}));
    QCOMPARE(h.taskLog(id, "b"), QStringList({"waiting", "upstream_failed"}));
    QCOMPARE(h.taskLog(id, "c"), QStringList({"waiting", "upstream_failed"}));
    QCOMPARE(h.taskLog(id, "side").last(), QStringLiteral("succeeded"));
    QCOMPARE(h.log(id).last(), QStringLiteral("run:failed"));
    const auto a = h.attempts(id, "a");
    QCOMPARE(a.size(), 1);
    QCOMPARE(a[0].exitCode.value_or(-1), 3);
    QCOMPARE(a[0].error, QStringLiteral("exit:3"));
    QVERIFY(h.attempts(id, "b").isEmpty());
    QCOMPARE(toString(h.tasks(id).value("b").state), toString(TaskState::UpstreamFailed));
}

void TestEngine::retryThenSucceed()
{
    QFETCH(int, workers);
    EngineHarness h(workers);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: flaky
tasks:
  flaky:
    type: shell
    command: n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; [ $n -ge 3 ]
    retries: 3
    retry_delay: 100ms
    backoff: exponential
    jitter: false
  after: {type: noop, after: [flaky]}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Succeeded));
    QCOMPARE(h.taskLog(id, "flaky"),
        QStringList({"waiting", "queued", "running", "retry_wait", "queued", "running",
            "retry_wait", "queued", "running", "succeeded"}));
    const auto attempts = h.attempts(id, "flaky");
    QCOMPARE(attempts.size(), 3);
    QCOMPARE(attempts[0].error, QStringLiteral("exit:1"));
    QCOMPARE(attempts[1].error, QStringLiteral("exit:1"));
    QCOMPARE(toString(attempts[2].state), toString(AttemptState::Succeeded));
    // Exponential backoff without jitter: >= 100 ms, then >= 200 ms between attempts.
    QVERIFY(attempts[1].started - attempts[0].ended >= 100);
    QVERIFY(attempts[2].started - attempts[1].ended >= 200);
    QCOMPARE(h.tasks(id).value("flaky").attempts, 3);
}

void TestEngine::retryOnlyOnChosenErrors()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: retryon
tasks:
  not_retried: {type: shell, command: "exit 1", retries: 3, retry_delay: 10ms, retry_on: ["exit:75"]}
  retried: {type: shell, command: "exit 75", retries: 2, retry_delay: 10ms, retry_on: ["exit:75"]}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Failed));
    QCOMPARE(h.attempts(id, "not_retried").size(), 1);
    QCOMPARE(h.attempts(id, "retried").size(), 3);
    QCOMPARE(toString(h.tasks(id).value("retried").state), toString(TaskState::Failed));
}

void TestEngine::timeoutKillsWholeGroup()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: slow
tasks:
  slow: {type: shell, command: "sleep 317 & sleep 318", timeout: 500ms}
)"));
    qint64 id = 0;
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Failed));
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    const auto a = h.attempts(id, "slow");
    QCOMPARE(a.size(), 1);
    QCOMPARE(a[0].error, QStringLiteral("timeout"));
    QVERIFY(a[0].pgid > 1);
    QVERIFY(a[0].procStart > 0);
    QVERIFY2(
        !ProcessInfo::groupAlive(pid_t(a[0].pgid)), "a process of the timed-out group survived");
}

void TestEngine::cancelRun()
{
    QFETCH(int, workers);
    EngineHarness h(workers);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: cancelme
tasks:
  long: {type: shell, command: "sleep 300 & sleep 301"}
  next: {type: shell, after: [long], command: "true"}
)"));
    auto id = h.start(flow);
    QVERIFY(id.has_value());
    QTRY_VERIFY_WITH_TIMEOUT(h.taskLog(*id, "long").contains("running"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        !h.attempts(*id, "long").isEmpty() && h.attempts(*id, "long")[0].pgid > 0, 10000);
    auto c = h.engine().cancel(*id);
    c.waitForFinished();
    QVERIFY(c.result().has_value());
    QCOMPARE(toString(h.wait(*id)), toString(RunState::Cancelled));
    QCOMPARE(h.taskLog(*id, "long").last(), QStringLiteral("cancelled"));
    QCOMPARE(h.taskLog(*id, "next").last(), QStringLiteral("cancelled"));
    const auto a = h.attempts(*id, "long");
    QCOMPARE(toString(a[0].state), toString(AttemptState::Cancelled));
    QVERIFY(!ProcessInfo::groupAlive(pid_t(a[0].pgid)));
}

void TestEngine::cancelOneTask()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: cancelone
tasks:
  long: {type: shell, command: "sleep 300"}
  next: {type: shell, after: [long], command: "true"}
  other: {type: shell, command: "true"}
)"));
    auto id = h.start(flow);
    QVERIFY(id.has_value());
    QTRY_VERIFY_WITH_TIMEOUT(
        !h.attempts(*id, "long").isEmpty() && h.attempts(*id, "long")[0].pgid > 0, 10000);
    auto c = h.engine().cancel(*id, "long");
    c.waitForFinished();
    QVERIFY(c.result().has_value());
    QCOMPARE(toString(h.wait(*id)), toString(RunState::Failed));
    QCOMPARE(toString(h.tasks(*id).value("long").state), toString(TaskState::Cancelled));
    QCOMPARE(toString(h.tasks(*id).value("next").state), toString(TaskState::UpstreamFailed));
    QCOMPARE(toString(h.tasks(*id).value("other").state), toString(TaskState::Succeeded));
}

void TestEngine::triggerRules()
{
    QFETCH(int, workers);
    EngineHarness h(workers);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: triggers
tasks:
  ok: {type: shell, command: "true"}
  bad: {type: shell, command: "false"}
  cleanup: {type: noop, after: [ok, bad], trigger: all_done}
  alert: {type: noop, after: [ok, bad], trigger: one_failed}
  no_alert: {type: noop, after: [ok], trigger: one_failed}
  normal: {type: noop, after: [ok, bad]}
  after_skip: {type: noop, after: [no_alert]}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Failed));
    const auto t = h.tasks(id);
    QCOMPARE(toString(t.value("cleanup").state), toString(TaskState::Succeeded));
    QCOMPARE(toString(t.value("alert").state), toString(TaskState::Succeeded));
    QCOMPARE(toString(t.value("no_alert").state), toString(TaskState::Skipped));
    QCOMPARE(toString(t.value("normal").state), toString(TaskState::UpstreamFailed));
    QCOMPARE(toString(t.value("after_skip").state),
        toString(TaskState::Succeeded)); // skipped counts as success
    QCOMPARE(h.taskLog(id, "no_alert"), QStringList({"waiting", "skipped"}));
}

void TestEngine::poolAndGlobalLimits()
{
    QFETCH(int, workers);
    EngineHarness h(workers, {{QStringLiteral("warehouse"), 2}});
    QString yaml = QStringLiteral("pipewright: 1\nflow: limits\ntasks:\n");
    for (int i = 0; i < 8; ++i)
        yaml += QStringLiteral("  w%1: {type: shell, pool: warehouse, command: \"sleep 0.2\"}\n")
                    .arg(i);
    for (int i = 0; i < 6; ++i)
        yaml += QStringLiteral("  f%1: {type: shell, command: \"sleep 0.1\"}\n").arg(i);
    const Flow flow = h.flow(yaml);
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Succeeded));
    const auto all = h.attempts(id);
    QCOMPARE(all.size(), 14);
    QList<AttemptRecord> pool;
    for (const AttemptRecord &a : all)
        if (a.task.startsWith(QLatin1Char('w')))
            pool << a;
    QVERIFY2(pw::test::maxOverlap(pool) <= std::min(2, workers), "pool slots exceeded");
    QVERIFY2(pw::test::maxOverlap(all) <= workers, "max_parallel exceeded");
    if (workers >= 4)
        QVERIFY(pw::test::maxOverlap(all) >= 3); // it really runs in parallel
}

void TestEngine::priorityOrder()
{
    EngineHarness h(1);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: prio
tasks:
  low: {type: shell, command: "true"}
  high: {type: shell, command: "true", priority: 10}
  hub: {type: shell, command: "true"}
  d1: {type: noop, after: [hub]}
  d2: {type: noop, after: [d1]}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Succeeded));
    QStringList started;
    for (const QString &e : h.log(id))
        if (e.endsWith(QLatin1String(":running")) && !e.startsWith(QLatin1String("run:")))
            started << e.section(QLatin1Char(':'), 0, 0);
    // explicit priority, then more downstream tasks, then file order
    // high first (explicit priority), hub (2 downstream), then d1 (1 downstream) beats low
    // (0), and low beats d2 (both 0) because it was queued first.
    QCOMPARE(started, QStringList({"high", "hub", "d1", "low", "d2"}));
}

void TestEngine::unsupportedTypeFailsClearly()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: unsupported
tasks:
  load: {type: shell, executor: slurm, command: "true", retries: 2, retry_delay: 10ms}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Failed));
    const auto a = h.attempts(id, "load");
    QCOMPARE(a.size(), 1); // not retried
    QVERIFY2(a[0].error.contains(QLatin1String("not supported yet")), qPrintable(a[0].error));
}

void TestEngine::environmentAndWorkdir()
{
    EngineHarness h(2);
    QDir(h.dir()).mkpath("sub");
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: envtest
params:
  date: {type: date}
  region: {type: choice, values: [kr, jp], default: kr}
tasks:
  env:
    type: shell
    workdir: sub
    env: {GREETING: "hello {{region}}"}
    command: echo "$PW_RUN_ID $PW_TASK $PW_ATTEMPT $PW_PARAM_DATE $GREETING" {{date|nodash}} {{date}} > out.txt; pwd >> out.txt
)"));
    qint64 id = 0;
    QCOMPARE(
        toString(h.runToEnd(flow, {{"date", "2026-11-24"}}, &id)), toString(RunState::Succeeded));
    QFile f(h.dir() + "/sub/out.txt");
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(f.readAll()).split('\n');
    QCOMPARE(lines[0], QStringLiteral("%1 env 1 2026-11-24 hello kr 20261124 2026-11-24").arg(id));
    QCOMPARE(
        QFileInfo(lines[1]).canonicalFilePath(), QFileInfo(h.dir() + "/sub").canonicalFilePath());
}

void TestEngine::logCapturesStdoutAndStderr()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: logs
tasks:
  talk: {type: shell, command: "echo to-stdout; echo to-stderr >&2"}
  quiet: {type: noop}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Succeeded));
    const auto a = h.attempts(id, "talk");
    QCOMPARE(a[0].logPath, h.home() + QStringLiteral("/logs/%1/talk/attempt-1.log").arg(id));
    QFile f(a[0].logPath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray log = f.readAll();
    QVERIFY(log.contains("to-stdout"));
    QVERIFY(log.contains("to-stderr"));
    QVERIFY(h.attempts(id, "quiet")[0].logPath.isEmpty()); // noop writes no log
}

void TestEngine::storeEventLogMatches()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: evlog
tasks:
  a: {type: shell, command: "exit 2"}
  b: {type: noop, after: [a]}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Failed));
    auto events = h.reader()->events(id);
    QVERIFY(events.has_value());
    QStringList stored;
    for (const EventRecord &e : *events) {
        if (e.kind == QLatin1String("task"))
            stored << e.task + ':' + e.state;
        else if (e.kind == QLatin1String("run"))
            stored << "run:" + e.state;
    }
    QCOMPARE(stored, h.log(id)); // the store holds exactly what observers were told, in order
    bool sawFailure = false;
    for (const EventRecord &e : *events)
        sawFailure |= e.kind == QLatin1String("task") && e.task == QLatin1String("a")
            && e.state == QLatin1String("failed") && e.detail == QLatin1String("exit:2")
            && e.attempt == 1;
    QVERIFY(sawFailure);
}

void TestEngine::maxActiveRuns()
{
    EngineHarness h(4);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: serial
params:
  n: {type: int}
limits: {max_active_runs: 1}
tasks:
  work: {type: shell, command: "sleep 0.3"}
)"));
    auto a = h.start(flow, {{"n", "1"}});
    auto b = h.start(flow, {{"n", "2"}});
    QVERIFY(a && b);
    QCOMPARE(toString(h.wait(*a)), toString(RunState::Succeeded));
    QCOMPARE(toString(h.wait(*b)), toString(RunState::Succeeded));
    const auto wa = h.attempts(*a, "work");
    const auto wb = h.attempts(*b, "work");
    QVERIFY(wb[0].started >= wa[0].ended); // never both active
    QCOMPARE(h.log(*b).value(0), QStringLiteral("run:queued"));
}

// Inline (noop) attempts finish inside dispatch: a long chain must neither recurse nor stall.
void TestEngine::longNoopChain()
{
    EngineHarness h(2);
    QString yaml = QStringLiteral("pipewright: 1\nflow: chain\ntasks:\n  t0: {type: noop}\n");
    const int n = 20000;
    for (int i = 1; i < n; ++i)
        yaml += QStringLiteral("  t%1: {type: noop, after: [t%2]}\n").arg(i).arg(i - 1);
    const Flow flow = h.flow(yaml);
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Succeeded));
    const auto tasks = h.tasks(id);
    QCOMPARE(tasks.size(), n);
    QCOMPARE(tasks.value(QStringLiteral("t%1").arg(n - 1)).attempts, 1);
    QCOMPARE(h.attempts(id).size(), n);
}

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
