// FlowLoader's editing mode: semantic problems come back with the flow, structural ones fail.

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
};

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
    QVERIFY2(r->problems.first().toString().contains(problem), qPrintable(r->problems.first().toString()));
    QCOMPARE(r->problems.first().file, QStringLiteral("f.flow.yaml"));
}

void TestFlowLoaderEditing::structuralErrorsStillFail_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("syntax") << QByteArray("pipewright: 1\nflow: f\ntasks: [\n");
    QTest::newRow("unknown key") << QByteArray("pipewright: 1\nflow: f\ntasks:\n  a: {type: shell, comand: x}\n");
    QTest::newRow("wrong type") << QByteArray("pipewright: 1\nflow: f\ntasks:\n  a: {type: shell, command: x, retries: lots}\n");
    QTest::newRow("not a map") << QByteArray("- 1\n- 2\n");
}

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
    const QByteArray trailing = "{\"pipewright\": 1, \"flow\": \"f\",\n \"tasks\": {\"a\": {\"type\": \"noop\"},}}\n";
    auto bad = FlowLoader::loadDataForEditing(trailing, "f.flow.json");
    QVERIFY(!bad.has_value());
    QCOMPARE(bad.error().size(), 1);
    QCOMPARE(bad.error().first().toString(),
             QStringLiteral("f.flow.json:2:33: syntax error: trailing comma before '}' (JSON allows none)"));
    QVERIFY(FlowLoader::loadDataForEditing(trailing, "f.flow.yaml").has_value()); // YAML allows it

    const QByteArray cycle = "{\"pipewright\": 1, \"flow\": \"f\", \"tasks\": {\n"
                             "  \"a\": {\"type\": \"noop\", \"after\": [\"b\"]},\n"
                             "  \"b\": {\"type\": \"noop\", \"after\": [\"a\"]}}}\n";
    auto r = FlowLoader::loadDataForEditing(cycle, "f.flow.json");
    QVERIFY(r.has_value());
    QCOMPARE(r->flow.tasks.size(), 2);
    QCOMPARE(r->problems.size(), 1);
    QVERIFY2(r->problems.first().message.startsWith(QLatin1String("cycle:")), qPrintable(r->problems.first().toString()));
    QCOMPARE(r->problems.first().file, QStringLiteral("f.flow.json"));
    QVERIFY(r->problems.first().line == 2 || r->problems.first().line == 3);
    QCOMPARE(r->problems.first().column, 3);
}

QTEST_GUILESS_MAIN(TestFlowLoaderEditing)
#include "tst_flowloaderediting.moc"
