// sql tasks against a real PostgreSQL server (ctest label `postgres`; the fixture start.sh /
// stop.sh starts one server per test run and passes its port in PW_POSTGRES_STATE), through
// the real pipewright-cli and its child pipewright-sqlrun: partition replace run twice gives
// the same rows, a statement failing midway leaves the table unchanged, a timeout, a cancel and
// a SIGKILL of the CLI end a pg_sleep(60) within seconds with nothing left behind (no rows, no
// server backend), dollar-quoted bodies survive the splitter, and the password stays out of the
// child's command line and environment. Skips only when the server binaries are missing.

#include "clirun.h"
#include "platform/processinfo.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

namespace {

const QByteArray kPassword = "pg-Secret-77x";

} // namespace

class TestPostgres : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void replacePartitionTwiceGivesIdenticalRows();
    void failureMidwayLeavesTheTableUnchanged();
    void timeoutEndsPgSleep();
    void cancelEndsPgSleep();
    void killedCliLeavesNoPartialRows();
    void dollarQuotedBodiesAndParameters();

private:
    using Out = pw::test::CliOutput;
    Out cli(const QStringList &args);
    QProcess *startCli(const QStringList &args);
    QStringList home() const { return {QStringLiteral("--home"), m_home}; }
    QString writeFlow(const QString &name, const QString &yaml);
    // Rows of `select` in this test's database, each row "a|b|c".
    QStringList query(const QString &select, const QString &database = {});
    // Waits for the running attempt's process group (recorded before its child runs).
    qint64 waitForGroup();
    // Waits until the server runs no statement of this test's database from pipewright; ms.
    qint64 waitForNoBackend();
    QJsonObject show(qint64 runId);

    QString m_cli;
    int m_port = 0;
    QString m_database;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_home;
    std::vector<std::unique_ptr<QProcess>> m_processes;
    int m_serial = 0;
};

void TestPostgres::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = pw::test::cliBinary();
    QVERIFY2(QFileInfo(m_cli).isExecutable(), qPrintable(m_cli));
    const QString stateFile = qEnvironmentVariable("PW_POSTGRES_STATE");
    QFile state(stateFile);
    QVERIFY2(state.open(QIODevice::ReadOnly),
        "no server state: run through ctest (the postgres fixture starts the server)");
    const QString text = QString::fromUtf8(state.readAll());
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("skip=")))
            QSKIP(qPrintable(line.mid(5)));
        if (line.startsWith(QLatin1String("port=")))
            m_port = line.mid(5).toInt();
    }
    QVERIFY(m_port > 0);
    QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")),
        "the Qt driver QPSQL is missing (Debian package libqt6sql6-psql)");
}

void TestPostgres::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_home = m_dir->filePath(QStringLiteral("home"));
    // A database of its own per test function.
    m_database
        = QStringLiteral("pwtest_%1_%2").arg(QCoreApplication::applicationPid()).arg(++m_serial);
    const QStringList created
        = query(QStringLiteral("CREATE DATABASE %1").arg(m_database), QStringLiteral("postgres"));
    QVERIFY2(created.isEmpty(), qPrintable(created.join(QLatin1Char('\n'))));
    const QString url = QStringLiteral("postgresql://pw:%1@127.0.0.1:%2/%3")
                            .arg(QLatin1String(kPassword))
                            .arg(m_port)
                            .arg(m_database);
    const Out o = cli(home() + QStringList{"connection", "set", "warehouse", url});
    QVERIFY2(o.code == 0, o.err.constData());
}

void TestPostgres::cleanup()
{
    for (auto &p : m_processes) {
        if (p->state() != QProcess::NotRunning) {
            p->kill();
            p->waitForFinished();
        }
    }
    m_processes.clear();
    m_dir.reset();
}

TestPostgres::Out TestPostgres::cli(const QStringList &args)
{
    QProcess p;
    p.start(m_cli, args);
    return pw::test::finishCli(p, args);
}

QProcess *TestPostgres::startCli(const QStringList &args)
{
    auto p = std::make_unique<QProcess>();
    p->setProgram(m_cli);
    p->setArguments(args);
    p->start();
    if (!p->waitForStarted())
        return nullptr;
    m_processes.push_back(std::move(p));
    return m_processes.back().get();
}

QString TestPostgres::writeFlow(const QString &name, const QString &yaml)
{
    const QString path = m_dir->filePath(name + QStringLiteral(".flow.yaml"));
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(yaml.toUtf8());
    return path;
}

