#include "history/historystore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace pw;

// States compare as their names: pw::toString is found by ADL inside QCOMPARE and returns
// QString, so QCOMPARE cannot compare these enums directly.
#define COMPARE_STATE(actual, expected) QCOMPARE(pw::toString(actual), pw::toString(expected))

// Asserts a Result holds a value; prints its error otherwise.
#define CHECK_OK(expr)                                                                             \
    do {                                                                                           \
        const auto &checkOk_ = (expr);                                                             \
        QVERIFY2(checkOk_.has_value(),                                                             \
            checkOk_.has_value() ? "" : qPrintable(checkOk_.error().message));                     \
    } while (false)

// Declares `var` = the value of a Result (fails the test on error).
#define TAKE(var, expr)                                                                            \
    auto var##Result_ = (expr);                                                                    \
    CHECK_OK(var##Result_);                                                                        \
    auto var = std::move(*var##Result_)

namespace {

// A raw QtSql connection to the same file, as another process would have.
class RawConnection
{
public:
    explicit RawConnection(const QString &path, int busyMs = 0)
        : m_name(QStringLiteral("raw-%1").arg(++s_counter))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyMs));
        m_ok = db.open();
    }
    ~RawConnection()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    bool ok() const { return m_ok; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    bool exec(const QString &sql, QString *error = nullptr)
    {
        QSqlQuery q(db());
        const bool ok = q.exec(sql);
        if (error)
            *error = q.lastError().text();
        return ok;
    }
    QVariant scalar(const QString &sql)
    {
        QSqlQuery q(db());
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }

private:
    static inline int s_counter = 0;
    QString m_name;
    bool m_ok = false;
};

} // namespace

class TestHistoryStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void createAndReopen();
    void migrateToLatest_data();
    void migrateToLatest();
    void newerSchemaRefused();
    void walAndPragmas();
    void readOnly();
    void owners();
    void definitions();
    void runsAndTries();
    void tasks();
    void attemptsRoundTrip();
    void eventsAppendOnly();
    void requests();
    void runsPagingAndFilter_data();
    void runsPagingAndFilter();
    void transactions();
    void dataVersionSeesOtherCommits();
    void lockedDatabase();
    void interruptOwner();
    void fencedWrites();
    void endOwner();
    void removedTasks();
    void diskFull();
    void writeThroughput();

private:
    std::unique_ptr<HistoryStore> openStore(
        const QString &name = QStringLiteral("history.sqlite"), int busyMs = 30000);
    QString dbPath(const QString &name = QStringLiteral("history.sqlite")) const
    {
        return m_dir->filePath(name);
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestHistoryStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestHistoryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

std::unique_ptr<HistoryStore> TestHistoryStore::openStore(const QString &name, int busyMs)
{
    HistoryStore::Options o;
    o.path = dbPath(name);
    o.busyTimeoutMs = busyMs;
    auto r = HistoryStore::open(o);
    if (!r) {
        qWarning() << r.error().message;
        return {};
    }
    return std::move(*r);
}

static HistoryStore::NewRun newRun(
    const QString &flow, const QString &params, qint64 created, qint64 owner = 0)
{
    HistoryStore::NewRun n;
    n.flowId = flow;
    n.paramsJson = params.toUtf8();
    n.key = flow + params;
    n.sourcePath = QStringLiteral("/flows/") + flow + QStringLiteral(".flow.yaml");
    n.workdir = QStringLiteral("/flows");
    n.ownerId = owner;
    n.created = created;
    return n;
}

static TryRecord newTry(qint64 runId, int tryNo, RunState state, qint64 started, qint64 owner = 0)
{
    TryRecord t;
    t.runId = runId;
    t.tryNo = tryNo;
    t.trigger = tryNo == 1 ? TryTrigger::Manual : TryTrigger::Recover;
    t.planHash = QStringLiteral("plan%1").arg(tryNo);
    t.definitionHash = QStringLiteral("def%1").arg(tryNo);
    t.state = state;
    t.started = started;
    t.ownerId = owner;
    return t;
}

static AttemptRecord newAttempt(
    qint64 runId, const QString &task, int attempt, int tryNo, qint64 started)
{
    AttemptRecord a;
    a.runId = runId;
    a.task = task;
    a.attempt = attempt;
    a.tryNo = tryNo;
    a.started = started;
    a.host = QStringLiteral("hostA");
    a.logPath = QStringLiteral("/logs/%1/%2/attempt-%3.log").arg(runId).arg(task).arg(attempt);
    return a;
}

void TestHistoryStore::createAndReopen()
{
    const QString nested = QStringLiteral("a/b/history.sqlite");
    qint64 runId = 0;
    {
        auto store = openStore(nested);
        QVERIFY(store);
        QCOMPARE(store->schemaVersion(), HistoryStore::latestSchemaVersion());
        QCOMPARE(store->path(), dbPath(nested));
        TAKE(id,
            store->createRun(newRun(
                QStringLiteral("daily"), QStringLiteral("{\"date\":\"2026-11-24\"}"), 1000)));
        runId = id;
        QVERIFY(runId > 0);
    }
    QVERIFY(QFile::exists(dbPath(nested)));
    auto store = openStore(nested);
    QVERIFY(store);
    TAKE(run, store->run(runId));
    QVERIFY(run.has_value());
    QCOMPARE(run->flowId, QStringLiteral("daily"));
    QCOMPARE(run->paramsJson, QByteArray("{\"date\":\"2026-11-24\"}"));
    COMPARE_STATE(run->state, RunState::Queued);
    QCOMPARE(run->tryNo, 0);
    QCOMPARE(run->created, qint64(1000));
    QCOMPARE(run->sourcePath, QStringLiteral("/flows/daily.flow.yaml"));
    QCOMPARE(run->workdir, QStringLiteral("/flows"));
}

// clang-format off
void TestHistoryStore::migrateToLatest_data()
{
    QTest::addColumn<int>("setup");
    QTest::newRow("missing file") << 0;
    QTest::newRow("empty file") << 1;
    QTest::newRow("version 0 with an unrelated table") << 2;
}
// clang-format on

void TestHistoryStore::migrateToLatest()
{
    QFETCH(int, setup);
    const QString path = dbPath();
    if (setup == 1) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
    } else if (setup == 2) {
        RawConnection raw(path);
        QVERIFY(raw.ok());
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE notes (x TEXT)")));
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 0);
    }
    {
        auto store = openStore();
        QVERIFY(store);
        QCOMPARE(store->schemaVersion(), HistoryStore::latestSchemaVersion());
    }
    RawConnection raw(path);
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(),
        HistoryStore::latestSchemaVersion());
    for (const char *table : {"flow_versions", "runs", "tries", "task_states", "attempts", "owners",
             "requests", "events"}) {
        QVERIFY2(raw
                     .scalar(QStringLiteral(
                         "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%1'")
                                 .arg(QLatin1String(table)))
                     .toInt()
                == 1,
            table);
    }
    // Opening again does not migrate twice.
    auto again = openStore();
    QVERIFY(again);
}

