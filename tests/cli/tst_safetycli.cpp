// End-to-end, issue 10 (retry safety, outputs, the idempotency lint): the real pipewright-cli
// binary on real shell commands with a temp --home.
//  - validate prints the lint's warnings (exit 0); --strict makes them errors (exit 2);
//  - a task with `idempotent: false` that failed is not rerun by `run` (recovering its key),
//    `rerun` or `backfill` without `--confirm TASK` (exit 2, naming the task and its check);
//    the confirmation is recorded as an event with who and when;
//  - a SIGKILL of `pipewright-cli run` while a task writes a declared output leaves no final
//    file, and the takeover removes the temporary one; the recovery then writes it.

#include "clirun.h"
#include "history/historystore.h"
#include "platform/processinfo.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

class TestSafetyCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void validateWarnings();
    void confirmBeforeRerun();
    void backfillNeedsConfirm();
    void killedRunLeavesNoOutput();

private:
    struct Out
    {
        int code = -1;
        QString out;
        QString err;
    };
    Out cli(const QStringList &args, int timeoutMs = 60000);
    QStringList home() const { return {QStringLiteral("--home"), m_dir.path() + "/home"}; }
    QString writeFlow(const QString &name, const QString &yaml);
    QList<pw::EventRecord> events(qint64 runId);
    QStringList temps() const;

    QString m_cli;
    QTemporaryDir m_dir;
};

void TestSafetyCli::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = pw::test::cliBinary();
    QVERIFY2(QFileInfo(m_cli).isExecutable(), qPrintable(m_cli));
    QVERIFY(m_dir.isValid());
}

TestSafetyCli::Out TestSafetyCli::cli(const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(m_cli, args);
    const pw::test::CliOutput o = pw::test::finishCli(p, args, timeoutMs);
    return {o.code, QString::fromUtf8(o.out), QString::fromUtf8(o.err)};
}

QString TestSafetyCli::writeFlow(const QString &name, const QString &yaml)
{
    const QString path = m_dir.path() + QLatin1Char('/') + name + QStringLiteral(".flow.yaml");
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(yaml.toUtf8());
    return path;
}

QList<pw::EventRecord> TestSafetyCli::events(qint64 runId)
{
    pw::HistoryStore::Options o;
    o.path = m_dir.path() + "/home/history.sqlite";
    o.readOnly = true;
    auto store = pw::HistoryStore::open(o);
    if (!store)
        return {};
    auto e = (*store)->events(runId);
    return e ? *e : QList<pw::EventRecord>{};
}

