#include "inspectorwidget.h"

#include "flowinspector.h"
#include "taskinspector.h"

namespace pw {

InspectorWidget::InspectorWidget(FlowDocument *doc, QUndoStack *undo, QWidget *parent)
    : QStackedWidget(parent),
      m_task(new TaskInspector(doc, undo, this)),
      m_flow(new FlowInspector(doc, undo, this))
{
    setObjectName(QStringLiteral("inspector"));
    addWidget(m_flow);
    addWidget(m_task);
    setCurrentWidget(m_flow);
}

void InspectorWidget::setSelection(const QStringList &taskIds)
{
    m_task->setTasks(taskIds);
    setCurrentWidget(taskIds.isEmpty() ? static_cast<QWidget *>(m_flow) : m_task);
}

} // namespace pw
