// SqlExecution (what pipewright-sqlrun does for one sql attempt), in process, on a real SQLite
// file: one transaction, partition replace, bound parameters, rows per statement, and the
// error of the failing statement with its line. The child process itself is tst_sqlrunner's.

#include "runners/sqlexecution.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QtTest>

using namespace pw;

class TestSqlExecution : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void partitionReplaceTwiceGivesIdenticalRows();
    void failureMidwayLeavesTheTableUnchanged();
    void parametersAreBoundNotSpliced();
    void rowsPerStatement();
    void invalid_data();
    void invalid();
    void busyDatabaseIsTemporary();
    void jobRoundTrip();
    void testConnection();

private:
    SqlExecution::Outcome run(const QString &sql, const PartitionSpec &partition = {},
        const QMap<QString, QString> &values = {{"date", "2026-11-24"}});
    QStringList rows(const QString &select);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
    QString m_log;
};

void TestSqlExecution::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestSqlExecution::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = m_dir->filePath(QStringLiteral("dw.db"));
    const auto setup = run(QStringLiteral(R"(
        CREATE TABLE staging (amount INTEGER);
        INSERT INTO staging VALUES (10), (20), (30);
        CREATE TABLE sales (day TEXT, amount INTEGER);
        INSERT INTO sales VALUES ('2026-11-23', 1), ('2026-11-24', 99);
    )"));
    QCOMPARE(setup.exitCode, 0);
}

void TestSqlExecution::cleanup()
{
    m_dir.reset();
}

SqlExecution::Outcome TestSqlExecution::run(
    const QString &sql, const PartitionSpec &partition, const QMap<QString, QString> &values)
{
    SqlExecution::Job job;
    job.url = QStringLiteral("sqlite://") + m_db;
    job.statements = SqlScript::split(sql);
    job.values = values;
    job.partition = partition;
    job.busyTimeoutMs = 300;
    QString log;
    QTextStream out(&log);
    const SqlExecution::Outcome o = SqlExecution::run(job, out);
    out.flush();
    m_log = log;
    return o;
}

