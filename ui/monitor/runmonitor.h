#pragma once

#include "engine/runrequest.h"
#include "model/result.h"
#include "model/states.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QDockWidget;
class QLabel;
class QMainWindow;
class QMenu;
class QProgressBar;
class QStackedWidget;
class QSystemTrayIcon;
class QUndoStack;

namespace pw {

class ChartsWidget;
class FlowDocument;
class FlowScene;
class FlowView;
class ParamsDialog;
class RunBanner;
class RunController;
class RunLegend;
class RunOverlay;
class RunsDock;
class RunStateModel;
class RunTaskDetails;
class TaskPanel;

// The monitor inside the main window (issue 4): owns the RunController (the GUI's engine), the
// Runs / Log / Charts docks, and a second, read-only canvas that shows a run with its OWN
// definition snapshot (its own FlowDocument and FlowScene, so the open file is never touched),
// with the run overlay, the legend and a banner. Runs (F5 -> ParamsDialog), cancels, previews
// reruns on the canvas before one click confirms them, offers the node menu of a shown run, puts
// done/total in the status bar and notifies through the tray when a run started here ends.
// MainWindow only wires it in (menus, central stack, docks). Main thread only.
class RunMonitor : public QObject
{
    Q_OBJECT
public:
    RunMonitor(QMainWindow *window, FlowDocument *editDoc, QObject *parent = nullptr);
    ~RunMonitor() override;

    // Starts the engine on `home` (--home, else $PIPEWRIGHT_HOME, else the default) and creates
    // the docks' models. Before this, the monitor's actions say the engine is not running.
    Result<void> start(const QString &home);
    bool isStarted() const;

    // The central widget: the editor's view and the run view in a stack.
    QStackedWidget *wrapCanvas(FlowView *editView);
    // Runs, Log and Charts docks (object names runsDock, logDock, chartsDock); after start().
    QList<QDockWidget *> docks() const { return m_docks; }
    QWidget *statusWidget() const { return m_status; }

    RunController *controller() const { return m_controller; }
    RunsDock *runsDock() const { return m_runsDock; }
    TaskPanel *taskPanel() const { return m_taskPanel; }
    // The Inspector dock's page while a run is shown (the main window swaps it in).
    RunTaskDetails *runDetails() const { return m_runDetails; }
    ChartsWidget *charts() const { return m_charts; }
    RunStateModel *runModel() const { return m_runModel; }
    RunOverlay *overlay() const { return m_overlay; }
    FlowView *runView() const { return m_runView; }
    FlowScene *runScene() const { return m_runScene; }
    RunBanner *banner() const { return m_banner; }
    ParamsDialog *paramsDialog() const; // the open one, if any
    QProgressBar *progressBar() const { return m_progress; }

    bool isShowingRun() const;
    // The shown run is loaded and drawn (for --screenshot).
    bool isRunDrawn() const { return m_drawnRun != 0 && m_drawnRun == m_shownRun; }
    qint64 shownRun() const { return m_shownRun; }

    // Run > Run (F5): the params dialog for the open flow; OK submits and shows the run.
    void runFlow();
    // Asked before runFlow() opens its dialog, with the accept button's text ("Trust and Run"):
    // false stops (the window asks its user to trust the file, issue 12). None: no question.
    void setTrustGate(std::function<bool(const QString &action)> gate)
    {
        m_trustGate = std::move(gate);
    }
    // Cancels the shown run if it is active, else the latest active run started here.
    void cancelRun();
    void cancelTask(const QString &task);
    void showRun(qint64 runId);
    void showCurrent();
    // Back to the open file with no run shown: the status bar, banner, Log and Charts docks
    // let go of it (another flow was opened).
    void forgetRun();
    // The Log dock shows `task` of the shown run (its attempts and log); `raise` brings the
    // dock to the front.
    void showTaskLog(const QString &task, bool raise);
    // When the history has runs of flow `flowId` from a file other than `path`: a warning that
    // their histories would mix (empty when not, or when the history cannot be read).
    QString flowIdUsedElsewhere(const QString &flowId, const QString &path) const;
    // Reruns: one run is previewed on the canvas first (Run confirms; Cancel or Esc drops it);
    // several are submitted at once.
    void requestRerun(const QList<qint64> &runIds, RerunMode mode, const QString &task = {},
        bool currentDefinition = false);
    void confirmPreview();
    void cancelPreview();
    bool isPreviewing() const;
    // The menu of a node of the shown run (object names rerunFrom, rerunTask, markSucceeded,
    // markFailed, cancelTask, showLog).
    QMenu *createNodeMenu(const QString &task, QWidget *parent);
    // The tray (else status bar) message for an ended run: runs started here, and runs of other
    // processes of opted-in flows (ForeignRunNotifier).
    void notifyFinished(qint64 runId, pw::RunState state);

Q_SIGNALS:
    void runViewShown(bool shown);
    void statusMessage(const QString &message, int timeout);
    // The shown run was drawn on the run canvas (after showRun, or when its plan changed).
    void runDrawn(qint64 runId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Pending
    {
        qint64 runId = 0;
        RerunMode mode = RerunMode::Failed;
        QString task;
        bool currentDefinition = false;
        QStringList confirm; // `idempotent: false` tasks the operator confirms (preview only)
        // The operator chose the definition (the current file or the run's own): asked only
        // when the open file differs from the run's definition.
        bool definitionChosen = false;
    };
    void chooseDefinition(bool current);
    void drawRun();
    void updateBanner();
    void updateStatus();
    void applyPendingPreview();
    QString nodeAt(QPoint viewportPos) const;

    QMainWindow *m_window;
    FlowDocument *m_editDoc;
    RunController *m_controller;
    RunStateModel *m_runModel = nullptr;
    RunsDock *m_runsDock = nullptr;
    RunTaskDetails *m_runDetails = nullptr;
    TaskPanel *m_taskPanel = nullptr;
    ChartsWidget *m_charts = nullptr;
    QList<QDockWidget *> m_docks;

    FlowDocument *m_runDoc;
    QUndoStack *m_runUndo;
    FlowScene *m_runScene;
    FlowView *m_runView = nullptr;
    RunOverlay *m_overlay = nullptr;
    RunBanner *m_banner = nullptr;
    RunLegend *m_legend = nullptr;
    QStackedWidget *m_stack = nullptr;
    FlowView *m_editView = nullptr;

    QWidget *m_status;
    QLabel *m_statusText;
    QProgressBar *m_progress;
    QPointer<ParamsDialog> m_dialog;
    QSystemTrayIcon *m_tray = nullptr;

    qint64 m_shownRun = 0;
    qint64 m_drawnRun = 0;
    QString m_drawnHash;
    Pending m_pending;
    Pending m_preview; // the rerun the banner offers
    std::function<bool(const QString &)> m_trustGate;
};

} // namespace pw
