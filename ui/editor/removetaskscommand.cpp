#include "removetaskscommand.h"

#include "flowdocument.h"

#include <QCoreApplication>

#include <algorithm>

namespace pw {

RemoveTasksCommand::RemoveTasksCommand(
    FlowDocument *doc, const QStringList &ids, QUndoCommand *parent)
    : QUndoCommand(parent), m_doc(doc)
{
    const QSet<QString> gone(ids.begin(), ids.end());
    const Flow &flow = doc->flow();
    for (int i = 0; i < flow.tasks.size(); ++i) {
        const TaskSpec &t = flow.tasks[i];
        if (gone.contains(t.id)) {
            m_removed.append({i, t, flow.layout.value(t.id)});
            continue;
        }
        for (int k = 0; k < t.after.size(); ++k) {
            if (gone.contains(t.after[k]))
                m_outEdges.append({t.after[k], t.id, k});
        }
    }
    setText(m_removed.size() == 1 ? QCoreApplication::translate("pw::Commands", "Delete %1")
                                        .arg(m_removed.first().task.id)
                                  : QCoreApplication::translate("pw::Commands", "Delete %n tasks",
                                      nullptr, int(m_removed.size())));
}

void RemoveTasksCommand::redo()
{
    for (int i = int(m_removed.size()) - 1; i >= 0; --i)
        m_doc->removeTask(m_removed[i].task.id);
}

void RemoveTasksCommand::undo()
{
    for (const Removed &r : std::as_const(m_removed)) {
        TaskSpec bare = r.task;
        bare.after.clear();
        m_doc->addTask(bare, r.pos, r.index);
    }
    for (const Removed &r : std::as_const(m_removed)) {
        for (const QString &up : r.task.after)
            m_doc->connectTasks(up, r.task.id);
    }
    // Per target, ascending positions re-create the original order of its `after` list.
    for (const OutEdge &e : std::as_const(m_outEdges))
        m_doc->connectTasks(e.from, e.to, e.index);
}

} // namespace pw
