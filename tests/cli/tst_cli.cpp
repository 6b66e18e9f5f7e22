// End-to-end: the real pipewright-cli binary on real shell commands, with a temp --home.

#include "clirun.h"
#include "engine/home.h"
#include "engine/truststore.h"
#include "format/flowloader.h"
#include "platform/processinfo.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void help_data();
    void help();
    void validate();
    void runSucceedsWithJsonDocument();
    void failThenRecover();
    void succeededKeyRefusedUnlessForce();
    void largeRunListsWhatFailed();
    void badParams_data();
    void badParams();
    void rerunMarkCancelLogs();
    void exportFormats();
    void environmentErrorIsExit3();
    void unusableLogDirIsExit3();
    void failureNotifiesCommandHook();
    void ctrlCCancelsTheRun();
    void killedRunnerIsTakenOverAndRecovered();
    void trustIsRecordedByRunAndTheTrustCommand();

private:
    using Out = pw::test::CliOutput;
    Out cli(const QStringList &args, int timeoutMs = 60000);
    QStringList homeArgs() const
    {
        return {QStringLiteral("--home"), m_dir.path() + QStringLiteral("/home")};
    }
    QString writeFlow(const QString &name, const QByteArray &yaml);
    QJsonObject json(const Out &o);

    QString m_cli;
    QTemporaryDir m_dir;
};

// Is a process running with exactly these arguments (its /proc/PID/cmdline)?
static bool processRunning(const QStringList &args)
{
    const QByteArray want = args.join(QLatin1Char('\0')).toLocal8Bit() + '\0';
    for (const QString &e :
        QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(QStringLiteral("/proc/%1/cmdline").arg(e));
        if (f.open(QIODevice::ReadOnly) && f.readAll() == want)
            return true;
    }
    return false;
}

void TestCli::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = pw::test::cliBinary();
    QVERIFY2(QFileInfo(m_cli).isExecutable(), qPrintable(m_cli));
    QVERIFY(m_dir.isValid());
}

TestCli::Out TestCli::cli(const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.start(m_cli, args);
    return pw::test::finishCli(p, args, timeoutMs);
}

QString TestCli::writeFlow(const QString &name, const QByteArray &yaml)
{
    const QString path = m_dir.path() + QLatin1Char('/') + name + QStringLiteral(".flow.yaml");
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(yaml);
    return path;
}

QJsonObject TestCli::json(const Out &o)
{
    return pw::test::jsonObject(o.out);
}

// clang-format off
void TestCli::help_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("top") << QStringList{"--help"};
    for (const char *c : {"validate", "run", "runs", "show", "rerun", "mark", "cancel", "logs", "export", "trust"})
        QTest::newRow(c) << QStringList{QString::fromLatin1(c), "--help"};
}
// clang-format on

void TestCli::help()
{
    QFETCH(QStringList, args);
    const Out o = cli(args);
    QCOMPARE(o.code, 0);
    QVERIFY(o.out.contains("pipewright-cli"));
}

void TestCli::validate()
{
    const QString good = writeFlow(
        "good", "pipewright: 1\nflow: good\ntasks:\n  a: {type: shell, command: 'true'}\n");
    const QString bad = writeFlow(
        "bad", "pipewright: 1\nflow: bad\ntasks:\n  a: {type: shell, comand: 'true'}\n");
    const QString cyc = writeFlow("cyc",
        "pipewright: 1\nflow: cyc\ntasks:\n  a: {type: noop, after: [b]}\n  b: {type: noop, after: "
        "[a]}\n");
    Out o = cli({"validate", good});
    QCOMPARE(o.code, 0);
    o = cli({"validate", good, bad});
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains(QByteArray(bad.toUtf8() + ":4:")), o.err.constData());
    QVERIFY2(o.err.contains("did you mean"), o.err.constData());
    o = cli({"validate", cyc});
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains("a -> b -> a") || o.err.contains("b -> a -> b"), o.err.constData());
    o = cli({"validate", m_dir.path() + "/missing.flow.yaml"});
    QCOMPARE(o.code, 2);
    QCOMPARE(o.err.count('\n'), 1); // one clear line
}

