// The owner registry (history: owners, heartbeats, claims) and the takeover of dead owners as
// the engine does it (OwnerTakeover: claim, end the groups on timers, then mark interrupted).

#include "engine/enginecore.h"
#include "engine/ownertakeover.h"
#include "history/historystore.h"
#include "history/ownerregistry.h"
#include "platform/processinfo.h"

#include <QDateTime>
#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <csignal>
#include <unistd.h>

using namespace pw;

#define CHECK_OK(expr)                                                                             \
    do {                                                                                           \
        const auto &checkOk_ = (expr);                                                             \
        QVERIFY2(checkOk_.has_value(),                                                             \
            checkOk_.has_value() ? "" : qPrintable(checkOk_.error().message));                     \
    } while (false)

#define TAKE(var, expr)                                                                            \
    auto var##Result_ = (expr);                                                                    \
    CHECK_OK(var##Result_);                                                                        \
    auto var = std::move(*var##Result_)

#define COMPARE_STATE(actual, expected) QCOMPARE(pw::toString(actual), pw::toString(expected))

namespace {

// Processes of group `pgid` that still run (zombies excluded), from /proc.
QList<pid_t> liveMembers(pid_t pgid)
{
    QList<pid_t> out;
    const QStringList entries
        = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const int pid = entry.toInt(&ok);
        if (!ok)
            continue;
        QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = f.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 2 && fields[2].toInt() == pgid && fields[0] != "Z")
            out << pid_t(pid);
    }
    return out;
}

// A real process group: `sh -c SCRIPT` as the leader of a new session.
class Group
{
public:
    explicit Group(const QString &script)
    {
        m_process.setProgram(QStringLiteral("/bin/sh"));
        m_process.setArguments({QStringLiteral("-c"), script});
        m_process.setChildProcessModifier([] { ::setsid(); });
        m_process.start();
    }
    ~Group()
    {
        if (m_process.state() != QProcess::NotRunning) {
            ::kill(-pid_t(m_process.processId()), SIGKILL);
            m_process.waitForFinished(5000);
        }
    }
    bool started() { return m_process.waitForStarted(5000); }
    pid_t pgid() const { return pid_t(m_process.processId()); }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
};

// A pid that is certainly not running: a finished, reaped child's.
qint64 deadPid()
{
    QProcess p;
    p.start(QStringLiteral("/bin/true"), {});
    p.waitForStarted();
    const qint64 pid = p.processId();
    p.waitForFinished();
    return pid;
}

struct Fixture
{
    qint64 deadOwner = 0;
    qint64 runId = 0;
};

// A whole takeover through OwnerTakeover, waiting (on the event loop) until it is done;
// returns the runs marked interrupted.
Result<QList<qint64>> takeOver(OwnerRegistry &registry, qint64 killGraceMs = 5000)
{
    QList<qint64> runs;
    const auto c = QObject::connect(&registry, &OwnerRegistry::runsInterrupted, &registry,
        [&runs](const QList<qint64> &ids) { runs += ids; });
    OwnerTakeover takeover(&registry, killGraceMs);
    const auto ok = takeover.check();
    QDeadlineTimer deadline(killGraceMs + 10000);
    while (ok && takeover.isBusy() && !deadline.hasExpired())
        QTest::qWait(10);
    QObject::disconnect(c);
    if (!ok)
        return Unexpected(ok.error());
    if (takeover.isBusy())
        return fail(QStringLiteral("the takeover did not finish"));
    return runs;
}

} // namespace

class TestOwnerRegistry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void registerAndHeartbeat();
    void freshOwnersAreLeftAlone();
    void deadOwnerDetected_data();
    void deadOwnerDetected();
    void racingRegistriesTakeOverOnce();
    void killsRealProcessGroup_data();
    void killsRealProcessGroup();
    void mismatchedStartTimeIsNotSignalled();
    void engineChecksPeriodically();

private:
    std::unique_ptr<HistoryStore> openStore();
    // A dead owner with one running run: tasks `a` running (attempt with `pgid`/`procStart`),
    // `b` queued.
    Fixture addDeadOwner(
        HistoryStore &store, const OwnerRecord &dead, qint64 pgid = 0, qint64 procStart = -1);

    std::unique_ptr<QTemporaryDir> m_dir;
    qint64 m_now = 0;
    int m_runCounter = 0;
};

