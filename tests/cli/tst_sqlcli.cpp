// End-to-end: sql tasks and connections through the real pipewright-cli (and its child
// pipewright-sqlrun) on real SQLite files, with a temp --home: `connection set|list|test`,
// connections.yaml's mode, the environment's override and name mangling, relative sqlite:
// paths, passwords that never reach show --json, logs or events, and a SIGKILL of the CLI in
// the middle of a long statement that leaves no rows behind.

#include "clirun.h"
#include "platform/processinfo.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/stat.h>

namespace {

const QByteArray kPassword = "Zx9-very-secret-Q";

} // namespace

class TestSqlCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void connectionCommands();
    void exposedConnectionsFileIsRefused();
    void environmentOverridesAndRelativePath();
    void passwordNeverShown();
    void killedCliLeavesNoPartialRows();
    void exampleRunsWithNoSetup();

private:
    using Out = pw::test::CliOutput;
    Out cli(
        const QStringList &args, const QProcessEnvironment &env = {}, const QByteArray &input = {});
    QStringList home() const { return {QStringLiteral("--home"), m_home}; }
    QString writeFlow(const QString &name, const QByteArray &yaml);
    static qint64 scalar(const QString &db, const QString &select);

    QString m_cli;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_home;
};

void TestSqlCli::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = pw::test::cliBinary();
    QVERIFY2(QFileInfo(m_cli).isExecutable(), qPrintable(m_cli));
}

void TestSqlCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_home = m_dir->filePath(QStringLiteral("home"));
}

TestSqlCli::Out TestSqlCli::cli(
    const QStringList &args, const QProcessEnvironment &env, const QByteArray &input)
{
    QProcess p;
    p.setProgram(m_cli);
    p.setArguments(args);
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const QString &k : e.keys()) {
        if (k.startsWith(QLatin1String("PIPEWRIGHT_CONNECTION_")))
            e.remove(k);
    }
    for (const QString &k : env.keys())
        e.insert(k, env.value(k));
    p.setProcessEnvironment(e);
    p.start();
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    return pw::test::finishCli(p, args);
}

QString TestSqlCli::writeFlow(const QString &name, const QByteArray &yaml)
{
    const QString path = m_dir->filePath(name + QStringLiteral(".flow.yaml"));
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(yaml);
    return path;
}

qint64 TestSqlCli::scalar(const QString &db, const QString &select)
{
    qint64 n = -1;
    {
        QSqlDatabase c
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("scalar"));
        c.setDatabaseName(db);
        c.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (c.open()) {
            QSqlQuery q(c);
            if (q.exec(select) && q.next())
                n = q.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("scalar"));
    return n;
}

