#include "settaskcommand.h"

#include "flowdocument.h"

#include <QCoreApplication>

namespace pw {

SetTaskCommand::SetTaskCommand(FlowDocument *doc, const TaskSpec &before, const TaskSpec &after,
    const QString &field, const QString &mergeKey, QUndoCommand *parent)
    : QUndoCommand(
        QCoreApplication::translate("pw::Commands", "Change %1 of %2").arg(field, after.id),
        parent),
      m_doc(doc),
      m_before(before),
      m_after(after),
      m_field(field),
      m_mergeKey(mergeKey)
{ }

void SetTaskCommand::redo()
{
    m_doc->setTask(m_after.id, m_after);
}
void SetTaskCommand::undo()
{
    m_doc->setTask(m_before.id, m_before);
}

int SetTaskCommand::id() const
{
    return m_mergeKey.isEmpty() ? -1 : 0x5057'0001;
}

bool SetTaskCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const SetTaskCommand *>(other);
    if (o->m_mergeKey != m_mergeKey || o->m_after.id != m_after.id || o->m_doc != m_doc)
        return false;
    m_after = o->m_after;
    return true;
}

} // namespace pw
