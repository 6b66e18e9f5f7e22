#pragma once

#include "model/taskspec.h"

#include <QStringList>
#include <QWidget>

#include <functional>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QUndoStack;

namespace pw {

class DurationEdit;
class FlowDocument;
class RetrySettingsEditor;

// Inspector page for the selected task(s): every field of TaskSpec with a widget that fits
// (combo boxes for enums, spin boxes, duration fields, monospace editors for command and SQL).
// With several tasks selected it shows the first one and an edit applies that one field to
// all of them. Every edit is a SetTaskCommand (or a RenameTaskCommand) on the undo stack.
class TaskInspector : public QWidget
{
    Q_OBJECT
public:
    TaskInspector(FlowDocument *doc, QUndoStack *undo, QWidget *parent = nullptr);
    void setTasks(const QStringList &ids);
    const QStringList &tasks() const { return m_ids; }

Q_SIGNALS:
    void statusMessage(const QString &message, int timeout);

private:
    void refresh();
    void apply(const QString &field, const std::function<void(TaskSpec &)> &change);
    void updateVisibility(const TaskSpec &t);
    QLineEdit *lineEdit(const QString &field, const std::function<void(TaskSpec &, const QString &)> &set);
    QPlainTextEdit *codeEdit(const QString &field, const std::function<void(TaskSpec &, const QString &)> &set);

    FlowDocument *m_doc;
    QUndoStack *m_undo;
    QStringList m_ids;
    bool m_updating = false;
    int m_session = 0; // changes with the focus: edits merge only within one session

    QLabel *m_heading;
    QLineEdit *m_id;
    QComboBox *m_type;
    QLineEdit *m_description;
    QLabel *m_after;
    QComboBox *m_trigger;
    QSpinBox *m_priority;
    QComboBox *m_pool;
    QComboBox *m_executor;
    QGroupBox *m_shellGroup;
    QPlainTextEdit *m_command;
    QLineEdit *m_workdir;
    QPlainTextEdit *m_env;
    QPlainTextEdit *m_outputs;
    QGroupBox *m_sqlGroup;
    QLineEdit *m_connection;
    QPlainTextEdit *m_sql;
    QLineEdit *m_partTable;
    QLineEdit *m_partColumn;
    QLineEdit *m_partValue;
    QGroupBox *m_waitGroup;
    QLineEdit *m_waitPath;
    DurationEdit *m_poke;
    QGroupBox *m_slurmGroup;
    QLineEdit *m_slurmPartition;
    QLineEdit *m_slurmTime;
    QSpinBox *m_slurmCpus;
    QLineEdit *m_slurmMem;
    QLineEdit *m_slurmAccount;
    QLineEdit *m_slurmQos;
    QLineEdit *m_slurmArgs;
    RetrySettingsEditor *m_retry;
};

} // namespace pw
