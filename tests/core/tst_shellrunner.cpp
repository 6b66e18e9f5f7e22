// ShellRunner's log (DESIGN §3): read from the child's pipe, created on the first byte of output
// (an attempt that prints nothing leaves no file and no directory), stdout and stderr in the
// order written, capped at the log limit with one truncation line while the child runs on; a log
// that cannot be created ends the attempt with an environment error. Plus the engine reading the
// limit from config.yaml.
#include "enginetestharness.h"

#include "runners/attemptlog.h"
#include "runners/shellrunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include <ctime>

using namespace pw;

namespace {

qint64 cpuMs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TstShellRunner : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_attempt = 0;

    // Runs `command` to its end on a fresh runner; the log goes to `log` (default: a new path
    // under the temp dir's logs/, its directory not created).
    AttemptOutcome run(const QString &command, qint64 limit = AttemptLog::kDefaultLimit,
        const QString &log = {}, std::optional<qint64> timeoutMs = {})
    {
        QThreadPool pool;
        ShellRunner runner(&pool);
        runner.setLogLimit(limit);
        AttemptSpec spec;
        spec.key = {1, QStringLiteral("t"), ++m_attempt};
        spec.command = command;
        spec.workdir = m_dir.path();
        spec.logPath = !log.isEmpty()
            ? log
            : m_dir.path() + QStringLiteral("/logs/1/t%1/attempt-1.log").arg(m_attempt);
        spec.timeoutMs = timeoutMs;
        spec.killGraceMs = 500;
        std::optional<AttemptOutcome> outcome;
        AttemptCallbacks cb;
        cb.started = [](qint64, qint64, std::shared_ptr<SpawnGate> gate) { gate->open(); };
        cb.finished = [&outcome](const AttemptOutcome &o) { outcome = o; };
        runner.start(spec, cb);
        [&] { QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 30000); }();
        return outcome.value_or(AttemptOutcome{});
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void noOutputNoLogFile()
    {
        const QString path = m_dir.path() + QStringLiteral("/logs/1/quiet/attempt-1.log");
        const AttemptOutcome o = run(QStringLiteral("true"), AttemptLog::kDefaultLimit, path);
        QCOMPARE(int(o.state), int(AttemptState::Succeeded));
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(!QFileInfo::exists(QFileInfo(path).absolutePath())); // nor its directory
    }

    void stdoutAndStderrInOrder()
    {
        const QString path = m_dir.path() + QStringLiteral("/logs/1/talk/attempt-1.log");
        const AttemptOutcome o
            = run(QStringLiteral("echo one; echo two >&2; printf three; echo ' four' >&2; exit 3"),
                AttemptLog::kDefaultLimit, path);
        QCOMPARE(int(o.state), int(AttemptState::Failed));
        QCOMPARE(o.exitCode, std::optional<int>(3));
        QCOMPARE(readFile(path), QByteArray("one\ntwo\nthree four\n"));
    }

    // Past the limit: the output cut there, one truncation line (after a newline, as the cut
    // fell inside a line), the rest read and discarded — 2 MB, far more than a pipe holds, so a
    // child writing into a pipe nobody reads would block — and the task succeeds.
    void capTruncatesOnceAndDrains()
    {
        const QString path = m_dir.path() + QStringLiteral("/logs/1/big/attempt-1.log");
        QElapsedTimer t;
        t.start();
        const AttemptOutcome o
            = run(QStringLiteral("head -c 2000000 /dev/zero | tr '\\0' x; echo; echo end >&2"),
                1000, path);
        QCOMPARE(int(o.state), int(AttemptState::Succeeded));
        QVERIFY2(t.elapsed() < 20000, "the child was not drained");
        const QByteArray line(
            "[pipewright] log truncated at 1000 bytes; further output discarded\n");
        QCOMPARE(AttemptLog::truncationLine(1000), line);
        const QByteArray log = readFile(path);
        QCOMPARE(log.size(), 1000 + 1 + line.size());
        QCOMPARE(log.left(1000), QByteArray(1000, 'x'));
        QCOMPARE(log.mid(1000), QByteArray('\n' + line));
        QVERIFY(!log.contains("end"));
    }

    // A cut at the end of a line adds no empty line; output exactly at the limit is not cut.
    void capAtLineEnd()
    {
        const QString path = m_dir.path() + QStringLiteral("/logs/1/lines/attempt-1.log");
        run(QStringLiteral("echo 1234; echo 5678; echo 9"), 10, path);
        QCOMPARE(readFile(path),
            QByteArray(
                "1234\n5678\n[pipewright] log truncated at 10 bytes; further output discarded\n"));
        const QString exact = m_dir.path() + QStringLiteral("/logs/1/exact/attempt-1.log");
        run(QStringLiteral("echo 1234; echo 5678"), 10, exact);
        QCOMPARE(readFile(exact), QByteArray("1234\n5678\n"));
    }

