#include "mainwindow.h"
#include "bottomdocks.h"
#include "documentcontroller.h"
#include "messagebar.h"
#include "recoveryprompt.h"

#include "editor/flowdocument.h"
#include "editor/flowscene.h"
#include "editor/flowview.h"
#include "editor/inspectorwidget.h"
#include "editor/minimap.h"
#include "editor/nodeitem.h"
#include "editor/palettewidget.h"
#include "editor/problemswidget.h"
#include "editor/searchpopup.h"
#include "editor/tasktypeinfo.h"
#include "editor/theme.h"
#include "monitor/backfilldialog.h"
#include "monitor/foreignrunnotifier.h"
#include "monitor/runcontroller.h"
#include "monitor/runmonitor.h"
#include "monitor/runsdock.h"
#include "monitor/runsmodel.h"
#include "monitor/runtaskdetails.h"
#include "monitor/schedulerrunner.h"
#include "monitor/trustdialog.h"

#include "engine/home.h"
#include "engine/truststore.h"
#include "format/flowloader.h"
#include "model/schedule.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimeZone>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QUndoView>
#include <QVBoxLayout>

namespace pw {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_doc(new FlowDocument(this)), m_undo(new QUndoStack(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/pipewright.svg")));
    m_scene = new FlowScene(m_doc, m_undo, this);
    m_view = new FlowView(m_scene, this);
    m_docs = new DocumentController(m_doc, m_undo, m_scene, this);
    connect(m_docs, &DocumentController::documentReplaced, this, &MainWindow::documentReplaced);
    connect(m_docs, &DocumentController::fileChanged, this, &MainWindow::updateTitle);
    connect(m_docs, &DocumentController::saved, this, &MainWindow::trustSaved);
    connect(m_docs, &DocumentController::statusMessage, this,
        [this](const QString &msg, int timeout) { statusBar()->showMessage(msg, timeout); });
    // The run monitor: the editor's canvas and the read-only run canvas share the centre.
    m_monitor = new RunMonitor(this, m_doc, this);
    m_monitor->setTrustGate([this](const QString &action) { return ensureTrusted(action); });
    m_docs->setIdCheck([this](const QString &id, const QString &path) {
        return m_monitor->flowIdUsedElsewhere(id, path);
    });
    // Above the canvases: a bar for conditions of the whole window (a read-only history).
    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    m_homeBar = new MessageBar(centre);
    m_homeBar->setObjectName(QStringLiteral("homeBar"));
    centreLayout->addWidget(m_homeBar);
    // ... and one pointing to runs a crash or kill left interrupted.
    m_recoveryBar = new RecoveryPrompt(m_monitor, centre);
    centreLayout->addWidget(m_recoveryBar);
    centreLayout->addWidget(m_monitor->wrapCanvas(m_view), 1);
    setCentralWidget(centre);
    // Runs of other processes of opted-in flows end with the same tray message as ours.
    m_foreignRuns = new ForeignRunNotifier(this);
    m_foreignRuns->loadSettings();
    m_foreignRuns->setOwnedCheck(
        [c = m_monitor->controller()](qint64 id) { return c->startedHere(id); });
    connect(m_foreignRuns, &ForeignRunNotifier::runEnded, m_monitor, &RunMonitor::notifyFinished);
    if (RunsModel *runs = m_monitor->runsDock() ? m_monitor->runsDock()->model() : nullptr) {
        connect(runs, &RunsModel::loaded, m_foreignRuns, [this, runs] {
            QList<RunRecord> records;
            records.reserve(runs->rowCount());
            for (int row = 0; row < runs->rowCount(); ++row)
                records << runs->run(row);
            m_foreignRuns->observe(records);
        });
    }
    m_quickAdd = new SearchPopup(this);
    m_quickAdd->setPlaceholder(tr("Add a task…"));
    for (TaskType t : TaskTypeInfo::all())
        m_quickAdd->addItem(
            TaskTypeInfo::icon(t), toString(t), toString(t), TaskTypeInfo::label(t));
    m_finder = new SearchPopup(this);
    m_finder->setPlaceholder(tr("Find a task by name…"));

    createActions();
    createDocks();
    createMenus();

    m_validity = new QLabel(this);
    m_counts = new QLabel(this);
    m_zoom = new QLabel(this);
    for (QLabel *l : {m_validity, m_counts, m_zoom})
        l->setContentsMargins(8, 0, 8, 0);
    m_nextRun = new QLabel(this);
    m_nextRun->setObjectName(QStringLiteral("nextRunLabel"));
    m_nextRun->setContentsMargins(8, 0, 8, 0);
    statusBar()->addPermanentWidget(m_nextRun);
    statusBar()->addPermanentWidget(m_monitor->statusWidget());
    statusBar()->addPermanentWidget(m_validity);
    statusBar()->addPermanentWidget(m_counts);
    statusBar()->addPermanentWidget(m_zoom);

    connect(m_undo, &QUndoStack::cleanChanged, this, [this] { updateTitle(); });
    connect(m_undo, &QUndoStack::indexChanged, this, [this] { updateActions(); });
    connect(m_doc, &FlowDocument::problemsChanged, this, [this] {
        updateStatus();
        updateNextRun();
    });
    m_scheduler = new SchedulerRunner(m_monitor->controller(), this);
    connect(m_scheduler, &SchedulerRunner::statusChanged, this, &MainWindow::updateNextRun);
    connect(m_scheduler, &SchedulerRunner::started, this, [this] {
        statusBar()->showMessage(
            tr("Scheduler running for %1").arg(QFileInfo(m_scheduler->path()).fileName()), 6000);
    });
    connect(m_scheduler, &SchedulerRunner::startFailed, this, [this](const QString &message) {
        const QSignalBlocker block(m_actions.value(QStringLiteral("runScheduler")));
        m_actions.value(QStringLiteral("runScheduler"))->setChecked(false);
        statusBar()->showMessage(tr("Cannot start the scheduler: %1").arg(message), 10000);
        updateNextRun();
    });
    connect(m_scheduler, &SchedulerRunner::lockLost, this, [this](const QString &message) {
        const QSignalBlocker block(m_actions.value(QStringLiteral("runScheduler")));
        m_actions.value(QStringLiteral("runScheduler"))->setChecked(false);
        statusBar()->showMessage(tr("The scheduler stopped: %1").arg(message), 10000);
    });
    connect(m_scheduler, &SchedulerRunner::runSubmitted, this,
        [this](const QString &flowId, const QDateTime &, qint64 runId) {
            statusBar()->showMessage(
                tr("Scheduled run %1 of %2 started").arg(runId).arg(flowId), 6000);
        });
    // The "next" label of a flow without a running scheduler is computed from the clock.
    auto *nextTimer = new QTimer(this);
    nextTimer->setInterval(30000);
    connect(nextTimer, &QTimer::timeout, this, &MainWindow::updateNextRun);
    nextTimer->start();
    connect(m_scene, &FlowScene::nodesChanged, this, [this] { updateStatus(); });
    connect(m_scene, &FlowScene::statusMessage, this, [this](const QString &msg, int timeout) {
        if (msg.isEmpty())
            statusBar()->clearMessage();
        else
            statusBar()->showMessage(msg, timeout);
    });
    connect(m_scene, &QGraphicsScene::selectionChanged, this, [this] {
        m_inspector->setSelection(m_scene->selectedTaskIds());
        updateActions();
    });
    connect(m_scene, &FlowScene::taskActivated, this,
        [this](const QString &id) { m_view->editTaskName(id); });
    connect(m_view, &FlowView::renameRequested, this,
        [this](const QString &oldId, const QString &newId) {
            const QString err = m_scene->renameTask(oldId, newId);
            if (!err.isEmpty())
                statusBar()->showMessage(err, 6000);
        });
    connect(m_view, &FlowView::zoomChanged, this, [this] { updateStatus(); });
    connect(m_view, &FlowView::quickAddRequested, this, &MainWindow::quickAdd);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &MainWindow::showCanvasMenu);
    connect(m_quickAdd, &SearchPopup::chosen, this, [this](const QString &key) {
        if (auto t = taskTypeFromString(key))
            m_scene->addTask(*t, m_quickAddPos);
    });
    connect(m_finder, &SearchPopup::chosen, this, &MainWindow::selectAndShow);
    connect(m_monitor, &RunMonitor::statusMessage, this,
        [this](const QString &msg, int timeout) { statusBar()->showMessage(msg, timeout); });
    connect(m_monitor, &RunMonitor::runViewShown, this, [this](bool shown) {
        // A shown run is read only: the editing actions and docks wait for "Show current".
        for (const char *name : {"cut", "paste", "duplicate", "delete", "selectAll", "rename",
                 "quickAdd", "autoLayout", "undo", "redo", "find"})
            if (QAction *a = m_actions.value(QLatin1String(name)))
                a->setEnabled(!shown);
        m_palette->setEnabled(!shown);
        m_inspector->setEnabled(!shown);
        m_inspectorPages->setCurrentWidget(
            shown ? static_cast<QWidget *>(m_monitor->runDetails()) : m_inspector);
        if (shown) {
            if (auto *runs = findChild<QDockWidget *>(QStringLiteral("runsDock"))) {
                runs->raise();
                // Room for the runs table and the charts (once; the operator's size wins after).
                if (runs->height() < 240)
                    resizeDocks({runs}, {280}, Qt::Vertical);
            }
        } else {
            m_actions.value(QStringLiteral("undo"))->setEnabled(m_undo->canUndo());
            m_actions.value(QStringLiteral("redo"))->setEnabled(m_undo->canRedo());
            m_actions.value(QStringLiteral("selectAll"))->setEnabled(true);
            m_actions.value(QStringLiteral("paste"))->setEnabled(true);
            m_actions.value(QStringLiteral("quickAdd"))->setEnabled(true);
            m_actions.value(QStringLiteral("autoLayout"))->setEnabled(true);
            m_actions.value(QStringLiteral("find"))->setEnabled(true);
            updateActions();
        }
        updateStatus();
    });

    readSettings();
    newFlow();
}

MainWindow::~MainWindow()
{
    // Children die after this body; stop their signals from reaching a half-destroyed window.
    m_undo->disconnect();
    m_scene->disconnect();
    m_doc->disconnect();
    // The scheduler's thread uses the engine of the monitor's controller: stop it first.
    delete m_scheduler;
    m_scheduler = nullptr;
    delete m_backfill; // cancels its backfill runs while the engine is still there
}

QAction *MainWindow::addAction(
    const QString &name, const QString &text, const QKeySequence &shortcut, const QString &icon)
{
    auto *a = new QAction(text, this);
    a->setObjectName(name);
    if (!shortcut.isEmpty())
        a->setShortcut(shortcut);
    if (!icon.isEmpty()) {
        a->setIcon(Theme::icon(icon));
        a->setProperty("pwIcon", icon);
    }
    m_actions.insert(name, a);
    return a;
}

void MainWindow::createActions()
{
    connect(addAction(QStringLiteral("new"), tr("&New"), QKeySequence::New,
                QStringLiteral("document-new")),
        &QAction::triggered, this, [this] {
            if (m_docs->maybeSave())
                newFlow();
        });
    connect(addAction(QStringLiteral("open"), tr("&Open…"), QKeySequence::Open,
                QStringLiteral("document-open")),
        &QAction::triggered, m_docs, &DocumentController::openDialog);
    connect(addAction(QStringLiteral("save"), tr("&Save"), QKeySequence::Save,
                QStringLiteral("document-save")),
        &QAction::triggered, m_docs, [this] { m_docs->save(); });
    connect(addAction(QStringLiteral("saveAs"), tr("Save &As…"),
                QKeySequence(QStringLiteral("Ctrl+Shift+S"))),
        &QAction::triggered, m_docs, [this] { m_docs->saveAsDialog(); });
    connect(addAction(QStringLiteral("revert"), tr("Re&vert"), {}), &QAction::triggered, m_docs,
        &DocumentController::revert);
    connect(
        addAction(QStringLiteral("export"), tr("&Export…"), QKeySequence(QStringLiteral("Ctrl+E"))),
        &QAction::triggered, m_docs, &DocumentController::exportDialog);
    connect(addAction(QStringLiteral("quit"), tr("&Quit"), QKeySequence::Quit), &QAction::triggered,
        this, &QWidget::close);

    QAction *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setIcon(Theme::icon(QStringLiteral("edit-undo")));
    undo->setProperty("pwIcon", QStringLiteral("edit-undo"));
    m_actions.insert(undo->objectName(), undo);
    QAction *redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("redo"));
    redo->setShortcuts(
        {QKeySequence(QStringLiteral("Ctrl+Shift+Z")), QKeySequence(QStringLiteral("Ctrl+Y"))});
    redo->setIcon(Theme::icon(QStringLiteral("edit-redo")));
    redo->setProperty("pwIcon", QStringLiteral("edit-redo"));
    m_actions.insert(redo->objectName(), redo);

