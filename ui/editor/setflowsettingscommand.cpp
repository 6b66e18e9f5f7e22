#include "setflowsettingscommand.h"

#include "flowdocument.h"

#include <QCoreApplication>

namespace pw {

SetFlowSettingsCommand::SetFlowSettingsCommand(FlowDocument *doc, const Flow &before,
    const Flow &after, const QString &field, const QString &mergeKey, QUndoCommand *parent)
    : QUndoCommand(
        QCoreApplication::translate("pw::Commands", "Change flow %1").arg(field), parent),
      m_doc(doc),
      m_before(before),
      m_after(after),
      m_field(field),
      m_mergeKey(mergeKey)
{ }

void SetFlowSettingsCommand::redo()
{
    m_doc->setSettings(m_after);
}
void SetFlowSettingsCommand::undo()
{
    m_doc->setSettings(m_before);
}

int SetFlowSettingsCommand::id() const
{
    return m_mergeKey.isEmpty() ? -1 : 0x5057'0003;
}

bool SetFlowSettingsCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const SetFlowSettingsCommand *>(other);
    if (o->m_mergeKey != m_mergeKey || o->m_doc != m_doc)
        return false;
    m_after = o->m_after;
    return true;
}

} // namespace pw