void TestCli::runSucceedsWithJsonDocument()
{
    const QString flow = writeFlow("ok", R"(pipewright: 1
flow: ok
params:
  date: {type: date}
tasks:
  extract: {type: shell, command: "echo extracting {{date}}"}
  load: {type: noop, after: [extract]}
)");
    Out o = cli(homeArgs() + QStringList{"run", flow, "-p", "date=2026-11-24", "--json"});
    QCOMPARE(o.code, 0);
    const QJsonObject doc = json(o);
    const QJsonObject run = doc["run"].toObject();
    for (const char *k :
        {"id", "flow", "params", "state", "trigger", "try", "created", "started", "ended"})
        QVERIFY2(run.contains(QLatin1String(k)), k);
    QCOMPARE(run["flow"].toString(), QStringLiteral("ok"));
    QCOMPARE(run["state"].toString(), QStringLiteral("succeeded"));
    QCOMPARE(run["trigger"].toString(), QStringLiteral("manual"));
    QCOMPARE(run["try"].toInt(), 1);
    QCOMPARE(run["params"].toObject()["date"].toString(), QStringLiteral("2026-11-24"));
    QVERIFY(QRegularExpression("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$")
                .match(run["started"].toString())
                .hasMatch());
    const QJsonArray tasks = doc["tasks"].toArray();
    QCOMPARE(tasks.size(), 2);
    QCOMPARE(tasks[0].toObject()["task"].toString(), QStringLiteral("extract"));
    const QJsonObject att = tasks[0].toObject()["attempts"].toArray()[0].toObject();
    for (const char *k :
        {"attempt", "try", "state", "started", "ended", "exit_code", "error", "log"})
        QVERIFY2(att.contains(QLatin1String(k)), k);
    QCOMPARE(att["exit_code"].toInt(), 0);
    QVERIFY(att["error"].isNull());
    const QString id = QString::number(run["id"].toInteger());

    o = cli(homeArgs() + QStringList{"show", id, "--json"});
    QCOMPARE(o.code, 0);
    QCOMPARE(json(o)["run"].toObject()["state"].toString(), QStringLiteral("succeeded"));
    o = cli(homeArgs() + QStringList{"show", id});
    QCOMPARE(o.code, 0);
    QVERIFY(o.out.contains("extract"));
    o = cli(homeArgs() + QStringList{"runs", "--json"});
    QCOMPARE(o.code, 0);
    QVERIFY(json(o)["runs"].toArray().size() >= 1);
    o = cli(homeArgs() + QStringList{"logs", id, "extract"});
    QCOMPARE(o.code, 0);
    QCOMPARE(o.out, QByteArray("extracting 2026-11-24\n"));
    o = cli(homeArgs() + QStringList{"show", "9999"});
    QCOMPARE(o.code, 2);
}

void TestCli::failThenRecover()
{
    const QString flow = writeFlow("recov", R"(pipewright: 1
flow: recov
tasks:
  a: {type: shell, command: "echo a >> trace"}
  b: {type: shell, after: [a], command: "test ! -e broken"}
)");
    QFile broken(m_dir.path() + "/broken");
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.close();
    Out o = cli(homeArgs() + QStringList{"run", flow, "--json"});
    QCOMPARE(o.code, 1);
    const qint64 id = json(o)["run"].toObject()["id"].toInteger();
    QCOMPARE(json(o)["run"].toObject()["state"].toString(), QStringLiteral("failed"));
    QVERIFY(broken.remove());
    o = cli(homeArgs() + QStringList{"run", flow, "--json"});
    QCOMPARE(o.code, 0);
    const QJsonObject run = json(o)["run"].toObject();
    QCOMPARE(run["id"].toInteger(), id);
    QCOMPARE(run["try"].toInt(), 2);
    QCOMPARE(run["trigger"].toString(), QStringLiteral("recover"));
    const QJsonArray tasks = json(o)["tasks"].toArray();
    QCOMPARE(tasks[0].toObject()["attempts"].toArray().size(), 1); // a kept
    QCOMPARE(tasks[1].toObject()["attempts"].toArray().size(), 2);
    QFile trace(m_dir.path() + "/trace");
    QVERIFY(trace.open(QIODevice::ReadOnly));
    QCOMPARE(trace.readAll(), QByteArray("a\n"));
}

