// Fault test (issue 8): an owner paused (SIGSTOP) past the stale limit and resumed (SIGCONT).
//
// - takeoverByRun: C = `run` of the same key takes A over while A is stopped and starts try 2;
//   resumed, A must exit 3 (lost ownership) and write nothing more: try 1 stays `interrupted`,
//   try 2 is untouched and succeeds, task `a` never runs twice at once, and D = `run` of the key
//   is refused while C runs (exit 2 naming C's pid and host) or after C succeeded.
// - noTakeover: nobody took A over, so its owner row is still alive: A resumes and finishes.
// - takeoverByReader: `pipewright-cli runs` takes A over (the run becomes `interrupted`); resumed,
//   A must not overwrite that with cancelled/failed, and exits 3.
//
// PW_FAULT_PAUSES repeats each scenario (default 2; installer/dev.sh faults uses 5): the order in
// which a resumed process notices things (its heartbeat failing, its child's end) varies.
//
// Task `a` runs under a kernel lock (flock): a second copy that finds it held records itself in
// CONCURRENT. Its sleep carries the test's marker, so that leftovers are found in /proc.
#include "faultharness.h"

#include <QRegularExpression>

using namespace pwfault;

namespace {

// $1: the sleep of attempt 1, $2: of later attempts (both end with the marker).
const char *kSlowScript = R"(#!/bin/sh
if [ "$PW_ATTEMPT" = 1 ]; then s=$1; else s=$2; fi
flock -n -E 77 "lock/$PW_TASK" sh -c 'echo "start $PW_ATTEMPT" >> "out/$PW_TASK"; sleep "$1"; echo "end $PW_ATTEMPT" >> "out/$PW_TASK"' task "$s"
rc=$?
if [ "$rc" = 77 ]; then echo "$PW_TASK $PW_ATTEMPT" >> CONCURRENT; fi
exit "$rc"
)";

const QRegularExpression kLostOwnership(QStringLiteral("taken over|ownership|no longer alive"),
    QRegularExpression::CaseInsensitiveOption);

} // namespace

class TstPauseResume : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QFileInfo::exists(cliPath()), qPrintable(cliPath()));
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("flock")).isEmpty(),
            "flock (util-linux) is needed");
    }
    void init();
    void cleanup();

    void takeoverByRun_data();
    void takeoverByRun();
    void noTakeover_data();
    void noTakeover();
    void takeoverByReader_data();
    void takeoverByReader();

private:
    // Starts A (`run` of the flow) and waits until task `a` runs (its process wrote "start 1"
    // and its attempt row is recorded), then stops A until its heartbeat is older than the stale
    // limit. Returns A, or nullptr (with a QFAIL already reported).
    QProcess *startAndPauseOwner();
    // Rows of try 1 (the try itself, its attempts, its events): what A must not change.
    QString try1Snapshot();
    // Everything that must hold whatever happened: integrity, no row left running, task `a`
    // never ran twice at once, no task process left (ended by pid if found).
    void checkCommonInvariants(Checks &checks);
    QString runRow(); // the run's state, try and owner
    // Rows "round 1".."round N", N = PW_FAULT_PAUSES (default 2): each a fresh home.
    static void rounds_data();

    QString m_marker;
    std::unique_ptr<FaultHome> m_home;
    std::unique_ptr<Processes> m_procs;
    std::unique_ptr<StoreView> m_store;
    QStringList m_runArgs;
    qint64 m_ownerA = 0;
};

void TstPauseResume::init()
{
    m_marker = uniqueMarker();
    m_home = std::make_unique<FaultHome>();
    QVERIFY(m_home->isValid());
    m_procs = std::make_unique<Processes>(m_marker);
    m_store = std::make_unique<StoreView>(m_home->historyPath());
    const QByteArray flow = QStringLiteral(
        "pipewright: 1\nflow: pause\nparams:\n  k: {type: int, default: 1}\ntasks:\n"
        "  a:\n    type: shell\n    command: sh ./slow.sh 6.0%1 2.5%1\n"
        "  b:\n    type: shell\n    after: [a]\n    command: echo \"b $PW_ATTEMPT\" >> out/b\n")
                                .arg(m_marker)
                                .toUtf8();
    QVERIFY(m_home->writeFile(QStringLiteral("pause.flow.yaml"), flow));
    QVERIFY(m_home->writeFile(QStringLiteral("slow.sh"), kSlowScript));
    QVERIFY(QDir().mkpath(m_home->path() + QStringLiteral("/lock")));
    QVERIFY(QDir().mkpath(m_home->path() + QStringLiteral("/out")));
    m_runArgs
        = QStringList{QStringLiteral("run"), m_home->path() + QStringLiteral("/pause.flow.yaml"),
            QStringLiteral("-p"), QStringLiteral("k=1")};
    m_ownerA = 0;
}

