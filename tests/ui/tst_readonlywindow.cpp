// The main window on a read-only history (issue 8, finding 10): a home on a read-only mount
// opens, its runs can be listed and shown, every action that would start or change a run is
// disabled, and a bar above the canvas says why. Nothing on the mount changes. Needs root for
// the read-only mount (skips otherwise); the writable case runs everywhere.

#include "app/mainwindow.h"
#include "app/messagebar.h"
#include "editor/flowdocument.h"
#include "editor/flowview.h"
#include "engine/engine.h"
#include "format/flowloader.h"
#include "format/runplanner.h"
#include "monitor/runcontroller.h"
#include "monitor/runmonitor.h"
#include "monitor/runsdock.h"
#include "monitor/runsmodel.h"
#include "tmpfsmount.h"

#include <QAction>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace pw;

namespace {

const char *kFlow = "pipewright: 1\nflow: rohist\nparams:\n  k: {type: int, default: 1}\n"
                    "tasks:\n  a: {type: shell, command: 'echo a {{k}}'}\n"
                    "  b: {type: shell, after: [a], command: 'test {{k}} != 2'}\n";

// path -> size, mtime and content hash of every entry under `dir`.
QMap<QString, QString> fingerprint(const QString &dir)
{
    QMap<QString, QString> out;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info(path);
        QByteArray hash;
        QFile f(path);
        if (info.isFile() && f.open(QIODevice::ReadOnly))
            hash = QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
        out.insert(path,
            QStringLiteral("%1 %2 %3")
                .arg(info.size())
                .arg(info.lastModified().toMSecsSinceEpoch())
                .arg(QString::fromLatin1(hash)));
    }
    return out;
}

const QStringList kWritingActions = {QStringLiteral("run"), QStringLiteral("cancel"),
    QStringLiteral("backfill"), QStringLiteral("runScheduler")};

} // namespace

class TestReadOnlyWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void writableHomeHasNoBar();
    void readOnlyHome();

private:
    // Runs the flow once per k with a real engine on `home`.
    void makeRuns(const QString &home, const QList<int> &ks);

    QTemporaryDir m_dir;
    QString m_flow;
};

void TestReadOnlyWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(
        QSettings::NativeFormat, QSettings::UserScope, m_dir.path() + QStringLiteral("/settings"));
    QCoreApplication::setOrganizationName(QStringLiteral("PipewrightTest"));
    m_flow = m_dir.filePath(QStringLiteral("rohist.flow.yaml"));
    QFile f(m_flow);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(kFlow);
}

void TestReadOnlyWindow::makeRuns(const QString &home, const QList<int> &ks)
{
    auto flow = FlowLoader::loadFile(m_flow);
    QVERIFY(flow);
    EngineConfig cfg;
    cfg.home = home;
    Engine engine(cfg);
    auto started = engine.start();
    QVERIFY2(started, started ? "" : qPrintable(started.error().message));
    QSignalSpy finished(&engine, &Engine::runFinished);
    for (int k : ks) {
        auto plan = RunPlanner::plan(*flow, {{QStringLiteral("k"), QString::number(k)}});
        QVERIFY(plan);
        RunRequest req;
        req.kind = RunRequest::Kind::Run;
        req.plan = *plan;
        auto id = engine.submit(req);
        QTRY_VERIFY_WITH_TIMEOUT(id.isFinished(), 10000);
        QVERIFY(id.result().has_value());
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), int(ks.size()), 20000);
    engine.shutdown();
}

void TestReadOnlyWindow::writableHomeHasNoBar()
{
    const QString home = m_dir.filePath(QStringLiteral("rwhome"));
    MainWindow win;
    win.setHome(home);
    win.show();
    QVERIFY(QTest::qWaitForWindowExposed(&win));
    QVERIFY(!win.monitor()->controller()->isReadOnly());
    QVERIFY(win.monitor()->isStarted());
    QVERIFY(!win.homeBar()->isVisible());
    for (const QString &name : kWritingActions)
        QVERIFY2(win.action(name)->isEnabled(), qPrintable(name));
}

