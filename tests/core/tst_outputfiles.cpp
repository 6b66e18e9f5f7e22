// Declared file outputs (OutputFiles, issue 10): written via a temporary path and renamed onto
// the final name only when the attempt succeeds. Engine level, with real shell tasks and a real
// SQLite history, at several worker counts: the final files, that no temporary file remains,
// the attempts' errors and the ordered event log.

#include "enginetestharness.h"
#include "runners/outputfiles.h"

#include <QtTest>

using namespace pw;
using pw::test::EngineHarness;

namespace {

QString readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QStringLiteral("<none>");
}

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

// Temporary output files left anywhere under `dir`.
QStringList temps(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, {QStringLiteral("*.pw-tmp-*")}, QDir::Files | QDir::Hidden,
        QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    return out;
}

// out/a_DATE.csv and out/b_DATE.csv; `body` is the shell command.
QString flowYaml(const QString &body, const QString &extra = {})
{
    return QStringLiteral(R"(pipewright: 1
flow: outs
params:
  date: {type: date, default: "2026-11-24"}
tasks:
  write:
    type: shell
    command: "%1"
    outputs: ["out/a_{{date}}.csv", "out/b_{{date}}.csv"]
%2)")
        .arg(body, extra);
}

} // namespace

class TestOutputFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void paths();
    void succeeds_data() { workers(); }
    void succeeds();
    void failures_data();
    void failures();
    void cancelLeavesNothing_data() { workers(); }
    void cancelLeavesNothing();
    void rerunReplacesAndCleansLeftovers();

private:
    static void workers()
    {
        QTest::addColumn<int>("workers");
        QTest::newRow("1 worker") << 1;
        QTest::newRow("4 workers") << 4;
    }
};

void TestOutputFiles::paths()
{
    QCOMPARE(OutputFiles::tempPath(QStringLiteral("/w/out/a.csv"), 12, 3),
        QStringLiteral("/w/out/.a.csv.pw-tmp-12-3"));
    const QList<AttemptOutput> outs{{"/w/a", "/w/.a.pw-tmp-1-1"}, {"/w/b c", "/w/.b c.pw-tmp-1-1"}};
    QCOMPARE(OutputFiles::tempsFromRecord(OutputFiles::recordText(outs)),
        QStringList({"/w/.a.pw-tmp-1-1", "/w/.b c.pw-tmp-1-1"}));
    // removeTemps never removes a file this scheme does not name.
    QTemporaryDir dir;
    writeFile(dir.filePath("keep.csv"), "x");
    writeFile(dir.filePath(".keep.csv.pw-tmp-1-1"), "x");
    QCOMPARE(
        OutputFiles::removeTemps({dir.filePath("keep.csv"), dir.filePath(".keep.csv.pw-tmp-1-1")}),
        1);
    QVERIFY(QFile::exists(dir.filePath("keep.csv")));
}

void TestOutputFiles::succeeds()
{
    QFETCH(int, workers);
    EngineHarness h(workers);
    // {{output.N}} is shell-quoted; PW_OUTPUT_N is the same path.
    const Flow flow = h.flow(flowYaml(QStringLiteral(
        "test -z \\\"$(ls out 2>/dev/null)\\\" || exit 9; echo a > {{output.1}} && "
        "test \\\"$PW_OUTPUT_1\\\" = {{output.1}} && echo b > \\\"$PW_OUTPUT_2\\\" && "
        "test ! -e out/a_2026-11-24.csv")));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Succeeded));
    QCOMPARE(h.log(id),
        QStringList({"run:running", "write:waiting", "write:queued", "write:running",
            "write:succeeded", "run:succeeded"}));
    QCOMPARE(readAll(h.dir() + "/out/a_2026-11-24.csv"), QStringLiteral("a\n"));
    QCOMPARE(readAll(h.dir() + "/out/b_2026-11-24.csv"), QStringLiteral("b\n"));
    QCOMPARE(temps(h.dir()), QStringList());
    // The temporary paths were recorded with the attempt, before it ran.
    auto events = h.reader()->events(id);
    QVERIFY(events.has_value());
    int recorded = 0;
    for (const EventRecord &e : *events) {
        if (e.kind != QLatin1String("outputs"))
            continue;
        ++recorded;
        QCOMPARE(e.attempt, 1);
        QCOMPARE(OutputFiles::tempsFromRecord(e.detail),
            QStringList({h.dir() + "/out/.a_2026-11-24.csv.pw-tmp-1-1",
                h.dir() + "/out/.b_2026-11-24.csv.pw-tmp-1-1"}));
    }
    QCOMPARE(recorded, 1);
}

