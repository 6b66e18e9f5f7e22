#include "renametaskcommand.h"

#include "flowdocument.h"

#include <QCoreApplication>

namespace pw {

RenameTaskCommand::RenameTaskCommand(
    FlowDocument *doc, const QString &oldId, const QString &newId, QUndoCommand *parent)
    : QUndoCommand(
        QCoreApplication::translate("pw::Commands", "Rename %1 to %2").arg(oldId, newId), parent),
      m_doc(doc),
      m_old(oldId),
      m_new(newId)
{ }

void RenameTaskCommand::redo()
{
    m_doc->renameTask(m_old, m_new);
}
void RenameTaskCommand::undo()
{
    m_doc->renameTask(m_new, m_old);
}

} // namespace pw
