// sql tasks end to end through a real Engine: the statements run in the child process
// pipewright-sqlrun on a real SQLite file, in its own process group, so timeout and cancel end
// a long statement like a shell attempt and the transaction is rolled back; rows per statement
// are recorded with the attempt; connection variables never reach shell tasks.

#include "enginetestharness.h"

#include "platform/processinfo.h"
#include "runners/sqlrunner.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlQuery>

using namespace pw;
using namespace pw::test;

namespace {

// A statement SQLite works on for minutes: counting to 1e9.
const char *kLongQuery = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE "
                         "n < 1000000000) SELECT count(*) FROM c";

qint64 count(const QString &dbPath, const QString &select)
{
    qint64 n = -1;
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("count"));
        db.setDatabaseName(dbPath);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(select) && q.next())
                n = q.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("count"));
    return n;
}

} // namespace

class TestSqlRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void partitionLoadRecordsRows();
    void failingStatementNamesItsLine();
    void timeoutEndsALongQueryAndRollsBack();
    void cancelEndsALongQuery();
    void shellTasksDoNotSeeConnections();
    void unknownConnectionFailsTheAttempt();
    void missingProgramIsAnEnvironmentError();

private:
    // Waits until the running attempt of `task` has its process group recorded.
    qint64 waitForGroup(EngineHarness &h, qint64 runId, const QString &task);
};

void TestSqlRunner::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(!SqlRunner::locateProgram().isEmpty(), "pipewright-sqlrun is not built");
}

void TestSqlRunner::cleanup()
{
    qunsetenv("PIPEWRIGHT_CONNECTION_LOCAL");
    qunsetenv("PIPEWRIGHT_CONNECTION_SECRET_DB");
    qunsetenv("PIPEWRIGHT_SQLRUN");
}

qint64 TestSqlRunner::waitForGroup(EngineHarness &h, qint64 runId, const QString &task)
{
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        for (const AttemptRecord &a : h.attempts(runId, task)) {
            if (a.state == AttemptState::Running && a.pgid > 0)
                return a.pgid;
        }
        QTest::qWait(20);
    }
    return 0;
}

// A daily load with partition replace, run twice: the same rows; rows per statement recorded;
// the relative sqlite: path is the flow's directory's; the outcome file is gone.
void TestSqlRunner::partitionLoadRecordsRows()
{
    EngineHarness h(2);
    qputenv("PIPEWRIGHT_CONNECTION_LOCAL", "sqlite:data/dw.db");
    QVERIFY(QDir(h.dir()).mkpath(QStringLiteral("data")));
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: daily
params:
  date: {type: date}
tasks:
  setup:
    type: sql
    connection: local
    sql: |
      CREATE TABLE IF NOT EXISTS staging (amount INTEGER);
      DELETE FROM staging;
      INSERT INTO staging VALUES (10), (20), (30);
      CREATE TABLE IF NOT EXISTS sales (day TEXT, amount INTEGER)
  load:
    type: sql
    after: [setup]
    connection: local
    partition: {table: sales, column: day, value: "{{date}}"}
    sql: |
      INSERT INTO sales SELECT :date, amount FROM staging;
      UPDATE sales SET amount = amount + 1 WHERE day = :date AND amount > 15
)"));
    const QString db = h.dir() + QStringLiteral("/data/dw.db");
    qint64 id = 0;
    QCOMPARE(
        toString(h.runToEnd(flow, {{"date", "2026-11-24"}}, &id)), toString(RunState::Succeeded));
    const QString select = QStringLiteral(
        "SELECT sum(amount) * 1000 + count(*) FROM sales WHERE day = '2026-11-24'");
    QCOMPARE(count(db, select), qint64(62 * 1000 + 3));
    auto load = h.attempts(id, QStringLiteral("load"));
    QCOMPARE(load.size(), 1);
    QCOMPARE(load[0].rows, std::optional<QList<qint64>>(QList<qint64>{3, 2}));
    QCOMPARE(h.attempts(id, QStringLiteral("setup"))[0].rows,
        std::optional<QList<qint64>>(QList<qint64>{0, 0, 3, 0}));
    QFile log(load[0].logPath);
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(log.readAll());
    QVERIFY2(text.contains(QStringLiteral("statement 2 (line 2): 2 rows")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("connected to sqlite://") + db));
    QVERIFY(!QFile::exists(load[0].logPath + QStringLiteral(".result.json")));

    // Rerunning the day replaces its rows.
    RunRequest again;
    again.plan = RunPlanner::plan(flow, {{"date", "2026-11-24"}}).value();
    again.force = true;
    auto id2 = h.submit(again);
    QVERIFY(id2);
    QCOMPARE(toString(h.wait(*id2)), toString(RunState::Succeeded));
    QCOMPARE(count(db, select), qint64(62 * 1000 + 3));
    QCOMPARE(count(db, QStringLiteral("SELECT count(*) FROM sales")), qint64(3));
}

void TestSqlRunner::failingStatementNamesItsLine()
{
    EngineHarness h(2);
    qputenv("PIPEWRIGHT_CONNECTION_LOCAL", "sqlite:fail.db");
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: failing
tasks:
  load:
    type: sql
    connection: local
    sql: |
      CREATE TABLE t (a INTEGER);
      INSERT INTO t VALUES (1);

      INSERT INTO nosuch VALUES (1)
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Failed));
    const auto a = h.attempts(id, QStringLiteral("load"));
    QCOMPARE(a.size(), 1);
    QCOMPARE(a[0].error, QStringLiteral("exit:1: statement 3 (line 4): no such table: nosuch"));
    QCOMPARE(a[0].exitCode, std::optional<int>(1));
    QVERIFY(!a[0].rows);
    // Nothing of the transaction is left: not even the table.
    QCOMPARE(count(h.dir() + QStringLiteral("/fail.db"),
                 QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 't'")),
        qint64(0));
}