    connect(addAction(QStringLiteral("cut"), tr("Cu&t"), QKeySequence::Cut), &QAction::triggered,
        this, [this] {
            const QByteArray yaml = m_scene->copySelection();
            if (yaml.isEmpty())
                return;
            QApplication::clipboard()->setText(QString::fromUtf8(yaml));
            m_scene->deleteSelection();
        });
    connect(addAction(QStringLiteral("copy"), tr("&Copy"), QKeySequence::Copy), &QAction::triggered,
        this, [this] {
            const QByteArray yaml = m_scene->copySelection();
            if (!yaml.isEmpty()) {
                QApplication::clipboard()->setText(QString::fromUtf8(yaml));
                statusBar()->showMessage(tr("Copied %n task(s) as YAML", nullptr,
                                             int(m_scene->selectedTaskIds().size())),
                    3000);
            }
        });
    connect(addAction(QStringLiteral("paste"), tr("&Paste"), QKeySequence::Paste),
        &QAction::triggered, this, [this] {
            const QString text = QApplication::clipboard()->text();
            if (text.isEmpty())
                return;
            QPoint local = m_view->viewport()->mapFromGlobal(QCursor::pos());
            const QPointF at = m_view->viewport()->rect().contains(local)
                ? m_view->mapToScene(local)
                : m_view->viewCentre();
            m_scene->paste(text.toUtf8(), at);
        });
    connect(addAction(QStringLiteral("duplicate"), tr("D&uplicate"),
                QKeySequence(QStringLiteral("Ctrl+D"))),
        &QAction::triggered, this, [this] { m_scene->duplicateSelection(); });
    connect(addAction(QStringLiteral("delete"), tr("&Delete"), QKeySequence::Delete),
        &QAction::triggered, this, [this] { m_scene->deleteSelection(); });
    connect(addAction(QStringLiteral("selectAll"), tr("Select &All"), QKeySequence::SelectAll),
        &QAction::triggered, this, [this] { m_scene->selectTasks(m_doc->taskIds()); });
    connect(addAction(QStringLiteral("rename"), tr("&Rename…"), QKeySequence(Qt::Key_F2)),
        &QAction::triggered, this, &MainWindow::renameSelected);
    connect(addAction(QStringLiteral("find"), tr("&Find Task…"), QKeySequence::Find),
        &QAction::triggered, this, &MainWindow::findTask);
    connect(addAction(QStringLiteral("quickAdd"), tr("Add &Task…"), {}), &QAction::triggered, this,
        [this] {
            const QPoint c = m_view->viewport()->rect().center();
            quickAdd(m_view->mapToScene(c), m_view->viewport()->mapToGlobal(c));
        });
    connect(addAction(QStringLiteral("autoLayout"), tr("Auto &Layout"),
                QKeySequence(QStringLiteral("Ctrl+L")), QStringLiteral("auto-layout")),
        &QAction::triggered, this, [this] {
            m_scene->autoLayout();
            m_view->fitAll();
        });

