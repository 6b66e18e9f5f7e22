#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QChart;
class QChartView;
class QLabel;
class QTabWidget;

namespace pw {

class GanttView;
class HistoryReader;
class RunStateModel;

// The Charts dock (UI.md "Gantt"):
//  - Gantt (GanttView): one row per task of the shown run at a fixed height, scrolling and zooming,
//    one bar per attempt coloured by its state (retries are separate bars with a gap), local time
//    axis, hover shows times, exit code, error;
//  - Durations (Qt Charts): each task's duration over the last N runs of the flow;
//  - Per day: succeeded and failed runs of the flow per day, the last 14 days.
// Run data comes from the RunStateModel; history from the HistoryReader (off the GUI thread).
// Main thread only.
class ChartsWidget : public QWidget
{
    Q_OBJECT
public:
    ChartsWidget(RunStateModel *model, HistoryReader *reader, QWidget *parent = nullptr);

    // The flow whose history the trend and per-day charts show.
    void setFlow(const QString &flowId);
    void setTrendRuns(int n) { m_trendRuns = n; }
    QTabWidget *tabs() const { return m_tabs; }
    GanttView *gantt() const { return m_ganttView; }
    int ganttBars() const;
    QChart *trendChart() const;
    // Rebuild now (normally coalesced).
    void rebuildGantt();
    void reloadHistory();
    // The flow the trend and per-day charts show now (empty until their first read).
    QString chartedFlow() const { return m_chartedFlow; }

Q_SIGNALS:
    void historyCharted();
    // A Gantt row was clicked / double-clicked / asked for its menu.
    void taskClicked(const QString &task);
    void taskActivated(const QString &task);
    void taskContextMenuRequested(const QString &task, const QPoint &globalPos);

protected:
    void showEvent(QShowEvent *event) override;

private:
    RunStateModel *m_model;
    HistoryReader *m_reader;
    QTabWidget *m_tabs;
    GanttView *m_ganttView;
    QLabel *m_ganttTitle;
    QChartView *m_trend;
    QChartView *m_daily;
    QTimer m_ganttDelay;
    QTimer m_historyDelay;
    QString m_flow;
    QString m_chartedFlow;
    int m_trendRuns = 30;
    bool m_loading = false;
    bool m_stale = false; // the store changed while the charts were hidden
    quint64 m_generation = 0;
};

} // namespace pw
