// Recovery: `run` of an existing key, `rerun` modes, --current-definition, --force, marks.
// Every rerun is a new try; succeeded tasks that are kept keep their single attempt.

#include "enginetestharness.h"

#include "engine/enginecore.h"

#include <QtTest>

using namespace pw;
using pw::test::EngineHarness;

namespace {

// b fails while the file "broken" exists in the flow's directory.
const char *kFlow = R"(pipewright: 1
flow: recover
params:
  date: {type: date}
tasks:
  a: {type: shell, command: "echo a >> trace"}
  b: {type: shell, after: [a], command: "echo b >> trace; test ! -e broken"}
  c: {type: shell, after: [b], command: "echo c >> trace"}
  d: {type: shell, after: [a], command: "echo d >> trace"}
)";

} // namespace

class TestRecovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void runOfFailedKeyRecovers_data();
    void runOfFailedKeyRecovers();
    void succeededKeyIsRefusedWithoutForce();
    void rerunModes_data();
    void rerunModes();
    void recoveryUsesStoredDefinition();
    void currentDefinition();
    void markTaskAndRun();
    void unknownRerunTask();
    void removedTasksLeaveTheRun();
    void rerunTaskAfterInterruptedTryFinishes();
    void cancelBeforeTheShellStartsIsKept();

private:
    static QByteArray trace(const EngineHarness &h)
    {
        QFile f(h.dir() + QStringLiteral("/trace"));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static void touch(const EngineHarness &h, const char *name, bool exists)
    {
        const QString p = h.dir() + QLatin1Char('/') + QLatin1String(name);
        if (exists) {
            QFile f(p);
            QVERIFY(f.open(QIODevice::WriteOnly));
        } else {
            QFile::remove(p);
        }
    }
};

// clang-format off
void TestRecovery::runOfFailedKeyRecovers_data()
{
    QTest::addColumn<int>("workers");
    QTest::newRow("1") << 1;
    QTest::newRow("2") << 2;
    QTest::newRow("8") << 8;
}
// clang-format on

void TestRecovery::runOfFailedKeyRecovers()
{
    QFETCH(int, workers);
    EngineHarness h(workers);
    const Flow flow = h.flow(QString::fromLatin1(kFlow));
    touch(h, "broken", true);
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {{"date", "2026-11-24"}}, &id)), toString(RunState::Failed));
    QCOMPARE(toString(h.tasks(id).value("c").state), toString(TaskState::UpstreamFailed));

    touch(h, "broken", false);
    qint64 id2 = 0;
    QCOMPARE(
        toString(h.runToEnd(flow, {{"date", "2026-11-24"}}, &id2)), toString(RunState::Succeeded));
    QCOMPARE(id2, id); // same key, same run

    // a and d kept their single attempt; b ran twice (attempt numbers rise across tries).
    QCOMPARE(h.attempts(id, "a").size(), 1);
    QCOMPARE(h.attempts(id, "d").size(), 1);
    const auto b = h.attempts(id, "b");
    QCOMPARE(b.size(), 2);
    QCOMPARE(b[0].tryNo, 1);
    QCOMPARE(b[1].tryNo, 2);
    QCOMPARE(b[1].attempt, 2);
    QCOMPARE(h.attempts(id, "c").size(), 1);
    QCOMPARE(h.attempts(id, "c")[0].tryNo, 2);

    auto tries = h.reader()->tries(id);
    QVERIFY(tries.has_value());
    QCOMPARE(tries->size(), 2);
    QCOMPARE(toString((*tries)[0].trigger), toString(TryTrigger::Manual));
    QCOMPARE(toString((*tries)[0].state), toString(RunState::Failed));
    QCOMPARE(toString((*tries)[1].trigger), toString(TryTrigger::Recover));
    QCOMPARE(toString((*tries)[1].state), toString(RunState::Succeeded));

    // a different key is a different run
    qint64 other = 0;
    QCOMPARE(toString(h.runToEnd(flow, {{"date", "2026-11-25"}}, &other)),
        toString(RunState::Succeeded));
    QVERIFY(other != id);
}