void TestOwnerRegistry::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestOwnerRegistry::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_now = 1'800'000'000'000;
}

std::unique_ptr<HistoryStore> TestOwnerRegistry::openStore()
{
    HistoryStore::Options o;
    o.path = m_dir->filePath(QStringLiteral("history.sqlite"));
    auto r = HistoryStore::open(o);
    if (!r) {
        qWarning() << r.error().message;
        return {};
    }
    return std::move(*r);
}

static OwnerRecord remoteOwner(qint64 heartbeat)
{
    OwnerRecord o;
    o.host = QStringLiteral("some-other-host");
    o.pid = 4242;
    o.procStart = 1234;
    o.bootId = QStringLiteral("other-boot");
    o.started = heartbeat;
    o.heartbeat = heartbeat;
    return o;
}

static OwnerRecord localOwner(qint64 pid, qint64 procStart, qint64 heartbeat)
{
    OwnerRecord o;
    o.host = ProcessInfo::hostName();
    o.pid = pid;
    o.procStart = procStart;
    o.bootId = ProcessInfo::bootId();
    o.started = heartbeat;
    o.heartbeat = heartbeat;
    return o;
}

Fixture TestOwnerRegistry::addDeadOwner(
    HistoryStore &store, const OwnerRecord &dead, qint64 pgid, qint64 procStart)
{
    Fixture f;
    f.deadOwner = store.registerOwner(dead).value_or(0);
    HistoryStore::NewRun n;
    n.flowId = QStringLiteral("daily");
    n.key = QStringLiteral("daily{\"n\":%1}").arg(++m_runCounter);
    n.paramsJson = "{}";
    n.ownerId = f.deadOwner;
    n.created = dead.heartbeat;
    f.runId = store.createRun(n).value_or(0);
    TryRecord t;
    t.runId = f.runId;
    t.tryNo = 1;
    t.state = RunState::Running;
    t.ownerId = f.deadOwner;
    t.started = dead.heartbeat;
    const bool ok = store.startTry(t)
        && store.setTaskState(f.runId, QStringLiteral("a"), TaskState::Running, 1, dead.heartbeat)
        && store.setTaskState(f.runId, QStringLiteral("b"), TaskState::Queued, 1, dead.heartbeat);
    AttemptRecord a;
    a.runId = f.runId;
    a.task = QStringLiteral("a");
    a.attempt = 1;
    a.tryNo = 1;
    a.started = dead.heartbeat;
    a.host = dead.host;
    a.pgid = pgid;
    a.procStart = procStart;
    if (!ok || !store.insertAttempt(a))
        f.runId = 0;
    return f;
}

void TestOwnerRegistry::registerAndHeartbeat()
{
    auto store = openStore();
    QVERIFY(store);
    OwnerRegistry::Options o;
    o.heartbeatMs = 0; // driven by hand first
    o.now = [this] { return m_now; };
    OwnerRegistry registry(store.get(), o);
    QVERIFY(!registry.isRegistered());
    QVERIFY(!registry.heartbeat());
    TAKE(id, registry.registerSelf());
    QCOMPARE(registry.ownerId(), id);
    TAKE(row, store->owner(id));
    QVERIFY(row.has_value());
    QCOMPARE(row->host, ProcessInfo::hostName());
    QCOMPARE(row->pid, qint64(::getpid()));
    QCOMPARE(row->procStart, ProcessInfo::startTime(::getpid()));
    QVERIFY(row->procStart > 0);
    QCOMPARE(row->bootId, ProcessInfo::bootId());
    QCOMPARE(row->started, m_now);
    QCOMPARE(row->heartbeat, m_now);

    m_now += 2000;
    CHECK_OK(registry.heartbeat());
    TAKE(after, store->owner(id));
    QCOMPARE(after->heartbeat, m_now);

    // The timer heartbeats on the event loop.
    registry.setHeartbeatIntervalMs(10);
    QCOMPARE(registry.registerSelf().value_or(0), id); // idempotent; starts nothing new
    m_now += 5000;
    registry.setHeartbeatIntervalMs(10);
    QTRY_COMPARE_WITH_TIMEOUT(
        store->owner(id).value_or(std::nullopt).value_or(OwnerRecord{}).heartbeat, m_now, 5000);

    // Taken over behind its back: the next timer heartbeat reports ownership lost.
    QSignalSpy lost(&registry, &OwnerRegistry::ownershipLost);
    TAKE(claimed, store->claimOwner(id, m_now, 0, m_now));
    QVERIFY(claimed);
    QTRY_COMPARE_WITH_TIMEOUT(lost.count(), 1, 5000);

    OwnerRegistry second(store.get(), o);
    TAKE(id2, second.registerSelf());
    CHECK_OK(second.release());
    TAKE(released, store->owner(id2));
    QVERIFY(!released->alive);
    QVERIFY(!second.isRegistered());
}