void TestHistoryStore::newerSchemaRefused()
{
    const int newer = HistoryStore::latestSchemaVersion() + 1;
    {
        RawConnection raw(dbPath());
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = %1").arg(newer)));
    }
    for (bool readOnly : {false, true}) {
        HistoryStore::Options o;
        o.path = dbPath();
        o.readOnly = readOnly;
        auto r = HistoryStore::open(o);
        QVERIFY(!r);
        const QString msg = r.error().message;
        QVERIFY2(msg.contains(QStringLiteral("schema version %1").arg(newer)), qPrintable(msg));
        QVERIFY2(msg.contains(QLatin1String("newer")), qPrintable(msg));
        QVERIFY2(msg.contains(dbPath()), qPrintable(msg));
    }
}

void TestHistoryStore::walAndPragmas()
{
    auto store = openStore();
    QVERIFY(store);
    RawConnection raw(dbPath());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
}

void TestHistoryStore::readOnly()
{
    HistoryStore::Options o;
    o.path = dbPath();
    o.readOnly = true;
    auto missing = HistoryStore::open(o);
    QVERIFY(!missing);
    QVERIFY2(missing.error().message.contains(QLatin1String("does not exist")),
        qPrintable(missing.error().message));
    QVERIFY(!QFile::exists(dbPath()));

    qint64 runId = 0;
    {
        auto writer = openStore();
        QVERIFY(writer);
        TAKE(id, writer->createRun(newRun(QStringLiteral("f"), QStringLiteral("{}"), 5)));
        runId = id;
    }
    TAKE(reader, HistoryStore::open(o));
    TAKE(run, reader->run(runId));
    QVERIFY(run.has_value());
    auto write = reader->createRun(newRun(QStringLiteral("g"), QStringLiteral("{}"), 6));
    QVERIFY(!write);
    QVERIFY2(write.error().message.contains(QLatin1String("readonly"))
            || write.error().message.contains(QLatin1String("read-only")),
        qPrintable(write.error().message));
}

void TestHistoryStore::owners()
{
    auto store = openStore();
    QVERIFY(store);
    OwnerRecord me;
    me.host = QStringLiteral("hostA");
    me.pid = 4242;
    me.procStart = 777;
    me.bootId = QStringLiteral("boot-1");
    me.started = 100;
    me.heartbeat = 100;
    TAKE(a, store->registerOwner(me));
    OwnerRecord other = me;
    other.pid = 4343;
    TAKE(b, store->registerOwner(other));
    QVERIFY(a != b);

    CHECK_OK(store->heartbeat(a, 2100));
    TAKE(ra, store->owner(a));
    QVERIFY(ra.has_value());
    QCOMPARE(ra->host, QStringLiteral("hostA"));
    QCOMPARE(ra->pid, qint64(4242));
    QCOMPARE(ra->procStart, qint64(777));
    QCOMPARE(ra->bootId, QStringLiteral("boot-1"));
    QCOMPARE(ra->started, qint64(100));
    QCOMPARE(ra->heartbeat, qint64(2100));
    QVERIFY(ra->alive);
    TAKE(alive, store->aliveOwners());
    QCOMPARE(alive.size(), 2);

    // Claims must quote the heartbeat they saw: a stale view loses.
    TAKE(stale, store->claimOwner(b, 99, a, 5000));
    QVERIFY(!stale);
    TAKE(won, store->claimOwner(b, 100, a, 5000));
    QVERIFY(won);
    TAKE(again, store->claimOwner(b, 100, a, 5000));
    QVERIFY(!again);
    TAKE(rb, store->owner(b));
    QVERIFY(!rb->alive);
    QCOMPARE(rb->takenOverBy, a);
    // A taken-over owner learns it on its next heartbeat.
    auto hb = store->heartbeat(b, 6000);
    QVERIFY(!hb);
    QVERIFY2(hb.error().message.contains(QLatin1String("no longer alive")),
        qPrintable(hb.error().message));

    CHECK_OK(store->releaseOwner(a, 7000));
    TAKE(none, store->aliveOwners());
    QVERIFY(none.isEmpty());
    TAKE(missing, store->owner(999));
    QVERIFY(!missing.has_value());
}

void TestHistoryStore::definitions()
{
    auto store = openStore();
    QVERIFY(store);
    const QByteArray def("{\"flow\":\"daily\",\"tasks\":{}}");
    CHECK_OK(store->storeDefinition(QStringLiteral("abc"), QStringLiteral("daily"), def));
    CHECK_OK(store->storeDefinition(QStringLiteral("abc"), QStringLiteral("daily"), def));
    TAKE(back, store->definition(QStringLiteral("abc")));
    QCOMPARE(back, def);
    auto missing = store->definition(QStringLiteral("nope"));
    QVERIFY(!missing);
    QVERIFY(missing.error().message.contains(QLatin1String("nope")));
}