    connect(addAction(QStringLiteral("zoomIn"), tr("Zoom &In"), QKeySequence::ZoomIn,
                QStringLiteral("zoom-in")),
        &QAction::triggered, this, [this] { activeView()->zoomBy(1.25); });
    connect(addAction(QStringLiteral("zoomOut"), tr("Zoom &Out"), QKeySequence::ZoomOut,
                QStringLiteral("zoom-out")),
        &QAction::triggered, this, [this] { activeView()->zoomBy(0.8); });
    connect(addAction(QStringLiteral("fit"), tr("&Fit to Window"),
                QKeySequence(QStringLiteral("Ctrl+0")), QStringLiteral("zoom-fit")),
        &QAction::triggered, this, [this] { activeView()->cycleFit(); });
    connect(addAction(QStringLiteral("actualSize"), tr("&Actual Size"),
                QKeySequence(QStringLiteral("Ctrl+1"))),
        &QAction::triggered, this, [this] { activeView()->resetZoom(); });
    QAction *snap = addAction(QStringLiteral("snap"), tr("&Snap to Grid"), {});
    snap->setCheckable(true);
    snap->setChecked(true);
    connect(snap, &QAction::toggled, this, [this](bool on) { m_scene->setSnapToGrid(on); });
    QAction *minimap = addAction(
        QStringLiteral("minimap"), tr("&Minimap"), QKeySequence(QStringLiteral("Ctrl+M")));
    minimap->setCheckable(true);
    minimap->setChecked(true);
    connect(minimap, &QAction::toggled, this, [this](bool on) {
        m_view->miniMap()->setEnabled(on);
        m_view->miniMap()->scheduleUpdate();
    });
    QAction *dark = addAction(QStringLiteral("darkTheme"), tr("&Dark Theme"), {});
    dark->setCheckable(true);
    dark->setChecked(Theme::current().dark);
    connect(dark, &QAction::toggled, this, &MainWindow::setDarkTheme);

