#pragma once

#include <QStackedWidget>

class QUndoStack;

namespace pw {

class FlowDocument;
class FlowInspector;
class TaskInspector;

// The Inspector dock: the selected task(s), or the flow's settings when nothing is selected.
class InspectorWidget : public QStackedWidget
{
    Q_OBJECT
public:
    InspectorWidget(FlowDocument *doc, QUndoStack *undo, QWidget *parent = nullptr);
    void setSelection(const QStringList &taskIds);
    TaskInspector *taskInspector() const { return m_task; }
    FlowInspector *flowInspector() const { return m_flow; }

private:
    TaskInspector *m_task;
    FlowInspector *m_flow;
};

} // namespace pw
