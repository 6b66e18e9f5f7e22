#pragma once

#include <QHash>
#include <QPointF>
#include <QUndoCommand>

namespace pw {

class FlowDocument;

// Moves tasks. A drag pushes one of these per mouse move with the same `dragId`; they merge,
// so a whole drag is one undo step. Auto-layout pushes one with dragId 0 (never merges).
class MoveTasksCommand : public QUndoCommand
{
public:
    MoveTasksCommand(FlowDocument *doc, QHash<QString, QPointF> from, QHash<QString, QPointF> to,
        int dragId, const QString &text, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    FlowDocument *m_doc;
    QHash<QString, QPointF> m_from;
    QHash<QString, QPointF> m_to;
    int m_dragId;
};

} // namespace pw
