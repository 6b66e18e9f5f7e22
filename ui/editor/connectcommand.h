#pragma once

#include <QUndoCommand>

namespace pw {

class FlowDocument;

// Adds the edge from -> to (`to` runs after `from`).
class ConnectCommand : public QUndoCommand
{
public:
    ConnectCommand(
        FlowDocument *doc, const QString &from, const QString &to, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    FlowDocument *m_doc;
    QString m_from;
    QString m_to;
};

} // namespace pw
