#include "connectcommand.h"

#include "flowdocument.h"

#include <QCoreApplication>

namespace pw {

ConnectCommand::ConnectCommand(
    FlowDocument *doc, const QString &from, const QString &to, QUndoCommand *parent)
    : QUndoCommand(
        QCoreApplication::translate("pw::Commands", "Connect %1 → %2").arg(from, to), parent),
      m_doc(doc),
      m_from(from),
      m_to(to)
{ }

void ConnectCommand::redo()
{
    m_doc->connectTasks(m_from, m_to);
}
void ConnectCommand::undo()
{
    m_doc->disconnectTasks(m_from, m_to);
}

} // namespace pw
