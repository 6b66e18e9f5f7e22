#include "runmonitor.h"

#include "chartswidget.h"
#include "editor/autolayout.h"
#include "editor/flowdocument.h"
#include "editor/flowscene.h"
#include "editor/flowview.h"
#include "editor/nodeitem.h"
#include "format/runplanner.h"
#include "history/historystore.h"
#include "monitorlogging.h"
#include "paramsdialog.h"
#include "rerunpreview.h"
#include "runbanner.h"
#include "runcontroller.h"
#include "runlegend.h"
#include "runoverlay.h"
#include "runsdock.h"
#include "runsmodel.h"
#include "runstatemodel.h"
#include "runtaskdetails.h"
#include "statepalette.h"
#include "taskpanel.h"

#include <QCheckBox>
#include <QContextMenuEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QMouseEvent>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QUndoStack>

namespace pw {

namespace {

QMap<QString, QString> paramsOf(const QByteArray &json)
{
    QMap<QString, QString> out;
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    for (auto it = o.begin(); it != o.end(); ++it)
        out.insert(it.key(), it.value().toVariant().toString());
    return out;
}

} // namespace

RunMonitor::RunMonitor(QMainWindow *window, FlowDocument *editDoc, QObject *parent)
    : QObject(parent), m_window(window), m_editDoc(editDoc), m_controller(new RunController(this))
{
    // The run canvas: its own document, undo stack and scene, so the open file is never touched.
    m_runDoc = new FlowDocument(this);
    m_runUndo = new QUndoStack(this);
    m_runScene = new FlowScene(m_runDoc, m_runUndo, this);
    m_runModel = new RunStateModel(m_controller->reader(), this);
    m_overlay = new RunOverlay(m_runScene, m_runModel, this);
    connect(m_controller, &RunController::events, m_runModel, &RunStateModel::applyEvents);
    connect(m_runModel, &RunStateModel::runLoaded, this, [this] { drawRun(); });
    connect(m_runModel, &RunStateModel::changed, this, [this] {
        updateStatus();
        updateBanner();
        applyPendingPreview();
    });
    connect(m_runModel, &RunStateModel::loadFailed, this,
        [this](const QString &message) { Q_EMIT statusMessage(message, 8000); });

    // Docks.
    auto dock = [this](const QString &name, const QString &title, QWidget *w) {
        auto *d = new QDockWidget(title, m_window);
        d->setObjectName(name);
        d->setWidget(w);
        m_docks << d;
        return d;
    };
    m_runsDock = new RunsDock(m_controller, m_window);
    dock(QStringLiteral("runsDock"), tr("Runs"), m_runsDock);
    m_taskPanel = new TaskPanel(m_runModel, m_window);
    m_runDetails = new RunTaskDetails(m_runModel, m_window);
    dock(QStringLiteral("logDock"), tr("Log"), m_taskPanel);
    m_charts = new ChartsWidget(m_runModel, m_controller->reader(), m_window);
    dock(QStringLiteral("chartsDock"), tr("Charts"), m_charts);
    // A Gantt row leads to the same places as its node: the canvas selection, the run details and
    // the Log dock (filled on a click, raised on a double click), and the node's menu.
    connect(m_charts, &ChartsWidget::taskClicked, this, [this](const QString &task) {
        if (!m_shownRun)
            return;
        m_runScene->selectTasks({task});
        m_runView->ensureTaskVisible(task);
        showTaskLog(task, false);
    });
    connect(m_charts, &ChartsWidget::taskActivated, this, [this](const QString &task) {
        if (m_shownRun)
            showTaskLog(task, true);
    });
    connect(m_charts, &ChartsWidget::taskContextMenuRequested, this,
        [this](const QString &task, const QPoint &globalPos) {
            if (!m_shownRun)
                return;
            m_runScene->selectTasks({task});
            showTaskLog(task, false);
            QMenu *menu = createNodeMenu(task, m_charts);
            menu->setAttribute(Qt::WA_DeleteOnClose);
            menu->popup(globalPos);
        });
    connect(m_runsDock, &RunsDock::currentRunChanged, this, [this](qint64 id) {
        if (id > 0 && id != m_shownRun)
            showRun(id);
    });
    connect(m_runsDock, &RunsDock::rerunRequested, this,
        [this](const QList<qint64> &ids, RerunMode mode, bool currentDefinition) {
            requestRerun(ids, mode, {}, currentDefinition);
        });
    connect(m_runsDock, &RunsDock::message, this,
        [this](const QString &m) { Q_EMIT statusMessage(m, 5000); });
    connect(m_editDoc, &FlowDocument::reset, this, [this] {
        m_runsDock->setCurrentFlow(m_editDoc->flow().id);
        // Everything run-related follows the document: a run of another flow is forgotten
        // (status bar, banner, Log and Charts docks), not left behind the new file.
        if (m_shownRun && m_runModel->isLoaded()
            && m_runModel->run().flowId != m_editDoc->flow().id)
            forgetRun();
        if (!m_shownRun)
            m_charts->setFlow(m_editDoc->flow().id);
    });

    connect(
        m_controller, &RunController::runSubmitted, this, [this](qint64 id, const QString &tag) {
            if (tag == QLatin1String("gui-run")) {
                Q_EMIT statusMessage(tr("Run %1 started").arg(id), 4000);
                showRun(id);
            } else if (tag == QLatin1String("gui-rerun")) {
                Q_EMIT statusMessage(tr("Run %1: rerun started").arg(id), 4000);
            }
        });
    connect(m_controller, &RunController::actionFailed, this,
        [this](const QString &m) { Q_EMIT statusMessage(m, 10000); });
    connect(m_controller, &RunController::actionDone, this,
        [this](const QString &m) { Q_EMIT statusMessage(m, 5000); });
    connect(m_controller, &RunController::fatalError, this,
        [this](const QString &m) { Q_EMIT statusMessage(tr("The engine stopped: %1").arg(m), 0); });
    connect(m_controller, &RunController::guiRunFinished, this, &RunMonitor::notifyFinished);

    // Status bar: "Run 42 · 7/9" and a progress bar.
    m_status = new QWidget(m_window);
    auto *h = new QHBoxLayout(m_status);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(6);
    m_statusText = new QLabel(m_status);
    m_statusText->setObjectName(QStringLiteral("runStatus"));
    m_progress = new QProgressBar(m_status);
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setMaximumWidth(140);
    m_progress->setMaximumHeight(14);
    m_progress->setTextVisible(false);
    h->addWidget(m_statusText);
    h->addWidget(m_progress);
    m_status->hide();
}

RunMonitor::~RunMonitor()
{
    // The overlay's items live in the run scene: go first.
    delete m_overlay;
    m_overlay = nullptr;
}

Result<void> RunMonitor::start(const QString &home)
{
    auto ok = m_controller->start(home);
    if (!ok)
        Q_EMIT statusMessage(tr("The engine did not start: %1").arg(ok.error().message), 0);
    return ok;
}

ParamsDialog *RunMonitor::paramsDialog() const
{
    return m_dialog.data();
}

bool RunMonitor::isStarted() const
{
    return m_controller->isRunning();
}

QStackedWidget *RunMonitor::wrapCanvas(FlowView *editView)
{
    m_editView = editView;
    m_stack = new QStackedWidget(m_window);
    m_stack->setObjectName(QStringLiteral("canvasStack"));
    m_runView = new FlowView(m_runScene, m_stack);
    m_runView->setObjectName(QStringLiteral("runView"));
    // Read only: no item gestures, no drops, no quick-add; zoom and pan still work.
    m_runView->setInteractive(false);
    m_runView->setAcceptDrops(false);
    m_runView->setContextMenuPolicy(Qt::DefaultContextMenu);
    m_runView->viewport()->installEventFilter(this);
    m_banner = new RunBanner(m_runView);
    connect(m_banner, &RunBanner::showCurrentClicked, this, &RunMonitor::showCurrent);
    connect(m_banner, &RunBanner::confirmClicked, this, &RunMonitor::confirmPreview);
    connect(m_banner, &RunBanner::useCurrentClicked, this, [this] { chooseDefinition(true); });
    connect(m_banner, &RunBanner::keepStoredClicked, this, [this] { chooseDefinition(false); });
    connect(m_banner, &RunBanner::cancelClicked, this, &RunMonitor::cancelPreview);
    m_legend = new RunLegend(m_runView);
    m_legend->installEventFilter(this);
    m_runView->addOverlay(m_legend);
    m_runView->installEventFilter(this);
    m_stack->addWidget(editView);
    m_stack->addWidget(m_runView);
    m_stack->setCurrentWidget(editView);
    return m_stack;
}

bool RunMonitor::isShowingRun() const
{
    return m_stack && m_stack->currentWidget() == m_runView;
}

void RunMonitor::runFlow()
{
    if (!isStarted()) {
        Q_EMIT statusMessage(m_controller->isReadOnly() ? m_controller->readOnlyMessage()
                                                        : tr("The engine is not running."),
            6000);
        return;
    }
    const Flow &flow = m_editDoc->flow();
    if (flow.tasks.isEmpty()) {
        Q_EMIT statusMessage(tr("The flow has no tasks to run."), 6000);
        return;
    }
    if (!m_editDoc->problems().isEmpty()) {
        Q_EMIT statusMessage(
            tr("Fix the problems of the flow before running it (see Problems)."), 8000);
        return;
    }
    if (flow.sourcePath.isEmpty()) {
        Q_EMIT statusMessage(tr("Save the flow first: its folder is where its tasks run."), 8000);
        return;
    }
    if (m_trustGate && !m_trustGate(tr("Trust and Run")))
        return;
    if (m_dialog)
        m_dialog->close();
    m_dialog = new ParamsDialog(flow, m_controller->reader(), m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &QDialog::accepted, this, [this, dialog = m_dialog.data()] {
        const RunRequest req = dialog->request();
        if (dialog->action() == ParamsDialog::Action::Recover && dialog->existingRun())
            Q_EMIT statusMessage(tr("Recovering run %1").arg(dialog->existingRun()->id), 4000);
        m_controller->submit(req, QStringLiteral("gui-run"));
    });
    m_dialog->open();
}

void RunMonitor::cancelRun()
{
    if (m_shownRun && m_runModel->isLoaded() && !isFinal(m_runModel->run().state)) {
        m_controller->cancel(m_shownRun);
        return;
    }
    // Else the newest active run in the table.
    RunsModel *runs = m_runsDock->model();
    for (int i = 0; i < runs->rowCount(); ++i) {
        if (!isFinal(runs->run(i).state)) {
            m_controller->cancel(runs->run(i).id);
            return;
        }
    }
    Q_EMIT statusMessage(tr("No active run to cancel."), 4000);
}

void RunMonitor::cancelTask(const QString &task)
{
    if (m_shownRun)
        m_controller->cancel(m_shownRun, task);
}

void RunMonitor::showRun(qint64 runId)
{
    if (!m_stack)
        return;
    if (runId != m_shownRun) {
        cancelPreview();
        m_shownRun = runId;
        m_drawnRun = 0;
        m_taskPanel->setTask({});
        m_banner->setRunText(tr("Run %1 · loading…").arg(runId), false);
        m_runModel->setRun(runId);
        // Select its row too (it may only arrive with the table's next read).
        if (m_runsDock->model()->rowOf(runId) >= 0) {
            m_runsDock->selectRun(runId);
        } else {
            auto *once = new QObject(this);
            connect(m_runsDock->model(), &RunsModel::loaded, once, [this, once, runId] {
                if (m_shownRun == runId && m_runsDock->model()->rowOf(runId) >= 0) {
                    m_runsDock->selectRun(runId);
                    once->deleteLater();
                } else if (m_shownRun != runId) {
                    once->deleteLater();
                }
            });
        }
    }
    m_stack->setCurrentWidget(m_runView);
    m_overlay->setActive(true);
    m_banner->reposition();
    m_status->show();
    Q_EMIT runViewShown(true);
}

void RunMonitor::showCurrent()
{
    cancelPreview();
    if (m_stack)
        m_stack->setCurrentWidget(m_editView);
    Q_EMIT runViewShown(false);
}

void RunMonitor::forgetRun()
{
    showCurrent();
    m_shownRun = 0;
    m_drawnRun = 0;
    m_drawnHash.clear();
    m_taskPanel->setTask({});
    m_runModel->setRun(0);
    m_runDoc->setFlow(Flow());
    m_statusText->clear();
    m_status->hide();
}

QString RunMonitor::flowIdUsedElsewhere(const QString &flowId, const QString &path) const
{
    if (!isStarted())
        return {};
    HistoryStore::Options o;
    o.path = m_controller->historyPath();
    o.readOnly = true;
    auto store = HistoryStore::open(o);
    if (!store)
        return {};
    RunFilter filter;
    filter.flowId = flowId;
    filter.limit = 20;
    auto runs = (*store)->runs(filter);
    if (!runs)
        return {};
    for (const RunRecord &r : *runs) {
        if (!r.sourcePath.isEmpty() && r.sourcePath != path)
            return tr("Runs of another file (%1) already use the id '%2': their histories would "
                      "mix; give this flow another id in the flow settings.")
                .arg(r.sourcePath, flowId);
    }
    return {};
}

void RunMonitor::drawRun()
{
    if (m_runModel->runId() != m_shownRun || !m_runModel->hasPlan())
        return;
    // Redraw only for another run or another definition.
    if (m_drawnRun == m_shownRun && m_drawnHash == m_runModel->plan().definitionHash) {
        m_overlay->sync();
        return;
    }
    Flow flow = m_runModel->plan().flow;
    // A snapshot has no layout: take the open file's positions, else lay it out.
    bool complete = true;
    for (const TaskSpec &t : flow.tasks) {
        if (m_editDoc->flow().id == flow.id && m_editDoc->flow().layout.contains(t.id))
            flow.layout.insert(t.id, m_editDoc->taskPos(t.id));
        else
            complete = false;
    }
    if (!complete) {
        flow.layout.clear();
        const QHash<QString, QPointF> placed = AutoLayout::compute(flow);
        for (auto it = placed.begin(); it != placed.end(); ++it)
            flow.layout.insert(it.key(), it.value());
    }
    m_runDoc->setFlow(flow);
    m_runUndo->clear();
    m_drawnRun = m_shownRun;
    m_drawnHash = m_runModel->plan().definitionHash;
    m_overlay->sync();
    // A run is watched whole: every task's state in sight, however small (Ctrl+0 then zooms to
    // legible text, as in the editor).
    QTimer::singleShot(0, m_runView, [this] { m_runView->fitWhole(); });
    updateBanner();
    updateStatus();
    m_charts->setFlow(flow.id);
    Q_EMIT runDrawn(m_shownRun);
}

void RunMonitor::updateBanner()
{
    if (!m_banner || !m_runModel->isLoaded())
        return;
    const RunRecord &run = m_runModel->run();
    const qint64 t = run.started ? run.started : run.created;
    QString text
        = tr("Run %1 · %2 · %3 · %4")
              .arg(run.id)
              .arg(QDateTime::fromMSecsSinceEpoch(t).toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                  run.flowId, StatePalette::label(run.state));
    const QString params = RunsModel::compactParams(run.paramsJson);
    if (!params.isEmpty())
        text += QStringLiteral(" · ") + params;
    bool warn = false;
    if (m_editDoc->flow().id != run.flowId) {
        text += QStringLiteral(" — ") + tr("not the open flow");
    } else if (m_runModel->hasPlan()) {
        auto current = RunPlanner::plan(m_editDoc->flow(), paramsOf(run.paramsJson));
        if (current && current->definitionHash != m_runModel->plan().definitionHash) {
            text += QStringLiteral(" — ") + tr("definition differs from the open file");
            warn = true;
        }
    }
    if (!m_runModel->planError().isEmpty())
        text += QStringLiteral(" — ") + m_runModel->planError();
    m_banner->setRunText(text, warn);
}

void RunMonitor::updateStatus()
{
    if (!m_runModel->isLoaded() || m_shownRun == 0)
        return;
    const int done = m_runModel->doneCount();
    const int total = m_runModel->totalCount();
    m_statusText->setText(tr("Run %1 · %2 · %3/%4")
                              .arg(m_shownRun)
                              .arg(StatePalette::label(m_runModel->run().state))
                              .arg(done)
                              .arg(total));
    m_progress->setStyleSheet(
        QStringLiteral("QProgressBar { border: 1px solid palette(mid); border-radius: 3px; }"
                       " QProgressBar::chunk { background: %1; }")
            .arg(StatePalette::color(m_runModel->run().state).name()));
    m_progress->setRange(0, qMax(1, total));
    m_progress->setValue(done);
    m_progress->setToolTip(QStringLiteral("%1/%2").arg(done).arg(total));
    m_status->show();
}

void RunMonitor::requestRerun(
    const QList<qint64> &runIds, RerunMode mode, const QString &task, bool currentDefinition)
{
    if (runIds.isEmpty())
        return;
    if (runIds.size() > 1) {
        for (qint64 id : runIds)
            m_controller->rerun(id, mode, task, false);
        Q_EMIT statusMessage(tr("Rerunning the failed tasks of %1 runs").arg(runIds.size()), 5000);
        return;
    }
    showRun(runIds.first()); // first: showing another run drops a pending preview
    m_pending = {runIds.first(), mode, task, currentDefinition, {}, currentDefinition};
    applyPendingPreview();
}

void RunMonitor::applyPendingPreview()
{
    if (m_pending.runId == 0 || m_runModel->runId() != m_pending.runId || !m_runModel->isLoaded()
        || !m_runModel->hasPlan() || m_drawnRun != m_pending.runId)
        return;
    const Pending p = m_pending;
    m_pending = {};
    std::optional<RunPlan> current;
    if (m_editDoc->flow().id == m_runModel->run().flowId) {
        auto c = RunPlanner::plan(m_editDoc->flow(), paramsOf(m_runModel->run().paramsJson));
        if (c)
            current = *c;
    }
    if (p.currentDefinition && !current) {
        Q_EMIT statusMessage(
            tr("Open the flow file of run %1 to rerun it with the current definition.")
                .arg(p.runId),
            8000);
        return;
    }
    const RerunPreview preview = RerunPreview::compute(m_runModel->plan(),
        current ? &*current : nullptr, m_runModel->taskStates(), p.mode, p.task,
        p.currentDefinition, m_runModel->attemptCounts());
    m_overlay->setPreview(preview);
    // A file that differs from the run's definition is never settled silently (DESIGN §1 rule
    // 1 keeps the run's own definition the default for an unchanged file): the operator picks.
    const bool ask = preview.definitionDiffers && !p.definitionChosen;
    QString warning;
    if (p.currentDefinition)
        warning = tr("runs the open file's definition");
    else if (preview.definitionDiffers && !ask)
        warning = tr("runs the run's own definition: the file's changes are not used");
    m_preview = p;
    m_preview.confirm = preview.confirmationTasks();
    m_banner->setPreviewText(
        preview.rerun.isEmpty() ? tr("Nothing to run again") : preview.summary(), warning);
    m_banner->setConfirmation(preview.confirmationText(), !preview.rerun.isEmpty());
    m_banner->setDefinitionChoice(ask ? preview.differenceSummary() : QString());
}

void RunMonitor::chooseDefinition(bool current)
{
    if (m_preview.runId == 0)
        return;
    Pending p = m_preview;
    p.currentDefinition = current;
    p.definitionChosen = true;
    p.confirm.clear();
    m_pending = p;
    applyPendingPreview();
}

bool RunMonitor::isPreviewing() const
{
    return m_preview.runId != 0;
}

void RunMonitor::confirmPreview()
{
    if (m_preview.runId == 0)
        return;
    if (m_banner->isChoosingDefinition()) {
        Q_EMIT statusMessage(tr("Choose first which definition to run: the current file or the "
                                "run's own."),
            8000);
        return;
    }
    if (m_banner->needsConfirmation() && !m_banner->confirmBox()->isChecked()) {
        Q_EMIT statusMessage(
            tr("Tick the confirmation first: some tasks must not run twice unchecked."), 8000);
        return;
    }
    const Pending p = m_preview;
    // The open file's definition is code from that file: trusted like a first Run (issue 12).
    // Declined, the preview stays, so the run's own definition can still be chosen.
    if (p.currentDefinition && m_trustGate && !m_trustGate(tr("Trust and Rerun")))
        return;
    std::optional<RunPlan> current;
    if (p.currentDefinition) {
        auto c = RunPlanner::plan(m_editDoc->flow(), paramsOf(m_runModel->run().paramsJson));
        if (!c) {
            Q_EMIT statusMessage(c.error().message, 8000);
            return;
        }
        current = *c;
    }
    cancelPreview();
    RunRequest req;
    req.kind = RunRequest::Kind::Rerun;
    req.runId = p.runId;
    req.mode = p.mode;
    req.task = p.task;
    req.currentDefinition = p.currentDefinition;
    // Run is enabled only once the box is ticked when the preview asks for a confirmation.
    req.confirmed = p.confirm;
    if (current)
        req.plan = *current;
    m_controller->submit(req, QStringLiteral("gui-rerun"));
}

void RunMonitor::cancelPreview()
{
    m_preview = {};
    m_pending = {};
    if (m_overlay)
        m_overlay->clearPreview();
    if (m_banner) {
        m_banner->setPreviewText({});
        m_banner->setConfirmation({}, false);
        m_banner->setDefinitionChoice({});
    }
}

QMenu *RunMonitor::createNodeMenu(const QString &task, QWidget *parent)
{
    auto *menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("nodeRunMenu"));
    const TaskRunState s = m_runModel->state(task);
    const bool runFinal = m_runModel->isLoaded() && isFinal(m_runModel->run().state);
    auto add = [menu](const QString &name, const QString &text, bool enabled) {
        QAction *a = menu->addAction(text);
        a->setObjectName(name);
        a->setEnabled(enabled);
        return a;
    };
    const qint64 id = m_shownRun;
    QAction *from = add(QStringLiteral("rerunFrom"), tr("Rerun from here"), runFinal);
    menu->setDefaultAction(from);
    connect(from, &QAction::triggered, this,
        [this, id, task] { requestRerun({id}, RerunMode::From, task); });
    QAction *only = add(QStringLiteral("rerunTask"), tr("Rerun this task only"), runFinal);
    connect(only, &QAction::triggered, this,
        [this, id, task] { requestRerun({id}, RerunMode::Task, task); });
    menu->addSeparator();
    const bool markable = isFinal(s.state) || s.state == TaskState::Waiting;
    QAction *ok = add(QStringLiteral("markSucceeded"), tr("Mark succeeded"),
        markable && s.state != TaskState::Succeeded);
    connect(ok, &QAction::triggered, this,
        [this, id, task] { m_controller->mark(id, task, TaskState::Succeeded); });
    QAction *bad = add(
        QStringLiteral("markFailed"), tr("Mark failed"), markable && s.state != TaskState::Failed);
    connect(bad, &QAction::triggered, this,
        [this, id, task] { m_controller->mark(id, task, TaskState::Failed); });
    QAction *cancel = add(QStringLiteral("cancelTask"), tr("Cancel this task"),
        s.state == TaskState::Running || s.state == TaskState::Queued
            || s.state == TaskState::RetryWait);
    connect(cancel, &QAction::triggered, this, [this, task] { cancelTask(task); });
    if (m_controller->isReadOnly()) { // a read-only history: view only
        for (QAction *a : {from, only, ok, bad, cancel})
            a->setEnabled(false);
    }
    menu->addSeparator();
    QAction *log = add(QStringLiteral("showLog"), tr("Show log"), s.attempt > 0);
    connect(log, &QAction::triggered, this, [this, task] { showTaskLog(task, true); });
    return menu;
}

