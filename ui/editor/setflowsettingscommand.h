#pragma once

#include "model/flow.h"

#include <QUndoCommand>

namespace pw {

class FlowDocument;

// Changes flow-level settings (id, title, params, schedule, limits, defaults, notify, sla).
// Consecutive edits with the same non-empty merge key merge (see SetTaskCommand).
class SetFlowSettingsCommand : public QUndoCommand
{
public:
    SetFlowSettingsCommand(FlowDocument *doc, const Flow &before, const Flow &after,
        const QString &field, const QString &mergeKey = {}, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    FlowDocument *m_doc;
    Flow m_before;
    Flow m_after;
    QString m_field;
    QString m_mergeKey;
};

} // namespace pw