QStringList TestPostgres::query(const QString &select, const QString &database)
{
    QStringList out;
    const QString name = QStringLiteral("check");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(QStringLiteral("127.0.0.1"));
        db.setPort(m_port);
        db.setUserName(QStringLiteral("pw"));
        db.setDatabaseName(database.isEmpty() ? m_database : database);
        if (!db.open()) {
            out << QStringLiteral("cannot connect: ") + db.lastError().text();
        } else {
            QSqlQuery q(db);
            if (!q.exec(select)) {
                out << q.lastError().text();
            } else {
                while (q.next()) {
                    QStringList cols;
                    for (int i = 0; i < q.record().count(); ++i)
                        cols << q.value(i).toString();
                    out << cols.join(QLatin1Char('|'));
                }
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

qint64 TestPostgres::waitForGroup()
{
    const QString history = m_home + QStringLiteral("/history.sqlite");
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        qint64 pgid = 0;
        if (QFileInfo::exists(history)) {
            {
                QSqlDatabase db
                    = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("h"));
                db.setDatabaseName(history);
                db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
                if (db.open()) {
                    QSqlQuery q(db);
                    if (q.exec(QStringLiteral(
                            "SELECT coalesce(max(pgid), 0) FROM attempts WHERE state = 'running'"))
                        && q.next())
                        pgid = q.value(0).toLongLong();
                }
            }
            QSqlDatabase::removeDatabase(QStringLiteral("h"));
        }
        if (pgid > 0)
            return pgid;
        QTest::qWait(20);
    }
    return 0;
}

qint64 TestPostgres::waitForNoBackend()
{
    QElapsedTimer t;
    t.start();
    const QString select
        = QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = '%1' "
                         "AND application_name = 'pipewright'")
              .arg(m_database);
    while (t.elapsed() < 15000) {
        if (query(select, QStringLiteral("postgres")) == QStringList{QStringLiteral("0")})
            return t.elapsed();
        QTest::qWait(50);
    }
    return -1;
}

QJsonObject TestPostgres::show(qint64 runId)
{
    const Out o = cli(home() + QStringList{"show", QString::number(runId), "--json"});
    return pw::test::jsonObject(o.out);
}