void TestHistoryStore::runsAndTries()
{
    auto store = openStore();
    QVERIFY(store);
    TAKE(owner,
        store->registerOwner(
            OwnerRecord{0, QStringLiteral("h"), 1, 1, QStringLiteral("b"), 1, 1, true, 0}));
    TAKE(id,
        store->createRun(
            newRun(QStringLiteral("daily"), QStringLiteral("{\"d\":1}"), 1000, owner)));
    auto dup = store->createRun(newRun(QStringLiteral("daily"), QStringLiteral("{\"d\":1}"), 1001));
    QVERIFY(!dup);
    QVERIFY2(dup.error().message.contains(QLatin1String("already exists")),
        qPrintable(dup.error().message));

    TAKE(byKey, store->runByKey(QStringLiteral("daily{\"d\":1}")));
    QVERIFY(byKey.has_value());
    QCOMPARE(byKey->id, id);
    QCOMPARE(byKey->ownerId, owner);
    TAKE(noKey, store->runByKey(QStringLiteral("nothing")));
    QVERIFY(!noKey.has_value());
    TAKE(noRun, store->run(12345));
    QVERIFY(!noRun.has_value());

    auto outOfOrder = store->startTry(newTry(id, 2, RunState::Running, 1100));
    QVERIFY(!outOfOrder);
    QVERIFY2(outOfOrder.error().message.contains(QLatin1String("out of order")),
        qPrintable(outOfOrder.error().message));
    auto noSuchRun = store->startTry(newTry(999, 1, RunState::Running, 1100));
    QVERIFY(!noSuchRun);

    TryRecord t1 = newTry(id, 1, RunState::Queued, 0, owner);
    t1.note = QStringLiteral("first");
    CHECK_OK(store->startTry(t1));
    CHECK_OK(store->setRunState(id, RunState::Running, 1200));
    TAKE(running, store->run(id));
    COMPARE_STATE(running->state, RunState::Running);
    QCOMPARE(running->tryNo, 1);
    COMPARE_STATE(running->trigger, TryTrigger::Manual);
    QCOMPARE(running->planHash, QStringLiteral("plan1"));
    QCOMPARE(running->definitionHash, QStringLiteral("def1"));
    QCOMPARE(running->started, qint64(1200)); // filled when it started running
    QCOMPARE(running->ended, qint64(0));
    CHECK_OK(store->setRunState(id, RunState::Failed, 1500));

    CHECK_OK(store->startTry(newTry(id, 2, RunState::Running, 2000)));
    CHECK_OK(store->setRunState(id, RunState::Succeeded, 2500));
    TAKE(done, store->run(id));
    COMPARE_STATE(done->state, RunState::Succeeded);
    QCOMPARE(done->tryNo, 2);
    COMPARE_STATE(done->trigger, TryTrigger::Recover);
    QCOMPARE(done->started, qint64(2000));
    QCOMPARE(done->ended, qint64(2500));
    QCOMPARE(done->ownerId, owner); // a try without owner keeps the run's

    TAKE(tries, store->tries(id));
    QCOMPARE(tries.size(), 2);
    QCOMPARE(tries[0].tryNo, 1);
    COMPARE_STATE(tries[0].state, RunState::Failed);
    QCOMPARE(tries[0].started, qint64(1200));
    QCOMPARE(tries[0].ended, qint64(1500));
    QCOMPARE(tries[0].note, QStringLiteral("first"));
    QCOMPARE(tries[0].ownerId, owner);
    COMPARE_STATE(tries[1].trigger, TryTrigger::Recover);
    COMPARE_STATE(tries[1].state, RunState::Succeeded);
    QCOMPARE(tries[1].ended, qint64(2500));

    CHECK_OK(store->setRunOwner(id, 0));
    TAKE(unowned, store->run(id));
    QCOMPARE(unowned->ownerId, qint64(0));
    QVERIFY(!store->setRunOwner(999, owner));
    QVERIFY(!store->setRunState(999, RunState::Failed, 1));
}

void TestHistoryStore::tasks()
{
    auto store = openStore();
    QVERIFY(store);
    TAKE(id, store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{}"), 1)));
    CHECK_OK(store->startTry(newTry(id, 1, RunState::Running, 10)));
    const QStringList names
        = {QStringLiteral("zeta"), QStringLiteral("alpha"), QStringLiteral("mid")};
    for (const QString &n : names)
        CHECK_OK(store->setTaskState(id, n, TaskState::Waiting, 1, 10));
    CHECK_OK(store->setTaskState(id, QStringLiteral("alpha"), TaskState::Running, 1, 20));
    CHECK_OK(store->insertAttempt(newAttempt(id, QStringLiteral("alpha"), 1, 1, 20)));
    CHECK_OK(store->setTaskState(id, QStringLiteral("zeta"), TaskState::RetryWait, 1, 30, 90));
    CHECK_OK(store->markTask(
        id, QStringLiteral("mid"), TaskState::Succeeded, QStringLiteral("ann@hostA"), 40));

    TAKE(ts, store->tasks(id));
    QCOMPARE(ts.size(), 3);
    QCOMPARE(ts[0].task, QStringLiteral("zeta")); // insertion order, not name or update order
    QCOMPARE(ts[1].task, QStringLiteral("alpha"));
    QCOMPARE(ts[2].task, QStringLiteral("mid"));
    COMPARE_STATE(ts[0].state, TaskState::RetryWait);
    QCOMPARE(ts[0].dueAt, qint64(90));
    QCOMPARE(ts[0].updated, qint64(30));
    COMPARE_STATE(ts[1].state, TaskState::Running);
    QCOMPARE(ts[1].attempts, 1);
    QCOMPARE(ts[1].tryNo, 1);
    COMPARE_STATE(ts[2].state, TaskState::Succeeded);
    QCOMPARE(ts[2].markedBy, QStringLiteral("ann@hostA"));
    QCOMPARE(ts[2].markedAt, qint64(40));

    // Leaving retry_wait clears the due time.
    CHECK_OK(store->setTaskState(id, QStringLiteral("zeta"), TaskState::Queued, 1, 95, 12345));
    TAKE(ts2, store->tasks(id));
    QCOMPARE(ts2[0].dueAt, qint64(0));

    TAKE(run, store->run(id));
    QCOMPARE(run->tasksTotal, 3);
    QCOMPARE(run->tasksDone, 1);

    TAKE(events, store->events(id));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].kind, QStringLiteral("mark"));
    QCOMPARE(events[0].task, QStringLiteral("mid"));
    QCOMPARE(events[0].state, QStringLiteral("succeeded"));
    QCOMPARE(events[0].detail, QStringLiteral("ann@hostA"));
    QVERIFY(!store->markTask(999, QStringLiteral("x"), TaskState::Failed, QStringLiteral("me"), 1));
}

