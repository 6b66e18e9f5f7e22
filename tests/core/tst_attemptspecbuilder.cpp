// AttemptSpecBuilder: what a runner gets for one attempt (DESIGN §3, §4), built from a plan
// without an engine. tst_engine checks the same end to end, through a real shell.

#include "engine/attemptspecbuilder.h"
#include "format/flowloader.h"
#include "format/runplanner.h"

#include <QtTest>

using namespace pw;

namespace {

const char *kFlow = R"(pipewright: 1
flow: daily.sales
params:
  date: {type: date, default: 2026-11-24}
  regionCode: {type: string, default: "k r"}
defaults: {timeout: 30m}
tasks:
  extract:
    type: shell
    command: ./extract.sh --date {{date}} --out data/{{date|nodash}}.csv --region {{regionCode}} --raw {{regionCode|raw}}
    workdir: work/{{date|nodash}}
    env: {TARGET: "{{flow}}/{{run_id}}/{{task}}/{{attempt}}"}
  load: {type: shell, after: [extract], command: "load {{task}} {{attempt}}", timeout: 5s}
  done: {type: noop, after: [load]}
  sql:
    type: sql
    after: [load]
    connection: wh
    partition: {table: sales, column: day, value: "{{date|nodash}}-{{task}}"}
    sql: "INSERT INTO sales SELECT :date, amount FROM staging"
  remote: {type: shell, after: [load], executor: slurm, command: "run {{date}}"}
)";

RunPlan plan()
{
    auto flow = FlowLoader::loadData(kFlow, QStringLiteral("/flows/daily.flow.yaml"));
    if (!flow) {
        for (const Error &e : flow.error())
            qWarning("%s", qPrintable(e.toString()));
        qFatal("test flow does not load");
    }
    auto p = RunPlanner::plan(*flow, {});
    if (!p)
        qFatal("test flow does not plan");
    p->workdir = QStringLiteral("/flows");
    return *p;
}

} // namespace

class TestAttemptSpecBuilder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void build_data();
    void build();
    void sql();
};

// clang-format off
void TestAttemptSpecBuilder::build_data()
{
    QTest::addColumn<QString>("task");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<QString>("command");   // empty: not a local shell task
    QTest::addColumn<QString>("workdir");
    QTest::addColumn<QStringList>("env");   // NAME=value, all of them, sorted
    QTest::addColumn<qint64>("timeoutMs");  // -1 = none
    QTest::newRow("shell: templates quoted, workdir below the flow's, env")
        << "extract" << 3
        << "./extract.sh --date '2026-11-24' --out data/'20261124'.csv --region 'k r' --raw k r"
        << "/flows/work/20261124"
        << QStringList{"PW_ATTEMPT=3", "PW_FLOW=daily.sales", "PW_PARAM_DATE=2026-11-24",
                       "PW_PARAM_REGIONCODE=k r", "PW_RUN_ID=42", "PW_TASK=extract", "PW_TRY=2",
                       "TARGET=daily.sales/42/extract/3"}
        << qint64(30 * 60 * 1000);
    QTest::newRow("shell: the flow's directory, the task's own timeout")
        << "load" << 1 << "load 'load' '1'" << "/flows"
        << QStringList{"PW_ATTEMPT=1", "PW_FLOW=daily.sales", "PW_PARAM_DATE=2026-11-24",
                       "PW_PARAM_REGIONCODE=k r", "PW_RUN_ID=42", "PW_TASK=load", "PW_TRY=2"}
        << qint64(5000);
    QTest::newRow("noop: no command, no log") << "done" << 1 << "" << "" << QStringList{} << qint64(30 * 60 * 1000);
    QTest::newRow("unsupported executor: no command") << "remote" << 2 << "" << "" << QStringList{} << qint64(30 * 60 * 1000);
}
// clang-format on

void TestAttemptSpecBuilder::build()
{
    QFETCH(QString, task);
    QFETCH(int, attempt);
    QFETCH(QString, command);
    QFETCH(QString, workdir);
    QFETCH(QStringList, env);
    QFETCH(qint64, timeoutMs);
    const RunPlan p = plan();
    const Home home(QStringLiteral("/home/pw"));
    const AttemptSpecBuilder builder(home, p, 42, 2, 1234);
    const TaskSpec *spec = p.flow.task(task);
    QVERIFY(spec);
    const AttemptSpec a = builder.build(*spec, attempt);
    QCOMPARE(a.key.runId, qint64(42));
    QCOMPARE(a.key.task, task);
    QCOMPARE(a.key.attempt, attempt);
    QCOMPARE(a.tryNo, 2);
    QCOMPARE(a.task.id, task);
    QCOMPARE(a.killGraceMs, qint64(1234));
    QCOMPARE(a.timeoutMs.value_or(-1), timeoutMs);
    QCOMPARE(a.command, command);
    QCOMPARE(a.workdir, workdir);
    QStringList gotEnv;
    for (auto it = a.env.cbegin(); it != a.env.cend(); ++it)
        gotEnv << it.key() + QLatin1Char('=') + it.value();
    QCOMPARE(gotEnv, env);
    QCOMPARE(a.logPath, command.isEmpty() ? QString() : home.logPath(42, task, attempt));
}

// A sql task's text stays as written (its :name parameters are bound by the sql runner); it
// gets the values to bind, its partition value rendered, the flow's directory (relative sqlite:
// paths) and a log.
void TestAttemptSpecBuilder::sql()
{
    const RunPlan p = plan();
    const Home home(QStringLiteral("/home/pw"));
    const AttemptSpecBuilder builder(home, p, 42, 2, 1234);
    const AttemptSpec a = builder.build(*p.flow.task(QStringLiteral("sql")), 3);
    QCOMPARE(a.task.sql, QStringLiteral("INSERT INTO sales SELECT :date, amount FROM staging"));
    QCOMPARE(a.task.partition.value, QStringLiteral("20261124-sql"));
    QCOMPARE(a.task.partition.table, QStringLiteral("sales"));
    QCOMPARE(a.workdir, QStringLiteral("/flows"));
    QCOMPARE(a.logPath, home.logPath(42, QStringLiteral("sql"), 3));
    QVERIFY(a.command.isEmpty());
    QVERIFY(a.env.isEmpty());
    const QMap<QString, QString> values{{"date", "2026-11-24"}, {"regionCode", "k r"},
        {"flow", "daily.sales"}, {"run_id", "42"}, {"task", "sql"}, {"attempt", "3"}};
    QCOMPARE(a.values, values);
}

QTEST_GUILESS_MAIN(TestAttemptSpecBuilder)
#include "tst_attemptspecbuilder.moc"