void TestSqlCli::connectionCommands()
{
    const QString pg
        = QStringLiteral("postgresql://pw:%1@db.example:5432/dw").arg(QLatin1String(kPassword));
    Out o = cli(home() + QStringList{"connection", "set", "warehouse", pg});
    QCOMPARE(o.code, 0);
    const QString file = m_home + QStringLiteral("/connections.yaml");
    struct stat st;
    QCOMPARE(::stat(QFile::encodeName(file).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);
    // The URL from stdin keeps it out of `ps` and the shell's history.
    o = cli(home() + QStringList{"connection", "set", "local", "-"}, {}, "sqlite:local.db\n");
    QCOMPARE(o.code, 0);

    QProcessEnvironment env;
    env.insert(
        QStringLiteral("PIPEWRIGHT_CONNECTION_EXTRA"), QStringLiteral("sqlite:///tmp/extra.db"));
    o = cli(home() + QStringList{"connection", "list"}, env);
    QCOMPARE(o.code, 0);
    QVERIFY2(
        o.out.contains("warehouse  postgresql://pw:***@db.example:5432/dw  (connections.yaml)"),
        o.out.constData());
    QVERIFY(o.out.contains("local  sqlite:local.db  (connections.yaml)"));
    QVERIFY(o.out.contains("extra  sqlite:///tmp/extra.db  (PIPEWRIGHT_CONNECTION_EXTRA)"));
    QVERIFY(!o.out.contains(kPassword));
    o = cli(home() + QStringList{"connection", "list", "--json"});
    QCOMPARE(o.code, 0);
    const QJsonArray list = QJsonDocument::fromJson(o.out)[QLatin1String("connections")].toArray();
    QCOMPARE(list.size(), 2);
    QVERIFY(!o.out.contains(kPassword));

    // test: a relative sqlite: path against --dir.
    o = cli(home() + QStringList{"connection", "test", "local", "--dir", m_dir->path()});
    QCOMPARE(o.code, 0);
    const QByteArray ok
        = "local: ok (sqlite://" + QFile::encodeName(m_dir->path()) + "/local.db, SQLite 3.";
    QVERIFY2(o.out.startsWith(ok), o.out.constData());
    o = cli(home() + QStringList{"connection", "test", "nope"});
    QCOMPARE(o.code, 2);
    QVERIFY(o.err.contains("connection 'nope' is not defined"));
    o = cli(home() + QStringList{"connection", "set", "bad name", "sqlite:x.db"});
    QCOMPARE(o.code, 2);
    o = cli(home() + QStringList{"connection", "frobnicate"});
    QCOMPARE(o.code, 2);
}

// A connections.yaml others can read is refused: by the CLI and by the run that needs it.
void TestSqlCli::exposedConnectionsFileIsRefused()
{
    QVERIFY(QDir().mkpath(m_home));
    const QString file = m_home + QStringLiteral("/connections.yaml");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("local: sqlite:x.db\n");
    f.close();
    QCOMPARE(::chmod(QFile::encodeName(file).constData(), 0644), 0);
    Out o = cli(home() + QStringList{"connection", "list"});
    QCOMPARE(o.code, 2);
    QVERIFY2(
        o.err.contains("is accessible by other users (mode 0644) and holds passwords; refusing "
                       "to use it: chmod 600"),
        o.err.constData());
    const QString flow = writeFlow(QStringLiteral("exposed"), R"(pipewright: 1
flow: exposed
tasks:
  load: {type: sql, connection: local, sql: "SELECT 1"}
)");
    o = cli(home() + QStringList{"run", flow, "--json"});
    QCOMPARE(o.code, 1);
    const QJsonObject a
        = QJsonDocument::fromJson(o.out)[QLatin1String("tasks")][0][QLatin1String("attempts")][0]
              .toObject();
    QVERIFY2(a[QLatin1String("error")].toString().contains(
                 QLatin1String("accessible by other users (mode 0644)")),
        o.out.constData());
}

// PIPEWRIGHT_CONNECTION_<NAME> (upper case, '.' and '-' as '_') wins over the file; a relative
// sqlite: path is the flow file's directory's, wherever the CLI runs; rows per statement.
void TestSqlCli::environmentOverridesAndRelativePath()
{
    QVERIFY(
        cli(home() + QStringList{"connection", "set", "dw.eu-1", "sqlite:///nonexistent/dir/x.db"})
            .code
        == 0);
    QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("flows/db"))));
    const QString flowPath = m_dir->filePath(QStringLiteral("flows/load.flow.yaml"));
    QFile f(flowPath);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"(pipewright: 1
flow: envload
params:
  date: {type: date}