    QAction *run = addAction(
        QStringLiteral("run"), tr("&Run"), QKeySequence(Qt::Key_F5), QStringLiteral("run"));
    run->setToolTip(tr("Run the flow with parameters (F5)"));
    run->setStatusTip(run->toolTip());
    connect(run, &QAction::triggered, this, [this] { m_monitor->runFlow(); });
    QAction *cancel
        = addAction(QStringLiteral("cancel"), tr("&Cancel Run"), {}, QStringLiteral("cancel"));
    cancel->setToolTip(tr("Cancel the shown run (or the newest active run)"));
    cancel->setStatusTip(cancel->toolTip());
    connect(cancel, &QAction::triggered, this, [this] { m_monitor->cancelRun(); });
    QAction *backfill = addAction(QStringLiteral("backfill"), tr("&Backfill…"), {});
    backfill->setToolTip(tr("Create one run per schedule date (or per day) in a date range"));
    backfill->setStatusTip(backfill->toolTip());
    connect(backfill, &QAction::triggered, this, &MainWindow::backfillDialog);
    QAction *scheduler = addAction(QStringLiteral("runScheduler"), tr("Run &Scheduler"), {});
    scheduler->setCheckable(true);
    scheduler->setToolTip(
        tr("Create the scheduled runs of this flow's file while Pipewright is open"));
    scheduler->setStatusTip(scheduler->toolTip());
    connect(scheduler, &QAction::toggled, this, &MainWindow::setSchedulerOn);
    QAction *notify = addAction(QStringLiteral("notifyOtherRuns"),
        tr("Notify About Other Processes' Runs of This Flow"), {});
    notify->setCheckable(true);
    notify->setToolTip(tr("Show a notification when a run of this flow started by another process "
                          "(CLI, scheduler) ends"));
    notify->setStatusTip(notify->toolTip());
    connect(notify, &QAction::triggered, this,
        [this](bool on) { m_foreignRuns->setFlowEnabled(m_doc->flow().id, on); });
    connect(m_doc, &FlowDocument::reset, notify, [this] { updateNotifyAction(); });

    connect(addAction(QStringLiteral("shortcuts"), tr("&Keyboard Shortcuts"), {}),
        &QAction::triggered, this, [this] {
            QMessageBox::information(this, tr("Keyboard shortcuts"),
                tr("<table cellpadding=3>"
                   "<tr><td><b>Tab</b>, double-click canvas</td><td>add a task</td></tr>"
                   "<tr><td>drag output ● to a task</td><td>connect</td></tr>"
                   "<tr><td><b>Del</b></td><td>delete selection</td></tr>"
                   "<tr><td><b>Ctrl+C / X / V</b></td><td>copy, cut, paste (YAML)</td></tr>"
                   "<tr><td><b>Ctrl+D</b></td><td>duplicate</td></tr>"
                   "<tr><td><b>F2</b></td><td>rename</td></tr>"
                   "<tr><td><b>Ctrl+F</b></td><td>find a task</td></tr>"
                   "<tr><td><b>Ctrl+L</b></td><td>auto layout</td></tr>"
                   "<tr><td><b>Ctrl+wheel</b>, <b>Ctrl+0</b></td><td>zoom, fit</td></tr>"
                   "<tr><td>middle-drag, <b>Space</b>+drag</td><td>pan</td></tr></table>"));
        });
    connect(addAction(QStringLiteral("about"), tr("&About Pipewright"), {}), &QAction::triggered,
        this, [this] {
            QMessageBox::about(this, tr("About Pipewright"),
                tr("<h3>Pipewright %1</h3><p>Desktop workflow designer and runner for data "
                   "pipelines.</p><p>Licensed under the Apache License 2.0.</p>")
                    .arg(QApplication::applicationVersion()));
        });