void TestRecovery::succeededKeyIsRefusedWithoutForce()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QString::fromLatin1(kFlow));
    qint64 id = 0;
    QCOMPARE(
        toString(h.runToEnd(flow, {{"date", "2026-11-24"}}, &id)), toString(RunState::Succeeded));
    auto again = h.start(flow, {{"date", "2026-11-24"}});
    QVERIFY(!again.has_value());
    QVERIFY2(again.error().message.contains(QLatin1String("already succeeded")),
        qPrintable(again.error().message));
    auto forced = h.start(flow, {{"date", "2026-11-24"}}, true);
    QVERIFY(forced.has_value());
    QCOMPARE(*forced, id);
    h.clearFinished(id);
    QCOMPARE(toString(h.wait(id)), toString(RunState::Succeeded));
    QCOMPARE(h.attempts(id, "a").size(), 2);
    auto tries = h.reader()->tries(id);
    QCOMPARE(toString(tries->last().trigger), toString(TryTrigger::Force));
}

// clang-format off
void TestRecovery::rerunModes_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("task");
    QTest::addColumn<QString>("expectedTrace"); // tasks executed by the rerun, sorted
    QTest::newRow("all") << int(RerunMode::All) << QString() << "abcd";
    QTest::newRow("from b") << int(RerunMode::From) << "b" << "bc";
    QTest::newRow("from a") << int(RerunMode::From) << "a" << "abcd";
    QTest::newRow("task b") << int(RerunMode::Task) << "b" << "b";
    QTest::newRow("failed (nothing failed)") << int(RerunMode::Failed) << QString() << "";
}
// clang-format on

void TestRecovery::rerunModes()
{
    QFETCH(int, mode);
    QFETCH(QString, task);
    QFETCH(QString, expectedTrace);
    EngineHarness h(2);
    const Flow flow = h.flow(QString::fromLatin1(kFlow));
    qint64 id = 0;
    QCOMPARE(
        toString(h.runToEnd(flow, {{"date", "2026-11-24"}}, &id)), toString(RunState::Succeeded));
    QFile::remove(h.dir() + "/trace");
    h.clearFinished(id);
    RunRequest req;
    req.kind = RunRequest::Kind::Rerun;
    req.runId = id;
    req.mode = RerunMode(mode);
    req.task = task;
    auto r = h.submit(req);
    QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().message));
    QCOMPARE(toString(h.wait(id)), toString(RunState::Succeeded));
    QByteArray t = trace(h);
    t.replace('\n', "");
    std::sort(t.begin(), t.end());
    QCOMPARE(QString::fromLatin1(t), expectedTrace);
    auto tries = h.reader()->tries(id);
    QCOMPARE(tries->size(), 2);
    QCOMPARE(toString(tries->last().trigger), toString(TryTrigger::Rerun));
}

void TestRecovery::recoveryUsesStoredDefinition()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QString::fromLatin1(kFlow));
    touch(h, "broken", true);
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {{"date", "2026-11-24"}}, &id)), toString(RunState::Failed));
    // Edit the file: b would now succeed even while broken exists. Recovery must ignore this.
    QString edited = QString::fromLatin1(kFlow);
    edited.replace("test ! -e broken", "true");
    const Flow changed = h.flow(edited);
    QCOMPARE(toString(h.runToEnd(changed, {{"date", "2026-11-24"}})), toString(RunState::Failed));
    QCOMPARE(h.attempts(id, "b").size(), 2);
    auto tries = h.reader()->tries(id);
    QVERIFY(tries->last().note.contains(QLatin1String("changed")));

    // With the current definition, it succeeds; unchanged succeeded tasks are kept.
    h.clearFinished(id);
    auto plan = RunPlanner::plan(changed, {{"date", "2026-11-24"}});
    QVERIFY(plan.has_value());
    RunRequest req;
    req.kind = RunRequest::Kind::Rerun;
    req.runId = id;
    req.currentDefinition = true;
    req.plan = *plan;
    QVERIFY(h.submit(req).has_value());
    QCOMPARE(toString(h.wait(id)), toString(RunState::Succeeded));
    QCOMPARE(h.attempts(id, "a").size(), 1);
    QCOMPARE(h.attempts(id, "b").size(), 3);
}

