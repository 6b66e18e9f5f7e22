#pragma once

#include "model/taskspec.h"

#include <QList>
#include <QPointF>
#include <QUndoCommand>

namespace pw {

class FlowDocument;

// Adds tasks (new, pasted, duplicated) with their positions and their `after` edges. The
// tasks' `after` lists may name each other or tasks already in the document.
class AddTasksCommand : public QUndoCommand
{
public:
    AddTasksCommand(FlowDocument *doc, QList<TaskSpec> tasks, QList<QPointF> positions,
        const QString &text, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    FlowDocument *m_doc;
    QList<TaskSpec> m_tasks;
    QList<QPointF> m_positions;
};

} // namespace pw