void TestReadOnlyWindow::readOnlyHome()
{
    if (const QString why = test::TmpfsMount::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    test::TmpfsMount mnt;
    QVERIFY2(mnt.mount(), qPrintable(mnt.error()));
    const QString home = mnt.filePath(QStringLiteral("home"));
    makeRuns(home, {1, 2});
    QVERIFY2(mnt.remountReadOnly(), qPrintable(mnt.error()));
    const auto before = fingerprint(mnt.path());
    {
        MainWindow win;
        win.resize(1200, 800);
        win.setHome(home);
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        QVERIFY(win.openFile(m_flow).has_value());
        RunMonitor *monitor = win.monitor();
        RunController *controller = monitor->controller();
        QVERIFY(controller->isReadOnly());
        QVERIFY(!monitor->isStarted()); // no engine: no owner row, no takeover
        QVERIFY2(controller->readOnlyReason().contains(QLatin1String("read-only file system")),
            qPrintable(controller->readOnlyReason()));

        // The bar says why, above the canvas.
        MessageBar *bar = win.homeBar();
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->text(),
            QStringLiteral(
                "History at %1/history.sqlite is read-only: runs can be viewed but not started")
                .arg(home));
        QVERIFY(bar->geometry().bottom()
            < win.activeView()->mapTo(win.centralWidget(), QPoint(0, 0)).y() + 1);
        QVERIFY(bar->height() > 10);

        for (const QString &name : kWritingActions)
            QVERIFY2(!win.action(name)->isEnabled(), qPrintable(name));
        // Run called anyway (e.g. from a stale shortcut): the status bar says why.
        monitor->runFlow();
        QCOMPARE(win.statusBar()->currentMessage(), controller->readOnlyMessage());

        // The Runs dock lists the runs; its menu only offers what does not write.
        RunsModel *runs = monitor->runsDock()->model();
        QTRY_COMPARE_WITH_TIMEOUT(runs->rowCount(), 2, 10000);
        QCOMPARE(pw::toString(runs->run(0).state), pw::toString(RunState::Failed));
        std::unique_ptr<QMenu> menu(
            monitor->runsDock()->createContextMenu({runs->run(0).id}, &win));
        for (const char *name :
            {"rerunFailed", "rerunAll", "rerunCurrent", "markSucceeded", "cancelRun"})
            QVERIFY2(!menu->findChild<QAction *>(QLatin1String(name))->isEnabled(), name);
        for (const char *name : {"copyParams", "showLogs"})
            QVERIFY2(menu->findChild<QAction *>(QLatin1String(name))->isEnabled(), name);

        // A run shows on the run canvas; its node menu offers the log only.
        monitor->showRun(runs->run(0).id);
        QTRY_VERIFY_WITH_TIMEOUT(monitor->isRunDrawn(), 10000);
        std::unique_ptr<QMenu> nodeMenu(monitor->createNodeMenu(QStringLiteral("b"), &win));
        for (const char *name :
            {"rerunFrom", "rerunTask", "markSucceeded", "markFailed", "cancelTask"})
            QVERIFY2(!nodeMenu->findChild<QAction *>(QLatin1String(name))->isEnabled(), name);
        QVERIFY(nodeMenu->findChild<QAction *>(QStringLiteral("showLog"))->isEnabled());
        QVERIFY(bar->isVisible()); // still there over the run canvas

        if (qEnvironmentVariableIsSet("PW_READONLY_SHOT"))
            win.grab().save(qEnvironmentVariable("PW_READONLY_SHOT"));
        QCOMPARE(fingerprint(mnt.path()), before);
    }
    QCOMPARE(fingerprint(mnt.path()), before);
}

QTEST_MAIN(TestReadOnlyWindow)
#include "tst_readonlywindow.moc"