void TestCli::succeededKeyRefusedUnlessForce()
{
    const QString flow
        = writeFlow("once", "pipewright: 1\nflow: once\ntasks:\n  a: {type: noop}\n");
    QCOMPARE(cli(homeArgs() + QStringList{"run", flow}).code, 0);
    Out o = cli(homeArgs() + QStringList{"run", flow});
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains("--force"), o.err.constData());
    o = cli(homeArgs() + QStringList{"run", flow, "--force", "--json"});
    QCOMPARE(o.code, 0);
    QCOMPARE(json(o)["run"].toObject()["trigger"].toString(), QStringLiteral("force"));
}

// Above 50 tasks the result lists the counts per state and the tasks that need a look (failed,
// retried), not every task; --all-tasks and `show` list every one (docs/cli.md "The result").
void TestCli::largeRunListsWhatFailed()
{
    QByteArray yaml = "pipewright: 1\nflow: wide\ntasks:\n"
                      "  bad: {type: shell, command: 'exit 3'}\n"
                      "  flaky: {type: shell, retries: 1, retry_delay: 0s,"
                      " command: 'test -e once || { touch once; exit 4; }'}\n"
                      "  after_bad: {type: noop, after: [bad]}\n";
    for (int i = 0; i < 60; ++i)
        yaml += "  ok" + QByteArray::number(i) + ": {type: noop}\n";
    const QString flow = writeFlow("wide", yaml);
    Out o = cli(homeArgs() + QStringList{"run", flow, "--quiet"});
    QCOMPARE(o.code, 1);
    QVERIFY2(
        o.out.contains("tasks 63: 61 succeeded, 1 failed, 1 upstream_failed"), o.out.constData());
    const auto row = [](const QByteArray &out, const QByteArray &task) {
        for (const QByteArray &line : out.split('\n')) {
            if (line.startsWith(QByteArray("  " + task + ' ')))
                return line.simplified();
        }
        return QByteArray();
    };
    QVERIFY2(row(o.out, "bad").startsWith("bad failed 1 "), o.out.constData());
    QVERIFY2(row(o.out, "bad").endsWith("exit:3"), o.out.constData());
    QVERIFY2(row(o.out, "flaky").startsWith("flaky succeeded 2 "), o.out.constData());
    QVERIFY2(!o.out.contains("  ok1 ") && !o.out.contains("after_bad"), o.out.constData());
    QVERIFY2(o.out.contains("show "), o.out.constData());
    const QByteArray id = o.out.mid(4, o.out.indexOf(' ', 4) - 4);
    o = cli(homeArgs() + QStringList{"show", QString::fromLatin1(id)});
    QCOMPARE(o.code, 0);
    QVERIFY2(o.out.contains("  ok59 ") && o.out.contains("after_bad"), o.out.constData());
    QVERIFY(!o.out.contains("tasks 63:"));
    o = cli(homeArgs() + QStringList{"rerun", QString::fromLatin1(id), "--all-tasks", "--quiet"});
    QCOMPARE(o.code, 1);
    QVERIFY2(o.out.contains("  ok59 ") && o.out.contains("after_bad"), o.out.constData());
}

// clang-format off
void TestCli::badParams_data()
{
    QTest::addColumn<QStringList>("params");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("undeclared") << QStringList{"-p", "nope=1"} << QByteArray("nope");
    QTest::newRow("bad date") << QStringList{"-p", "date=2026-13-01"} << QByteArray("date");
    QTest::newRow("bad int") << QStringList{"-p", "date=2026-11-24", "-p", "n=abc"} << QByteArray("n");
    QTest::newRow("bad choice") << QStringList{"-p", "date=2026-11-24", "-p", "region=us"} << QByteArray("region");
    QTest::newRow("no equals") << QStringList{"-p", "date"} << QByteArray("KEY=VALUE");
}
// clang-format on

void TestCli::badParams()
{
    QFETCH(QStringList, params);
    QFETCH(QByteArray, message);
    const QString flow = writeFlow("params", R"(pipewright: 1
flow: params
params:
  date: {type: date}
  n: {type: int, default: 1}
  region: {type: choice, values: [kr, jp], default: kr}
tasks:
  a: {type: noop}
)");
    const Out o = cli(homeArgs() + QStringList{"run", flow} + params);
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains(message), o.err.constData());
}