void TstPauseResume::cleanup()
{
    if (QTest::currentTestFailed() && m_home) {
        m_home->keepOnFailure();
        qInfo().noquote() << "kept" << m_home->path();
    }
    m_procs.reset(); // SIGCONT + SIGKILL of every CLI still running, then of every task process
    m_store.reset();
    m_home.reset();
}

QProcess *TstPauseResume::startAndPauseOwner()
{
    QProcess *a = m_procs->startCli(m_home->home(), m_runArgs);
    const bool running = waitUntil(
        [&] {
            return m_home->readFile(QStringLiteral("out/a")).contains("start 1")
                && m_store->count(QStringLiteral(
                       "SELECT count(*) FROM attempts WHERE task = 'a' AND state = 'running'"))
                == 1;
        },
        30000);
    if (!running) {
        QTest::qFail(qPrintable(QStringLiteral("task a did not start: %1").arg(allOutput(a))),
            __FILE__, __LINE__);
        return nullptr;
    }
    // Give the process group a moment to reach the store (it may come in a later batch; that
    // race is the kill loop's subject, not this test's).
    waitUntil(
        [&] {
            return m_store->count(
                       QStringLiteral("SELECT pgid FROM attempts WHERE task = 'a' AND attempt = 1"))
                > 0;
        },
        2000);
    m_ownerA = m_store->scalar(QStringLiteral("SELECT owner_id FROM tries WHERE try_no = 1"))
                   .toLongLong();
    ::kill(pid_t(a->processId()), SIGSTOP);
    const bool stale = waitUntil(
        [&] {
            const qint64 hb
                = m_store
                      ->scalar(
                          QStringLiteral("SELECT heartbeat FROM owners WHERE id = ?"), {m_ownerA})
                      .toLongLong();
            return hb > 0 && nowMs() - hb > kStaleLimitMs + 300;
        },
        10000);
    if (!stale) {
        QTest::qFail("A's heartbeat did not become stale while it was stopped", __FILE__, __LINE__);
        return nullptr;
    }
    return a;
}

QString TstPauseResume::try1Snapshot()
{
    return m_store->dump(QStringLiteral("SELECT try_no, trigger, state, owner_id, started, ended "
                                        "FROM tries WHERE try_no = 1"))
        + QStringLiteral("\n--\n")
        + m_store->dump(QStringLiteral(
            "SELECT task, attempt, state, started, ended, exit_code, error, pgid FROM attempts"
            " WHERE try_no = 1 ORDER BY task, attempt"))
        + QStringLiteral("\n--\n")
        + m_store->dump(QStringLiteral("SELECT id, time, task, attempt, kind, state, detail FROM "
                                       "events WHERE try_no = 1 ORDER BY id"));
}

void TstPauseResume::checkCommonInvariants(Checks &checks)
{
    const QString integrity = m_store->scalar(QStringLiteral("PRAGMA integrity_check")).toString();
    checks.expect(
        integrity == QLatin1String("ok"), QStringLiteral("PRAGMA integrity_check: ") + integrity);
    const QString concurrent = QString::fromUtf8(m_home->readFile(QStringLiteral("CONCURRENT")));
    checks.expect(concurrent.isEmpty(),
        QStringLiteral("a task ran twice at once (task attempt): ") + concurrent.trimmed());
    for (const char *table : {"runs", "tries", "attempts"}) {
        const QString left = m_store->dump(
            QStringLiteral("SELECT * FROM %1 WHERE state = 'running'").arg(QLatin1String(table)));
        checks.expect(
            left.isEmpty(), QStringLiteral("%1 left running: %2").arg(QLatin1String(table), left));
    }
    QStringList seen;
    for (const TaskProcess &t : markerProcesses(m_marker))
        seen << QStringLiteral("pid %1 (%2 attempt %3): %4")
                    .arg(t.pid)
                    .arg(t.task)
                    .arg(t.attempt)
                    .arg(t.cmdline);
    killMarkerProcesses(m_marker);
    checks.expect(seen.isEmpty(),
        QStringLiteral("task processes left running (ended by pid): ")
            + seen.join(QStringLiteral("; ")));
}

