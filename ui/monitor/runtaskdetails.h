#pragma once

#include <QWidget>

class QFormLayout;
class QLabel;

namespace pw {

class RunStateModel;

// The Inspector dock's page while a run is shown (issue 17 item 7): the chosen task's run
// details — state, attempts, exit code, error, duration, start and end — instead of flow
// settings that cannot be edited on a run. Follows the RunStateModel; RunMonitor sets the task
// on a click on a node. Main thread only.
class RunTaskDetails : public QWidget
{
    Q_OBJECT
public:
    explicit RunTaskDetails(RunStateModel *model, QWidget *parent = nullptr);
    void setTask(const QString &task);
    QString task() const { return m_task; }

private:
    void refresh();
    QLabel *row(QFormLayout *form, const QString &label, const char *name);

    RunStateModel *m_model;
    QString m_task;
    QLabel *m_title;
    QWidget *m_fields;
    QLabel *m_state;
    QLabel *m_attempts;
    QLabel *m_exitCode;
    QLabel *m_error;
    QLabel *m_duration;
    QLabel *m_started;
    QLabel *m_ended;
    QLabel *m_hint;
};

} // namespace pw