void RunMonitor::showTaskLog(const QString &task, bool raise)
{
    m_taskPanel->setTask(task);
    m_runDetails->setTask(task);
    if (!raise)
        return;
    for (QDockWidget *d : std::as_const(m_docks)) {
        if (d->objectName() == QLatin1String("logDock")) {
            d->show();
            d->raise();
        }
    }
}

QString RunMonitor::nodeAt(QPoint viewportPos) const
{
    for (QGraphicsItem *item : m_runView->items(viewportPos)) {
        for (QGraphicsItem *i = item; i; i = i->parentItem()) {
            if (auto *node = qgraphicsitem_cast<NodeItem *>(i))
                return node->taskId();
        }
    }
    return {};
}

bool RunMonitor::eventFilter(QObject *watched, QEvent *event)
{
    if (m_runView && watched == m_runView->viewport()) {
        if (event->type() == QEvent::MouseButtonPress) {
            auto *me = static_cast<QMouseEvent *>(event);
            if (me->button() == Qt::LeftButton) {
                const QString task = nodeAt(me->position().toPoint());
                m_runScene->selectTasks(task.isEmpty() ? QStringList() : QStringList{task});
                // A click on a task shows its attempts and log; on a failed one the Log dock
                // comes to the front (issue 17 item 7).
                if (!task.isEmpty()) {
                    const TaskState s = m_runModel->state(task).state;
                    showTaskLog(task,
                        s == TaskState::Failed || s == TaskState::Interrupted
                            || s == TaskState::Cancelled);
                }
            }
        } else if (event->type() == QEvent::ContextMenu) {
            auto *ce = static_cast<QContextMenuEvent *>(event);
            const QString task = nodeAt(ce->pos());
            if (!task.isEmpty() && m_shownRun) {
                m_runScene->selectTasks({task});
                showTaskLog(task, false);
                QMenu *menu = createNodeMenu(task, m_runView);
                menu->setAttribute(Qt::WA_DeleteOnClose);
                menu->popup(ce->globalPos());
            }
            return true;
        }
    }
    if (m_runView && watched == m_runView && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape && isPreviewing()) {
        cancelPreview();
        return true;
    }
    if (m_runView && (watched == m_runView || watched == m_legend)
        && event->type() == QEvent::Resize && m_legend) {
        const QSize s = m_legend->sizeHint();
        m_legend->setGeometry(8, m_runView->height() - s.height() - 8, s.width(), s.height());
        m_legend->raise();
    }
    return QObject::eventFilter(watched, event);
}

void RunMonitor::notifyFinished(qint64 runId, RunState state)
{
    const QString title = tr("Run %1 %2").arg(runId).arg(StatePalette::label(state));
    QString flow;
    const int row = m_runsDock->model()->rowOf(runId);
    if (row >= 0)
        flow = m_runsDock->model()->run(row).flowId + QLatin1Char(' ')
            + RunsModel::compactParams(m_runsDock->model()->run(row).paramsJson);
    Q_EMIT statusMessage(title + (flow.isEmpty() ? QString() : QStringLiteral(" · ") + flow), 8000);
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(m_window->windowIcon(), this);
        m_tray->setToolTip(QStringLiteral("Pipewright"));
        m_tray->show();
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
        });
    }
    m_tray->showMessage(title, flow,
        state == RunState::Succeeded ? QSystemTrayIcon::Information : QSystemTrayIcon::Warning,
        8000);
}

} // namespace pw