void TestPostgres::replacePartitionTwiceGivesIdenticalRows()
{
    const QString flow = writeFlow(QStringLiteral("daily"), QStringLiteral(R"yaml(pipewright: 1
flow: daily
params:
  date: {type: date}
tasks:
  setup:
    type: sql
    connection: warehouse
    sql: |
      CREATE TABLE IF NOT EXISTS staging (amount integer);
      TRUNCATE staging;
      INSERT INTO staging VALUES (10), (20), (30);
      CREATE TABLE IF NOT EXISTS sales (day date NOT NULL, amount integer)
  load:
    type: sql
    after: [setup]
    connection: warehouse
    partition: {table: sales, column: day, value: "{{date}}"}
    sql: |
      -- the day's rows; :date is bound (text), cast where the type is not implied
      INSERT INTO sales SELECT :date::date, amount FROM staging;
      UPDATE sales SET amount = amount * 2 WHERE day = :date AND amount > 15
)yaml"));
    const QString select = QStringLiteral("SELECT day, amount FROM sales ORDER BY day, amount");
    QStringList first;
    for (int i = 0; i < 2; ++i) {
        const QStringList force = i ? QStringList{"--force"} : QStringList{};
        for (const char *date : {"2026-11-23", "2026-11-24"}) {
            const Out o = cli(home()
                + QStringList{"run", flow, "-p", QStringLiteral("date=") + QLatin1String(date),
                    "--json"}
                + force);
            QVERIFY2(o.code == 0, o.out.constData());
            const QJsonObject load
                = QJsonDocument::fromJson(o.out)[QLatin1String("tasks")][1].toObject();
            QCOMPARE(
                load[QLatin1String("attempts")].toArray().last()[QLatin1String("rows")].toArray(),
                (QJsonArray{3, 2}));
        }
        const QStringList rows = query(select);
        QCOMPARE(rows.size(), 6);
        if (i == 0)
            first = rows;
        else
            QCOMPARE(rows, first); // replaced, not duplicated
    }
    QCOMPARE(first.mid(0, 3), (QStringList{"2026-11-23|10", "2026-11-23|40", "2026-11-23|60"}));
}

void TestPostgres::failureMidwayLeavesTheTableUnchanged()
{
    query(QStringLiteral("CREATE TABLE t (day date, n integer)"));
    query(QStringLiteral("INSERT INTO t VALUES ('2026-11-24', 1), ('2026-11-25', 2)"));
    const QStringList before = query(QStringLiteral("SELECT day, n FROM t ORDER BY day"));
    const QString flow = writeFlow(QStringLiteral("failing"), QStringLiteral(R"yaml(pipewright: 1
flow: failing
tasks:
  load:
    type: sql
    connection: warehouse
    partition: {table: t, column: day, value: "2026-11-24"}
    sql: |
      INSERT INTO t VALUES ('2026-11-24', 3);
      UPDATE t SET n = 0;

      INSERT INTO nosuch VALUES (1);
      INSERT INTO t VALUES ('2026-11-24', 4)
)yaml"));
    const Out o = cli(home() + QStringList{"run", flow, "--json"});
    QCOMPARE(o.code, 1);
    const QJsonObject a
        = QJsonDocument::fromJson(o.out)[QLatin1String("tasks")][0][QLatin1String("attempts")][0]
              .toObject();
    QCOMPARE(a[QLatin1String("error")].toString(),
        QStringLiteral("exit:1: statement 3 (line 4): relation \"nosuch\" does not exist"));
    QVERIFY(a[QLatin1String("rows")].isNull());
    QCOMPARE(query(QStringLiteral("SELECT day, n FROM t ORDER BY day")), before);
}

// The task's timeout ends a pg_sleep(60) within the kill grace; the server rolls the
// transaction back and its backend ends too.
void TestPostgres::timeoutEndsPgSleep()
{
    query(QStringLiteral("CREATE TABLE t (n integer)"));
    const QString flow = writeFlow(QStringLiteral("sleepy"), QStringLiteral(R"yaml(pipewright: 1
flow: sleepy
tasks:
  load:
    type: sql
    connection: warehouse
    timeout: 1s
    sql: |
      INSERT INTO t VALUES (1), (2);
      SELECT pg_sleep(60)
)yaml"));
    QElapsedTimer t;
    t.start();
    const Out o = cli(home() + QStringList{"run", flow, "--json"});
    QCOMPARE(o.code, 1);
    const qint64 cliMs = t.elapsed();
    const QJsonObject a
        = QJsonDocument::fromJson(o.out)[QLatin1String("tasks")][0][QLatin1String("attempts")][0]
              .toObject();
    QCOMPARE(a[QLatin1String("error")].toString(), QStringLiteral("timeout"));
    const qint64 ms = QDateTime::fromString(a[QLatin1String("ended")].toString(), Qt::ISODateWithMs)
                          .msecsTo(QDateTime::fromString(
                              a[QLatin1String("started")].toString(), Qt::ISODateWithMs))
        * -1;
    const qint64 backendGone = waitForNoBackend();
    qInfo("postgres timeout: the attempt lasted %lld ms (timeout 1 s), the CLI %lld ms; the server "
          "backend was gone %lld ms later",
        ms, cliMs, backendGone);
    QVERIFY2(ms - 1000 < 5000, qPrintable(QString::number(ms)));
    QVERIFY(backendGone >= 0 && backendGone < 5000);
    QCOMPARE(query(QStringLiteral("SELECT count(*) FROM t")), QStringList{"0"});
}

// A cancel ends a pg_sleep within seconds; while it runs, the child's command line and
// environment hold no password (the URL goes to it on stdin).
void TestPostgres::cancelEndsPgSleep()
{
    query(QStringLiteral("CREATE TABLE t (n integer)"));
    const QString flow = writeFlow(QStringLiteral("cancelled"), QStringLiteral(R"yaml(pipewright: 1
flow: cancelled
tasks:
  load:
    type: sql
    connection: warehouse
    sql: |
      INSERT INTO t VALUES (1);
      SELECT pg_sleep(60)
)yaml"));
    QProcess *run = startCli(home() + QStringList{"run", flow});
    QVERIFY(run);
    const qint64 pgid = waitForGroup();
    QVERIFY(pgid > 0);
    QTRY_VERIFY_WITH_TIMEOUT(query(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE "
                                                  "query LIKE 'SELECT pg_sleep%'"),
                                 QStringLiteral("postgres"))
            == QStringList{"1"},
        10000);
    for (const char *file : {"cmdline", "environ"}) {
        QFile f(QStringLiteral("/proc/%1/%2").arg(pgid).arg(QLatin1String(file)));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.contains("pipewright-sqlrun") || QByteArray(file) == "environ");
        QVERIFY2(!bytes.contains(kPassword), file);
        QVERIFY(!bytes.contains("PIPEWRIGHT_CONNECTION_"));
    }
    QElapsedTimer t;
    t.start();
    const Out c = cli(home() + QStringList{"cancel", "1"});
    QVERIFY2(c.code == 0, c.err.constData());
    QVERIFY(run->waitForFinished(10000));
    const qint64 runEnded = t.elapsed();
    const qint64 backendGone = waitForNoBackend();
    qInfo("postgres cancel: the run ended %lld ms after the cancel, the server backend %lld ms "
          "after that",
        runEnded, backendGone);
    QVERIFY(runEnded < 5000);
    QVERIFY(backendGone >= 0 && backendGone < 5000);
    QCOMPARE(show(1)[QLatin1String("run")][QLatin1String("state")].toString(),
        QStringLiteral("cancelled"));
    QCOMPARE(query(QStringLiteral("SELECT count(*) FROM t")), QStringList{"0"});
}

// SIGKILL of `pipewright-cli run` while pg_sleep runs: its child dies with it, the server
// notices the dropped connection and rolls back: no partial rows, no backend left.
void TestPostgres::killedCliLeavesNoPartialRows()
{
    query(QStringLiteral("CREATE TABLE t (n integer)"));
    const QString flow = writeFlow(QStringLiteral("killed"), QStringLiteral(R"yaml(pipewright: 1
flow: killed
tasks:
  load:
    type: sql
    connection: warehouse
    sql: |
      INSERT INTO t SELECT generate_series(1, 1000);
      SELECT pg_sleep(60)
)yaml"));
    QProcess *run = startCli(home() + QStringList{"run", flow});
    QVERIFY(run);
    const qint64 pgid = waitForGroup();
    QVERIFY(pgid > 0);
    QTRY_VERIFY_WITH_TIMEOUT(query(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE "
                                                  "query LIKE 'SELECT pg_sleep%'"),
                                 QStringLiteral("postgres"))
            == QStringList{"1"},
        10000);
    QElapsedTimer t;
    t.start();
    ::kill(pid_t(run->processId()), SIGKILL);
    QVERIFY(run->waitForFinished());
    QTRY_VERIFY_WITH_TIMEOUT(!pw::ProcessInfo::groupAlive(pgid), 5000);
    const qint64 childGone = t.elapsed();
    const qint64 backendGone = waitForNoBackend();
    qInfo("postgres SIGKILL of the CLI: the child was gone after %lld ms, the server backend %lld "
          "ms after that",
        childGone, backendGone);
    QVERIFY(backendGone >= 0 && backendGone < 5000);
    QCOMPARE(query(QStringLiteral("SELECT count(*) FROM t")), QStringList{"0"});
}

// $$ bodies and $tag$ bodies with ';' inside are one statement each; parameters bind in
// statements around them; a '?' or ':x' in a statement with parameters is refused clearly.
void TestPostgres::dollarQuotedBodiesAndParameters()
{
    const QString flow = writeFlow(QStringLiteral("dollars"), QStringLiteral(R"yaml(pipewright: 1
flow: dollars
params:
  date: {type: date, default: 2026-11-24}
tasks:
  load:
    type: sql
    connection: warehouse
    sql: |
      CREATE TABLE t (day date, note text);
      CREATE FUNCTION add_note(d date, n text) RETURNS void AS $$
      BEGIN
        INSERT INTO t VALUES (d, n || '; ok?');
      END;
      $$ LANGUAGE plpgsql;
      DO $body$ BEGIN PERFORM add_note('2026-01-01', 'from do :x'); END $body$;
      SELECT add_note(:date, 'run ' || :run_id || ' of ' || :flow);
      INSERT INTO t VALUES (:date, 'it''s :not a ? parameter')
  bad:
    type: sql
    after: [load]
    connection: warehouse
    sql: |
      SELECT :date, '{"a":1}'::jsonb ? 'a'
)yaml"));
    const Out o = cli(home() + QStringList{"run", flow, "--json"});
    QCOMPARE(o.code, 1);
    const QJsonArray tasks = QJsonDocument::fromJson(o.out)[QLatin1String("tasks")].toArray();
    const QJsonObject load = tasks[0][QLatin1String("attempts")][0].toObject();
    QVERIFY2(
        load[QLatin1String("state")].toString() == QLatin1String("succeeded"), o.out.constData());
    QCOMPARE(load[QLatin1String("rows")].toArray(), (QJsonArray{0, 0, 0, 0, 1}));
    QCOMPARE(query(QStringLiteral("SELECT day, note FROM t ORDER BY day, note")),
        (QStringList{"2026-01-01|from do :x; ok?", "2026-11-24|it's :not a ? parameter",
            "2026-11-24|run 1 of dollars; ok?"}));
    const QString bad = tasks[1][QLatin1String("attempts")][0][QLatin1String("error")].toString();
    QVERIFY2(
        bad.startsWith(QLatin1String("exit:2: statement 1 (line 1): a PostgreSQL statement with "
                                     "bound parameters cannot also contain '?'")),
        qPrintable(bad));
}

QTEST_GUILESS_MAIN(TestPostgres)
#include "tst_postgres.moc"
