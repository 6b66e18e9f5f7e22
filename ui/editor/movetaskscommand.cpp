#include "movetaskscommand.h"

#include "flowdocument.h"

namespace pw {

MoveTasksCommand::MoveTasksCommand(FlowDocument *doc, QHash<QString, QPointF> from,
    QHash<QString, QPointF> to, int dragId, const QString &text, QUndoCommand *parent)
    : QUndoCommand(text, parent),
      m_doc(doc),
      m_from(std::move(from)),
      m_to(std::move(to)),
      m_dragId(dragId)
{ }

void MoveTasksCommand::redo()
{
    for (auto it = m_to.cbegin(); it != m_to.cend(); ++it)
        m_doc->moveTask(it.key(), it.value());
}

void MoveTasksCommand::undo()
{
    for (auto it = m_from.cbegin(); it != m_from.cend(); ++it)
        m_doc->moveTask(it.key(), it.value());
}

int MoveTasksCommand::id() const
{
    return m_dragId > 0 ? 0x5057'0002 : -1;
}

bool MoveTasksCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const MoveTasksCommand *>(other);
    if (o->m_dragId != m_dragId || o->m_doc != m_doc)
        return false;
    for (auto it = o->m_to.cbegin(); it != o->m_to.cend(); ++it) {
        if (!m_from.contains(it.key()))
            m_from.insert(it.key(), o->m_from.value(it.key()));
        m_to.insert(it.key(), it.value());
    }
    return true;
}

} // namespace pw