void TestOwnerRegistry::freshOwnersAreLeftAlone()
{
    auto store = openStore();
    QVERIFY(store);
    OwnerRegistry::Options o;
    o.heartbeatMs = 0;
    o.now = [this] { return m_now; };
    OwnerRegistry me(store.get(), o);
    CHECK_OK(me.registerSelf());
    // Remote and fresh (9.9 s): alive. Local, our own pid and start time: alive.
    const Fixture remote = addDeadOwner(*store, remoteOwner(m_now - 9900));
    const Fixture local
        = addDeadOwner(*store, localOwner(::getpid(), ProcessInfo::startTime(::getpid()), m_now));
    QVERIFY(remote.runId && local.runId);
    TAKE(runs, takeOver(me));
    QVERIFY(runs.isEmpty());
    TAKE(alive, store->aliveOwners());
    QCOMPARE(alive.size(), 3);

    // The threshold is configurable.
    me.setStaleAfterMs(5000);
    TAKE(taken, takeOver(me));
    QCOMPARE(taken, QList<qint64>{remote.runId});
}

// clang-format off
void TestOwnerRegistry::deadOwnerDetected_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("remote, heartbeat 10.1 s old") << 0;
    QTest::newRow("this machine, pid gone, fresh heartbeat") << 1;
    QTest::newRow("this machine, pid reused (other start time)") << 2;
}
// clang-format on

void TestOwnerRegistry::deadOwnerDetected()
{
    QFETCH(int, kind);
    auto store = openStore();
    QVERIFY(store);
    OwnerRegistry::Options o;
    o.heartbeatMs = 0;
    o.now = [this] { return m_now; };
    OwnerRegistry me(store.get(), o);
    TAKE(myId, me.registerSelf());
    OwnerRecord dead;
    if (kind == 0)
        dead = remoteOwner(m_now - 10100);
    else if (kind == 1)
        dead = localOwner(deadPid(), 5, m_now);
    else
        dead = localOwner(::getpid(), ProcessInfo::startTime(::getpid()) + 1, m_now);
    const Fixture f = addDeadOwner(*store, dead);
    QVERIFY(f.runId);

    QSignalSpy spy(&me, &OwnerRegistry::runsInterrupted);
    TAKE(runs, takeOver(me));
    QCOMPARE(runs, QList<qint64>{f.runId});
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<QList<qint64>>(), QList<qint64>{f.runId});
    TAKE(row, store->owner(f.deadOwner));
    QVERIFY(!row->alive);
    QCOMPARE(row->takenOverBy, myId);
    TAKE(run, store->run(f.runId));
    COMPARE_STATE(run->state, RunState::Interrupted);
    TAKE(tasks, store->tasks(f.runId));
    QCOMPARE(tasks.size(), 2);
    COMPARE_STATE(tasks[0].state, TaskState::Interrupted);
    COMPARE_STATE(tasks[1].state, TaskState::Interrupted);
    TAKE(attempts, store->attempts(f.runId));
    COMPARE_STATE(attempts[0].state, AttemptState::Interrupted);
    // Only once.
    TAKE(again, takeOver(me));
    QVERIFY(again.isEmpty());
    QCOMPARE(spy.count(), 1);
}