QStringList TestSqlExecution::rows(const QString &select)
{
    QStringList out;
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(m_db);
        if (!db.open())
            return {QStringLiteral("cannot open")};
        QSqlQuery q(db);
        if (!q.exec(select))
            return {q.lastError().text()};
        while (q.next()) {
            QStringList cols;
            for (int i = 0; i < q.record().count(); ++i)
                cols << q.value(i).toString();
            out << cols.join(QLatin1Char('|'));
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    return out;
}

void TestSqlExecution::partitionReplaceTwiceGivesIdenticalRows()
{
    const QString load = QStringLiteral("INSERT INTO sales SELECT :date, amount FROM staging");
    const PartitionSpec day{
        QStringLiteral("sales"), QStringLiteral("day"), QStringLiteral("2026-11-24")};
    auto first = run(load, day);
    QCOMPARE(first.exitCode, 0);
    QCOMPARE(first.rows, (QList<qint64>{3}));
    QVERIFY2(m_log.contains(QStringLiteral("partition sales.day = '2026-11-24': 1 rows deleted")),
        qPrintable(m_log));
    const QStringList once
        = rows(QStringLiteral("SELECT day, amount FROM sales ORDER BY day, amount"));
    QCOMPARE(
        once, (QStringList{"2026-11-23|1", "2026-11-24|10", "2026-11-24|20", "2026-11-24|30"}));
    auto second = run(load, day);
    QCOMPARE(second.exitCode, 0);
    QCOMPARE(rows(QStringLiteral("SELECT day, amount FROM sales ORDER BY day, amount")), once);
    QVERIFY(m_log.contains(QStringLiteral("3 rows deleted")));
}

void TestSqlExecution::failureMidwayLeavesTheTableUnchanged()
{
    const QStringList before = rows(QStringLiteral("SELECT day, amount FROM sales ORDER BY day"));
    auto o = run(QStringLiteral("INSERT INTO sales VALUES ('x', 1);\n\n"
                                "UPDATE sales SET amount = 0;\n"
                                "-- the third one fails\n"
                                "INSERT INTO nosuch VALUES (1);\n"
                                "INSERT INTO sales VALUES ('y', 2)"),
        {QStringLiteral("sales"), QStringLiteral("day"), QStringLiteral("2026-11-23")});
    QCOMPARE(o.exitCode, SqlExecution::kExitFailed);
    QCOMPARE(o.error, QStringLiteral("statement 3 (line 5): no such table: nosuch"));
    QVERIFY(o.rows.isEmpty());
    QVERIFY2(m_log.contains(QStringLiteral("rolled back")), qPrintable(m_log));
    QCOMPARE(rows(QStringLiteral("SELECT day, amount FROM sales ORDER BY day")), before);
}

void TestSqlExecution::parametersAreBoundNotSpliced()
{
    const QString evil = QStringLiteral("x'); DROP TABLE sales; --");
    auto o = run(QStringLiteral("INSERT INTO sales VALUES (:name, length(:name));"
                                "INSERT INTO sales SELECT ':name -- not a parameter', 0"),
        {}, {{"name", evil}});
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(o.rows, (QList<qint64>{1, 1}));
    QCOMPARE(rows(QStringLiteral("SELECT day, amount FROM sales WHERE amount <> 1 AND amount <> 99 "
                                 "ORDER BY amount")),
        (QStringList{":name -- not a parameter|0",
            evil + QStringLiteral("|") + QString::number(evil.size())}));
    // A partition value is bound too.
    auto p
        = run(QStringLiteral("SELECT 1"), {QStringLiteral("sales"), QStringLiteral("day"), evil});
    QCOMPARE(p.exitCode, 0);
    QCOMPARE(rows(QStringLiteral("SELECT count(*) FROM sales WHERE day = '2026-11-24'")),
        QStringList{"1"});
}

void TestSqlExecution::rowsPerStatement()
{
    auto o = run(QStringLiteral(
        "CREATE TABLE t (a INTEGER);\n"
        "INSERT INTO t VALUES (1), (2), (3);\n"
        "CREATE INDEX t_a ON t(a);\n"
        "UPDATE t SET a = a + 1 WHERE a > 1;\n"
        "SELECT * FROM t;\n"
        "DELETE FROM t WHERE a = 1;\n"
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) "
        "INSERT INTO t SELECT n FROM c"));
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(o.rows, (QList<qint64>{0, 3, 0, 2, 0, 1, 5}));
    QVERIFY2(m_log.contains(QStringLiteral("statement 4 (line 4): 2 rows")), qPrintable(m_log));
    QVERIFY(m_log.contains(QStringLiteral("committed; rows per statement: [0, 3, 0, 2, 0, 1, 5]")));
}

// clang-format off
void TestSqlExecution::invalid_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("error");

    QTest::newRow("unknown parameter") << "INSERT INTO sales VALUES ('x', 1);\nSELECT :dat, :date" << ""
        << "statement 2 (line 2): unknown parameter :dat (known: date)";
    QTest::newRow("transaction control") << "INSERT INTO sales VALUES ('x', 1); COMMIT" << ""
        << "statement 2 (line 1): COMMIT is not allowed: a sql task runs in one transaction of its own";
    QTest::newRow("partition table") << "SELECT 1" << "sales; DROP TABLE sales"
        << "partition table 'sales; DROP TABLE sales' is not a valid table name";
    QTest::newRow("partition table missing") << "CREATE TABLE sale (day TEXT)" << "sale"
        << "partition sale.day = 'x': no such table: sale";
}
// clang-format on

