#pragma once

#include <QUndoCommand>

namespace pw {

class FlowDocument;

// Renames a task (its id), rewriting the `after` lists and the layout entry that name it.
class RenameTaskCommand : public QUndoCommand
{
public:
    RenameTaskCommand(FlowDocument *doc, const QString &oldId, const QString &newId,
        QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    FlowDocument *m_doc;
    QString m_old;
    QString m_new;
};

} // namespace pw