    // Shortcuts of canvas editing actions only act on the canvas, so they never steal keys
    // from the inspector's text fields.
    for (const char *name : {"delete", "selectAll", "cut", "copy", "paste", "duplicate"}) {
        QAction *a = m_actions.value(QLatin1String(name));
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(a);
    }
}

void MainWindow::createMenus()
{
    auto act = [this](const char *name) { return m_actions.value(QLatin1String(name)); };
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(act("new"));
    file->addAction(act("open"));
    file->addMenu(m_docs->recentMenu());
    file->addSeparator();
    file->addAction(act("save"));
    file->addAction(act("saveAs"));
    file->addAction(act("revert"));
    file->addSeparator();
    file->addAction(act("export"));
    file->addSeparator();
    file->addAction(act("quit"));

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(act("undo"));
    edit->addAction(act("redo"));
    edit->addSeparator();
    edit->addAction(act("cut"));
    edit->addAction(act("copy"));
    edit->addAction(act("paste"));
    edit->addAction(act("duplicate"));
    edit->addAction(act("delete"));
    edit->addSeparator();
    edit->addAction(act("selectAll"));
    edit->addAction(act("rename"));
    edit->addAction(act("find"));
    edit->addAction(act("quickAdd"));
    edit->addSeparator();
    edit->addAction(act("autoLayout"));

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(act("zoomIn"));
    m_viewMenu->addAction(act("zoomOut"));
    m_viewMenu->addAction(act("fit"));
    m_viewMenu->addAction(act("actualSize"));
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(act("snap"));
    m_viewMenu->addAction(act("minimap"));
    m_viewMenu->addAction(act("darkTheme"));
    m_viewMenu->addSeparator();
    for (QDockWidget *d : findChildren<QDockWidget *>())
        m_viewMenu->addAction(d->toggleViewAction());
    QAction *reset = m_viewMenu->addAction(tr("&Reset Layout"));
    reset->setObjectName(QStringLiteral("resetLayout"));
    m_actions.insert(reset->objectName(), reset);
    connect(reset, &QAction::triggered, this, [this] { restoreState(m_defaultState); });

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->setToolTipsVisible(true);
    run->addAction(act("run"));
    run->addAction(act("cancel"));
    run->addSeparator();
    run->addAction(act("backfill"));
    run->addAction(act("runScheduler"));
    run->addAction(act("notifyOtherRuns"));
    connect(run, &QMenu::aboutToShow, this, [this] { updateNotifyAction(); });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(act("shortcuts"));
    help->addAction(act("about"));

    QToolBar *tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setIconSize(QSize(20, 20));
    tb->setMovable(false);
    tb->addAction(act("new"));
    tb->addAction(act("open"));
    tb->addAction(act("save"));
    tb->addSeparator();
    tb->addAction(act("undo"));
    tb->addAction(act("redo"));
    tb->addSeparator();
    tb->addAction(act("run"));
    tb->addAction(act("cancel"));
    tb->addSeparator();
    tb->addAction(act("autoLayout"));
    tb->addAction(act("fit"));
    tb->addAction(act("zoomOut"));
    tb->addAction(act("zoomIn"));
}

void MainWindow::createDocks()
{
    setDockOptions(AnimatedDocks | AllowTabbedDocks);
    auto dock
        = [this](const QString &name, const QString &title, QWidget *w, Qt::DockWidgetArea area) {
              auto *d = new QDockWidget(title, this);
              d->setObjectName(name);
              d->setWidget(w);
              addDockWidget(area, d);
              return d;
          };
    m_palette = new PaletteWidget(this);
    connect(m_palette, &PaletteWidget::addRequested, this, [this](TaskType t) {
        m_scene->addTask(t, m_view->viewCentre());
        m_view->setFocus();
    });
    dock(QStringLiteral("paletteDock"), tr("Palette"), m_palette, Qt::LeftDockWidgetArea);
    m_inspector = new InspectorWidget(m_doc, m_undo, this);
    // While a run is shown the dock shows the chosen task's run details instead.
    m_inspectorPages = new QStackedWidget(this);
    m_inspectorPages->addWidget(m_inspector);
    m_inspectorPages->addWidget(m_monitor->runDetails());
    QDockWidget *inspectorDock = dock(QStringLiteral("inspectorDock"), tr("Inspector"),
        m_inspectorPages, Qt::RightDockWidgetArea);
    inspectorDock->setMinimumWidth(320);
    m_problems = new ProblemsWidget(m_doc, this);
    connect(m_problems, &ProblemsWidget::taskActivated, this, &MainWindow::selectAndShow);
    dock(QStringLiteral("problemsDock"), tr("Problems"), m_problems, Qt::BottomDockWidgetArea);
    m_undoView = new QUndoView(m_undo, this);
    m_undoView->setEmptyLabel(tr("<opened>"));
    m_undoView->setFrameShape(QFrame::NoFrame);
    QDockWidget *undoDock = dock(
        QStringLiteral("undoDock"), tr("Undo History"), m_undoView, Qt::BottomDockWidgetArea);
    tabifyDockWidget(findChild<QDockWidget *>(QStringLiteral("problemsDock")), undoDock);
    // The monitor's docks share the bottom: Runs | Log | Problems | Undo History | Charts.
    QDockWidget *problemsDock = findChild<QDockWidget *>(QStringLiteral("problemsDock"));
    QDockWidget *previous = nullptr;
    for (QDockWidget *d : m_monitor->docks()) {
        if (d->objectName() == QLatin1String("chartsDock"))
            previous = undoDock;
        if (previous)
            tabifyDockWidget(previous, d);
        else
            tabifyDockWidget(problemsDock, d);
        previous = d;
    }
    problemsDock->raise();
    resizeDocks({findChild<QDockWidget *>(QStringLiteral("paletteDock")), inspectorDock},
        {210, 380}, Qt::Horizontal);

    // The first problem brings the Problems tab forward (issue 17 item 10), whichever bottom tab
    // was in front; an empty Problems tab in front folds the bottom docks to their tabs.
    m_problemCount = m_problems->count();
    connect(m_problems, &ProblemsWidget::countChanged, this, [this, problemsDock](int count) {
        const bool appeared = count > 0 && m_problemCount == 0;
        m_problemCount = count;
        if (appeared) {
            problemsDock->show();
            problemsDock->raise();
        }
        m_bottomDocks->fit();
    });
    m_bottomDocks = new BottomDocks(this, problemsDock,
        QList<QDockWidget *>{problemsDock, undoDock} + m_monitor->docks(),
        [this] { return m_problems->count() == 0; });
}