QStringList TestSafetyCli::temps() const
{
    QStringList out;
    QDirIterator it(m_dir.path(), {QStringLiteral("*.pw-tmp-*")}, QDir::Files | QDir::Hidden,
        QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    return out;
}

void TestSafetyCli::validateWarnings()
{
    const QString lint = writeFlow("lint", QStringLiteral(R"(pipewright: 1
flow: lint
tasks:
  a: {type: shell, command: "echo x >> all.txt"}
)"));
    const QString clean = writeFlow("clean", QStringLiteral(R"(pipewright: 1
flow: clean
params:
  date: {type: date, default: today}
tasks:
  a: {type: shell, command: "echo x >> all_{{date}}.txt"}
)"));
    Out o = cli({"validate", lint, clean});
    QCOMPARE(o.code, 0);
    QCOMPARE(o.out, lint + ": ok (1 tasks, 1 warning)\n" + clean + ": ok (1 tasks)\n");
    QCOMPARE(o.err,
        lint
            + ":4:3: warning: task 'a': appends ('>>') to all.txt, whose name uses "
              "no parameter: a retry or rerun appends again (write a file per "
              "parameter, or declare it in 'outputs')\n");
    o = cli({"validate", "--strict", lint, clean});
    QCOMPARE(o.code, 2);
    QCOMPARE(o.out, clean + ": ok (1 tasks)\n");
    QVERIFY2(
        o.err.startsWith(lint + ":4:3: task 'a': appends ('>>') to all.txt"), qPrintable(o.err));
    QCOMPARE(cli({"validate", "--strict", clean}).code, 0);
}

void TestSafetyCli::confirmBeforeRerun()
{
    const QString failFile = m_dir.path() + "/load-fails";
    QFile f(failFile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const QString flow = writeFlow("unsafe",
        QStringLiteral(R"(pipewright: 1
flow: unsafe
params:
  date: {type: date, default: "2026-11-24"}
defaults: {retries: 2, retry_delay: 0s}
tasks:
  extract: {type: shell, command: "true"}
  load:
    type: shell
    after: [extract]
    idempotent: false
    check: "SELECT count(*) FROM sales WHERE day = '{{date}}'"
    command: "echo loaded >> loads_{{date}}.txt; test ! -e '%1'"
)")
            .arg(failFile));
    Out o = cli(home() + QStringList{"run", flow, "--json"});
    QCOMPARE(o.code, 1);
    const QJsonObject doc = QJsonDocument::fromJson(o.out.toUtf8()).object();
    const qint64 id = doc["run"].toObject()["id"].toInteger();
    QVERIFY(id > 0);
    // Never retried automatically, though the flow's defaults say retries: 2.
    QCOMPARE(doc["tasks"].toArray()[1].toObject()["attempts"].toArray().size(), 1);

    const QString refusal = QStringLiteral(
        "pipewright-cli: run %1 would run again a task that is not idempotent: 'load' (failed; "
        "check: SELECT count(*) FROM sales WHERE day = '2026-11-24'); check, then confirm with "
        "--confirm load\n")
                                .arg(id);
    o = cli(home() + QStringList{"run", flow}); // recovering its key
    QCOMPARE(o.code, 2);
    QCOMPARE(o.err, refusal);
    o = cli(home() + QStringList{"rerun", QString::number(id)});
    QCOMPARE(o.code, 2);
    QCOMPARE(o.err, refusal);
    o = cli(home() + QStringList{"rerun", QString::number(id), "--from", "extract"});
    QCOMPARE(o.code, 2);
    o = cli(home() + QStringList{"rerun", QString::number(id), "--confirm", "lod"});
    QCOMPARE(o.code, 2);
    QCOMPARE(
        o.err, QStringLiteral("pipewright-cli: --confirm lod: flow unsafe has no task 'lod'\n"));
    QFile loads(m_dir.path() + "/loads_2026-11-24.txt");
    QVERIFY(loads.open(QIODevice::ReadOnly));
    QCOMPARE(loads.readAll(), QByteArray("loaded\n")); // nothing reran it

    QVERIFY(QFile::remove(failFile));
    o = cli(home() + QStringList{"run", flow, "--confirm", "load", "--confirm", "extract"});
    QCOMPARE(o.code, 0);
    int confirms = 0;
    for (const pw::EventRecord &e : events(id)) {
        if (e.kind != QLatin1String("confirm"))
            continue;
        ++confirms;
        QCOMPARE(e.task, QStringLiteral("load"));
        QCOMPARE(e.tryNo, 2);
        QVERIFY(e.time > 0);
        QVERIFY2(e.detail.startsWith(QLatin1String("rerun of a task that is not idempotent "
                                                   "(failed) confirmed by ")),
            qPrintable(e.detail));
        QVERIFY2(e.detail.contains(QLatin1Char('@') + pw::ProcessInfo::hostName() + " (pid "),
            qPrintable(e.detail));
        QVERIFY(e.detail.endsWith(QLatin1String("check: SELECT count(*) FROM sales WHERE day = "
                                                "'2026-11-24'")));
    }
    QCOMPARE(confirms, 1);

    // Succeeded: rerunning it (--all) also needs the confirmation.
    o = cli(home() + QStringList{"rerun", QString::number(id), "--all"});
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains("'load' (succeeded; check: "), qPrintable(o.err));
    o = cli(home() + QStringList{"rerun", QString::number(id), "--task", "extract"});
    QCOMPARE(o.code, 0); // load is not rerun
    o = cli(home() + QStringList{"rerun", QString::number(id), "--all", "--confirm", "load"});
    QCOMPARE(o.code, 0);
}

void TestSafetyCli::backfillNeedsConfirm()
{
    const QString failFile = m_dir.path() + "/bf-fails";
    QFile f(failFile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const QString flow = writeFlow("bf",
        QStringLiteral(R"(pipewright: 1
flow: bf
params:
  date: {type: date}
tasks:
  load: {type: shell, idempotent: false, check: "look at {{date}}", command: "test ! -e '%1'"}
)")
            .arg(failFile));
    const QStringList range{"--from", "2026-11-01", "--to", "2026-11-02"};
    Out o = cli(home() + QStringList{"backfill", flow} + range);
    QCOMPARE(o.code, 1);
    o = cli(home() + QStringList{"backfill", flow} + range);
    QCOMPARE(o.code, 2);
    QVERIFY2(o.out.contains("refused: ")
            && o.out.contains("'load' (failed; check: look at "
                              "2026-11-02); check, then confirm "
                              "with --confirm load"),
        qPrintable(o.out));
    QVERIFY2(o.out.contains("0 succeeded, 0 failed, 0 skipped (already succeeded), 2 refused"),
        qPrintable(o.out));
    QVERIFY(QFile::remove(failFile));
    o = cli(home() + QStringList{"backfill", flow, "--confirm", "load"} + range);
    QCOMPARE(o.code, 0);
    QVERIFY2(o.out.contains("2 succeeded"), qPrintable(o.out));
}

void TestSafetyCli::killedRunLeavesNoOutput()
{
    const QString hold = m_dir.path() + "/hold-out";
    QFile h(hold);
    QVERIFY(h.open(QIODevice::WriteOnly));
    h.close();
    const QString flow = writeFlow("outs",
        QStringLiteral(R"(pipewright: 1
flow: outs
params:
  date: {type: date, default: "2026-11-24"}
tasks:
  write:
    type: shell
    outputs: ["out/data_{{date}}.csv"]
    command: "echo partial > {{output.1}}; if [ -e '%1' ]; then sleep 431; fi; echo full > {{output.1}}"
)")
            .arg(hold));
    const QString final = m_dir.path() + "/out/data_2026-11-24.csv";
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(m_cli, home() + QStringList{"run", flow});
    QVERIFY(p.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(temps().size() == 1, 20000); // it is writing
    ::kill(pid_t(p.processId()), SIGKILL);
    QVERIFY(p.waitForFinished(5000));
    QVERIFY(!QFile::exists(final));

    // The next process that opens the store takes the dead owner over: it ends the task's
    // group and removes the temporary file.
    Out o = cli(home() + QStringList{"runs", "--flow", "outs"});
    QCOMPARE(o.code, 0);
    QVERIFY2(o.out.contains("interrupted"), qPrintable(o.out));
    QCOMPARE(temps(), QStringList());
    QVERIFY(!QFile::exists(final));

    // The recovery writes it.
    QVERIFY(QFile::remove(hold));
    o = cli(home() + QStringList{"run", flow});
    QCOMPARE(o.code, 0);
    QFile out(final);
    QVERIFY(out.open(QIODevice::ReadOnly));
    QCOMPARE(out.readAll(), QByteArray("full\n"));
    QCOMPARE(temps(), QStringList());
}

QTEST_GUILESS_MAIN(TestSafetyCli)
#include "tst_safetycli.moc"