tasks:
  setup:
    type: sql
    connection: dw.eu-1
    sql: CREATE TABLE IF NOT EXISTS t (day TEXT, n INTEGER)
  load:
    type: sql
    after: [setup]
    connection: dw.eu-1
    partition: {table: t, column: day, value: "{{date}}"}
    sql: |
      INSERT INTO t VALUES (:date, 1);
      INSERT INTO t VALUES (:date, 2)
)");
    f.close();
    QProcessEnvironment env;
    env.insert(QStringLiteral("PIPEWRIGHT_CONNECTION_DW_EU_1"), QStringLiteral("sqlite:db/dw.db"));
    for (int i = 0; i < 2; ++i) {
        const QStringList force = i ? QStringList{"--force"} : QStringList{};
        Out o = cli(
            home() + QStringList{"run", flowPath, "-p", "date=2026-11-24", "--json"} + force, env);
        QVERIFY2(o.code == 0, o.out.constData());
        const QJsonArray attempts
            = QJsonDocument::fromJson(o.out)[QLatin1String("tasks")][1][QLatin1String("attempts")]
                  .toArray();
        QCOMPARE(attempts.last()[QLatin1String("rows")].toArray(), (QJsonArray{1, 1}));
    }
    const QString db = m_dir->filePath(QStringLiteral("flows/db/dw.db"));
    QCOMPARE(
        scalar(db, QStringLiteral("SELECT count(*) FROM t WHERE day = '2026-11-24'")), qint64(2));
    Out show = cli(home() + QStringList{"show", "1"});
    QVERIFY2(show.out.contains("rows: 1, 1"), show.out.constData());
}

// The password is in connections.yaml only: not in show --json, the attempt's log, the events,
// the CLI's output. (The database here is unreachable; its error names the connection, redacted.)
void TestSqlCli::passwordNeverShown()
{
    const QString url
        = QStringLiteral("postgresql://pw:%1@127.0.0.1:1/dw").arg(QLatin1String(kPassword));
    QCOMPARE(cli(home() + QStringList{"connection", "set", "warehouse", url}).code, 0);
    const QString flow = writeFlow(QStringLiteral("secret"), R"(pipewright: 1
flow: secret
tasks:
  load: {type: sql, connection: warehouse, sql: "SELECT 1", retries: 1, retry_delay: 10ms, retry_on: ["exit:75"]}
)");
    Out o = cli(home() + QStringList{"run", flow, "--json"});
    QCOMPARE(o.code, 1);
    const QJsonArray attempts
        = QJsonDocument::fromJson(o.out)[QLatin1String("tasks")][0][QLatin1String("attempts")]
              .toArray();
    QCOMPARE(attempts.size(), 2); // exit 75 (cannot connect) is retried by retry_on
    const QString error = attempts[0][QLatin1String("error")].toString();
    QVERIFY2(error.startsWith(
                 QLatin1String("exit:75: cannot connect to postgresql://pw:***@127.0.0.1:1/dw: ")),
        qPrintable(error));
    QVERIFY(!o.out.contains(kPassword) && !o.err.contains(kPassword));
    o = cli(home() + QStringList{"show", "1", "--json"});
    QVERIFY(!o.out.contains(kPassword));
    o = cli(home() + QStringList{"logs", "1", "load"});
    QVERIFY2(o.out.contains("cannot connect"), o.out.constData());
    QVERIFY(!o.out.contains(kPassword));
    // Every file in the home but connections.yaml: the history (events, attempts), the logs.
    QDirIterator it(m_home, QDir::Files, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.endsWith(QLatin1String("/connections.yaml")))
            continue;
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains(kPassword), qPrintable(path));
        ++files;
    }
    QVERIFY(files >= 3); // history.sqlite and two attempt logs at least
}

