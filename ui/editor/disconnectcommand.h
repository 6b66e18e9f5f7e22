#pragma once

#include <QUndoCommand>

namespace pw {

class FlowDocument;

// Removes the edge from -> to; undo puts it back at its old place in to.after.
class DisconnectCommand : public QUndoCommand
{
public:
    DisconnectCommand(
        FlowDocument *doc, const QString &from, const QString &to, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    FlowDocument *m_doc;
    QString m_from;
    QString m_to;
    int m_index = -1;
};

} // namespace pw