void MainWindow::readSettings()
{
    m_defaultState = saveState();
    QSettings s;
    const bool hasGeometry
        = restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    if (!hasGeometry)
        resize(1440, 900);
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_bottomDocks->setHeight(
        s.value(QStringLiteral("window/bottomHeight"), m_bottomDocks->height()).toInt());
    m_actions.value(QStringLiteral("snap"))
        ->setChecked(s.value(QStringLiteral("view/snap"), true).toBool());
    m_actions.value(QStringLiteral("minimap"))
        ->setChecked(s.value(QStringLiteral("view/minimap"), true).toBool());
}

void MainWindow::writeSettings()
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/bottomHeight"), m_bottomDocks->height());
    s.setValue(QStringLiteral("view/snap"), m_actions.value(QStringLiteral("snap"))->isChecked());
    s.setValue(
        QStringLiteral("view/minimap"), m_actions.value(QStringLiteral("minimap"))->isChecked());
}

QString MainWindow::currentFile() const
{
    return m_docs->path();
}

void MainWindow::newFlow()
{
    m_docs->newFlow();
}

Result<void> MainWindow::openFile(const QString &path)
{
    return m_docs->openFile(path);
}

Result<void> MainWindow::saveTo(const QString &path)
{
    return m_docs->saveTo(path);
}

Result<void> MainWindow::exportTo(const QString &path, const QString &format)
{
    return m_docs->exportTo(path, format);
}

// A new flow is shown around the origin at 100%, an opened one fitted to the window.
void MainWindow::documentReplaced(const QString &path)
{
    if (path.isEmpty()) {
        m_view->resetZoom();
        m_view->centerOn(QPointF(300, 200));
    } else {
        m_view->fitOpened();
    }
    updateTitle();
    updateActions();
    updateStatus();
}

void MainWindow::setRunToShow(qint64 runId)
{
    m_monitor->showRun(runId);
}

void MainWindow::backfillDialog()
{
    if (m_backfill) {
        m_backfill->raise();
        m_backfill->activateWindow();
        return;
    }
    RunController *controller = m_monitor->controller();
    const Flow &flow = m_doc->flow();
    QString why;
    if (!controller->isRunning())
        why = tr("The engine is not running.");
    else if (flow.tasks.isEmpty())
        why = tr("The flow has no tasks to run.");
    else if (!m_doc->problems().isEmpty())
        why = tr("Fix the problems of the flow before running it (see Problems).");
    else if (flow.sourcePath.isEmpty())
        why = tr("Save the flow first: its folder is where its tasks run.");
    if (!why.isEmpty()) {
        statusBar()->showMessage(why, 8000);
        return;
    }
    if (!ensureTrusted(tr("Trust and Backfill")))
        return;
    m_backfill = new BackfillDialog(controller, flow, this);
    m_backfill->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_backfill, &BackfillDialog::statusMessage, this,
        [this](const QString &msg, int timeout) { statusBar()->showMessage(msg, timeout); });
    m_backfill->show();
}

void MainWindow::setSchedulerOn(bool on)
{
    if (!on) {
        m_scheduler->stop();
        statusBar()->showMessage(tr("Scheduler stopped"), 4000);
        updateNextRun();
        return;
    }
    if (currentFile().isEmpty()) {
        const QSignalBlocker block(m_actions.value(QStringLiteral("runScheduler")));
        m_actions.value(QStringLiteral("runScheduler"))->setChecked(false);
        statusBar()->showMessage(tr("Save the flow first: the scheduler reads its file."), 8000);
        return;
    }
    if (!ensureTrusted(tr("Trust and Schedule"))) {
        const QSignalBlocker block(m_actions.value(QStringLiteral("runScheduler")));
        m_actions.value(QStringLiteral("runScheduler"))->setChecked(false);
        return;
    }
    m_scheduler->start(currentFile());
}

