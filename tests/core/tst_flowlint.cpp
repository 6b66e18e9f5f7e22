// The idempotency lint (FlowLint, issue 10): warnings, not errors, with the task's position and
// the key at fault.

#include "format/flowlint.h"
#include "format/flowloader.h"

#include <QtTest>

using namespace pw;

class TestFlowLint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void warnings_data();
    void warnings();
    void rawInScheduledFlows();
};

// A row: the tasks of a flow with params `date` and `region` (YAML under `tasks:`, each task
// at line 8) and the warnings expected ("FIELD: message part", one per
// line; empty = none).
// clang-format off
void TestFlowLint::warnings_data()
{
    QTest::addColumn<QByteArray>("tasks");
    QTest::addColumn<QStringList>("expected");

    // outputs and retries
    QTest::newRow("retries, output without a parameter")
        << QByteArray("  a: {type: shell, command: x, outputs: [out/sales.csv], retries: 2}\n")
        << QStringList{"tasks.a.outputs: retries 2 and output 'out/sales.csv' uses no parameter"};
    QTest::newRow("retries from the defaults count")
        << QByteArray("  a: {type: shell, command: x, outputs: [out/sales.csv]}\n")
        << QStringList{"tasks.a.outputs: retries 1 and output"};
    QTest::newRow("retries, output named by a parameter")
        << QByteArray("  a: {type: shell, command: x, outputs: [\"out/sales_{{date|nodash}}.csv\"], retries: 2}\n")
        << QStringList{};
    QTest::newRow("a built-in is not a parameter")
        << QByteArray("  a: {type: shell, command: x, outputs: [\"out/{{run_id}}.csv\"], retries: 2}\n")
        << QStringList{"tasks.a.outputs: retries 2 and output 'out/{{run_id}}.csv' uses no parameter"};
    QTest::newRow("no retries, output without a parameter")
        << QByteArray("  a: {type: shell, command: x, outputs: [out/sales.csv], retries: 0}\n")
        << QStringList{};
    QTest::newRow("not idempotent: never retried, no warning")
        << QByteArray("  a: {type: shell, command: x, outputs: [out/sales.csv], idempotent: false}\n")
        << QStringList{};

    // a template inside double quotes (issue 17 item 8)
    QTest::newRow("template inside double quotes")
        << QByteArray("  a: {type: shell, command: 'echo \"orders for {{date}}\" > x_{{date}}'}\n")
        << QStringList{"tasks.a.command: {{date}} inside double quotes: values are shell-quoted"};
    QTest::newRow("secret inside double quotes")
        << QByteArray("  a: {type: shell, command: 'curl -H \"Bearer {{secret:T}}\" h'}\n")
        << QStringList{"tasks.a.command: {{secret:T}} inside double quotes"};
    QTest::newRow("template outside the quotes, or raw")
        << QByteArray("  a: {type: shell, command: 'echo \"orders for \"{{date}} \"{{region|raw}}\"'}\n")
        << QStringList{};

    // sql
    QTest::newRow("sql insert without partition or bound parameter")
        << QByteArray("  a: {type: sql, connection: dw, sql: INSERT INTO t SELECT * FROM s, retries: 0}\n")
        << QStringList{"tasks.a.sql: inserts without a 'partition' or a bound parameter"};
    QTest::newRow("sql insert, lower case, a cast is not a parameter")
        << QByteArray("  a: {type: sql, connection: dw, sql: \"insert into t select x::date from s\", retries: 0}\n")
        << QStringList{"tasks.a.sql: inserts without"};
    QTest::newRow("sql insert with a bound parameter")
        << QByteArray("  a: {type: sql, connection: dw, sql: \"INSERT INTO t SELECT * FROM s WHERE d = :date\", retries: 0}\n")
        << QStringList{};
    QTest::newRow("sql insert with a partition")
        << QByteArray("  a: {type: sql, connection: dw, sql: INSERT INTO t SELECT 1, partition: {table: t, column: d, value: \"{{date}}\"}, retries: 0}\n")
        << QStringList{};
    QTest::newRow("sql without insert")
        << QByteArray("  a: {type: sql, connection: dw, sql: UPDATE t SET x = 1, retries: 0}\n")
        << QStringList{};
    QTest::newRow("a bound name that is no parameter does not count")
        << QByteArray("  a: {type: sql, connection: dw, sql: \"INSERT INTO t SELECT :other\", retries: 0}\n")
        << QStringList{"tasks.a.sql: inserts without"};

    // shell appends
    QTest::newRow("append to a fixed file")
        << QByteArray("  a: {type: shell, command: \"echo x >> log/all.txt\", retries: 0}\n")
        << QStringList{"tasks.a.command: appends ('>>') to log/all.txt, whose name uses no parameter"};
    QTest::newRow("append without a blank, two appends")
        << QByteArray("  a: {type: shell, command: \"echo x >>a.txt; echo y >> \\\"b c.txt\\\"\", retries: 0}\n")
        << QStringList{"tasks.a.command: appends ('>>') to a.txt", "tasks.a.command: appends ('>>') to \"b c.txt\""};
    QTest::newRow("append to a file named by a parameter")
        << QByteArray("  a: {type: shell, command: \"echo x >> log/{{date}}.txt\", retries: 0}\n")
        << QStringList{};
    QTest::newRow("append to a file named by PW_PARAM_")
        << QByteArray("  a: {type: shell, command: \"echo x >> log/$PW_PARAM_DATE.txt; echo >> ${PW_PARAM_REGION}.log\", retries: 0}\n")
        << QStringList{};
    QTest::newRow("append to /dev/stderr, an output, a descriptor")
        << QByteArray("  a: {type: shell, command: \"echo x >> /dev/stderr; echo >> $PW_OUTPUT_1; echo >> {{output.1}}; echo 2>>&1\", outputs: [\"o_{{date}}\"], retries: 0}\n")
        << QStringList{};
    QTest::newRow("a plain redirect is fine")
        << QByteArray("  a: {type: shell, command: \"echo x > all.txt\", retries: 0}\n")
        << QStringList{};

    // check
    QTest::newRow("check on an idempotent task")
        << QByteArray("  a: {type: noop, check: look at it}\n")
        << QStringList{"tasks.a.check: 'check' is shown only before rerunning"};
    QTest::newRow("check on a task that is not idempotent")
        << QByteArray("  a: {type: noop, idempotent: false, check: look at it}\n")
        << QStringList{};
}
// clang-format on