// clang-format off
void TestOutputFiles::failures_data()
{
    QTest::addColumn<int>("workers");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("extra");
    QTest::addColumn<QString>("error"); // the attempt's error (prefix)
    for (int w : {1, 4}) {
        const QByteArray n = " / " + QByteArray::number(w) + " workers";
        QTest::newRow(QByteArray("exit 0 without writing output 2" + n).constData()) << w
            << "echo a > {{output.1}}" << ""
            << "output: '%1/out/b_2026-11-24.csv' was not written";
        QTest::newRow(QByteArray("fails after writing" + n).constData()) << w
            << "echo a > {{output.1}}; echo b > {{output.2}}; exit 3" << "" << "exit:3";
        QTest::newRow(QByteArray("timeout while writing" + n).constData()) << w
            << "echo a > {{output.1}}; echo b > {{output.2}}; sleep 30" << "    timeout: 300ms\n"
            << "timeout";
        QTest::newRow(QByteArray("an output that is a directory" + n).constData()) << w
            << "echo a > {{output.1}}; mkdir {{output.2}}" << ""
            << "output: '%1/out/b_2026-11-24.csv' is not a file";
    }
}
// clang-format on

void TestOutputFiles::failures()
{
    QFETCH(int, workers);
    QFETCH(QString, body);
    QFETCH(QString, extra);
    QFETCH(QString, error);
    EngineHarness h(workers);
    writeFile(h.dir() + "/out/a_2026-11-24.csv", "old\n"); // an earlier run's output stays
    const Flow flow = h.flow(flowYaml(body, extra));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Failed));
    QCOMPARE(h.taskLog(id, "write"), QStringList({"waiting", "queued", "running", "failed"}));
    const auto attempts = h.attempts(id, "write");
    QCOMPARE(attempts.size(), 1);
    QVERIFY2(attempts[0].error.startsWith(error.contains("%1") ? error.arg(h.dir()) : error),
        qPrintable(attempts[0].error));
    QCOMPARE(readAll(h.dir() + "/out/a_2026-11-24.csv"), QStringLiteral("old\n"));
    QVERIFY(!QFile::exists(h.dir() + "/out/b_2026-11-24.csv"));
    QCOMPARE(temps(h.dir()), QStringList());
}

void TestOutputFiles::cancelLeavesNothing()
{
    QFETCH(int, workers);
    EngineHarness h(workers);
    const Flow flow = h.flow(flowYaml(QStringLiteral("echo a > {{output.1}}; sleep 30")));
    const auto id = h.start(flow);
    QVERIFY(id.has_value());
    const QString temp = h.dir() + "/out/.a_2026-11-24.csv.pw-tmp-" + QString::number(*id) + "-1";
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(temp), 10000); // it is writing
    auto c = h.engine().cancel(*id);
    c.waitForFinished();
    QVERIFY(c.result().has_value());
    QCOMPARE(toString(h.wait(*id)), toString(RunState::Cancelled));
    QVERIFY(!QFile::exists(h.dir() + "/out/a_2026-11-24.csv"));
    QCOMPARE(temps(h.dir()), QStringList());
}

void TestOutputFiles::rerunReplacesAndCleansLeftovers()
{
    EngineHarness h(2);
    QFile::remove(h.dir() + "/v");
    const Flow flow = h.flow(flowYaml(
        QStringLiteral("echo run$(cat v 2>/dev/null) > {{output.1}}; echo b > {{output.2}}")));
    qint64 id = 0;
    QCOMPARE(toString(h.runToEnd(flow, {}, &id)), toString(RunState::Succeeded));
    QCOMPARE(readAll(h.dir() + "/out/a_2026-11-24.csv"), QStringLiteral("run\n"));
    // What a killed attempt of this run left behind, and a file of another run (kept).
    const QString leftover
        = h.dir() + "/out/.a_2026-11-24.csv.pw-tmp-" + QString::number(id) + "-7";
    const QString otherRun = h.dir() + "/out/.a_2026-11-24.csv.pw-tmp-999-1";
    writeFile(leftover, "partial");
    writeFile(otherRun, "partial");
    writeFile(h.dir() + "/v", "2");
    RunRequest req;
    req.kind = RunRequest::Kind::Rerun;
    req.runId = id;
    req.mode = RerunMode::All;
    QVERIFY(h.submit(req).has_value());
    QCOMPARE(toString(h.wait(id)), toString(RunState::Succeeded));
    QCOMPARE(readAll(h.dir() + "/out/a_2026-11-24.csv"), QStringLiteral("run2\n")); // replaced
    QVERIFY(!QFile::exists(leftover));
    QVERIFY(QFile::exists(otherRun));
    QCOMPARE(h.attempts(id, "write").size(), 2);
}

QTEST_GUILESS_MAIN(TestOutputFiles)
#include "tst_outputfiles.moc"