// The timeout ends a statement SQLite would work on for minutes within the kill grace, and the
// rows inserted before it in the same transaction are rolled back.
void TestSqlRunner::timeoutEndsALongQueryAndRollsBack()
{
    EngineHarness h(2);
    qputenv("PIPEWRIGHT_CONNECTION_LOCAL", "sqlite:long.db");
    const Flow flow = h.flow(QString::fromLatin1(R"yaml(pipewright: 1
flow: long
tasks:
  setup: {type: sql, connection: local, sql: "CREATE TABLE t (a INTEGER)"}
  load:
    type: sql
    after: [setup]
    connection: local
    timeout: 1s
    sql: |
      INSERT INTO t VALUES (1), (2);
      %1
)yaml")
                                 .arg(QLatin1String(kLongQuery)));
    QElapsedTimer timer;
    timer.start();
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Failed));
    const auto a = h.attempts(id, QStringLiteral("load"));
    QCOMPARE(a.size(), 1);
    QCOMPARE(a[0].error, QStringLiteral("timeout"));
    const qint64 overTimeout = a[0].ended - a[0].started - 1000;
    qInfo("sqlite timeout: the attempt ended %lld ms after its 1 s timeout", overTimeout);
    QVERIFY2(overTimeout < 5000, qPrintable(QString::number(overTimeout)));
    QVERIFY(a[0].pgid > 0);
    QVERIFY(!ProcessInfo::groupAlive(a[0].pgid));
    QCOMPARE(count(h.dir() + QStringLiteral("/long.db"), QStringLiteral("SELECT count(*) FROM t")),
        qint64(0));
}

void TestSqlRunner::cancelEndsALongQuery()
{
    EngineHarness h(2);
    qputenv("PIPEWRIGHT_CONNECTION_LOCAL", "sqlite:cancel.db");
    const Flow flow = h.flow(QString::fromLatin1(R"(pipewright: 1
flow: cancelled
tasks:
  load: {type: sql, connection: local, sql: "%1"}
)")
                                 .arg(QLatin1String(kLongQuery)));
    auto id = h.start(flow);
    QVERIFY(id);
    const qint64 pgid = waitForGroup(h, *id, QStringLiteral("load"));
    QVERIFY(pgid > 0);
    QElapsedTimer timer;
    timer.start();
    auto f = h.engine().cancel(*id);
    f.waitForFinished();
    QVERIFY(f.result());
    QCOMPARE(toString(h.wait(*id)), toString(RunState::Cancelled));
    qInfo("sqlite cancel: the run ended %lld ms after the cancel", timer.elapsed());
    QVERIFY(timer.elapsed() < 5000);
    QCOMPARE(toString(h.attempts(*id, QStringLiteral("load"))[0].state),
        toString(AttemptState::Cancelled));
    QVERIFY(!ProcessInfo::groupAlive(pgid));
}

void TestSqlRunner::shellTasksDoNotSeeConnections()
{
    EngineHarness h(2);
    qputenv("PIPEWRIGHT_CONNECTION_SECRET_DB", "postgresql://pw:hunter22@db/dw");
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: envcheck
tasks:
  show: {type: shell, command: "env > env.txt"}
)"));
    QCOMPARE(toString(h.runToEnd(flow)), toString(RunState::Succeeded));
    QFile f(h.dir() + QStringLiteral("/env.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray env = f.readAll();
    QVERIFY(env.contains("PW_TASK=show"));
    QVERIFY(!env.contains("PIPEWRIGHT_CONNECTION_"));
    QVERIFY(!env.contains("hunter22"));
}

void TestSqlRunner::unknownConnectionFailsTheAttempt()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QStringLiteral(R"(pipewright: 1
flow: noconn
tasks:
  load: {type: sql, connection: dw.eu-1, sql: "SELECT 1"}
)"));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Failed));
    const auto a = h.attempts(id, QStringLiteral("load"));
    QCOMPARE(a.size(), 1);
    QVERIFY2(a[0].error.startsWith(QStringLiteral("spawn: connection 'dw.eu-1' is not defined: "
                                                  "add it to ")),
        qPrintable(a[0].error));
    QVERIFY(a[0].error.endsWith(QStringLiteral(" or set PIPEWRIGHT_CONNECTION_DW_EU_1")));
}

// Without pipewright-sqlrun this installation cannot run sql tasks at all: an Environment
// error (the engine stops, as for an unusable log directory).
void TestSqlRunner::missingProgramIsAnEnvironmentError()
{
    qputenv("PIPEWRIGHT_SQLRUN", "/nonexistent/pipewright-sqlrun");
    QVERIFY(SqlRunner::locateProgram().isEmpty());
    SqlRunner runner(nullptr, [](const QString &, const QString &) {
        return Result<QString>(QStringLiteral("sqlite:///x.db"));
    });
    AttemptSpec spec;
    spec.task.type = TaskType::Sql;
    spec.task.sql = QStringLiteral("SELECT 1");
    std::optional<AttemptOutcome> out;
    runner.start(spec, {nullptr, [&](const AttemptOutcome &o) { out = o; }});
    QVERIFY(out);
    QCOMPARE(toString(out->state), toString(AttemptState::Failed));
    QVERIFY(out->error.kind == AttemptError::Kind::Environment);
    QVERIFY2(out->error.detail.contains(QStringLiteral("pipewright-sqlrun was not found")),
        qPrintable(out->error.detail));
    QCOMPARE(runner.activeCount(), 0);
}

QTEST_GUILESS_MAIN(TestSqlRunner)
#include "tst_sqlrunner.moc"