QString TstPauseResume::runRow()
{
    return m_store->dump(QStringLiteral("SELECT state, try_no, owner_id FROM runs"));
}

// clang-format off
void TstPauseResume::rounds_data()
{
    QTest::addColumn<int>("round");
    const int n = envInt("PW_FAULT_PAUSES", 2);
    for (int i = 1; i <= n; ++i)
        QTest::newRow(qPrintable(QStringLiteral("round %1").arg(i))) << i;
}
// clang-format on

// clang-format off
void TstPauseResume::takeoverByRun_data() { rounds_data(); }
void TstPauseResume::noTakeover_data() { rounds_data(); }
void TstPauseResume::takeoverByReader_data() { rounds_data(); }

void TstPauseResume::takeoverByRun()
{
    Checks checks;
    QProcess *a = startAndPauseOwner();
    QVERIFY(a);

    // C takes A over (A is stale) and starts try 2, which runs `a` again.
    QProcess *c = m_procs->startCli(m_home->home(), m_runArgs);
    QVERIFY2(waitUntil([&] {
        return m_store->scalar(QStringLiteral("SELECT state FROM tries WHERE try_no = 1")).toString() == QLatin1String("interrupted")
               && m_store->count(QStringLiteral("SELECT count(*) FROM tries WHERE try_no = 2")) == 1;
    }, 20000), qPrintable(QStringLiteral("C did not take over: ") + allOutput(c)));
    const qint64 takeoverTime = m_store->scalar(QStringLiteral("SELECT ended FROM owners WHERE id = ?"), {m_ownerA}).toLongLong();
    QVERIFY(takeoverTime > 0);
    // Let C's try 2 start task `a` before A comes back, so that A has something to trample on.
    QVERIFY2(waitUntil([&] { return m_home->readFile(QStringLiteral("out/a")).contains("start 2"); }, 15000),
             qPrintable(QStringLiteral("try 2 did not start a: ") + allOutput(c)));
    QVERIFY2(c->state() != QProcess::NotRunning, "C ended before A was resumed");
    const QString before = try1Snapshot();
    const QString runBefore = runRow();
    const QString try2Before = m_store->dump(QStringLiteral("SELECT state, owner_id FROM tries WHERE try_no = 2"));

    ::kill(pid_t(a->processId()), SIGCONT);
    QVERIFY2(waitExit(a, 15000), "A did not exit after it was resumed");
    const QString outA = allOutput(a);
    const int codeA = a->exitStatus() == QProcess::NormalExit ? a->exitCode() : -1;
    // Nothing of A's may have landed on the run or on C's try 2 either.
    const bool cStillRunning = c->state() != QProcess::NotRunning;
    const QString runAfterA = runRow();
    const QString try2AfterA = m_store->dump(QStringLiteral("SELECT state, owner_id FROM tries WHERE try_no = 2"));
    const QString afterA = try1Snapshot();

    // D while C runs: refused, naming the owner. (If C already ended, it is refused as succeeded.)
    const qint64 cPid = c->processId();
    const bool cRunningForD = c->state() != QProcess::NotRunning;
    QString outD;
    const int codeD = runCli(m_home->home(), m_runArgs, &outD);

    const bool cEnded = waitExit(c, 30000);
    const QString outC = allOutput(c);

    // A: lost ownership, exit 3, and nothing written after resuming.
    checks.expect(codeA == 3 && outA.contains(kLostOwnership),
                  QStringLiteral("A exited %1 (expected 3, saying it lost ownership): %2").arg(codeA).arg(outA.trimmed()));
    checks.expect(before == afterA,
                  QStringLiteral("A wrote to try 1 after it resumed.\nbefore:\n%1\nafter:\n%2").arg(before, afterA));
    if (cStillRunning) {
        checks.expect(runAfterA == runBefore,
                      QStringLiteral("the run row changed while A resumed and C ran: before '%1', after A '%2'").arg(runBefore, runAfterA));
        checks.expect(try2AfterA == try2Before,
                      QStringLiteral("try 2 (C's) changed while A resumed: before '%1', after A '%2'").arg(try2Before, try2AfterA));
    }
    const QString try1Events = m_store->dump(QStringLiteral("SELECT id, time, task, attempt, kind, state, detail FROM events"
                                                            " WHERE try_no = 1 AND time >= ? AND state <> 'interrupted' ORDER BY id"),
                                             {takeoverTime});
    checks.expect(try1Events.isEmpty(),
                  QStringLiteral("events of try 1 after C's takeover (other than the takeover's own):\n") + try1Events);
    const QString try1State = m_store->scalar(QStringLiteral("SELECT state FROM tries WHERE try_no = 1")).toString();
    checks.expect(try1State == QLatin1String("interrupted"), QStringLiteral("try 1 ended '%1', not interrupted").arg(try1State));
    const QString try1Attempts = m_store->dump(QStringLiteral("SELECT task, attempt, state FROM attempts WHERE try_no = 1 AND state <> 'interrupted'"));
    checks.expect(try1Attempts.isEmpty(), QStringLiteral("attempts of try 1 not interrupted: ") + try1Attempts);

    // D: refused, no new try.
    if (cRunningForD) {
        checks.expect(codeD == 2 && outD.contains(QString::number(cPid)) && outD.contains(hostName()),
                      QStringLiteral("D while C (pid %1 on %2) runs: exit %3 (expected 2, naming C's pid and host): %4")
                          .arg(cPid).arg(hostName()).arg(codeD).arg(outD.trimmed()));
    } else {
        checks.expect(codeD == 2 && outD.contains(QLatin1String("succeeded")),
                      QStringLiteral("D after C succeeded: exit %1 (expected 2, already succeeded): %2").arg(codeD).arg(outD.trimmed()));
    }
    const qint64 tries = m_store->count(QStringLiteral("SELECT count(*) FROM tries"));
    checks.expect(tries == 2, QStringLiteral("%1 tries (expected 2: A's and C's): %2").arg(tries)
                                  .arg(m_store->dump(QStringLiteral("SELECT try_no, trigger, state, owner_id FROM tries"))));

    // C and try 2: unaffected, succeeded.
    checks.expect(cEnded && c->exitCode() == 0, QStringLiteral("C exited %1 (expected 0): %2").arg(c->exitCode()).arg(outC.trimmed()));
    const QString try2State = m_store->scalar(QStringLiteral("SELECT state FROM tries WHERE try_no = 2")).toString();
    checks.expect(try2State == QLatin1String("succeeded"), QStringLiteral("try 2 ended '%1'").arg(try2State));
    const QString runState = m_store->scalar(QStringLiteral("SELECT state FROM runs")).toString();
    checks.expect(runState == QLatin1String("succeeded"), QStringLiteral("the run ended '%1'").arg(runState));
    const QString try2 = m_store->dump(QStringLiteral("SELECT task, attempt, state FROM attempts WHERE try_no = 2 AND state <> 'succeeded'"));
    checks.expect(try2.isEmpty(), QStringLiteral("attempts of try 2 not succeeded: ") + try2);
    // Task a's success ran once, and nothing started after it.
    const QStringList lines = QString::fromUtf8(m_home->readFile(QStringLiteral("out/a"))).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const auto ok = m_store->rows(QStringLiteral("SELECT attempt FROM attempts WHERE task = 'a' AND state = 'succeeded'"));
    const int okAttempt = ok.size() == 1 ? ok.first().first().toInt() : -1;
    checks.expect(okAttempt >= 2 && lines.count(QStringLiteral("start %1").arg(okAttempt)) == 1
                      && !lines.isEmpty() && lines.last() == QStringLiteral("end %1").arg(okAttempt),
                  QStringLiteral("task a: %1 succeeded attempts; its file: %2").arg(ok.size()).arg(lines.join(QStringLiteral("; "))));
    checkCommonInvariants(checks);
    QVERIFY2(checks.ok(), qPrintable(checks.report()));
}
// clang-format on