void TestOwnerRegistry::racingRegistriesTakeOverOnce()
{
    auto store = openStore();
    QVERIFY(store);
    const int rounds = 8;
    for (int round = 0; round < rounds; ++round) {
        const Fixture f = addDeadOwner(*store, remoteOwner(m_now - 60000));
        QVERIFY(f.runId);
        std::atomic<int> ready{0};
        std::atomic<bool> go{false};
        QList<qint64> results[2];
        QString errors[2];
        auto racer = [&](int i) {
            HistoryStore::Options so;
            so.path = m_dir->filePath(QStringLiteral("history.sqlite"));
            auto s = HistoryStore::open(so);
            if (!s) {
                errors[i] = s.error().message;
                ++ready;
                return;
            }
            OwnerRegistry::Options o;
            o.heartbeatMs = 0;
            const qint64 now = m_now;
            o.now = [now] { return now; };
            OwnerRegistry registry(s->get(), o);
            auto id = registry.registerSelf();
            ++ready;
            while (!go.load())
                QThread::yieldCurrentThread();
            auto r = takeOver(registry);
            if (r)
                results[i] = *r;
            else
                errors[i] = r.error().message;
            Q_UNUSED(id);
        };
        std::unique_ptr<QThread> a(QThread::create(racer, 0));
        std::unique_ptr<QThread> b(QThread::create(racer, 1));
        a->start();
        b->start();
        QTRY_COMPARE_WITH_TIMEOUT(ready.load(), 2, 10000);
        go = true;
        QVERIFY(a->wait(30000));
        QVERIFY(b->wait(30000));
        QVERIFY2(errors[0].isEmpty() && errors[1].isEmpty(), qPrintable(errors[0] + errors[1]));
        const QList<qint64> expected{f.runId};
        QVERIFY2((results[0] == expected && results[1].isEmpty())
                || (results[1] == expected && results[0].isEmpty()),
            qPrintable(QStringLiteral("round %1: %2 / %3 run(s) interrupted")
                           .arg(round)
                           .arg(results[0].size())
                           .arg(results[1].size())));
        TAKE(events, store->events(f.runId));
        int runEvents = 0;
        for (const EventRecord &e : events)
            runEvents += e.kind == QLatin1String("run") ? 1 : 0;
        QCOMPARE(runEvents, 1);
        // Retire the racers' own owner rows so the next round has only the new dead owner.
        TAKE(alive, store->aliveOwners());
        for (const OwnerRecord &o : alive)
            CHECK_OK(store->releaseOwner(o.id, m_now));
    }
}

// clang-format off
void TestOwnerRegistry::killsRealProcessGroup_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<bool>("needsKill");
    QTest::newRow("dies on SIGTERM") << QStringLiteral("sleep 300 & sleep 300") << false;
    QTest::newRow("ignores SIGTERM") << QStringLiteral("trap '' TERM; sleep 300 & sleep 300") << true;
}
// clang-format on