void TestHistoryStore::attemptsRoundTrip()
{
    auto store = openStore();
    QVERIFY(store);
    TAKE(owner,
        store->registerOwner(
            OwnerRecord{0, QStringLiteral("h"), 1, 1, QStringLiteral("b"), 1, 1, true, 0}));
    TAKE(id, store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{}"), 1, owner)));
    CHECK_OK(store->startTry(newTry(id, 1, RunState::Running, 10)));
    TAKE(none, store->lastAttemptNumber(id, QStringLiteral("load")));
    QCOMPARE(none, 0);

    CHECK_OK(store->insertAttempt(newAttempt(id, QStringLiteral("load"), 1, 1, 100)));
    CHECK_OK(store->setAttemptProcess(id, QStringLiteral("load"), 1, 5555, 987654));
    CHECK_OK(store->finishAttempt(
        id, QStringLiteral("load"), 1, AttemptState::Failed, 200, 3, QStringLiteral("exit:3")));
    CHECK_OK(store->insertAttempt(newAttempt(id, QStringLiteral("load"), 2, 1, 300)));
    CHECK_OK(store->finishAttempt(id, QStringLiteral("load"), 2, AttemptState::Cancelled, 350,
        std::nullopt, QStringLiteral("signal:15")));
    AttemptRecord noop = newAttempt(id, QStringLiteral("noop"), 1, 1, 150);
    noop.logPath.clear();
    CHECK_OK(store->insertAttempt(noop));
    QVERIFY(!store->insertAttempt(noop)); // same attempt twice

    TAKE(last, store->lastAttemptNumber(id, QStringLiteral("load")));
    QCOMPARE(last, 2);
    TAKE(load, store->attempts(id, QStringLiteral("load")));
    QCOMPARE(load.size(), 2);
    QCOMPARE(load[0].attempt, 1);
    COMPARE_STATE(load[0].state, AttemptState::Failed);
    QVERIFY(load[0].exitCode.has_value());
    QCOMPARE(*load[0].exitCode, 3);
    QCOMPARE(load[0].error, QStringLiteral("exit:3"));
    QCOMPARE(load[0].started, qint64(100));
    QCOMPARE(load[0].ended, qint64(200));
    QCOMPARE(load[0].pgid, qint64(5555));
    QCOMPARE(load[0].procStart, qint64(987654));
    QCOMPARE(load[0].host, QStringLiteral("hostA"));
    QCOMPARE(load[0].logPath, QStringLiteral("/logs/%1/load/attempt-1.log").arg(id));
    QCOMPARE(load[0].ownerId, owner); // taken from the run
    COMPARE_STATE(load[1].state, AttemptState::Cancelled);
    QVERIFY(!load[1].exitCode.has_value());

    TAKE(all, store->attempts(id));
    QCOMPARE(all.size(), 3);
    QCOMPARE(all[0].task, QStringLiteral("load")); // by start time
    QCOMPARE(all[1].task, QStringLiteral("noop"));
    QVERIFY(all[1].logPath.isEmpty());
    COMPARE_STATE(all[1].state, AttemptState::Running);
    QCOMPARE(all[1].pgid, qint64(0));
    QCOMPARE(all[1].procStart, qint64(-1));

    TAKE(running, store->runningAttemptsOfOwner(owner));
    QCOMPARE(running.size(), 1);
    QCOMPARE(running[0].task, QStringLiteral("noop"));

    auto missing
        = store->finishAttempt(id, QStringLiteral("load"), 7, AttemptState::Failed, 1, 1, {});
    QVERIFY(!missing);
    QVERIFY2(missing.error().message.contains(QLatin1String("no attempt 7")),
        qPrintable(missing.error().message));
    QVERIFY(!store->setAttemptProcess(id, QStringLiteral("zzz"), 1, 1, 1));
}

void TestHistoryStore::eventsAppendOnly()
{
    auto store = openStore();
    QVERIFY(store);
    TAKE(id, store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{}"), 1)));
    EventRecord e;
    e.time = 10;
    e.runId = id;
    e.tryNo = 1;
    e.task = QStringLiteral("load");
    e.attempt = 2;
    e.kind = QStringLiteral("attempt");
    e.state = QStringLiteral("failed");
    e.detail = QStringLiteral("exit:3");
    CHECK_OK(store->appendEvent(e));
    e.time = 11;
    e.task.clear();
    e.attempt = 0;
    e.kind = QStringLiteral("run");
    e.detail.clear();
    CHECK_OK(store->appendEvent(e));
    EventRecord ownerEvent;
    ownerEvent.time = 12;
    ownerEvent.kind = QStringLiteral("owner");
    CHECK_OK(store->appendEvent(ownerEvent)); // run-less events are allowed

    TAKE(events, store->events(id));
    QCOMPARE(events.size(), 2);
    QVERIFY(events[0].id < events[1].id);
    QCOMPARE(events[0].time, qint64(10));
    QCOMPARE(events[0].tryNo, 1);
    QCOMPARE(events[0].task, QStringLiteral("load"));
    QCOMPARE(events[0].attempt, 2);
    QCOMPARE(events[0].kind, QStringLiteral("attempt"));
    QCOMPARE(events[0].state, QStringLiteral("failed"));
    QCOMPARE(events[0].detail, QStringLiteral("exit:3"));
    QCOMPARE(events[1].kind, QStringLiteral("run"));
    QVERIFY(events[1].task.isEmpty());

    RawConnection raw(dbPath());
    QString error;
    QVERIFY(!raw.exec(QStringLiteral("UPDATE events SET state = 'x'"), &error));
    QVERIFY2(error.contains(QLatin1String("append-only")), qPrintable(error));
    QVERIFY(!raw.exec(QStringLiteral("DELETE FROM events"), &error));
}

void TestHistoryStore::requests()
{
    auto store = openStore();
    QVERIFY(store);
    TAKE(ownerA,
        store->registerOwner(
            OwnerRecord{0, QStringLiteral("h"), 1, 1, QStringLiteral("b"), 1, 1, true, 0}));
    TAKE(ownerB,
        store->registerOwner(
            OwnerRecord{0, QStringLiteral("h"), 2, 1, QStringLiteral("b"), 1, 1, true, 0}));
    TAKE(runA, store->createRun(newRun(QStringLiteral("a"), QStringLiteral("{}"), 1, ownerA)));
    TAKE(runB, store->createRun(newRun(QStringLiteral("b"), QStringLiteral("{}"), 1, ownerB)));
    RequestRecord r;
    r.runId = runA;
    r.task = QStringLiteral("load");
    r.kind = QStringLiteral("mark");
    r.arg = QStringLiteral("succeeded");
    r.requestedBy = QStringLiteral("ann@hostA");
    r.created = 50;
    TAKE(req1, store->addRequest(r));
    r.runId = runB;
    r.task.clear();
    r.kind = QStringLiteral("cancel");
    r.arg.clear();
    TAKE(req2, store->addRequest(r));

    TAKE(pendingA, store->pendingRequests(ownerA));
    QCOMPARE(pendingA.size(), 1);
    QCOMPARE(pendingA[0].id, req1);
    QCOMPARE(pendingA[0].kind, QStringLiteral("mark"));
    QCOMPARE(pendingA[0].arg, QStringLiteral("succeeded"));
    QCOMPARE(pendingA[0].task, QStringLiteral("load"));
    QCOMPARE(pendingA[0].requestedBy, QStringLiteral("ann@hostA"));
    QCOMPARE(pendingA[0].created, qint64(50));
    QCOMPARE(pendingA[0].handled, qint64(0));

    CHECK_OK(store->completeRequest(req1, QStringLiteral("ok"), 60));
    QVERIFY(!store->completeRequest(req1, QStringLiteral("again"), 61));
    TAKE(noneA, store->pendingRequests(ownerA));
    QVERIFY(noneA.isEmpty());
    TAKE(done, store->request(req1));
    QCOMPARE(done->handled, qint64(60));
    QCOMPARE(done->result, QStringLiteral("ok"));
    TAKE(pendingB, store->pendingRequests(ownerB));
    QCOMPARE(pendingB.size(), 1);
    QCOMPARE(pendingB[0].id, req2);
    QVERIFY(pendingB[0].task.isEmpty());
    TAKE(missing, store->request(999));
    QVERIFY(!missing.has_value());
}

// clang-format off
void TestHistoryStore::runsPagingAndFilter_data()
{
    QTest::addColumn<QString>("flow");
    QTest::addColumn<int>("state"); // -1 = any
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QList<int>>("expected"); // day numbers, newest first

    // 20 runs: day 1..20, created = day; flow "sales" for odd days, "stock" for even days;
    // failed when day % 5 == 0, else succeeded.
    QTest::newRow("all, first page") << QString() << -1 << QString() << 3 << 0 << QList<int>{20, 19, 18};
    QTest::newRow("all, second page") << QString() << -1 << QString() << 3 << 3 << QList<int>{17, 16, 15};
    QTest::newRow("past the end") << QString() << -1 << QString() << 5 << 18 << QList<int>{2, 1};
    QTest::newRow("no limit") << QStringLiteral("sales") << -1 << QString() << 0 << 7
                              << QList<int>{5, 3, 1};
    QTest::newRow("by flow") << QStringLiteral("stock") << -1 << QString() << 4 << 0
                             << QList<int>{20, 18, 16, 14};
    QTest::newRow("by state") << QString() << int(RunState::Failed) << QString() << 10 << 0
                              << QList<int>{20, 15, 10, 5};
    QTest::newRow("by flow and state") << QStringLiteral("sales") << int(RunState::Failed) << QString()
                                       << 10 << 0 << QList<int>{15, 5};
    QTest::newRow("text in params") << QString() << -1 << QStringLiteral("11-1") << 10 << 0
                                    << QList<int>{19, 18, 17, 16, 15, 14, 13, 12, 11, 10};
    QTest::newRow("text in flow, any case") << QString() << -1 << QStringLiteral("SAL") << 2 << 0
                                            << QList<int>{19, 17};
    QTest::newRow("text with wildcard chars is literal") << QString() << -1 << QStringLiteral("%") << 10
                                                         << 0 << QList<int>{};
}
// clang-format on

void TestHistoryStore::runsPagingAndFilter()
{
    QFETCH(QString, flow);
    QFETCH(int, state);
    QFETCH(QString, text);
    QFETCH(int, limit);
    QFETCH(int, offset);
    QFETCH(QList<int>, expected);

    auto store = openStore();
    QVERIFY(store);
    QHash<qint64, int> dayOf;
    // Insert out of order: the list is ordered by creation time, not by id.
    QList<int> days;
    for (int day = 1; day <= 20; ++day)
        days << day;
    std::reverse(days.begin(), days.begin() + 10);
    for (int day : days) {
        const QString flowId = day % 2 ? QStringLiteral("sales") : QStringLiteral("stock");
        const QString params
            = QStringLiteral("{\"date\":\"2026-11-%1\"}").arg(day, 2, 10, QLatin1Char('0'));
        TAKE(id, store->createRun(newRun(flowId, params, day * 1000)));
        dayOf.insert(id, day);
        CHECK_OK(store->startTry(newTry(id, 1, RunState::Running, day * 1000)));
        CHECK_OK(store->setTaskState(id, QStringLiteral("a"), TaskState::Succeeded, 1, day * 1000));
        CHECK_OK(store->setTaskState(id, QStringLiteral("b"), TaskState::Running, 1, day * 1000));
        CHECK_OK(store->setRunState(
            id, day % 5 == 0 ? RunState::Failed : RunState::Succeeded, day * 1000 + 1));
    }
    RunFilter filter;
    filter.flowId = flow;
    if (state >= 0)
        filter.state = RunState(state);
    filter.text = text;
    filter.limit = limit;
    filter.offset = offset;
    TAKE(runs, store->runs(filter));
    QList<int> got;
    for (const RunRecord &r : runs) {
        got << dayOf.value(r.id);
        QCOMPARE(r.tasksTotal, 2);
        QCOMPARE(r.tasksDone, 1);
        QCOMPARE(r.tryNo, 1);
    }
    QCOMPARE(got, expected);
}

void TestHistoryStore::transactions()
{
    auto store = openStore();
    QVERIFY(store);
    QVERIFY(!store->inTransaction());
    QVERIFY(!store->commit());

    CHECK_OK(store->begin());
    QVERIFY(store->inTransaction());
    QVERIFY(!store->begin()); // no nesting
    TAKE(gone, store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{\"x\":1}"), 1)));
    CHECK_OK(store->startTry(newTry(gone, 1, RunState::Running, 1))); // compound write, savepoint
    store->rollback();
    QVERIFY(!store->inTransaction());
    TAKE(none, store->run(gone));
    QVERIFY(!none.has_value());

    CHECK_OK(store->begin());
    TAKE(kept, store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{\"x\":2}"), 2)));
    CHECK_OK(store->startTry(newTry(kept, 1, RunState::Running, 2)));
    // A failing compound write inside a transaction undoes only itself.
    QVERIFY(!store->startTry(newTry(kept, 5, RunState::Running, 2)));
    CHECK_OK(store->setTaskState(kept, QStringLiteral("a"), TaskState::Queued, 1, 3));
    CHECK_OK(store->commit());
    QVERIFY(!store->inTransaction());
    TAKE(run, store->run(kept));
    QVERIFY(run.has_value());
    QCOMPARE(run->tryNo, 1);
    QCOMPARE(run->tasksTotal, 1);
}

