// FlowLoader's editing mode: semantic problems come back with the flow, structural ones fail;
// every error names the key path of the wrong value (Error::field), which the designer marks.

#include "format/flowloader.h"

#include <QtTest>

using namespace pw;

class TestFlowLoaderEditing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void semanticProblemsKeepTheFlow_data();
    void semanticProblemsKeepTheFlow();
    void structuralErrorsStillFail_data();
    void structuralErrorsStillFail();
    void validFlowHasNoProblems();
    void strictJson();
    void errorFieldPaths_data();
    void errorFieldPaths();
};

// clang-format off
void TestFlowLoaderEditing::semanticProblemsKeepTheFlow_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("tasks");
    QTest::addColumn<QString>("problem");
    QTest::newRow("cycle") << QByteArray("pipewright: 1\nflow: f\ntasks:\n  a: {type: noop, after: [b]}\n  b: {type: noop, after: [a]}\n")
                           << 2 << "cycle";
    QTest::newRow("unknown after") << QByteArray("pipewright: 1\nflow: f\ntasks:\n  a: {type: noop, after: [zz]}\n")
                                   << 1 << "zz";
    QTest::newRow("unknown template name") << QByteArray("pipewright: 1\nflow: f\ntasks:\n  a: {type: shell, command: 'echo {{nope}}'}\n")
                                           << 1 << "nope";
    QTest::newRow("shell without command") << QByteArray("pipewright: 1\nflow: f\ntasks:\n  a: {type: shell}\n")
                                           << 1 << "command";
}
// clang-format on

void TestFlowLoaderEditing::semanticProblemsKeepTheFlow()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, tasks);
    QFETCH(QString, problem);
    QVERIFY(!FlowLoader::loadData(yaml, "f.flow.yaml").has_value()); // not runnable
    auto r = FlowLoader::loadDataForEditing(yaml, "f.flow.yaml");
    QVERIFY(r.has_value());
    QCOMPARE(r->flow.tasks.size(), tasks);
    QVERIFY(!r->problems.isEmpty());
    QVERIFY2(r->problems.first().toString().contains(problem),
        qPrintable(r->problems.first().toString()));
    QCOMPARE(r->problems.first().file, QStringLiteral("f.flow.yaml"));
}

// clang-format off
void TestFlowLoaderEditing::structuralErrorsStillFail_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("syntax") << QByteArray("pipewright: 1\nflow: f\ntasks: [\n");
    QTest::newRow("unknown key") << QByteArray("pipewright: 1\nflow: f\ntasks:\n  a: {type: shell, comand: x}\n");
    QTest::newRow("wrong type") << QByteArray("pipewright: 1\nflow: f\ntasks:\n  a: {type: shell, command: x, retries: lots}\n");
    QTest::newRow("not a map") << QByteArray("- 1\n- 2\n");
}
// clang-format on

void TestFlowLoaderEditing::structuralErrorsStillFail()
{
    QFETCH(QByteArray, yaml);
    auto r = FlowLoader::loadDataForEditing(yaml, "f.flow.yaml");
    QVERIFY(!r.has_value());
    QVERIFY(!r.error().isEmpty());
}

void TestFlowLoaderEditing::validFlowHasNoProblems()
{
    QTemporaryDir dir;
    const QString path = dir.path() + "/ok.flow.yaml";
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("pipewright: 1\nflow: ok\ntasks:\n  a: {type: noop}\n");
    f.close();
    auto r = FlowLoader::loadFileForEditing(path);
    QVERIFY(r.has_value());
    QVERIFY(r->problems.isEmpty());
    QCOMPARE(r->flow.sourcePath, QFileInfo(path).absoluteFilePath());
    QVERIFY(!FlowLoader::loadFileForEditing(dir.path() + "/missing.flow.yaml").has_value());
}