void TestFlowLint::warnings()
{
    QFETCH(QByteArray, tasks);
    QFETCH(QStringList, expected);
    const QByteArray yaml = "pipewright: 1\nflow: f\nparams:\n  date: {type: date, default: "
                            "today}\n  region: {type: string, default: kr}\ndefaults: {retries: "
                            "1}\ntasks:\n"
        + tasks;
    const auto flow = FlowLoader::loadData(yaml, QStringLiteral("f.flow.yaml"));
    QVERIFY2(flow.has_value(), flow ? "" : qPrintable(flow.error().first().toString()));
    const Errors warnings = FlowLint::warnings(*flow);
    QStringList got;
    for (const Error &w : warnings) {
        QVERIFY(w.isWarning());
        QCOMPARE(w.file, QStringLiteral("f.flow.yaml"));
        QCOMPARE(w.line, 8);
        QCOMPARE(w.column, 3);
        QVERIFY(w.toString().startsWith(QLatin1String("f.flow.yaml:8:3: warning: task 'a': ")));
        got << w.field.join(QLatin1Char('.')) + QStringLiteral(": ") + w.message.mid(10);
    }
    QCOMPARE(got.size(), expected.size());
    for (int i = 0; i < got.size(); ++i)
        QVERIFY2(got[i].startsWith(expected[i]), qPrintable(got.join(QLatin1Char('\n'))));
}

// `|raw` of a string parameter or a secret in a scheduled flow's shell command is reported once
// per name; typed parameters, choices, built-ins and unscheduled flows are not.
void TestFlowLint::rawInScheduledFlows()
{
    const QByteArray head = "pipewright: 1\nflow: f\n";
    const QByteArray rest = "params:\n"
                            "  date: {type: date, default: today}\n"
                            "  region: {type: string, default: kr}\n"
                            "  mode: {type: choice, values: [a, b], default: a}\n"
                            "  n: {type: int, default: 1}\n"
                            "tasks:\n"
                            "  a: {command: 'x {{region|raw}} {{region|raw}} {{date|raw}} "
                            "{{mode|raw}} {{n|raw}} {{flow|raw}} {{region}}'}\n"
                            "  b: {command: 'curl -u {{secret:TOKEN|raw}} h'}\n"
                            "  c: {type: sql, connection: x, sql: 'SELECT 1'}\n";
    const QByteArray schedule = "schedule: {cron: '0 6 * * *', param: date}\n";
    auto scheduled = FlowLoader::loadData(head + schedule + rest, QStringLiteral("s.flow.yaml"));
    QVERIFY2(
        scheduled.has_value(), scheduled ? "" : qPrintable(scheduled.error().first().toString()));
    const Errors w = FlowLint::warnings(*scheduled);
    QCOMPARE(w.size(), 2);
    QCOMPARE(w[0].toString(),
        QStringLiteral("s.flow.yaml:10:3: warning: task 'a': {{region|raw}} in a scheduled flow: "
                       "the string parameter's value is pasted into the command as shell syntax, "
                       "so a quote or $(...) in it would run; drop |raw (the value is then one "
                       "quoted argument)"));
    QCOMPARE(w[0].field, (QStringList{"tasks", "a", "command"}));
    QVERIFY2(w[1].message.startsWith(
                 QLatin1String("task 'b': {{secret:TOKEN|raw}} in a scheduled flow: the secret's")),
        qPrintable(w[1].message));

    auto manual = FlowLoader::loadData(head + rest, QStringLiteral("m.flow.yaml"));
    QVERIFY(manual.has_value());
    QVERIFY(FlowLint::warnings(*manual).isEmpty());
}

QTEST_GUILESS_MAIN(TestFlowLint)
#include "tst_flowlint.moc"