void TestHistoryStore::dataVersionSeesOtherCommits()
{
    auto writer = openStore();
    auto reader = openStore();
    QVERIFY(writer && reader);
    TAKE(v0, reader->dataVersion());
    TAKE(same, reader->dataVersion());
    QCOMPARE(same, v0);

    CHECK_OK(writer->begin());
    TAKE(id, writer->createRun(newRun(QStringLiteral("f"), QStringLiteral("{}"), 1)));
    TAKE(uncommitted, reader->dataVersion());
    QCOMPARE(uncommitted, v0);
    TAKE(invisible, reader->run(id));
    QVERIFY(!invisible.has_value());
    CHECK_OK(writer->commit());

    TAKE(v1, reader->dataVersion());
    QVERIFY(v1 != v0);
    TAKE(visible, reader->run(id));
    QVERIFY(visible.has_value());

    CHECK_OK(writer->setRunState(id, RunState::Running, 5)); // autocommit
    TAKE(v2, reader->dataVersion());
    QVERIFY(v2 != v1);
    // Its own writes do not change a connection's data_version.
    TAKE(w1, writer->dataVersion());
    CHECK_OK(writer->setRunState(id, RunState::Failed, 6));
    TAKE(w2, writer->dataVersion());
    QCOMPARE(w2, w1);
}

