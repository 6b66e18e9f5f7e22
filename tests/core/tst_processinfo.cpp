#include "platform/grouptermination.h"
#include "platform/processinfo.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>

#include <csignal>
#include <unistd.h>

using namespace pw;

// ProcessInfo on real processes: start times from /proc, and the rule that a process group is
// signalled only when its live leader has the recorded start time (DESIGN §6: a reused pid is
// never hit); GroupTermination's SIGTERM, grace, SIGKILL, blocking and on timers.
class TestProcessInfo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startTimes();
    void signalGroupChecksTheLeader_data();
    void signalGroupChecksTheLeader();
    void terminateGroups_data();
    void terminateGroups();
};

namespace {

// `sleep 300` as the leader of its own session and process group.
struct Leader
{
    QProcess process;
    Leader()
    {
        process.setChildProcessModifier([] { ::setsid(); });
        process.start(QStringLiteral("/bin/sleep"), {QStringLiteral("300")});
    }
    ~Leader()
    {
        if (process.state() != QProcess::NotRunning) {
            ::kill(pid_t(process.processId()), SIGKILL);
            process.waitForFinished(5000);
        }
    }
    pid_t pid() const { return pid_t(process.processId()); }
};

} // namespace

void TestProcessInfo::startTimes()
{
    const qint64 self = ProcessInfo::startTime(::getpid());
    QVERIFY(self > 0);
    QCOMPARE(ProcessInfo::startTime(::getpid()), self);
    QVERIFY(ProcessInfo::isAlive(::getpid()));
    QCOMPARE(ProcessInfo::startTime(0x3ffffff), qint64(-1)); // above pid_max: never a process
    QVERIFY(!ProcessInfo::isAlive(0));
}

// clang-format off
void TestProcessInfo::signalGroupChecksTheLeader_data()
{
    QTest::addColumn<int>("startDelta"); // added to the real start time; 0 = the right one
    QTest::addColumn<bool>("unknownStart"); // pass -1 (no start time was recorded)
    QTest::addColumn<bool>("signalled");
    QTest::newRow("recorded start time matches") << 0 << false << true;
    QTest::newRow("another start time: a reused pid") << 1000 << false << false;
    // Regression: with no recorded start time a live leader used to be signalled, although it
    // may be any process that got the pid since.
    QTest::newRow("no recorded start time, live leader") << 0 << true << false;
}
// clang-format on

void TestProcessInfo::signalGroupChecksTheLeader()
{
    QFETCH(int, startDelta);
    QFETCH(bool, unknownStart);
    QFETCH(bool, signalled);
    Leader leader;
    QVERIFY(leader.process.waitForStarted(5000));
    const pid_t pgid = leader.pid();
    QTRY_COMPARE_WITH_TIMEOUT(::getpgid(pgid), pgid, 5000); // setsid() has run
    const qint64 start = ProcessInfo::startTime(pgid);
    QVERIFY(start > 0);
    QVERIFY(ProcessInfo::groupAlive(pgid));

    const qint64 expected = unknownStart ? -1 : start + startDelta;
    QCOMPARE(ProcessInfo::signalGroup(pgid, expected, SIGTERM), signalled);
    if (signalled) {
        QVERIFY(leader.process.waitForFinished(5000));
        QCOMPARE(leader.process.exitStatus(), QProcess::CrashExit);
        QTRY_VERIFY_WITH_TIMEOUT(!ProcessInfo::groupAlive(pgid), 5000);
    } else {
        QVERIFY(!leader.process.waitForFinished(200));
        QVERIFY(ProcessInfo::groupAlive(pgid));
    }
    QVERIFY(!ProcessInfo::signalGroup(1, -1, 0)); // init's group: never
    QVERIFY(!ProcessInfo::signalGroup(0, -1, 0));
}

// clang-format off
void TestProcessInfo::terminateGroups_data()
{
    QTest::addColumn<QString>("script");   // run by `sh -c` as the leader of a new session
    QTest::addColumn<int>("startDelta");   // added to the leader's real start time
    QTest::addColumn<bool>("onTimers");    // GroupTermination::start instead of terminateGroups
    QTest::addColumn<bool>("ended");
    QTest::addColumn<bool>("killed");      // needed SIGKILL: took the grace at least
    const QString dies = QStringLiteral("sleep 300 & sleep 300");
    const QString ignores = QStringLiteral("trap '' TERM; sleep 300 & sleep 300");
    QTest::newRow("dies on SIGTERM") << dies << 0 << false << true << false;
    QTest::newRow("ignores SIGTERM: SIGKILL after the grace") << ignores << 0 << false << true << true;
    QTest::newRow("another start time: left alone") << dies << 1000 << false << false << false;
    QTest::newRow("on timers: dies on SIGTERM") << dies << 0 << true << true << false;
    QTest::newRow("on timers: ignores SIGTERM") << ignores << 0 << true << true << true;
}
// clang-format on

void TestProcessInfo::terminateGroups()
{
    QFETCH(QString, script);
    QFETCH(int, startDelta);
    QFETCH(bool, onTimers);
    QFETCH(bool, ended);
    QFETCH(bool, killed);
    QProcess leader;
    leader.setChildProcessModifier([] { ::setsid(); });
    leader.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script});
    QVERIFY(leader.waitForStarted(5000));
    const pid_t pgid = pid_t(leader.processId());
    QTRY_COMPARE_WITH_TIMEOUT(::getpgid(pgid), pgid, 5000);
    QTest::qWait(200); // the shell has started its children (and set its trap)
    const ProcessGroups groups{{pgid, ProcessInfo::startTime(pgid) + startDelta}};
    const qint64 grace = 600;

    QElapsedTimer timer;
    timer.start();
    if (onTimers) {
        QObject context;
        bool done = false;
        auto termination = GroupTermination::create(groups, grace);
        termination->start(&context, [&done] { done = true; });
        QVERIFY2(timer.elapsed() < grace / 2, "start() must not wait for the group");
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QVERIFY(termination->isFinished());
    } else {
        pw::terminateGroups(groups, grace);
    }
    const qint64 took = timer.elapsed();
    QCOMPARE(!ProcessInfo::groupAlive(pgid), ended);
    if (killed)
        QVERIFY2(took >= grace, qPrintable(QStringLiteral("took %1 ms").arg(took)));
    else if (ended)
        QVERIFY2(took < grace, qPrintable(QStringLiteral("took %1 ms").arg(took)));
    if (!ended) {
        ::kill(-pgid, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(!ProcessInfo::groupAlive(pgid), 5000);
    }
    QVERIFY(leader.state() == QProcess::NotRunning || leader.waitForFinished(5000));
}

QTEST_GUILESS_MAIN(TestProcessInfo)
#include "tst_processinfo.moc"