void TestCli::rerunMarkCancelLogs()
{
    const QString flow = writeFlow("modes", R"(pipewright: 1
flow: modes
tasks:
  a: {type: shell, command: "echo a"}
  b: {type: shell, after: [a], command: "exit 4"}
  c: {type: noop, after: [b]}
)");
    Out o = cli(homeArgs() + QStringList{"run", flow, "--json"});
    QCOMPARE(o.code, 1);
    const QString id = QString::number(json(o)["run"].toObject()["id"].toInteger());
    o = cli(homeArgs() + QStringList{"rerun", id, "--from", "b", "--json"});
    QCOMPARE(o.code, 1);
    QCOMPARE(json(o)["run"].toObject()["try"].toInt(), 2);
    QCOMPARE(json(o)["run"].toObject()["trigger"].toString(), QStringLiteral("rerun"));
    o = cli(homeArgs() + QStringList{"rerun", id, "--task", "zzz"});
    QCOMPARE(o.code, 2);
    o = cli(homeArgs() + QStringList{"rerun", id, "--all", "--from", "b"});
    QCOMPARE(o.code, 2);
    o = cli(homeArgs() + QStringList{"mark", id, "b", "--succeeded"});
    QCOMPARE(o.code, 0);
    o = cli(homeArgs() + QStringList{"show", id, "--json"});
    const QJsonArray tasks = json(o)["tasks"].toArray();
    QCOMPARE(tasks[1].toObject()["state"].toString(), QStringLiteral("succeeded"));
    o = cli(homeArgs() + QStringList{"rerun", id, "--json"}); // --failed: only c
    QCOMPARE(o.code, 0);
    QCOMPARE(json(o)["run"].toObject()["state"].toString(), QStringLiteral("succeeded"));
    o = cli(homeArgs() + QStringList{"cancel", id});
    QCOMPARE(o.code, 2);
    QVERIFY(o.err.contains("not active"));
    // b printed nothing: it has no log file, and its log reads as empty.
    o = cli(homeArgs() + QStringList{"logs", id, "b", "--attempt", "1"});
    QCOMPARE(o.code, 0);
    QCOMPARE(o.out, QByteArray());
    o = cli(homeArgs() + QStringList{"logs", id, "a"});
    QCOMPARE(o.out, QByteArray("a\n"));
    o = cli(homeArgs() + QStringList{"logs", id, "c"});
    QCOMPARE(o.code, 2); // noop: no log
}

void TestCli::exportFormats()
{
    const QString flow = writeFlow("exp",
        "pipewright: 1\nflow: exp\ntasks:\n  a: {type: noop}\n  b: {type: noop, after: [a]}\n");
    Out o = cli({"export", flow, "--format", "dot"});
    QCOMPARE(o.code, 0);
    QVERIFY(o.out.startsWith("digraph"));
    QVERIFY(o.out.contains("->"));
    const QString out = m_dir.path() + "/exp.json";
    o = cli({"export", flow, "--format", "json", "-o", out});
    QCOMPARE(o.code, 0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(QJsonDocument::fromJson(f.readAll()).isObject());
    o = cli({"export", flow, "--format", "yaml"});
    QCOMPARE(o.code, 0);
    QVERIFY(o.out.contains("flow: exp"));
    QCOMPARE(cli({"export", flow, "--format", "xml"}).code, 2);
}

void TestCli::environmentErrorIsExit3()
{
    QFile notADir(m_dir.path() + "/file-home");
    QVERIFY(notADir.open(QIODevice::WriteOnly));
    notADir.close();
    const QString flow = writeFlow("env", "pipewright: 1\nflow: env\ntasks:\n  a: {type: noop}\n");
    const Out o = cli({"--home", notADir.fileName(), "run", flow});
    QCOMPARE(o.code, 3);
    QCOMPARE(o.err.count('\n'), 1);
}

void TestCli::unusableLogDirIsExit3()
{
    const QString home = m_dir.path() + "/home-badlogs";
    QVERIFY(QDir().mkpath(home));
    QFile logs(home + "/logs"); // a file where the log directory should be
    QVERIFY(logs.open(QIODevice::WriteOnly));
    logs.close();
    // A log is made on a task's first byte of output: `a` prints, so it needs one.
    const QString flow = writeFlow("badlogs",
        "pipewright: 1\nflow: badlogs\ntasks:\n  a: {type: shell, command: 'echo a'}\n  b: {type: "
        "shell, after: [a], command: 'true'}\n");
    const Out o = cli({"--home", home, "run", flow});
    QCOMPARE(o.code, 3);
    QVERIFY2(o.err.contains("log directory"), o.err.constData());
}

void TestCli::failureNotifiesCommandHook()
{
    const QString out = m_dir.path() + "/notified.json";
    const QString flow = writeFlow("notifyme",
        QStringLiteral(R"(pipewright: 1
flow: notifyme
notify: {on: [failure], command: "cat > '%1'; echo {{state}} >> '%1.state'"}
tasks:
  boom: {type: shell, command: "exit 9"}
)")
            .arg(out)
            .toUtf8());
    const Out o = cli(homeArgs() + QStringList{"run", flow});
    QCOMPARE(o.code, 1);
    QFile f(out);
    QVERIFY2(f.open(QIODevice::ReadOnly), o.err.constData());
    const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(doc["run"].toObject()["state"].toString(), QStringLiteral("failed"));
    QFile st(out + ".state");
    QVERIFY(st.open(QIODevice::ReadOnly));
    QCOMPARE(st.readAll().trimmed(), QByteArray("failed"));
}

void TestCli::ctrlCCancelsTheRun()
{
    const QString flow = writeFlow("sigint",
        "pipewright: 1\nflow: sigint\ntasks:\n  long: {type: shell, command: 'sleep 300.25'}\n");
    QProcess p;
    p.start(m_cli, homeArgs() + QStringList{"run", flow, "--json"});
    QVERIFY(p.waitForStarted());
    // Wait until the task runs (seen through the store by another process).
    QTRY_VERIFY_WITH_TIMEOUT(
        cli(homeArgs() + QStringList{"runs", "--flow", "sigint", "--state", "running", "--json"})
            .out.contains("\"sigint\""),
        15000);
    // ... and its command has started (past the spawn gate).
    QTRY_VERIFY_WITH_TIMEOUT(processRunning({"sleep", "300.25"}), 15000);
    ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 130);
    const QJsonObject doc = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QCOMPARE(doc["run"].toObject()["state"].toString(), QStringLiteral("cancelled"));
}

