#pragma once

#include "model/flow.h"

#include <QWidget>

class QGroupBox;
class QLineEdit;
class QTableWidget;
class QUndoStack;

namespace pw {

class FlowDocument;
template<typename T>
class InspectorForm;

// Inspector page for the flow itself (shown when no task is selected): id, title,
// description, params, schedule, limits and pools, task defaults, notify and SLA, declared on
// an InspectorForm. Every edit is a SetFlowSettingsCommand on the undo stack. Validation
// problems of the flow mark the field (or the table cell) their Error::field names.
class FlowInspector : public QWidget
{
    Q_OBJECT
public:
    FlowInspector(FlowDocument *doc, QUndoStack *undo, QWidget *parent = nullptr);

private:
    void refresh();
    void markProblems();
    void addParamsTable(QGroupBox *box);
    QTableWidget *poolsTable(QWidget *parent);
    QList<ParamSpec> paramsFromTable() const;
    QMap<QString, int> poolsFromTable() const;
    void fillParams(const QList<ParamSpec> &params);
    void fillPools(const QMap<QString, int> &pools);
    // The selected parameter's choices and description, edited below the table (the table keeps
    // name, type and default, which fit the dock).
    void showParamDetails();
    void setParamCell(int column, const QString &text);

    FlowDocument *m_doc;
    InspectorForm<Flow> *m_form;
    QTableWidget *m_params = nullptr;
    QTableWidget *m_pools = nullptr;
    QLineEdit *m_paramChoices = nullptr;
    QLineEdit *m_paramDescription = nullptr;
};

} // namespace pw
