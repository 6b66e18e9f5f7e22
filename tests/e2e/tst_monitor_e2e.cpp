// The real `pipewright` binary under Xvfb, driven with real input (xdotool): F5 asks to trust the
// file (never run here) and, trusted, runs the flow
// whose middle task fails; a right click on the failed run in the Runs dock opens the recovery
// menu; "Rerun failed tasks" shows the preview; clicking its Run button recovers the run. The
// final state is read back with `pipewright-cli show --json`: the run succeeded in its second
// try and the task that had succeeded kept its single attempt.
//
// Where to click comes from the GUI itself: the probe plugin (probe/pwprobe.cpp) writes the global
// centres of the widgets a user would aim at (the first runs row, menu entries, the preview's
// Run button) to FILE a few times a second. The clicks themselves are real X input.

#include "engine/home.h"
#include "engine/truststore.h"
#include "format/flowloader.h"
#include "history/records.h"
#include "monitor/runcontroller.h"
#include "monitor/runsmodel.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestMonitorE2e : public QObject
{
    Q_OBJECT
private:
    const QString m_gui = QStringLiteral(PW_BINARY_DIR "/app/gui/pipewright");
    const QString m_cli = QStringLiteral(PW_BINARY_DIR "/app/cli/pipewright-cli");

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        for (const char *tool : {"xvfb-run", "xdotool"})
            if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
                QSKIP("xvfb-run and xdotool are needed (apt-get install xvfb xauth xdotool)");
        QVERIFY2(QFile::exists(m_gui), qPrintable(m_gui));
        QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli));
    }

    void failThenRecoverFromTheContextMenu()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString flow = tmp.filePath(QStringLiteral("e2e_recover.flow.yaml"));
        {
            QFile f(flow);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"(pipewright: 1
flow: e2e_recover
params:
  date: {type: date, default: "2026-11-24"}
tasks:
  extract: {type: shell, command: "echo extracting {{date}}"}
  load: {type: shell, after: [extract], command: "test -f OK || { echo 'OK is missing' >&2; exit 3; }"}
  report: {type: shell, after: [load], command: "echo report"}
layout: {extract: [0, 0], load: [260, 0], report: [520, 0]}
)");
        }
        const QString home = tmp.filePath(QStringLiteral("home"));
        const QString probe = tmp.filePath(QStringLiteral("probe.json"));
        // The driver (real X input) lives next to this test.
        const QString script = QStringLiteral(PW_SOURCE_DIR "/tests/e2e/monitor_e2e_drive.sh");

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), tmp.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), tmp.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), tmp.filePath(QStringLiteral("data")));
        QProcess p;
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStandardPaths::findExecutable(QStringLiteral("xvfb-run")),
            {QStringLiteral("-a"), QStringLiteral("-s"), QStringLiteral("-screen 0 1600x1000x24"),
                script, m_gui, m_cli, flow, home, probe, tmp.filePath(QStringLiteral("OK")),
                qEnvironmentVariable("PW_E2E_SHOTS"),
                QStringLiteral(PW_BINARY_DIR "/tests/plugins")});
        QVERIFY(p.waitForStarted(10000));
        const bool finished = p.waitForFinished(150000);
        if (!finished) {
            p.kill();
            p.waitForFinished(5000);
        }
        const QByteArray out = p.readAll();
        QVERIFY2(finished, out.constData());
        QVERIFY2(p.exitCode() == 0, out.constData());

        // The final state, from the command line.
        QProcess show;
        show.start(m_cli,
            {QStringLiteral("show"), QStringLiteral("1"), QStringLiteral("--home"), home,
                QStringLiteral("--json")});
        QVERIFY(show.waitForFinished(30000));
        QCOMPARE(show.exitCode(), 0);
        const QJsonObject doc = QJsonDocument::fromJson(show.readAllStandardOutput()).object();
        const QJsonObject run = doc.value(QStringLiteral("run")).toObject();
        QCOMPARE(run.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(run.value(QStringLiteral("try")).toInt(), 2);
        QCOMPARE(run.value(QStringLiteral("trigger")).toString(), QStringLiteral("rerun"));
        QHash<QString, int> attempts;
        for (const QJsonValue &t : doc.value(QStringLiteral("tasks")).toArray()) {
            const QJsonObject o = t.toObject();
            QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
            attempts.insert(o.value(QStringLiteral("task")).toString(),
                int(o.value(QStringLiteral("attempts")).toArray().size()));
        }
        QCOMPARE(attempts.value(QStringLiteral("extract")), 1); // kept
        QCOMPARE(attempts.value(QStringLiteral("load")), 2);
        QCOMPARE(attempts.value(QStringLiteral("report")), 1);
        // The Trust button recorded the file's trust in the home (issue 12): no prompt next time.
        auto loaded = pw::FlowLoader::loadFile(flow);
        QVERIFY(loaded.has_value());
        QCOMPARE(pw::TrustStore(pw::Home(home)).check(*loaded)->verdict,
            pw::TrustStore::Verdict::Trusted);
    }

    // The GUI's models see a run of another process (the CLI) within 2 s; when that process is
    // killed, the GUI's engine takes its dead owner over and the run turns interrupted while
    // the GUI is open (DESIGN §6).
    void otherProcessRunAndDeadOwner()
    {
        QTemporaryDir tmp;
        const QString flow = tmp.filePath(QStringLiteral("long.flow.yaml"));
        {
            QFile f(flow);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("pipewright: 1\nflow: long\ntasks:\n  wait: {type: shell, command: \"sleep "
                    "60\"}\n");
        }
        const QString home = tmp.filePath(QStringLiteral("home"));
        pw::RunController controller;
        QVERIFY(controller.start(home).has_value());
        pw::RunsModel model(controller.reader());

        QProcess cli;
        cli.start(m_cli, {QStringLiteral("run"), flow, QStringLiteral("--home"), home});
        QVERIFY(cli.waitForStarted(10000));
        QElapsedTimer t;
        t.start();
        QTRY_VERIFY_WITH_TIMEOUT(
            model.rowCount() == 1 && model.run(0).state == pw::RunState::Running, 10000);
        qInfo("a run of pipewright-cli appeared as running %lld ms after the CLI started",
            t.elapsed());

        // Cancel one task of a run owned by another live process: a request row its owner executes.
        const qint64 runId = model.run(0).id;
        QSignalSpy done(&controller, &pw::RunController::actionDone);
        QSignalSpy failed(&controller, &pw::RunController::actionFailed);
        QTRY_VERIFY_WITH_TIMEOUT(model.run(0).tasksTotal == 1, 10000); // its task row exists
        controller.cancel(runId, QStringLiteral("wait"));
        QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty() || !failed.isEmpty(), 20000);
        QVERIFY2(failed.isEmpty(),
            failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        // The CLI's run ends: its only task was cancelled. The GUI's cancel waits for the owner's
        // answer, so the CLI may be gone already (waitForFinished() is false then).
        QVERIFY(cli.state() == QProcess::NotRunning || cli.waitForFinished(15000));
        QTRY_VERIFY_WITH_TIMEOUT(model.run(0).state == pw::RunState::Failed
                || model.run(0).state == pw::RunState::Cancelled,
            5000);
        qInfo("cancelled from the GUI, the CLI run ended %s",
            qPrintable(pw::toString(model.run(0).state)));

        // A second CLI run, killed: the GUI's engine takes its dead owner over.
        QFile::remove(flow);
        {
            QFile f(flow);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("pipewright: 1\nflow: long2\ntasks:\n  wait: {type: shell, command: \"sleep "
                    "60\"}\n");
        }
        cli.start(m_cli, {QStringLiteral("run"), flow, QStringLiteral("--home"), home});
        QVERIFY(cli.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(
            model.rowCount() == 2 && model.run(0).state == pw::RunState::Running, 10000);
        cli.kill(); // SIGKILL: no clean release of its owner row
        QVERIFY(cli.waitForFinished(10000));
        t.restart();
        QTRY_VERIFY_WITH_TIMEOUT(model.run(0).state == pw::RunState::Interrupted, 20000);
        qInfo("the killed CLI's run turned interrupted %lld ms later", t.elapsed());
    }
};

QTEST_MAIN(TestMonitorE2e)
#include "tst_monitor_e2e.moc"