void TestCli::killedRunnerIsTakenOverAndRecovered()
{
    const QString hold = m_dir.path() + "/hold";
    QFile h(hold);
    QVERIFY(h.open(QIODevice::WriteOnly));
    h.close();
    const QString flow = writeFlow("takeover",
        QStringLiteral(R"(pipewright: 1
flow: takeover
tasks:
  first: {type: shell, command: "echo first >> takeover-trace"}
  second: {type: shell, after: [first], command: "if [ -e '%1' ]; then sleep 421 & sleep 422; fi"}
)")
            .arg(hold)
            .toUtf8());
    QProcess p;
    p.start(m_cli, homeArgs() + QStringList{"run", flow});
    QVERIFY(p.waitForStarted());
    qint64 pgid = 0;
    QString id;
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired() && pgid <= 0) {
        const Out o = cli(homeArgs() + QStringList{"runs", "--flow", "takeover", "--json"});
        const QJsonArray runs = json(o)["runs"].toArray();
        if (!runs.isEmpty()) {
            id = QString::number(runs[0].toObject()["id"].toInteger());
        }
        QTest::qWait(200);
        if (!id.isEmpty()) {
            const Out s = cli(homeArgs() + QStringList{"show", id, "--json"});
            const QJsonArray tasks = json(s)["tasks"].toArray();
            if (tasks.size() == 2
                && tasks[1].toObject()["state"].toString() == QLatin1String("running"))
                pgid = 1; // running: its group exists
        }
    }
    QVERIFY2(pgid > 0, "the second task never started");
    QTRY_VERIFY_WITH_TIMEOUT(
        processRunning({"sleep", "421"}) && processRunning({"sleep", "422"}), 15000);
    // Find the task's process group: the `sleep 422` process whose group leader is not us.
    QProcess ps;
    ps.start("sh", {"-c", "ps -eo pgid=,args= | grep 'sleep 42[12]' | awk '{print $1}' | sort -u"});
    QVERIFY(ps.waitForFinished());
    const QList<QByteArray> groups = ps.readAllStandardOutput().trimmed().split('\n');
    QVERIFY(!groups.isEmpty() && !groups[0].isEmpty());
    ::kill(pid_t(p.processId()), SIGKILL);
    QVERIFY(p.waitForFinished(5000));
    for (const QByteArray &g : groups)
        QVERIFY2(pw::ProcessInfo::groupAlive(pid_t(g.toLongLong())),
            "the task group should outlive its killed runner");

    // The next process that opens the store takes the dead owner over.
    Out o = cli(homeArgs() + QStringList{"show", id, "--json"});
    QCOMPARE(o.code, 0);
    QCOMPARE(json(o)["run"].toObject()["state"].toString(), QStringLiteral("interrupted"));
    QCOMPARE(json(o)["tasks"].toArray()[1].toObject()["state"].toString(),
        QStringLiteral("interrupted"));
    for (const QByteArray &g : groups)
        QVERIFY2(!pw::ProcessInfo::groupAlive(pid_t(g.toLongLong())),
            "a child of the killed runner survived");

    // Recovery completes it without re-running `first`.
    QVERIFY(QFile::remove(hold));
    o = cli(homeArgs() + QStringList{"run", flow, "--json"});
    QCOMPARE(o.code, 0);
    const QJsonObject doc = json(o);
    QCOMPARE(doc["run"].toObject()["state"].toString(), QStringLiteral("succeeded"));
    QCOMPARE(doc["run"].toObject()["trigger"].toString(), QStringLiteral("recover"));
    QCOMPARE(doc["tasks"].toArray()[0].toObject()["attempts"].toArray().size(), 1);
    QFile trace(m_dir.path() + "/takeover-trace");
    QVERIFY(trace.open(QIODevice::ReadOnly));
    QCOMPARE(trace.readAll(), QByteArray("first\n"));
}