void TestOwnerRegistry::killsRealProcessGroup()
{
    QFETCH(QString, script);
    QFETCH(bool, needsKill);
    auto store = openStore();
    QVERIFY(store);

    Group group(script);
    QVERIFY(group.started());
    const pid_t pgid = group.pgid();
    QTRY_VERIFY_WITH_TIMEOUT(liveMembers(pgid).size() >= 2, 5000); // the shell's children too
    const qint64 start = ProcessInfo::startTime(pgid);
    QVERIFY(start > 0);

    const Fixture f = addDeadOwner(*store, localOwner(deadPid(), 5, m_now - 60000), pgid, start);
    QVERIFY(f.runId);

    OwnerRegistry::Options o;
    o.heartbeatMs = 0;
    o.now = [this] { return m_now; };
    OwnerRegistry me(store.get(), o);
    CHECK_OK(me.registerSelf());
    // The runs are marked only once the group is gone.
    QList<qint64> runs;
    bool goneWhenMarked = false;
    connect(&me, &OwnerRegistry::runsInterrupted, &me, [&](const QList<qint64> &ids) {
        runs += ids;
        goneWhenMarked = !ProcessInfo::groupAlive(pgid);
    });
    const qint64 grace = needsKill ? 2000 : 5000;
    OwnerTakeover takeover(&me, grace);
    QElapsedTimer timer;
    timer.start();
    CHECK_OK(takeover.check());
    if (needsKill) {
        // It never blocks its thread for the grace: the group is ended on timers.
        QVERIFY2(timer.elapsed() < grace / 2, "the takeover waited for the group on its thread");
        QVERIFY(takeover.isBusy());
        QVERIFY(runs.isEmpty());
    }
    QTRY_VERIFY_WITH_TIMEOUT(!takeover.isBusy(), grace + 10000);
    QCOMPARE(runs, QList<qint64>{f.runId});
    QVERIFY(goneWhenMarked);
    if (!needsKill)
        QVERIFY2(timer.elapsed() < 4000, "SIGTERM alone should have ended the group");

    QVERIFY2(liveMembers(pgid).isEmpty(), "a process of the group survived");
    QVERIFY(!ProcessInfo::groupAlive(pgid));
    // (The event loop ran meanwhile, so QProcess may have seen its end already.)
    QVERIFY(
        group.process().state() == QProcess::NotRunning || group.process().waitForFinished(5000));
    QCOMPARE(group.process().exitStatus(), QProcess::CrashExit);

    TAKE(attempts, store->attempts(f.runId));
    COMPARE_STATE(attempts[0].state, AttemptState::Interrupted);
    TAKE(run, store->run(f.runId));
    COMPARE_STATE(run->state, RunState::Interrupted);
}

void TestOwnerRegistry::mismatchedStartTimeIsNotSignalled()
{
    auto store = openStore();
    QVERIFY(store);
    Group group(QStringLiteral("sleep 300 & sleep 300"));
    QVERIFY(group.started());
    const pid_t pgid = group.pgid();
    QTRY_VERIFY_WITH_TIMEOUT(liveMembers(pgid).size() >= 2, 5000);
    const qint64 start = ProcessInfo::startTime(pgid);
    QVERIFY(start > 0);
    const QList<pid_t> before = liveMembers(pgid);

    // The recorded group leader started at another time: the pid now belongs to someone else.
    const Fixture f
        = addDeadOwner(*store, localOwner(deadPid(), 5, m_now - 60000), pgid, start + 1000);
    QVERIFY(f.runId);
    OwnerRegistry::Options o;
    o.heartbeatMs = 0;
    o.now = [this] { return m_now; };
    OwnerRegistry me(store.get(), o);
    CHECK_OK(me.registerSelf());
    TAKE(runs, takeOver(me));
    QCOMPARE(runs, QList<qint64>{f.runId}); // the owner is still taken over ...
    // ... but nothing was signalled: every member seen before still lives (the shell may have
    // forked its second sleep meanwhile, so the group can only have grown).
    const QList<pid_t> after = liveMembers(pgid);
    for (pid_t pid : before)
        QVERIFY2(after.contains(pid),
            qPrintable(QStringLiteral("pid %1 of the group was ended").arg(pid)));
    QCOMPARE(group.process().state(), QProcess::Running);
    TAKE(attempts, store->attempts(f.runId));
    COMPARE_STATE(attempts[0].state, AttemptState::Interrupted);
}

// The engine checks for dead owners periodically (the GUI's engine lives long), not only when
// it starts.
void TestOwnerRegistry::engineChecksPeriodically()
{
    EngineConfig cfg;
    cfg.home = m_dir->filePath(QStringLiteral("home"));
    cfg.historyPath = m_dir->filePath(QStringLiteral("history.sqlite"));
    cfg.takeoverCheckMs = 10;
    EngineCore core(cfg);
    CHECK_OK(core.init());
    auto store = openStore();
    QVERIFY(store);
    const Fixture f
        = addDeadOwner(*store, remoteOwner(QDateTime::currentMSecsSinceEpoch() - 60000));
    QVERIFY(f.runId);
    QTRY_COMPARE_WITH_TIMEOUT(
        toString(store->run(f.runId).value_or(std::nullopt).value_or(RunRecord{}).state),
        toString(RunState::Interrupted), 5000);
    core.shutdown();
}

QTEST_GUILESS_MAIN(TestOwnerRegistry)
#include "tst_ownerregistry.moc"
