#pragma once

#include "model/flow.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTableWidget;
class QUndoStack;

namespace pw {

class DurationEdit;
class FlowDocument;
class RetrySettingsEditor;

// Inspector page for the flow itself (shown when no task is selected): id, title,
// description, params, schedule, limits and pools, task defaults, notify and SLA. Every edit
// is a SetFlowSettingsCommand on the undo stack.
class FlowInspector : public QWidget
{
    Q_OBJECT
public:
    FlowInspector(FlowDocument *doc, QUndoStack *undo, QWidget *parent = nullptr);

private:
    void refresh();
    void apply(const QString &field, const std::function<void(Flow &)> &change);
    QList<ParamSpec> paramsFromTable() const;
    QMap<QString, int> poolsFromTable() const;
    void fillParams(const QList<ParamSpec> &params);
    void fillPools(const QMap<QString, int> &pools);
    QLineEdit *lineEdit(const QString &field, const std::function<void(Flow &, const QString &)> &set);

    FlowDocument *m_doc;
    QUndoStack *m_undo;
    bool m_updating = false;
    int m_session = 0; // changes with the focus: edits merge only within one session

    QLineEdit *m_id;
    QLineEdit *m_title;
    QLineEdit *m_description;
    QTableWidget *m_params;
    QLineEdit *m_cron;
    QComboBox *m_timezone;
    QCheckBox *m_catchup;
    QLineEdit *m_start;
    QComboBox *m_scheduleParam;
    DurationEdit *m_offset;
    QSpinBox *m_maxParallel;
    QSpinBox *m_maxActiveRuns;
    QTableWidget *m_pools;
    RetrySettingsEditor *m_defaults;
    QList<QCheckBox *> m_notifyOn;
    QLineEdit *m_notifyCommand;
    QLineEdit *m_webhook;
    DurationEdit *m_slaDuration;
    QLineEdit *m_slaTime;
};

} // namespace pw
