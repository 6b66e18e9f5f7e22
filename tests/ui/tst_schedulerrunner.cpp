// Run > Run Scheduler (issue 5): SchedulerRunner starts a pw::Scheduler for a flow file on the
// GUI's engine on a worker thread (offscreen, temporary home): started() arrives without the GUI
// thread waiting, status() names the flow's next fire time and stop() answers stopped(). The
// GUI's scheduler checks trust in the engine's home: an untrusted file is paused, not run.

#include "engine/home.h"
#include "engine/truststore.h"
#include "format/flowloader.h"
#include "monitor/runcontroller.h"
#include "monitor/schedulerrunner.h"

#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pw;

class TestSchedulerRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void startStatusStop()
    {
        QTemporaryDir dir;
        RunController controller;
        auto ok = controller.start(dir.path() + QStringLiteral("/home"), 2);
        QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().message));
        const QString path = dir.path() + QStringLiteral("/nightly.flow.yaml");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"(pipewright: 1
flow: nightly
params:
  date: {type: date}
schedule: {cron: "0 3 * * *", timezone: Asia/Seoul, param: date, offset: -1d}
notify: {command: "echo {{flow}} {{state}} > told.txt"}
tasks:
  a: {type: noop}
  b: {type: noop, after: [a]}
)");
        f.close();

        SchedulerRunner runner(&controller);
        QSignalSpy started(&runner, &SchedulerRunner::started);
        QSignalSpy failed(&runner, &SchedulerRunner::startFailed);
        runner.start(path);
        QVERIFY(!runner.isRunning()); // answered later, on the GUI thread
        QVERIFY(started.wait(10000));
        QVERIFY(failed.isEmpty());
        QVERIFY(runner.isRunning());
        // The first tick follows start(); the status is refreshed from the worker every second.
        // Never trusted in this home: paused, saying how to go on.
        QTRY_COMPARE_WITH_TIMEOUT(runner.status().size(), 1, 5000);
        QVERIFY2(
            runner.status().first().error.contains(QLatin1String("paused until it is trusted")),
            qPrintable(runner.status().first().error));
        QVERIFY(TrustStore(Home(controller.home())).trust(*FlowLoader::loadFile(path)).has_value());
        QTRY_VERIFY_WITH_TIMEOUT(runner.status().first().error.isEmpty(), 5000);
        const auto status = runner.status();
        QCOMPARE(status.first().flowId, QStringLiteral("nightly"));
        QVERIFY2(status.first().error.isEmpty(), qPrintable(status.first().error));
        QVERIFY(status.first().nextFire.isValid());
        QCOMPARE(status.first().nextFire.toUTC().time(), QTime(18, 0)); // 03:00 in Seoul

        // Changed elsewhere: paused again, and this time someone is told, through the hook of
        // the content trusted before (the GUI process's notifier), not the changed file's.
        QVERIFY(f.open(QIODevice::Append));
        f.write("  c: {type: shell, command: \"touch untrusted-ran\"}\n");
        f.close();
        QTRY_VERIFY_WITH_TIMEOUT(
            runner.status().first().error.contains(QLatin1String("added task c")), 5000);
        QFile told(dir.path() + QStringLiteral("/told.txt"));
        QTRY_VERIFY_WITH_TIMEOUT(told.exists(), 5000);
        QVERIFY(told.open(QIODevice::ReadOnly));
        QCOMPARE(told.readAll(), QByteArray("nightly paused\n"));
        QVERIFY(!QFileInfo::exists(dir.path() + QStringLiteral("/untrusted-ran")));

        QSignalSpy stopped(&runner, &SchedulerRunner::stopped);
        runner.stop();
        QCOMPARE(stopped.size(), 1);
        QVERIFY(!runner.isRunning());
        QVERIFY(runner.status().isEmpty());
    }
};

QTEST_MAIN(TestSchedulerRunner)
#include "tst_schedulerrunner.moc"