    // The command runs as `/bin/sh -c COMMAND` would: $0, no positional parameters, no gate
    // variable, stdin from /dev/null, the shell's own messages (line 1) and exit codes — also
    // for a syntax error on the first line, which the shell finds before the gate opens.
    void runsAsShDashC_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("log");
        QTest::newRow("parameters") << QStringLiteral("echo \"$0|$#|${pw_gate-unset}\"; exit 7")
                                    << 7 << QByteArray("/bin/sh|0|unset\n");
        QTest::newRow("stdin") << QStringLiteral("cat; echo done") << 0 << QByteArray("done\n");
        QTest::newRow("not found") << QStringLiteral("pw_no_such_command") << 127
                                   << QByteArray("/bin/sh: 1: pw_no_such_command: not found\n");
        QTest::newRow("syntax error") << QStringLiteral("echo \"unterminated") << 2
                                      << QByteArray("/bin/sh: 1: Syntax error: Unterminated "
                                                    "quoted string\n");
        QTest::newRow("syntax error, line 2") << QStringLiteral("echo first\nif") << 2
                                              << QByteArray("first\n/bin/sh: 2: Syntax error: end "
                                                            "of file unexpected (expecting "
                                                            "\"then\")\n");
    }
    void runsAsShDashC()
    {
        QFETCH(QString, command);
        QFETCH(int, exitCode);
        QFETCH(QByteArray, log);
        const QString path = m_dir.path()
            + QStringLiteral("/logs/1/sh-%1/attempt-1.log").arg(QTest::currentDataTag());
        const AttemptOutcome o = run(command, AttemptLog::kDefaultLimit, path);
        QCOMPARE(o.exitCode, std::optional<int>(exitCode));
        QCOMPARE(readFile(path), log);
    }

    void sizeNames()
    {
        QCOMPARE(AttemptLog::formatSize(100 * 1024 * 1024), QStringLiteral("100 MB"));
        QCOMPARE(AttemptLog::formatSize(qint64(2) << 30), QStringLiteral("2 GB"));
        QCOMPARE(AttemptLog::formatSize(1536), QStringLiteral("1536 bytes"));
        QCOMPARE(AttemptLog::formatSize(64 * 1024), QStringLiteral("64 KB"));
        QCOMPARE(AttemptLog::truncationLine(AttemptLog::kDefaultLimit),
            QByteArray("[pipewright] log truncated at 100 MB; further output discarded\n"));
    }

    // A child that closes its output and runs on is waited for without spinning.
    void outputClosedEarlyDoesNotSpin()
    {
        const qint64 cpu = cpuMs();
        QElapsedTimer t;
        t.start();
        const AttemptOutcome o = run(QStringLiteral("echo bye; exec >&- 2>&-; sleep 1"));
        QCOMPARE(int(o.state), int(AttemptState::Succeeded));
        QVERIFY(t.elapsed() >= 900);
        QVERIFY2(cpuMs() - cpu < 400, qPrintable(QStringLiteral("%1 ms CPU").arg(cpuMs() - cpu)));
    }

    // The timeout still ends the whole group, and what was printed before it is kept.
    void timeoutKeepsOutputAndEndsGroup()
    {
        const QString path = m_dir.path() + QStringLiteral("/logs/1/slow/attempt-1.log");
        const QString marker = m_dir.path() + QStringLiteral("/grandchild-alive");
        QElapsedTimer t;
        t.start();
        const AttemptOutcome o
            = run(QStringLiteral("echo started; (sleep 1; touch '%1') & sleep 30").arg(marker),
                AttemptLog::kDefaultLimit, path, 300);
        QCOMPARE(int(o.state), int(AttemptState::Failed));
        QCOMPARE(int(o.error.kind), int(AttemptError::Kind::Timeout));
        QVERIFY(t.elapsed() < 10000);
        QCOMPARE(readFile(path), QByteArray("started\n"));
        QTest::qWait(1500);
        QVERIFY2(!QFileInfo::exists(marker), "a grandchild outlived its attempt");
    }

    // The log's directory cannot be made (a plain file is in the way): an attempt that prints
    // fails with an environment error (the engine stops); one that prints nothing needs no log.
    void unusableLogDirectory()
    {
        const QString blocker = m_dir.path() + QStringLiteral("/blocked");
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const QString path = blocker + QStringLiteral("/attempt-1.log");
        AttemptOutcome o
            = run(QStringLiteral("echo hi; sleep 20"), AttemptLog::kDefaultLimit, path);
        QCOMPARE(int(o.state), int(AttemptState::Failed));
        QCOMPARE(int(o.error.kind), int(AttemptError::Kind::Environment));
        QVERIFY2(o.error.detail.contains(QStringLiteral("cannot create the log directory")),
            qPrintable(o.error.detail));
        QVERIFY(o.ended - o.started < 10000); // ended, not waited for
        o = run(QStringLiteral("true"), AttemptLog::kDefaultLimit, path);
        QCOMPARE(int(o.state), int(AttemptState::Succeeded));
    }

    // The engine takes the limit from config.yaml's log_limit.
    void engineUsesConfiguredLimit()
    {
        test::EngineHarness h(2);
        QVERIFY(QDir().mkpath(h.home()));
        QFile cfg(h.home() + QStringLiteral("/config.yaml"));
        QVERIFY(cfg.open(QIODevice::WriteOnly));
        cfg.write("log_limit: 1KB\n");
        cfg.close();
        h.restart();
        const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: cap
tasks:
  loud: {type: shell, command: "yes 0123456789 | head -c 100000"}
  quiet: {type: shell, command: "true"}
)"));
        qint64 id = 0;
        QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Succeeded));
        const QString loud = h.attempts(id, "loud")[0].logPath;
        const QByteArray log = readFile(loud);
        const QByteArray line("[pipewright] log truncated at 1 KB; further output discarded\n");
        QCOMPARE(log.size(), 1024 + 1 + line.size()); // cut inside a line
        QVERIFY(log.endsWith(QByteArray('\n' + line)));
        QCOMPARE(log.count("[pipewright]"), 1);
        const QString quiet = h.attempts(id, "quiet")[0].logPath;
        QVERIFY(!quiet.isEmpty()); // recorded, though never created
        QVERIFY(!QFileInfo::exists(quiet));
    }
};

QTEST_GUILESS_MAIN(TstShellRunner)
#include "tst_shellrunner.moc"
