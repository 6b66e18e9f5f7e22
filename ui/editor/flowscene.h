#pragma once

#include "model/taskspec.h"

#include <QGraphicsScene>
#include <QHash>
#include <QPointer>

class QUndoStack;

namespace pw {

class EdgeItem;
class FlowDocument;
class NodeItem;

// The canvas contents. Builds and updates its NodeItems and EdgeItems only from FlowDocument's
// signals (it never owns the truth); turns the operator's gestures (moving, connecting,
// deleting, pasting, auto-layout) into undo commands on the QUndoStack, which change the
// document, which tells the scene. Main thread only.
class FlowScene : public QGraphicsScene
{
    Q_OBJECT
public:
    static constexpr qreal GridSize = 20;

    FlowScene(FlowDocument *doc, QUndoStack *undo, QObject *parent = nullptr);
    ~FlowScene() override;

    FlowDocument *document() const { return m_doc; }
    QUndoStack *undoStack() const { return m_undo; }
    NodeItem *node(const QString &id) const { return m_nodes.value(id); }
    EdgeItem *edge(const QString &from, const QString &to) const;
    int nodeCount() const { return int(m_nodes.size()); }
    int edgeCount() const { return int(m_edges.size()); }
    QRectF nodesBoundingRect() const;

    QStringList selectedTaskIds() const; // in flow order
    void selectTasks(const QStringList &ids);

    bool snapToGrid() const { return m_snap; }
    void setSnapToGrid(bool on) { m_snap = on; }
    QPointF snapped(QPointF p) const;

    // Edits (each one undo step). Return the new/affected ids where useful.
    QString addTask(TaskType type, QPointF centre);
    void deleteSelection();
    QByteArray copySelection() const; // YAML (FlowWriter) of the selected tasks
    QStringList paste(const QByteArray &yaml, std::optional<QPointF> centre = {});
    // Copies of the selected tasks right below them (clear of the originals), one undo step
    // named "Duplicate …".
    QStringList duplicateSelection();
    void autoLayout();
    // Empty string on success, else why the rename was refused.
    QString renameTask(const QString &oldId, const QString &newId);
    // Adds the edge if the document allows it; returns the refusal reason otherwise.
    QString connectTasks(const QString &from, const QString &to);

    // Gestures, called by NodeItem.
    void beginMove(QPointF scenePos);
    void moveTo(QPointF scenePos);
    void endMove();
    void beginConnect(NodeItem *origin, bool fromInput, QPointF scenePos);
    void updateConnect(QPointF scenePos);
    void finishConnect(QPointF scenePos);
    bool isConnecting() const { return m_dragEdge != nullptr; }
    void activateTask(const QString &id) { Q_EMIT taskActivated(id); }

Q_SIGNALS:
    // A message for the status bar (timeout in ms, 0 = until replaced).
    void statusMessage(const QString &message, int timeout);
    void taskActivated(const QString &id);
    void nodesChanged(); // items added, removed or moved (minimap, scene rect)

private:
    enum class PasteKind { Paste, Duplicate };
    QStringList insertCopies(const QByteArray &yaml, std::optional<QPointF> centre, PasteKind kind);

    void rebuild();
    void onTaskAdded(const QString &id);
    void onTaskRemoved(const QString &id);
    void onTaskRenamed(const QString &oldId, const QString &newId);
    void onTaskChanged(const QString &id);
    void onTaskMoved(const QString &id, QPointF pos);
    void onEdgeAdded(const QString &from, const QString &to);
    void onEdgeRemoved(const QString &from, const QString &to);
    void onProblemsChanged();
    void growSceneRect(const QRectF &r);
    void announceNodesChanged();
    void updateSceneRect();
    NodeItem *nodeAt(QPointF scenePos) const;
    static QString edgeKey(const QString &from, const QString &to);

    FlowDocument *m_doc;
    QUndoStack *m_undo;
    QHash<QString, NodeItem *> m_nodes;
    QHash<QString, EdgeItem *> m_edges;
    QStringList m_problemTasks;
    QStringList m_cycleEdges; // edge keys drawn invalid: the document's cycle
    bool m_snap = true;
    bool m_nodesChangedQueued = false;

    // move gesture
    bool m_moving = false;
    int m_dragId = 0;
    QPointF m_moveStart;
    QHash<QString, QPointF> m_moveOrigins;

    // connect gesture
    EdgeItem *m_dragEdge = nullptr;
    QString m_connectOrigin;
    bool m_connectFromInput = false;
    NodeItem *m_connectTarget = nullptr;
};

} // namespace pw