void TestSqlExecution::invalid()
{
    QFETCH(QString, sql);
    QFETCH(QString, table);
    QFETCH(QString, error);
    const QStringList before = rows(QStringLiteral("SELECT day, amount FROM sales ORDER BY day"));
    PartitionSpec p;
    if (!table.isEmpty())
        p = {table, QStringLiteral("day"), QStringLiteral("x")};
    auto o = run(sql, p);
    const bool missing = error.startsWith(QLatin1String("partition sale."));
    QCOMPARE(o.exitCode, missing ? SqlExecution::kExitFailed : SqlExecution::kExitInvalid);
    QCOMPARE(o.error, error);
    QCOMPARE(rows(QStringLiteral("SELECT day, amount FROM sales ORDER BY day")), before);
}

// Another writer holds the database past the busy timeout: exit 75 (retry_on: [exit:75]).
void TestSqlExecution::busyDatabaseIsTemporary()
{
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("holder"));
        db.setDatabaseName(m_db);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("BEGIN IMMEDIATE")));
        QElapsedTimer t;
        t.start();
        auto o = run(QStringLiteral("INSERT INTO sales VALUES ('x', 1)"));
        QCOMPARE(o.exitCode, SqlExecution::kExitTemporary);
        QVERIFY2(
            o.error.startsWith(QStringLiteral("cannot begin a transaction: database is locked")),
            qPrintable(o.error));
        QVERIFY(t.elapsed() >= 250); // waited for the busy timeout (300 ms)
        QVERIFY(q.exec(QStringLiteral("ROLLBACK")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("holder"));
}

void TestSqlExecution::jobRoundTrip()
{
    SqlExecution::Job job;
    job.url = QStringLiteral("postgresql://pw:s%40cret@db:5432/dw");
    job.statements
        = SqlScript::split(QStringLiteral("-- x\nSELECT :a;\n\nINSERT INTO t VALUES (:b::date)"));
    job.values = {{"a", "1"}, {"b", "2026-11-24"}};
    job.partition = {QStringLiteral("t"), QStringLiteral("day"), QStringLiteral("2026-11-24")};
    job.parentPid = 4242;
    job.resultPath = QStringLiteral("/tmp/r.json");
    job.busyTimeoutMs = 1234;
    auto back = SqlExecution::Job::fromJson(job.toJson());
    QVERIFY(back);
    QCOMPARE(back->url, job.url);
    QCOMPARE(back->statements, job.statements); // lines, parameters and words found again
    QCOMPARE(back->statements.at(1).line, 4);
    QCOMPARE(back->values, job.values);
    QCOMPARE(back->partition, job.partition);
    QCOMPARE(back->parentPid, qint64(4242));
    QCOMPARE(back->resultPath, job.resultPath);
    QCOMPARE(back->busyTimeoutMs, 1234);
    QVERIFY(!SqlExecution::Job::fromJson("not json"));

    SqlExecution::Outcome o;
    o.exitCode = 1;
    o.rows = {3, 0};
    o.error = QStringLiteral("statement 2 (line 4): x");
    auto oBack = SqlExecution::Outcome::fromJson(o.toJson());
    QVERIFY(oBack);
    QCOMPARE(oBack->exitCode, 1);
    QCOMPARE(oBack->rows, o.rows);
    QCOMPARE(oBack->error, o.error);
}

void TestSqlExecution::testConnection()
{
    auto url = ConnectionUrl::parse(QStringLiteral("sqlite://") + m_db);
    QVERIFY(url);
    auto v = SqlExecution::test(*url);
    QVERIFY2(v, v ? "" : qPrintable(v.error().message));
    QVERIFY2(v->startsWith(QStringLiteral("SQLite 3.")), qPrintable(*v));
    auto missing = ConnectionUrl::parse(QStringLiteral("sqlite:///nonexistent-dir/x.db"));
    QVERIFY(missing);
    QVERIFY(!SqlExecution::test(*missing));
}

QTEST_GUILESS_MAIN(TestSqlExecution)
#include "tst_sqlexecution.moc"