void TestHistoryStore::lockedDatabase()
{
    auto store = openStore(QStringLiteral("history.sqlite"), 200);
    QVERIFY(store);
    TAKE(first, store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{\"n\":1}"), 1)));

    RawConnection other(dbPath());
    QVERIFY(other.ok());
    QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE")));
    QVERIFY(other.exec(QStringLiteral("INSERT INTO runs (flow_id, key, params, state, created)"
                                      " VALUES ('g', 'g{}', '{}', 'queued', 2)")));

    QElapsedTimer timer;
    timer.start();
    auto blocked = store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{\"n\":2}"), 3));
    QVERIFY(!blocked);
    QVERIFY(timer.elapsed() >= 150); // waited for the busy timeout
    QVERIFY2(blocked.error().message.startsWith(QLatin1String("history database is locked (")),
        qPrintable(blocked.error().message));
    auto blockedTx = store->begin();
    QVERIFY(!blockedTx);
    QVERIFY2(blockedTx.error().message.contains(QLatin1String("locked")),
        qPrintable(blockedTx.error().message));
    QVERIFY(!store->inTransaction());
    // Readers are not blocked in WAL mode.
    TAKE(readable, store->run(first));
    QVERIFY(readable.has_value());

    QVERIFY(other.exec(QStringLiteral("COMMIT")));
    TAKE(second, store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{\"n\":2}"), 3)));
    RunFilter all;
    TAKE(runs, store->runs(all));
    QCOMPARE(runs.size(), 3); // nothing lost on either side
    QVERIFY(second > first);
}

void TestHistoryStore::interruptOwner()
{
    auto store = openStore();
    QVERIFY(store);
    TAKE(dead,
        store->registerOwner(
            OwnerRecord{0, QStringLiteral("h"), 1, 1, QStringLiteral("b"), 1, 1, true, 0}));
    TAKE(live,
        store->registerOwner(
            OwnerRecord{0, QStringLiteral("h"), 2, 1, QStringLiteral("b"), 1, 1, true, 0}));

    TAKE(active,
        store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{\"a\":1}"), 1, dead)));
    CHECK_OK(store->startTry(newTry(active, 1, RunState::Failed, 10, dead)));
    CHECK_OK(store->startTry(newTry(active, 2, RunState::Running, 20, dead)));
    const QList<QPair<QString, TaskState>> states = {{QStringLiteral("done"), TaskState::Succeeded},
        {QStringLiteral("run1"), TaskState::Running}, {QStringLiteral("queued"), TaskState::Queued},
        {QStringLiteral("retry"), TaskState::RetryWait},
        {QStringLiteral("later"), TaskState::Waiting}, {QStringLiteral("bad"), TaskState::Failed}};
    for (const auto &[task, st] : states)
        CHECK_OK(store->setTaskState(active, task, st, 2, 30, st == TaskState::RetryWait ? 99 : 0));
    CHECK_OK(store->insertAttempt(newAttempt(active, QStringLiteral("done"), 1, 2, 21)));
    CHECK_OK(store->finishAttempt(
        active, QStringLiteral("done"), 1, AttemptState::Succeeded, 22, 0, {}));
    CHECK_OK(store->insertAttempt(newAttempt(active, QStringLiteral("run1"), 1, 2, 25)));

    TAKE(finished,
        store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{\"a\":2}"), 2, dead)));
    CHECK_OK(store->startTry(newTry(finished, 1, RunState::Succeeded, 10, dead)));
    TAKE(others,
        store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{\"a\":3}"), 3, live)));
    CHECK_OK(store->startTry(newTry(others, 1, RunState::Running, 10, live)));
    CHECK_OK(store->setTaskState(others, QStringLiteral("x"), TaskState::Running, 1, 30));
    CHECK_OK(store->insertAttempt(newAttempt(others, QStringLiteral("x"), 1, 1, 30)));

    TAKE(won, store->claimOwner(dead, 1, live, 1000));
    QVERIFY(won);
    TAKE(runIds, store->interruptOwner(dead, 1000));
    QCOMPARE(runIds, QList<qint64>{active});

    TAKE(run, store->run(active));
    COMPARE_STATE(run->state, RunState::Interrupted);
    QCOMPARE(run->ended, qint64(1000));
    TAKE(tries, store->tries(active));
    COMPARE_STATE(tries[0].state, RunState::Failed); // an old try keeps its result
    COMPARE_STATE(tries[1].state, RunState::Interrupted);
    QCOMPARE(tries[1].ended, qint64(1000));
    TAKE(tasks, store->tasks(active));
    QHash<QString, TaskState> got;
    for (const TaskRecord &t : tasks)
        got.insert(t.task, t.state);
    COMPARE_STATE(got.value(QStringLiteral("done")), TaskState::Succeeded);
    COMPARE_STATE(got.value(QStringLiteral("run1")), TaskState::Interrupted);
    COMPARE_STATE(got.value(QStringLiteral("queued")), TaskState::Interrupted);
    COMPARE_STATE(got.value(QStringLiteral("retry")), TaskState::Interrupted);
    // A try that ended leaves no task unfinished: a later rerun never waits on one.
    COMPARE_STATE(got.value(QStringLiteral("later")), TaskState::Interrupted);
    COMPARE_STATE(got.value(QStringLiteral("bad")), TaskState::Failed);
    TAKE(attempts, store->attempts(active));
    COMPARE_STATE(attempts[0].state, AttemptState::Succeeded);
    COMPARE_STATE(attempts[1].state, AttemptState::Interrupted);
    QCOMPARE(attempts[1].error, QStringLiteral("interrupted"));
    QCOMPARE(attempts[1].ended, qint64(1000));

    TAKE(events, store->events(active));
    QStringList kinds;
    for (const EventRecord &e : events) {
        kinds << e.kind + QLatin1Char(':') + e.task;
        QCOMPARE(e.state, QStringLiteral("interrupted"));
        QCOMPARE(e.tryNo, 2);
        QVERIFY(e.detail.contains(QLatin1String("died")));
    }
    QCOMPARE(kinds,
        (QStringList{QStringLiteral("attempt:run1"), QStringLiteral("task:run1"),
            QStringLiteral("task:queued"), QStringLiteral("task:retry"),
            QStringLiteral("task:later"), QStringLiteral("run:")}));

    TAKE(fin, store->run(finished));
    COMPARE_STATE(fin->state, RunState::Succeeded);
    TAKE(other, store->run(others));
    COMPARE_STATE(other->state, RunState::Running);
    TAKE(otherAttempts, store->runningAttemptsOfOwner(live));
    QCOMPARE(otherAttempts.size(), 1);
    TAKE(deadRow, store->owner(dead));
    QVERIFY(!deadRow->alive);
    // Idempotent: nothing is left to interrupt.
    TAKE(again, store->interruptOwner(dead, 2000));
    QVERIFY(again.isEmpty());
}