// The designer opens a .flow.json strictly too: a JSON syntax error fails (with its position),
// a semantic problem in valid JSON comes back with the flow at its line and column.
void TestFlowLoaderEditing::strictJson()
{
    const QByteArray trailing
        = "{\"pipewright\": 1, \"flow\": \"f\",\n \"tasks\": {\"a\": {\"type\": \"noop\"},}}\n";
    auto bad = FlowLoader::loadDataForEditing(trailing, "f.flow.json");
    QVERIFY(!bad.has_value());
    QCOMPARE(bad.error().size(), 1);
    QCOMPARE(bad.error().first().toString(),
        QStringLiteral(
            "f.flow.json:2:33: syntax error: trailing comma before '}' (JSON allows none)"));
    QVERIFY(FlowLoader::loadDataForEditing(trailing, "f.flow.yaml").has_value()); // YAML allows it

    const QByteArray cycle = "{\"pipewright\": 1, \"flow\": \"f\", \"tasks\": {\n"
                             "  \"a\": {\"type\": \"noop\", \"after\": [\"b\"]},\n"
                             "  \"b\": {\"type\": \"noop\", \"after\": [\"a\"]}}}\n";
    auto r = FlowLoader::loadDataForEditing(cycle, "f.flow.json");
    QVERIFY(r.has_value());
    QCOMPARE(r->flow.tasks.size(), 2);
    QCOMPARE(r->problems.size(), 1);
    QVERIFY2(r->problems.first().message.startsWith(QLatin1String("cycle:")),
        qPrintable(r->problems.first().toString()));
    QCOMPARE(r->problems.first().file, QStringLiteral("f.flow.json"));
    QVERIFY(r->problems.first().line == 2 || r->problems.first().line == 3);
    QCOMPARE(r->problems.first().column, 3);
}

// clang-format off
void TestFlowLoaderEditing::errorFieldPaths_data()
{
    QTest::addColumn<QByteArray>("yaml"); // after "pipewright: 1\nflow: f\n"
    QTest::addColumn<QString>("message"); // part of the error's message
    QTest::addColumn<QStringList>("field");
    const QStringList a { "tasks", "a" };
    // Structural (the loader, from the keys it read)
    QTest::newRow("unknown task key") << QByteArray("tasks:\n  a: {type: shell, comand: x}\n")
                                      << "unknown key 'comand'" << a + QStringList { "comand" };
    QTest::newRow("wrong type") << QByteArray(
        "tasks:\n  a: {type: shell, command: x, retries: lots}\n")
                                << "'retries' must be an integer" << a + QStringList { "retries" };
    QTest::newRow("nested key") << QByteArray("tasks:\n  a: {type: noop, slurm: {cpus: many}}\n")
                                << "'cpus' must be" << a + QStringList { "slurm", "cpus" };
    QTest::newRow("partition key missing")
        << QByteArray(
               "tasks:\n  a: {type: sql, sql: x, connection: c, partition: {table: t, value: v}}\n")
        << "partition needs 'column'" << a + QStringList { "partition", "column" };
    QTest::newRow("schedule value")
        << QByteArray("schedule: {cron: '0 3 * * *', start: tomorrow}\n")
        << "'start' must be a date" << QStringList { "schedule", "start" };
    QTest::newRow("layout") << QByteArray("tasks:\n  a: {type: noop}\nlayout: {a: [x, 1]}\n")
                            << "x must be a number" << QStringList { "layout", "a" };
    // Semantic (the validator, on the values read)
    QTest::newRow("template in command")
        << QByteArray("tasks:\n  a: {type: shell, command: 'echo {{nope}}'}\n")
        << "unknown name 'nope'" << a + QStringList { "command" };
    QTest::newRow("invalid default")
        << QByteArray("params:\n  d: {type: date, default: soon}\n") << "invalid default"
        << QStringList { "params", "d", "default" };
    QTest::newRow("time zone") << QByteArray("schedule: {cron: '0 3 * * *', timezone: Mars/Base}\n")
                               << "unknown time zone" << QStringList { "schedule", "timezone" };
    QTest::newRow("dotted task id")
        << QByteArray("tasks:\n  a.b: {type: shell}\n") << "needs a 'command'"
        << QStringList { "tasks", "a.b", "command" };
}
// clang-format on

void TestFlowLoaderEditing::errorFieldPaths()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, message);
    QFETCH(QStringList, field);
    const auto r = FlowLoader::loadDataForEditing("pipewright: 1\nflow: f\n" + yaml, "f.flow.yaml");
    const Errors errors = r ? r->problems : r.error();
    QStringList seen;
    for (const Error &e : errors) {
        seen << e.toString() + QStringLiteral(" @ ") + e.field.join(QLatin1Char('|'));
        if (e.message.contains(message)) {
            QCOMPARE(e.field, field);
            return;
        }
    }
    QFAIL(qPrintable(QStringLiteral("no error containing \"%1\":\n%2")
                         .arg(message, seen.join(QLatin1Char('\n')))));
}

QTEST_GUILESS_MAIN(TestFlowLoaderEditing)
#include "tst_flowloaderediting.moc"