// Running a file from the command line is consent to its content and is recorded as trust; `trust
// DIR` trusts every flow file under DIR (flows deployed from version control) and names, without
// trusting it, one that does not load (issue 12).
void TestCli::trustIsRecordedByRunAndTheTrustCommand()
{
    using pw::FlowLoader, pw::Home, pw::TrustStore;
    const QString home = m_dir.path() + QStringLiteral("/trust-home");
    const TrustStore store{Home(home)};
    auto verdict = [&store](const QString &file) {
        auto flow = FlowLoader::loadFile(file);
        return flow ? store.check(*flow)->verdict : TrustStore::Verdict::Unknown;
    };
    const QString a = writeFlow(
        "trust_a", "pipewright: 1\nflow: trust_a\ntasks:\n  a: {type: shell, command: 'true'}\n");
    QCOMPARE(verdict(a), TrustStore::Verdict::Unknown);
    Out o = cli({"run", a, "--home", home, "--quiet"});
    QCOMPARE(o.code, 0);
    QCOMPARE(verdict(a), TrustStore::Verdict::Trusted);

    const QString dir = m_dir.path() + QStringLiteral("/deployed");
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/sub")));
    auto put = [](const QString &path, const QByteArray &text) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
    };
    const QString one = dir + QStringLiteral("/one.flow.yaml");
    const QString two = dir + QStringLiteral("/sub/two.flow.json");
    const QString broken = dir + QStringLiteral("/sub/broken.flow.yaml");
    QVERIFY(put(one, "pipewright: 1\nflow: one\ntasks:\n  a: {type: shell, command: 'echo 1'}\n"));
    QVERIFY(put(two, R"({"pipewright": 1, "flow": "two", "tasks": {"a": {"type": "noop"}}})"));
    QVERIFY(put(broken, "pipewright: 1\nflow: broken\ntasks:\n  a: {type: shel}\n"));
    QVERIFY(put(dir + QStringLiteral("/notes.txt"), "not a flow"));
    o = cli({"trust", dir, "--home", home});
    QCOMPARE(o.code, 2);
    QVERIFY2(o.out.contains(QByteArray("trusted " + one.toUtf8()))
            && o.out.contains(QByteArray("trusted " + two.toUtf8())),
        o.out.constData());
    QCOMPARE(o.out.count('\n'), 2);
    QVERIFY2(o.err.contains(QByteArray(broken.toUtf8() + ":4:")), o.err.constData());
    QVERIFY2(o.err.contains(QByteArray(broken.toUtf8() + " is not trusted")), o.err.constData());
    QCOMPARE(verdict(one), TrustStore::Verdict::Trusted);
    QCOMPARE(verdict(two), TrustStore::Verdict::Trusted);

    o = cli({"trust", m_dir.path() + QStringLiteral("/nowhere"), "--home", home});
    QCOMPARE(o.code, 2);
    QCOMPARE(o.err.count('\n'), 1);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
