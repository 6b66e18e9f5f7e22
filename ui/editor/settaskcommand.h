#pragma once

#include "model/taskspec.h"

#include <QUndoCommand>

namespace pw {

class FlowDocument;

// Changes a task's settings (the inspector's edits). Consecutive edits of the same field of
// the same task (typing in a code editor, spinning a box) merge into one step.
class SetTaskCommand : public QUndoCommand
{
public:
    SetTaskCommand(FlowDocument *doc, const TaskSpec &before, const TaskSpec &after,
                   const QString &field, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    FlowDocument *m_doc;
    TaskSpec m_before;
    TaskSpec m_after;
    QString m_field;
};

} // namespace pw