// A flow file is code (issue 12): before the GUI runs, schedules or backfills a file, the file as
// it is on disk must be trusted by this user, or the user trusts it now, having seen what it
// runs. Edits made here on top of it are the user's own. A flow never saved needs no trust; a
// window without a home (no engine) runs nothing anyway.
bool MainWindow::ensureTrusted(const QString &action)
{
    const QString home = m_monitor->controller()->home();
    if (currentFile().isEmpty() || home.isEmpty())
        return true;
    auto onDisk = FlowLoader::loadFile(currentFile());
    const Flow flow = onDisk ? *onDisk : m_doc->flow();
    TrustStore store{Home(home)};
    const auto check = store.check(flow);
    if (!check) {
        statusBar()->showMessage(
            tr("Cannot tell whether this flow is trusted: %1").arg(check.error().message), 10000);
        return false;
    }
    if (check->verdict == TrustStore::Verdict::Trusted)
        return true;
    TrustDialog dialog(flow, *check, action, this);
    if (dialog.exec() != QDialog::Accepted) {
        statusBar()->showMessage(tr("Nothing was run: the flow is not trusted."), 6000);
        return false;
    }
    if (auto ok = store.trust(flow); !ok)
        statusBar()->showMessage(tr("Trusted this time only: %1").arg(ok.error().message), 10000);
    return true;
}

// Saving a flow here trusts what was saved: the user made it (issue 12).
void MainWindow::trustSaved()
{
    const QString home = m_monitor->controller()->home();
    if (home.isEmpty())
        return;
    if (auto ok = TrustStore(Home(home)).trust(m_doc->flow()); !ok)
        statusBar()->showMessage(
            tr("Saved, but its trust was not recorded: %1").arg(ok.error().message), 10000);
}

