#pragma once

#include "model/taskspec.h"

#include <QList>
#include <QPointF>
#include <QUndoCommand>

namespace pw {

class FlowDocument;

// Removes tasks and every edge touching them; undo restores the exact previous flow (task
// order, `after` order of the remaining tasks, positions).
class RemoveTasksCommand : public QUndoCommand
{
public:
    RemoveTasksCommand(FlowDocument *doc, const QStringList &ids, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    struct Removed
    {
        int index;
        TaskSpec task;
        QPointF pos;
    };
    struct OutEdge
    {
        QString from;
        QString to;
        int index; // position in to.after
    };
    FlowDocument *m_doc;
    QList<Removed> m_removed;  // ascending index
    QList<OutEdge> m_outEdges; // edges from removed tasks to remaining ones, ascending index
};

} // namespace pw
