#pragma once

#include <QList>
#include <QWidget>

class QLabel;
class QTreeWidget;

namespace pw {

class LogView;
class RunStateModel;

// The Log dock's contents (UI.md "Log view"): the attempts of the selected task of the shown run
// (attempt, state, exit code, error — first, so a narrow dock shows them — then duration, rows
// affected of a sql attempt, start, end, try) and the log of the selected
// attempt (the latest by default), tailing it while the attempt runs. Updates from the
// RunStateModel. Main thread only.
class TaskPanel : public QWidget
{
    Q_OBJECT
public:
    enum Column {
        AttemptColumn,
        StateColumn,
        ExitCodeColumn,
        ErrorColumn,
        DurationColumn,
        RowsColumn,
        StartedColumn,
        EndedColumn,
        TryColumn
    };
    explicit TaskPanel(RunStateModel *model, QWidget *parent = nullptr);

    void setTask(const QString &task);
    QString task() const { return m_task; }
    QTreeWidget *attemptsView() const { return m_attempts; }
    LogView *logView() const { return m_log; }
    // The Rows column: "5 (3 + 0 + 2)" for three statements, "3" for one; the tooltip lists
    // each statement.
    static QString rowsText(const QList<qint64> &rows);
    static QString rowsToolTip(const QList<qint64> &rows);

private:
    void rebuild();
    void showAttempt(int attempt);

    RunStateModel *m_model;
    QString m_task;
    int m_attempt = 0; // chosen by the user; 0 = the latest
    QLabel *m_title;
    QTreeWidget *m_attempts;
    LogView *m_log;
};

} // namespace pw