void MainWindow::updateNextRun()
{
    if (!m_scheduler || !m_nextRun)
        return;
    if (m_scheduler->isRunning() && m_scheduler->path() != currentFile()) {
        // Another file was opened: schedule that one instead.
        if (currentFile().isEmpty())
            m_actions.value(QStringLiteral("runScheduler"))->setChecked(false);
        else
            m_scheduler->start(currentFile());
        return;
    }
    const Flow &flow = m_doc->flow();
    QString error;
    QDateTime next; // UTC
    const bool running = m_scheduler->isRunning();
    if (running) {
        const auto status = m_scheduler->status();
        for (const Scheduler::FlowStatus &st : status) {
            error = st.error;
            next = st.nextFire;
        }
    }
    const auto schedule = flow.schedule.isSet() ? Schedule::parse(flow.schedule)
                                                : Result<Schedule>(fail(QString()));
    if (!running && flow.schedule.isSet()) {
        if (!schedule)
            error = schedule.error().message;
        else if (auto n = schedule->next(QDateTime::currentDateTimeUtc()); !n)
            error = n.error().message;
        else
            next = *n;
    }
    if (!error.isEmpty()) {
        m_nextRun->setText(tr("schedule: error"));
        m_nextRun->setToolTip(error);
        return;
    }
    if (!next.isValid()) {
        m_nextRun->setText(running ? tr("next: none") : QString());
        m_nextRun->setToolTip(QString());
        return;
    }
    const QString zone = schedule ? schedule->zoneName() : QStringLiteral("UTC");
    const QDateTime local = schedule ? schedule->toLocal(next) : next.toUTC();
    m_nextRun->setText(tr("next: %1").arg(local.toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
    m_nextRun->setToolTip(running
            ? tr("Next scheduled run (%1); the scheduler is running").arg(zone)
            : tr("Next scheduled run (%1); the scheduler is off (Run > Run Scheduler)").arg(zone));
}

void MainWindow::setHome(const QString &home)
{
    m_home = home;
    auto started = m_monitor->start(home);
    if (!started)
        statusBar()->showMessage(tr("Runs are not available: %1").arg(started.error().message), 0);
    // A read-only history (backup, read-only mount): its runs can be viewed, none started or
    // changed. The menus of runs and nodes disable their actions themselves.
    RunController *controller = m_monitor->controller();
    const bool readOnly = controller->isReadOnly();
    m_homeBar->setMessage(readOnly ? controller->readOnlyMessage() : QString(),
        QIcon(QStringLiteral(":/icons/read-only.svg")), controller->readOnlyReason());
    m_recoveryBar->refresh();
    for (const char *name : {"run", "cancel", "backfill", "runScheduler"}) {
        QAction *a = m_actions.value(QLatin1String(name));
        a->setEnabled(!readOnly);
        if (readOnly)
            a->setToolTip(controller->readOnlyMessage());
    }
}

FlowView *MainWindow::activeView() const
{
    return m_monitor->isShowingRun() ? m_monitor->runView() : m_view;
}

void MainWindow::updateTitle()
{
    setWindowTitle(m_docs->displayName() + QStringLiteral("[*] — Pipewright"));
    updateNextRun();
    setWindowModified(!m_undo->isClean());
    m_actions.value(QStringLiteral("revert"))
        ->setEnabled(!currentFile().isEmpty() && !m_undo->isClean());
}

void MainWindow::updateNotifyAction()
{
    QAction *notify = m_actions.value(QStringLiteral("notifyOtherRuns"));
    if (!notify)
        return;
    const QString flowId = m_doc->flow().id;
    notify->setEnabled(!flowId.isEmpty());
    notify->setChecked(m_foreignRuns->isFlowEnabled(flowId));
}

void MainWindow::updateActions()
{
    const bool hasSelection = !m_scene->selectedItems().isEmpty();
    const bool hasTasks = !m_scene->selectedTaskIds().isEmpty();
    m_actions.value(QStringLiteral("cut"))->setEnabled(hasTasks);
    m_actions.value(QStringLiteral("copy"))->setEnabled(hasTasks);
    m_actions.value(QStringLiteral("duplicate"))->setEnabled(hasTasks);
    m_actions.value(QStringLiteral("delete"))->setEnabled(hasSelection);
    m_actions.value(QStringLiteral("rename"))->setEnabled(m_scene->selectedTaskIds().size() == 1);
    updateTitle();
}

void MainWindow::updateStatus()
{
    const qsizetype n = m_doc->problems().size();
    const qsizetype w = m_doc->warnings().size();
    if (n == 0 && w == 0) {
        m_validity->setText(tr("✓ valid"));
        m_validity->setStyleSheet(QStringLiteral("color: #009E73;"));
    } else if (n == 0) {
        m_validity->setText(tr("✓ valid · %n warning(s)", nullptr, int(w)));
        m_validity->setStyleSheet(QStringLiteral("color: #B07800;"));
    } else {
        m_validity->setText(tr("%n problem(s)", nullptr, int(n)));
        m_validity->setStyleSheet(QStringLiteral("color: #D55E00;"));
    }
    m_counts->setText(tr("%n task(s)", nullptr, m_scene->nodeCount()));
    m_zoom->setText(QStringLiteral("%1%").arg(qRound(m_view->zoom() * 100)));
}

void MainWindow::renameSelected()
{
    const QStringList ids = m_scene->selectedTaskIds();
    if (ids.size() == 1)
        m_view->editTaskName(ids.first());
}

void MainWindow::findTask()
{
    m_finder->clearItems();
    for (const TaskSpec &t : m_doc->flow().tasks)
        m_finder->addItem(TaskTypeInfo::icon(t.type), t.id, t.id);
    const QPoint c = m_view->viewport()->rect().center();
    m_finder->popup(m_view->viewport()->mapToGlobal(c) - QPoint(m_finder->width() / 2, 120));
}

void MainWindow::quickAdd(QPointF scenePos, QPoint globalPos)
{
    m_quickAddPos = scenePos;
    m_quickAdd->popup(globalPos);
}

void MainWindow::selectAndShow(const QString &id)
{
    if (!m_doc->hasTask(id))
        return;
    m_scene->selectTasks({id});
    m_view->ensureTaskVisible(id);
    m_view->setFocus();
}

void MainWindow::setDarkTheme(bool dark)
{
    if (auto *app = qobject_cast<QApplication *>(QCoreApplication::instance()))
        Theme::apply(*app, dark);
    QSettings().setValue(
        QStringLiteral("ui/theme"), dark ? QStringLiteral("dark") : QStringLiteral("light"));
    for (QAction *a : std::as_const(m_actions)) {
        const QString icon = a->property("pwIcon").toString();
        if (!icon.isEmpty())
            a->setIcon(Theme::icon(icon));
    }
    m_view->viewport()->update();
    m_view->resetCachedContent();
    m_scene->update();
    m_view->miniMap()->update();
}

void MainWindow::showCanvasMenu(QPoint viewportPos)
{
    const QPointF scenePos = m_view->mapToScene(viewportPos);
    QGraphicsItem *item = m_view->itemAt(viewportPos);
    // Right-click on an unselected item selects just it (as file managers do).
    if (item && !item->isSelected()) {
        m_scene->clearSelection();
        item->setSelected(true);
    }
    auto act = [this](const char *name) { return m_actions.value(QLatin1String(name)); };
    QMenu menu(this);
    if (item && item->type() == NodeItem::Type) {
        menu.addAction(act("rename"));
        menu.addAction(act("duplicate"));
        menu.addSeparator();
        menu.addAction(act("cut"));
        menu.addAction(act("copy"));
        menu.addAction(act("delete"));
    } else if (item) {
        QAction *del = menu.addAction(tr("Delete Connection"));
        connect(del, &QAction::triggered, this, [this] { m_scene->deleteSelection(); });
    } else {
        QMenu *add = menu.addMenu(tr("Add Task"));
        for (TaskType t : TaskTypeInfo::all()) {
            QAction *a = add->addAction(TaskTypeInfo::icon(t),
                toString(t) + QStringLiteral("  —  ") + TaskTypeInfo::label(t));
            connect(a, &QAction::triggered, this,
                [this, t, scenePos] { m_scene->addTask(t, scenePos); });
        }
        QAction *paste = menu.addAction(act("paste")->text());
        paste->setEnabled(!QApplication::clipboard()->text().isEmpty());
        connect(paste, &QAction::triggered, this, [this, scenePos] {
            m_scene->paste(QApplication::clipboard()->text().toUtf8(), scenePos);
        });
        menu.addSeparator();
        menu.addAction(act("selectAll"));
        menu.addAction(act("autoLayout"));
        menu.addAction(act("fit"));
    }
    menu.exec(m_view->viewport()->mapToGlobal(viewportPos));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_docs->maybeSave()) {
        event->ignore();
        return;
    }
    // Closing stops the GUI's engine, which cancels the runs it started: ask first.
    if (const int active = m_monitor->controller()->activeRunsStartedHere(); active > 0) {
        QMessageBox box(QMessageBox::Warning, tr("Runs are still running"),
            tr("Runs started here are still running (%1). Closing Pipewright cancels them.")
                .arg(active),
            QMessageBox::NoButton, this);
        box.setObjectName(QStringLiteral("activeRunsPrompt"));
        QPushButton *close
            = box.addButton(tr("Cancel Runs and Close"), QMessageBox::DestructiveRole);
        box.addButton(tr("Keep Open"), QMessageBox::RejectRole);
        box.setDefaultButton(qobject_cast<QPushButton *>(box.buttons().last()));
        box.exec();
        if (box.clickedButton() != close) {
            event->ignore();
            return;
        }
    }
    writeSettings();
    event->accept();
}

} // namespace pw