// SIGKILL of `pipewright-cli run` while a long statement runs: the child dies with its engine
// (its connection drops, SQLite rolls back on the next open), no row of the transaction stays,
// and the next command takes the run over as interrupted.
void TestSqlCli::killedCliLeavesNoPartialRows()
{
    QVERIFY(QDir().mkpath(m_home));
    QFile cfg(m_home + QStringLiteral("/config.yaml"));
    QVERIFY(cfg.open(QIODevice::WriteOnly));
    cfg.write("heartbeat_interval: 200ms\nstale_limit: 1s\n");
    cfg.close();
    const QString db = m_dir->filePath(QStringLiteral("kill.db"));
    QVERIFY(scalar(db, QStringLiteral("SELECT 0")) == 0);
    const QString flow = writeFlow(QStringLiteral("killed"), R"(pipewright: 1
flow: killed
tasks:
  load:
    type: sql
    connection: local
    sql: |
      CREATE TABLE t (n INTEGER);
      INSERT INTO t VALUES (1), (2), (3);
      WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000) SELECT count(*) FROM c
)");
    QProcess run;
    run.setProgram(m_cli);
    run.setArguments(home() + QStringList{"run", flow});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PIPEWRIGHT_CONNECTION_LOCAL"), QStringLiteral("sqlite:kill.db"));
    run.setProcessEnvironment(env);
    run.start();
    QVERIFY(run.waitForStarted());

    // The attempt's group is recorded before its child runs; then give it time to insert.
    qint64 pgid = 0;
    QDeadlineTimer deadline(20000);
    const QString history = m_home + QStringLiteral("/history.sqlite");
    while (pgid <= 0 && !deadline.hasExpired()) {
        pgid = QFileInfo::exists(history)
            ? scalar(history, QStringLiteral("SELECT coalesce(max(pgid), 0) FROM attempts"))
            : 0;
        if (pgid <= 0)
            QTest::qWait(20);
    }
    QVERIFY(pgid > 0);
    QTest::qWait(500);
    QVERIFY(pw::ProcessInfo::groupAlive(pgid));
    ::kill(pid_t(run.processId()), SIGKILL);
    QVERIFY(run.waitForFinished());

    QElapsedTimer gone;
    gone.start();
    QTRY_VERIFY_WITH_TIMEOUT(!pw::ProcessInfo::groupAlive(pgid), 5000);
    qInfo("the sql child ended %lld ms after the CLI was killed", gone.elapsed());
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 't'")),
        qint64(0));

    QTest::qWait(1200); // past the stale limit
    Out o = cli(home() + QStringList{"show", "1", "--json"});
    QCOMPARE(o.code, 0);
    QCOMPARE(
        QJsonDocument::fromJson(o.out)[QLatin1String("run")][QLatin1String("state")].toString(),
        QStringLiteral("interrupted"));
}

// resources/examples/daily_partition_load.flow.yaml works with no setup (its connection comes
// from the connections.yaml beside it), and running a day again replaces that day's rows.
void TestSqlCli::exampleRunsWithNoSetup()
{
    const QString dir = m_dir->filePath(QStringLiteral("examples"));
    QVERIFY(QDir().mkpath(dir));
    for (const char *file : {"daily_partition_load.flow.yaml", "connections.yaml"})
        QVERIFY(
            QFile::copy(QStringLiteral(PW_SOURCE_DIR "/resources/examples/") + QLatin1String(file),
                dir + QLatin1Char('/') + QLatin1String(file)));
    const QString flow = dir + QStringLiteral("/daily_partition_load.flow.yaml");
    const QString db = dir + QStringLiteral("/daily_partition_load.db");
    const QString summary = QStringLiteral(
        "SELECT group_concat(day || ':' || region || ':' || orders || ':' || amount, ' ') "
        "FROM (SELECT * FROM daily_sales ORDER BY day, region)");
    Out o = cli(home() + QStringList{"run", flow, "-p", "date=2026-11-24", "--json"});
    QVERIFY2(o.code == 0, o.out.constData());
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM orders")), qint64(20));
    QString first;
    {
        QSqlDatabase c = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("ex"));
        c.setDatabaseName(db);
        QVERIFY(c.open());
        QSqlQuery q(c);
        QVERIFY(q.exec(summary) && q.next());
        first = q.value(0).toString();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("ex"));
    QCOMPARE(first.count(QLatin1Char(' ')), 1); // two regions
    o = cli(home() + QStringList{"run", flow, "-p", "date=2026-11-24", "--force"});
    QCOMPARE(o.code, 0);
    o = cli(home() + QStringList{"run", flow, "-p", "date=2026-11-25"});
    QCOMPARE(o.code, 0);
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM orders")), qint64(40));
    QCOMPARE(
        scalar(db, QStringLiteral("SELECT count(*) FROM daily_sales WHERE day = '2026-11-24'")),
        qint64(2));
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM daily_sales")), qint64(4));
}

QTEST_GUILESS_MAIN(TestSqlCli)
#include "tst_sqlcli.moc"