void TestRecovery::currentDefinition()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QString::fromLatin1(kFlow));
    qint64 id = 0;
    QCOMPARE(
        toString(h.runToEnd(flow, {{"date", "2026-11-24"}}, &id)), toString(RunState::Succeeded));
    // New task e after d; d's command changes; c removed.
    QString edited = QString::fromLatin1(kFlow);
    edited.replace("  c: {type: shell, after: [b], command: \"echo c >> trace\"}\n", "");
    edited.replace("echo d >> trace", "echo D >> trace");
    edited += "  e: {type: shell, after: [d], command: \"echo e >> trace\"}\n";
    const Flow changed = h.flow(edited);
    QFile::remove(h.dir() + "/trace");
    h.clearFinished(id);
    auto plan = RunPlanner::plan(changed, {{"date", "2026-11-24"}});
    QVERIFY(plan.has_value());
    RunRequest req;
    req.kind = RunRequest::Kind::Rerun;
    req.runId = id;
    req.mode = RerunMode::Failed;
    req.currentDefinition = true;
    req.plan = *plan;
    QVERIFY(h.submit(req).has_value());
    QCOMPARE(toString(h.wait(id)), toString(RunState::Succeeded));
    QByteArray t = trace(h);
    t.replace('\n', "");
    std::sort(t.begin(), t.end());
    QCOMPARE(QString::fromLatin1(t), QStringLiteral("De")); // changed d and new e; a, b kept
    QCOMPARE(h.attempts(id, "a").size(), 1);
}

void TestRecovery::markTaskAndRun()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QString::fromLatin1(kFlow));
    touch(h, "broken", true);
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {{"date", "2026-11-24"}}, &id)), toString(RunState::Failed));
    auto m = h.engine().mark(id, "b", TaskState::Succeeded);
    m.waitForFinished();
    QVERIFY(m.result().has_value());
    auto t = h.tasks(id);
    QCOMPARE(toString(t.value("b").state), toString(TaskState::Succeeded));
    QVERIFY(!t.value("b").markedBy.isEmpty());
    QVERIFY(t.value("b").markedAt > 0);
    QCOMPARE(h.attempts(id, "b").size(), 1); // mark starts nothing
    auto run = h.reader()->run(id);
    QCOMPARE(toString((*run)->state), toString(RunState::Failed)); // c is still upstream_failed

    // Recovering now only runs c (b counts as succeeded).
    touch(h, "broken", false);
    QFile::remove(h.dir() + "/trace");
    QCOMPARE(toString(h.runToEnd(flow, {{"date", "2026-11-24"}})), toString(RunState::Succeeded));
    QCOMPARE(trace(h), QByteArray("c\n"));

    auto mr = h.engine().mark(id, {}, TaskState::Failed);
    mr.waitForFinished();
    QVERIFY(mr.result().has_value());
    QCOMPARE(toString((*h.reader()->run(id))->state), toString(RunState::Failed));
}

void TestRecovery::unknownRerunTask()
{
    EngineHarness h(1);
    const Flow flow = h.flow(QString::fromLatin1(kFlow));
    qint64 id = 0;
    QCOMPARE(
        toString(h.runToEnd(flow, {{"date", "2026-11-24"}}, &id)), toString(RunState::Succeeded));
    RunRequest req;
    req.kind = RunRequest::Kind::Rerun;
    req.runId = id;
    req.mode = RerunMode::From;
    req.task = "nope";
    auto r = h.submit(req);
    QVERIFY(!r.has_value());
    QVERIFY(r.error().message.contains(QLatin1String("nope")));
    req.runId = 999;
    QVERIFY(!h.submit(req).has_value());
}

// Issue 8 finding 8: tasks that --current-definition dropped do not count any more: not in the
// run's task list, not in its state when a task is marked later.
void TestRecovery::removedTasksLeaveTheRun()
{
    EngineHarness h(2);
    QString text = QString::fromLatin1(kFlow);
    text.replace("echo c >> trace", "echo c >> trace; false");
    const Flow flow = h.flow(text);
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {{"date", "2026-11-24"}}, &id)), toString(RunState::Failed));
    QCOMPARE(toString(h.tasks(id).value("c").state), toString(TaskState::Failed));

    QString edited = text;
    edited.replace("  c: {type: shell, after: [b], command: \"echo c >> trace; false\"}\n", "");
    const Flow changed = h.flow(edited);
    h.clearFinished(id);
    auto plan = RunPlanner::plan(changed, {{"date", "2026-11-24"}});
    QVERIFY(plan.has_value());
    RunRequest req;
    req.kind = RunRequest::Kind::Rerun;
    req.runId = id;
    req.currentDefinition = true;
    req.plan = *plan;
    QVERIFY(h.submit(req).has_value());
    QCOMPARE(toString(h.wait(id)), toString(RunState::Succeeded));
    const auto tasks = h.tasks(id);
    QVERIFY(!tasks.contains("c"));
    QCOMPARE(tasks.size(), 3);
    QCOMPARE(h.attempts(id, "c").size(), 1); // its attempt stays in the history
    auto run = h.reader()->run(id);
    QCOMPARE((*run)->tasksTotal, 3);

    // Marking recomputes the run's state from its current tasks only.
    auto m = h.engine().mark(id, "b", TaskState::Succeeded);
    m.waitForFinished();
    QVERIFY(m.result().has_value());
    QCOMPARE(toString((*h.reader()->run(id))->state), toString(RunState::Succeeded));
}

