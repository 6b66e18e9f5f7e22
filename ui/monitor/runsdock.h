#pragma once

#include "engine/runrequest.h"

#include <QList>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QMenu;
class QTableView;

namespace pw {

class RunController;
class RunsModel;

// The Runs dock (UI.md "Monitor"): filters (flow, state, text) over a paged RunsModel table and
// the run context menu: Rerun failed tasks (bold, default) · Rerun all · Rerun with current
// definition · Mark succeeded · Cancel · Copy parameters · Show logs folder. Several selected
// runs: "Rerun failed tasks" reruns each of them. Reruns are announced with rerunRequested (the
// main window previews a single run's rerun on the canvas first); marks and cancels go to the
// RunController directly. Main thread only.
class RunsDock : public QWidget
{
    Q_OBJECT
public:
    RunsDock(RunController *controller, QWidget *parent = nullptr);

    RunsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QList<qint64> selectedRuns() const;
    qint64 currentRun() const;
    void selectRun(qint64 runId);
    // Flow filter choices; the open flow is offered first.
    void setCurrentFlow(const QString &flowId);

    // The context menu for these runs (tests trigger its actions by object name:
    // rerunFailed, rerunAll, rerunCurrent, markSucceeded, cancelRun, copyParams, showLogs).
    QMenu *createContextMenu(const QList<qint64> &runIds, QWidget *parent);

Q_SIGNALS:
    void currentRunChanged(qint64 runId);
    void rerunRequested(const QList<qint64> &runIds, pw::RerunMode mode, bool currentDefinition);
    void message(const QString &text);

private:
    void applyFilter();
    void showMenu(QPoint pos);
    void updateFlowChoices();

    RunController *m_controller;
    RunsModel *m_model;
    QTableView *m_table;
    QComboBox *m_flow;
    QComboBox *m_state;
    QLineEdit *m_search;
    QTimer m_searchDelay;
    QString m_currentFlow;
    qint64 m_current = 0;
};

} // namespace pw
