#pragma once

#include "model/taskspec.h"

#include <QUndoCommand>

namespace pw {

class FlowDocument;

// Changes a task's settings (the inspector's edits). Consecutive edits with the same non-empty
// merge key on the same task (typing in a code editor, spinning a box: the inspector's key is
// the field plus an editing session that changes with the focus) merge into one step.
class SetTaskCommand : public QUndoCommand
{
public:
    SetTaskCommand(FlowDocument *doc, const TaskSpec &before, const TaskSpec &after,
        const QString &field, const QString &mergeKey = {}, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    FlowDocument *m_doc;
    TaskSpec m_before;
    TaskSpec m_after;
    QString m_field;
    QString m_mergeKey;
};

} // namespace pw
