// RecoveryPrompt: after a process running a flow is killed, the window points to the run it
// left interrupted, Recover… previews the rerun and Run finishes it, and Dismiss is kept.
// Real processes: `pipewright-cli run` is SIGKILLed while a task sleeps; the window's engine
// takes the dead owner over (run interrupted, the task's group ended).

#include "app/mainwindow.h"
#include "app/recoveryprompt.h"
#include "history/historystore.h"
#include "monitor/runbanner.h"
#include "monitor/runcontroller.h"
#include "monitor/runmonitor.h"

#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace pw;

class TestRecoveryPrompt : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void noInterruptedRunNoBar();
    void killedRunIsOfferedAndRecovered();
    void dismissIsRemembered();

private:
    // Runs the flow with the CLI in `home` and SIGKILLs it once task `slow` is running.
    void runAndKill(const QString &home, const QString &param);
    QString runState(const QString &home, qint64 runId) const;

    QTemporaryDir m_dir;
    QString m_flow;
    const QString m_cli = QStringLiteral(PW_BINARY_DIR "/app/cli/pipewright-cli");
};

void TestRecoveryPrompt::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(
        QSettings::NativeFormat, QSettings::UserScope, m_dir.path() + QStringLiteral("/settings"));
    QCoreApplication::setOrganizationName(QStringLiteral("PipewrightTest"));
    QVERIFY(QFileInfo(m_cli).isExecutable());
    m_flow = m_dir.filePath(QStringLiteral("crash.flow.yaml"));
    QFile f(m_flow);
    QVERIFY(f.open(QIODevice::WriteOnly));
    // `slow` sleeps until the OK file exists; the test creates it before recovering.
    f.write("pipewright: 1\nflow: crash\nparams:\n  day: {type: string, default: a}\n"
            "tasks:\n  first: {type: shell, command: 'echo first'}\n"
            "  slow: {type: shell, after: [first], command: 'while ! test -f OK; do sleep 0.1; "
            "done'}\n");
}

void TestRecoveryPrompt::runAndKill(const QString &home, const QString &param)
{
    QProcess cli;
    cli.setWorkingDirectory(m_dir.path());
    cli.start(m_cli,
        {QStringLiteral("run"), m_flow, QStringLiteral("-p"), QStringLiteral("day=") + param,
            QStringLiteral("--home"), home});
    QVERIFY(cli.waitForStarted(10000));
    // Until the store says `slow` is running (its group is recorded before it runs).
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            HistoryStore::Options o;
            o.path = home + QStringLiteral("/history.sqlite");
            o.readOnly = true;
            auto store = HistoryStore::open(o);
            if (!store)
                return false;
            auto runs = (*store)->runs({});
            if (!runs || runs->isEmpty())
                return false;
            auto tasks = (*store)->tasks(runs->first().id);
            if (!tasks)
                return false;
            for (const TaskRecord &t : *tasks)
                if (t.task == QLatin1String("slow") && t.state == TaskState::Running)
                    return true;
            return false;
        }(),
        20000);
    ::kill(pid_t(cli.processId()), SIGKILL);
    QVERIFY(cli.waitForFinished(10000));
}

QString TestRecoveryPrompt::runState(const QString &home, qint64 runId) const
{
    HistoryStore::Options o;
    o.path = home + QStringLiteral("/history.sqlite");
    o.readOnly = true;
    auto store = HistoryStore::open(o);
    if (!store)
        return store.error().message;
    auto run = (*store)->run(runId);
    return run && *run ? toString((*run)->state) : QStringLiteral("none");
}

void TestRecoveryPrompt::noInterruptedRunNoBar()
{
    MainWindow win;
    QSignalSpy read(win.recoveryBar(), &RecoveryPrompt::refreshed);
    win.setHome(m_dir.filePath(QStringLiteral("empty-home")));
    win.show();
    QVERIFY(QTest::qWaitForWindowExposed(&win));
    QVERIFY(read.count() > 0 || read.wait(10000)); // the read is asynchronous; it finds nothing
    QVERIFY(win.recoveryBar()->offered().isEmpty());
    QVERIFY(!win.recoveryBar()->isVisible());
}

void TestRecoveryPrompt::killedRunIsOfferedAndRecovered()
{
    const QString home = m_dir.filePath(QStringLiteral("home1"));
    QFile::remove(m_dir.filePath(QStringLiteral("OK")));
    runAndKill(home, QStringLiteral("2026-11-24"));

    MainWindow win;
    win.setHome(home);
    win.show();
    QVERIFY(QTest::qWaitForWindowExposed(&win));
    RecoveryPrompt *bar = win.recoveryBar();
    // The window's engine takes the killed owner over: the run turns interrupted and is offered.
    QTRY_VERIFY_WITH_TIMEOUT(!bar->offered().isEmpty(), 20000);
    QVERIFY(bar->isVisible());
    QCOMPARE(bar->offered().first().id, 1);
    QVERIFY2(bar->text().contains(QLatin1String("Run 1 of crash"))
            && bar->text().contains(QLatin1String("2026-11-24")),
        qPrintable(bar->text()));
    QCOMPARE(runState(home, 1), QStringLiteral("interrupted"));

    // Recover… previews (nothing starts yet), Run starts it.
    QFile ok(m_dir.filePath(QStringLiteral("OK")));
    QVERIFY(ok.open(QIODevice::WriteOnly));
    ok.close();
    auto *recover = bar->findChild<QPushButton *>(QStringLiteral("recoverInterrupted"));
    QVERIFY(recover && recover->isEnabled());
    QTest::mouseClick(recover, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(win.monitor()->isPreviewing(), 10000);
    QCOMPARE(runState(home, 1), QStringLiteral("interrupted"));
    QTest::mouseClick(win.monitor()->banner()->confirmButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(runState(home, 1), QStringLiteral("succeeded"), 20000);
    // The run is no longer interrupted: the bar goes by itself.
    QTRY_VERIFY_WITH_TIMEOUT(bar->offered().isEmpty(), 10000);
    QVERIFY(!bar->isVisible());
}

void TestRecoveryPrompt::dismissIsRemembered()
{
    const QString home = m_dir.filePath(QStringLiteral("home2"));
    QFile::remove(m_dir.filePath(QStringLiteral("OK")));
    runAndKill(home, QStringLiteral("x"));
    {
        MainWindow win;
        win.setHome(home);
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        RecoveryPrompt *bar = win.recoveryBar();
        QTRY_VERIFY_WITH_TIMEOUT(!bar->offered().isEmpty(), 20000);
        QTest::mouseClick(
            bar->findChild<QPushButton *>(QStringLiteral("dismissInterrupted")), Qt::LeftButton);
        QVERIFY(bar->offered().isEmpty());
        QVERIFY(!bar->isVisible());
    }
    MainWindow again;
    QSignalSpy read(again.recoveryBar(), &RecoveryPrompt::refreshed);
    again.setHome(home);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    // Until a read that sees the run interrupted (the takeover may come after the first read).
    QTRY_VERIFY_WITH_TIMEOUT(runState(home, 1) == QLatin1String("interrupted"), 20000);
    const int before = int(read.count());
    again.recoveryBar()->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(read.count() > before && !again.recoveryBar()->isReading(), 10000);
    QVERIFY(again.recoveryBar()->offered().isEmpty()); // dismissed for this store
    QCOMPARE(runState(home, 1), QStringLiteral("interrupted"));
}

QTEST_MAIN(TestRecoveryPrompt)
#include "tst_recoveryprompt.moc"