// Issue 8 finding 6: a try that was interrupted while tasks still waited; `rerun --task c`
// must end (c cannot run: its upstream b never ran), not wait forever for b.
void TestRecovery::rerunTaskAfterInterruptedTryFinishes()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QString::fromLatin1(kFlow));
    qint64 id = 0;
    QCOMPARE(
        toString(h.runToEnd(flow, {{"date", "2026-11-24"}}, &id)), toString(RunState::Succeeded));
    // What a takeover left behind before this fix: a interrupted, b and c still waiting.
    {
        auto w = h.reader();
        QVERIFY(w->setTaskState(id, "a", TaskState::Interrupted, 1, 10).has_value());
        QVERIFY(w->setTaskState(id, "b", TaskState::Waiting, 1, 10).has_value());
        QVERIFY(w->setTaskState(id, "c", TaskState::Waiting, 1, 10).has_value());
        QVERIFY(w->setRunState(id, RunState::Interrupted, 10).has_value());
    }
    h.clearFinished(id);
    RunRequest req;
    req.kind = RunRequest::Kind::Rerun;
    req.runId = id;
    req.mode = RerunMode::Task;
    req.task = "c";
    QVERIFY(h.submit(req).has_value());
    QCOMPARE(toString(h.wait(id, 10000)), toString(RunState::Failed));
    const auto tasks = h.tasks(id);
    QCOMPARE(toString(tasks.value("b").state), toString(TaskState::Interrupted));
    QCOMPARE(toString(tasks.value("c").state), toString(TaskState::UpstreamFailed));
}

// Issue 8 finding 3: a cancel that arrives after the attempt was recorded but before its shell
// was started is not lost: the command never runs.
void TestRecovery::cancelBeforeTheShellStartsIsKept()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString flowPath = dir.path() + "/c.flow.yaml";
    {
        QFile f(flowPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("pipewright: 1\nflow: c\ntasks:\n  slow: {type: shell, command: \"touch ran; sleep "
                "8\"}\n");
    }
    auto flow = FlowLoader::loadFile(flowPath);
    QVERIFY(flow.has_value());
    auto plan = RunPlanner::plan(*flow, {});
    QVERIFY(plan.has_value());
    EngineConfig cfg;
    cfg.home = dir.path() + "/home";
    cfg.maxParallel = 2;
    cfg.killGraceMs = 1000;
    EngineCore core(cfg);
    QVERIFY(core.init().has_value());
    qint64 runId = 0;
    RunState finalState = RunState::Running;
    QObject::connect(&core, &EngineCore::runFinished, &core, [&](qint64 id, RunState st) {
        if (id == runId)
            finalState = st;
    });
    RunRequest req;
    req.plan = *plan;
    auto id = core.submit(req); // the attempt is recorded; its shell starts after the commit
    QVERIFY(id.has_value());
    runId = *id;
    QVERIFY(core.cancel(runId, {}).has_value()); // ... but the cancel comes first
    QElapsedTimer t;
    t.start();
    QVERIFY(core.flushNow());
    QTRY_VERIFY_WITH_TIMEOUT(finalState != RunState::Running, 5000);
    QCOMPARE(toString(finalState), toString(RunState::Cancelled));
    QVERIFY(t.elapsed() < 4000);
    QVERIFY(!QFileInfo::exists(dir.path() + "/ran"));
    core.shutdown();
    HistoryStore::Options o;
    o.path = cfg.home + "/history.sqlite";
    auto store = HistoryStore::open(o);
    QVERIFY(store.has_value());
    auto attempts = (*store)->attempts(runId, "slow");
    QVERIFY(attempts.has_value());
    QCOMPARE(attempts->size(), 1);
    QCOMPARE(toString(attempts->first().state), toString(AttemptState::Cancelled));
}

QTEST_GUILESS_MAIN(TestRecovery)
#include "tst_recovery.moc"
