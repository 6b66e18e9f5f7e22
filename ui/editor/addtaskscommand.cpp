#include "addtaskscommand.h"

#include "flowdocument.h"

namespace pw {

AddTasksCommand::AddTasksCommand(FlowDocument *doc, QList<TaskSpec> tasks, QList<QPointF> positions,
    const QString &text, QUndoCommand *parent)
    : QUndoCommand(text, parent),
      m_doc(doc),
      m_tasks(std::move(tasks)),
      m_positions(std::move(positions))
{ }

void AddTasksCommand::redo()
{
    for (int i = 0; i < m_tasks.size(); ++i) {
        TaskSpec bare = m_tasks[i];
        bare.after.clear();
        m_doc->addTask(bare, m_positions.value(i));
    }
    for (const TaskSpec &t : std::as_const(m_tasks)) {
        for (const QString &up : t.after)
            m_doc->connectTasks(up, t.id);
    }
}

void AddTasksCommand::undo()
{
    for (int i = int(m_tasks.size()) - 1; i >= 0; --i)
        m_doc->removeTask(m_tasks[i].id);
}

} // namespace pw