void TstPauseResume::noTakeover()
{
    Checks checks;
    QProcess *a = startAndPauseOwner();
    QVERIFY(a);
    ::kill(pid_t(a->processId()), SIGCONT);
    QVERIFY2(waitExit(a, 30000), "A did not finish after it was resumed");
    const QString out = allOutput(a);
    checks.expect(a->exitStatus() == QProcess::NormalExit && a->exitCode() == 0,
        QStringLiteral("A exited %1 (expected 0: nobody took it over): %2")
            .arg(a->exitCode())
            .arg(out.trimmed()));
    const QString runState = m_store->scalar(QStringLiteral("SELECT state FROM runs")).toString();
    checks.expect(
        runState == QLatin1String("succeeded"), QStringLiteral("the run ended '%1'").arg(runState));
    checks.expect(m_store->count(QStringLiteral("SELECT count(*) FROM tries")) == 1,
        QStringLiteral("more than one try"));
    const QString attempts
        = m_store->dump(QStringLiteral("SELECT task, attempt, state FROM attempts ORDER BY task"));
    checks.expect(attempts == QLatin1String("a|1|succeeded\nb|1|succeeded"),
        QStringLiteral("attempts: ") + attempts);
    const QByteArray outA = m_home->readFile(QStringLiteral("out/a"));
    checks.expect(outA == "start 1\nend 1\n", QStringLiteral("out/a: ") + QString::fromUtf8(outA));
    checkCommonInvariants(checks);
    QVERIFY2(checks.ok(), qPrintable(checks.report()));
}

