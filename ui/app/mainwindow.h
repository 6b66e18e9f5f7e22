#pragma once

#include "model/result.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

class QAction;
class QLabel;
class QStackedWidget;
class QMenu;
class QUndoStack;
class QUndoView;

namespace pw {

class BottomDocks;

class BackfillDialog;
class DocumentController;
class FlowDocument;
class FlowScene;
class FlowView;
class ForeignRunNotifier;
class InspectorWidget;
class MessageBar;
class RecoveryPrompt;
class PaletteWidget;
class ProblemsWidget;
class RunMonitor;
class SchedulerRunner;
class SearchPopup;

// The designer's main window: menus, toolbar, status bar, the canvas, and the Palette,
// Inspector, Problems and Undo history docks (their layout is kept in QSettings). Owns the
// document, the undo stack and the scene; the file operations (New/Open/Save/Save As/Revert,
// recent files, export, the unsaved-changes prompt) are its DocumentController's. Main thread
// only.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    FlowDocument *document() const { return m_doc; }
    QUndoStack *undoStack() const { return m_undo; }
    FlowScene *scene() const { return m_scene; }
    FlowView *view() const { return m_view; }
    PaletteWidget *palette() const { return m_palette; }
    InspectorWidget *inspector() const { return m_inspector; }
    ProblemsWidget *problems() const { return m_problems; }
    QString currentFile() const;
    DocumentController *documents() const { return m_docs; }
    // Actions by object name ("save", "undo", "autoLayout", ...), for tests and the toolbar.
    QAction *action(const QString &name) const { return m_actions.value(name); }

    // File operations without dialogs (DocumentController's).
    Result<void> openFile(const QString &path);
    Result<void> saveTo(const QString &path);
    void newFlow();
    // format: yaml, json, dot, svg, png
    Result<void> exportTo(const QString &path, const QString &format);
    // Shows run RUN_ID (--run) on the run canvas and selects it in the Runs dock.
    void setRunToShow(qint64 runId);
    // The Pipewright home (--home, else $PIPEWRIGHT_HOME, else the default): starts the GUI's
    // engine on it, so runs can start here and dead owners are taken over while the window is open.
    void setHome(const QString &home);
    // The run monitor: engine, Runs/Log/Charts docks, run canvas (issue 4).
    RunMonitor *monitor() const { return m_monitor; }
    SchedulerRunner *scheduler() const { return m_scheduler; }
    // The bar above the canvas (object name homeBar): shown while the history is read-only.
    MessageBar *homeBar() const { return m_homeBar; }
    RecoveryPrompt *recoveryBar() const { return m_recoveryBar; }
    // The canvas on screen: the editor's, or the run canvas while a run is shown.
    FlowView *activeView() const;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    QAction *addAction(const QString &name, const QString &text, const QKeySequence &shortcut,
        const QString &icon = {});
    void documentReplaced(const QString &path);
    void backfillDialog();
    void setSchedulerOn(bool on);
    bool ensureTrusted(const QString &action);
    void trustSaved();
    void updateNextRun();
    void updateTitle();
    void updateActions();
    void updateNotifyAction(); // Run > Notify About Other Processes' Runs (open flow)
    void updateStatus();
    void renameSelected();
    void findTask();
    void quickAdd(QPointF scenePos, QPoint globalPos);
    void selectAndShow(const QString &id);
    void setDarkTheme(bool dark);
    void showCanvasMenu(QPoint viewportPos);
    void readSettings();
    void writeSettings();

    FlowDocument *m_doc;
    QUndoStack *m_undo;
    FlowScene *m_scene;
    FlowView *m_view;
    DocumentController *m_docs;
    PaletteWidget *m_palette = nullptr;
    InspectorWidget *m_inspector = nullptr;
    QStackedWidget *m_inspectorPages = nullptr; // the inspector, or a shown run's task details
    ProblemsWidget *m_problems = nullptr;
    int m_problemCount = 0;
    BottomDocks *m_bottomDocks = nullptr; // Problems, Undo, Runs, Log, Charts: folding
    RunMonitor *m_monitor = nullptr;
    MessageBar *m_homeBar = nullptr;
    RecoveryPrompt *m_recoveryBar = nullptr;
    ForeignRunNotifier *m_foreignRuns = nullptr;
    QPointer<BackfillDialog> m_backfill; // Run > Backfill…, while open
    QUndoView *m_undoView = nullptr;
    SearchPopup *m_quickAdd;
    SearchPopup *m_finder;
    QHash<QString, QAction *> m_actions;
    QMenu *m_viewMenu = nullptr;
    SchedulerRunner *m_scheduler = nullptr; // Run > Run Scheduler
    QLabel *m_nextRun = nullptr;            // "next: 2026-11-27 03:00"
    QLabel *m_validity;
    QLabel *m_counts;
    QLabel *m_zoom;
    QString m_home;
    QPointF m_quickAddPos;
    QByteArray m_defaultState; // dock layout before the saved one is restored
};

} // namespace pw