// A real full disk: a 320 KiB tmpfs (needs root to mount; skipped otherwise).
void TestHistoryStore::diskFull()
{
    const QString mountPoint = m_dir->filePath(QStringLiteral("small"));
    QVERIFY(QDir().mkpath(mountPoint));
    QProcess mount;
    mount.start(QStringLiteral("mount"),
        {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
            QStringLiteral("size=320k"), QStringLiteral("pw-test-full"), mountPoint});
    if (!mount.waitForFinished(10000) || mount.exitStatus() != QProcess::NormalExit
        || mount.exitCode() != 0)
        QSKIP("cannot mount a small tmpfs here (needs root)");
    auto unmount = qScopeGuard([&] {
        QProcess::execute(QStringLiteral("umount"), {QStringLiteral("-l"), mountPoint});
    });
    std::optional<Error> error;
    int written = 0;
    {
        HistoryStore::Options o;
        o.path = mountPoint + QStringLiteral("/history.sqlite");
        TAKE(store, HistoryStore::open(o));
        TAKE(id, store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{}"), 1)));
        EventRecord e;
        e.runId = id;
        e.kind = QStringLiteral("task");
        e.detail = QString(2000, QLatin1Char('x'));
        for (int i = 0; i < 10000 && !error; ++i) {
            e.time = i;
            if (auto r = store->appendEvent(e); !r)
                error = r.error();
            else
                ++written;
        }
    }
    QVERIFY2(error.has_value(), "the disk never filled up");
    QVERIFY2(error->message.startsWith(QLatin1String("disk full while writing history (")),
        qPrintable(error->message));
    QVERIFY(written > 10);
}

// The engine's hot path: per task 3 state changes, one attempt with its process, its end and
// 3 events, grouped into transactions of ~1000 rows. Prints rows/s; asserts only correctness
// (timing is for docs/BENCHMARKS.md, not CI). PW_HISTORY_BENCH_TASKS scales it.
void TestHistoryStore::writeThroughput()
{
    const int tasks = qEnvironmentVariableIsSet("PW_HISTORY_BENCH_TASKS")
        ? qEnvironmentVariableIntValue("PW_HISTORY_BENCH_TASKS")
        : 5000;
    auto store = openStore();
    QVERIFY(store);
    TAKE(id, store->createRun(newRun(QStringLiteral("bench"), QStringLiteral("{}"), 1)));
    CHECK_OK(store->startTry(newTry(id, 1, RunState::Running, 1)));
    QList<QString> names;
    for (int i = 0; i < tasks; ++i)
        names << QStringLiteral("task_%1").arg(i, 6, 10, QLatin1Char('0'));

    QElapsedTimer timer;
    timer.start();
    qint64 rows = 0;
    int inBatch = 0;
    CHECK_OK(store->begin());
    auto maybeCommit = [&]() -> bool {
        if (++inBatch < 1000)
            return true;
        inBatch = 0;
        return store->commit() && store->begin();
    };
    EventRecord e;
    e.runId = id;
    e.tryNo = 1;
    e.kind = QStringLiteral("task");
    for (int i = 0; i < tasks; ++i) {
        const QString &t = names.at(i);
        const qint64 now = 1000 + i;
        CHECK_OK(store->setTaskState(id, t, TaskState::Queued, 1, now));
        CHECK_OK(store->setTaskState(id, t, TaskState::Running, 1, now));
        AttemptRecord a;
        a.runId = id;
        a.task = t;
        a.attempt = 1;
        a.tryNo = 1;
        a.started = now;
        a.host = QStringLiteral("h");
        CHECK_OK(store->insertAttempt(a));
        CHECK_OK(store->setAttemptProcess(id, t, 1, 1000 + i, 5000 + i));
        e.time = now;
        e.task = t;
        e.state = QStringLiteral("running");
        CHECK_OK(store->appendEvent(e));
        CHECK_OK(store->finishAttempt(id, t, 1, AttemptState::Succeeded, now + 1, 0, {}));
        CHECK_OK(store->setTaskState(id, t, TaskState::Succeeded, 1, now + 1));
        e.state = QStringLiteral("succeeded");
        CHECK_OK(store->appendEvent(e));
        e.kind = QStringLiteral("attempt");
        CHECK_OK(store->appendEvent(e));
        e.kind = QStringLiteral("task");
        rows += 9;
        QVERIFY(maybeCommit());
    }
    CHECK_OK(store->commit());
    const qint64 ms = qMax<qint64>(1, timer.elapsed());
    qInfo("history writes: %lld rows (%d tasks) in %lld ms = %lld rows/s", rows, tasks, ms,
        rows * 1000 / ms);
    TAKE(run, store->run(id));
    QCOMPARE(run->tasksTotal, tasks);
    QCOMPARE(run->tasksDone, tasks);
}

// DESIGN §6: a process writes a run only while it owns it; a taken-over owner changes nothing.
void TestHistoryStore::fencedWrites()
{
    auto store = openStore();
    QVERIFY(store);
    TAKE(a,
        store->registerOwner(
            OwnerRecord{0, QStringLiteral("h"), 1, 1, QStringLiteral("b"), 1, 1, true, 0}));
    TAKE(b,
        store->registerOwner(
            OwnerRecord{0, QStringLiteral("h"), 2, 1, QStringLiteral("b"), 1, 1, true, 0}));
    TAKE(run, store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{}"), 1, a)));
    CHECK_OK(store->startTry(newTry(run, 1, RunState::Running, 10, a)));
    CHECK_OK(store->checkOwner(a));
    CHECK_OK(store->setRunState(run, RunState::Running, 11, HistoryStore::Fence{a, 1}));

    auto wrongTry = store->setRunState(run, RunState::Failed, 12, HistoryStore::Fence{a, 2});
    QVERIFY(!wrongTry);
    QVERIFY(wrongTry.error().kind == Error::Kind::OwnershipLost);
    auto wrongOwner = store->setRunState(run, RunState::Failed, 12, HistoryStore::Fence{b, 1});
    QVERIFY(!wrongOwner);
    QVERIFY(wrongOwner.error().kind == Error::Kind::OwnershipLost);
    TAKE(still, store->run(run));
    COMPARE_STATE(still->state, RunState::Running);

    // b takes a over and recovers the run as try 2: a's writes are fenced off.
    TAKE(won, store->claimOwner(a, 1, b, 20));
    QVERIFY(won);
    auto lost = store->checkOwner(a);
    QVERIFY(!lost);
    QVERIFY(lost.error().kind == Error::Kind::OwnershipLost);
    TAKE(ended, store->interruptOwner(a, 20));
    QCOMPARE(ended, QList<qint64>{run});
    CHECK_OK(store->startTry(newTry(run, 2, RunState::Running, 21, b)));
    auto late = store->setRunState(run, RunState::Cancelled, 22, HistoryStore::Fence{a, 1});
    QVERIFY(!late);
    QVERIFY(late.error().kind == Error::Kind::OwnershipLost);
    TAKE(tries, store->tries(run));
    QCOMPARE(tries.size(), 2);
    COMPARE_STATE(tries[0].state, RunState::Interrupted);
    COMPARE_STATE(tries[1].state, RunState::Running);
    TAKE(after, store->run(run));
    COMPARE_STATE(after->state, RunState::Running);
    QCOMPARE(after->ownerId, b);
}

// After a fatal error a process ends its own runs (nothing left running), unless it lost them.
void TestHistoryStore::endOwner()
{
    auto store = openStore();
    QVERIFY(store);
    TAKE(me,
        store->registerOwner(
            OwnerRecord{0, QStringLiteral("h"), 1, 1, QStringLiteral("b"), 1, 1, true, 0}));
    TAKE(other,
        store->registerOwner(
            OwnerRecord{0, QStringLiteral("h"), 2, 1, QStringLiteral("b"), 1, 1, true, 0}));
    TAKE(run, store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{}"), 1, me)));
    CHECK_OK(store->startTry(newTry(run, 1, RunState::Running, 10, me)));
    CHECK_OK(store->setTaskState(run, QStringLiteral("a"), TaskState::Running, 1, 11));
    CHECK_OK(store->setTaskState(run, QStringLiteral("b"), TaskState::Waiting, 1, 11));
    CHECK_OK(store->insertAttempt(newAttempt(run, QStringLiteral("a"), 1, 1, 11)));

    TAKE(ended, store->endOwner(me, 50, QStringLiteral("stopped: disk full")));
    QCOMPARE(ended, QList<qint64>{run});
    TAKE(r, store->run(run));
    COMPARE_STATE(r->state, RunState::Interrupted);
    TAKE(tasks, store->tasks(run));
    for (const TaskRecord &t : tasks)
        COMPARE_STATE(t.state, TaskState::Interrupted);
    TAKE(attempts, store->attempts(run));
    COMPARE_STATE(attempts[0].state, AttemptState::Interrupted);
    TAKE(events, store->events(run));
    QVERIFY(!events.isEmpty());
    QCOMPARE(events.last().detail, QStringLiteral("stopped: disk full"));
    TAKE(row, store->owner(me));
    QVERIFY(!row->alive);

    // A lost owner writes nothing.
    TAKE(
        run2, store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{\"x\":1}"), 2, other)));
    CHECK_OK(store->startTry(newTry(run2, 1, RunState::Running, 10, other)));
    TAKE(claimed, store->claimOwner(other, 1, me, 60));
    QVERIFY(claimed);
    auto refused = store->endOwner(other, 70, QStringLiteral("stopped"));
    QVERIFY(!refused);
    QVERIFY(refused.error().kind == Error::Kind::OwnershipLost);
    TAKE(r2, store->run(run2));
    COMPARE_STATE(r2->state, RunState::Running);
}

// rerun --current-definition: tasks the new plan dropped leave the run but not the history.
void TestHistoryStore::removedTasks()
{
    auto store = openStore();
    QVERIFY(store);
    TAKE(run, store->createRun(newRun(QStringLiteral("f"), QStringLiteral("{}"), 1)));
    CHECK_OK(store->startTry(newTry(run, 1, RunState::Failed, 10)));
    CHECK_OK(store->setTaskState(run, QStringLiteral("keep"), TaskState::Succeeded, 1, 11));
    CHECK_OK(store->setTaskState(run, QStringLiteral("gone"), TaskState::Failed, 1, 12));
    CHECK_OK(store->insertAttempt(newAttempt(run, QStringLiteral("gone"), 1, 1, 12)));
    CHECK_OK(store->startTry(newTry(run, 2, RunState::Running, 20)));
    CHECK_OK(store->removeTasks(run, 2, {QStringLiteral("gone")}, 20));
    TAKE(tasks, store->tasks(run));
    QCOMPARE(tasks.size(), 1);
    QCOMPARE(tasks[0].task, QStringLiteral("keep"));
    TAKE(r, store->run(run));
    QCOMPARE(r->tasksTotal, 1);
    QCOMPARE(r->tasksDone, 1);
    TAKE(attempts, store->attempts(run));
    QCOMPARE(attempts.size(), 1); // its attempt stays in the history
    // A later try that has the task again brings it back.
    CHECK_OK(store->setTaskStates({{run, QStringLiteral("gone"), TaskState::Waiting, 3, 30, 0}}));
    TAKE(back, store->tasks(run));
    QCOMPARE(back.size(), 2);
}

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