void TstPauseResume::takeoverByReader()
{
    Checks checks;
    QProcess *a = startAndPauseOwner();
    QVERIFY(a);

    // A reading command takes A over: the run becomes interrupted and A's task is ended.
    QString outR;
    const int codeR
        = runCli(m_home->home(), {QStringLiteral("runs"), QStringLiteral("--json")}, &outR);
    QVERIFY2(codeR == 0, qPrintable(QStringLiteral("runs exited %1: %2").arg(codeR).arg(outR)));
    QCOMPARE(m_store->scalar(QStringLiteral("SELECT state FROM runs")).toString(),
        QStringLiteral("interrupted"));
    checks.expect(
        waitUntil([&] { return markerProcesses(m_marker).empty(); }, kStaleLimitMs + 5000),
        QStringLiteral("the reader's takeover did not end A's task"));
    const QString before = try1Snapshot();
    const QString runBefore = runRow();

    ::kill(pid_t(a->processId()), SIGCONT);
    QVERIFY2(waitExit(a, 15000), "A did not exit after it was resumed");
    const QString outA = allOutput(a);
    const int codeA = a->exitStatus() == QProcess::NormalExit ? a->exitCode() : -1;
    const QString after = try1Snapshot();
    const QString runAfter = runRow();

    checks.expect(runAfter == runBefore,
        QStringLiteral("A changed the run after it resumed: before '%1', after '%2'")
            .arg(runBefore, runAfter));
    checks.expect(before == after,
        QStringLiteral("A wrote to try 1 after it resumed.\nbefore:\n%1\nafter:\n%2")
            .arg(before, after));
    checks.expect(codeA == 3 && outA.contains(kLostOwnership),
        QStringLiteral("A exited %1 (expected 3, saying it lost ownership): %2")
            .arg(codeA)
            .arg(outA.trimmed()));

    // The interrupted run recovers normally.
    QString outE;
    const int codeE = runCli(m_home->home(), m_runArgs, &outE);
    checks.expect(
        codeE == 0, QStringLiteral("recovery exited %1: %2").arg(codeE).arg(outE.trimmed()));
    const QString runState = m_store->scalar(QStringLiteral("SELECT state FROM runs")).toString();
    checks.expect(runState == QLatin1String("succeeded"),
        QStringLiteral("the recovered run ended '%1'").arg(runState));
    checkCommonInvariants(checks);
    QVERIFY2(checks.ok(), qPrintable(checks.report()));
}

QTEST_GUILESS_MAIN(TstPauseResume)
#include "tst_pauseresume.moc"
