#include "disconnectcommand.h"

#include "flowdocument.h"

#include <QCoreApplication>

namespace pw {

DisconnectCommand::DisconnectCommand(
    FlowDocument *doc, const QString &from, const QString &to, QUndoCommand *parent)
    : QUndoCommand(
        QCoreApplication::translate("pw::Commands", "Disconnect %1 → %2").arg(from, to), parent),
      m_doc(doc),
      m_from(from),
      m_to(to)
{
    if (const TaskSpec *t = doc->task(to))
        m_index = int(t->after.indexOf(from));
}

void DisconnectCommand::redo()
{
    m_doc->disconnectTasks(m_from, m_to);
}
void DisconnectCommand::undo()
{
    m_doc->connectTasks(m_from, m_to, m_index);
}

} // namespace pw
