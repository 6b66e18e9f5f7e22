#pragma once

#include "model/taskspec.h"

#include <QGraphicsItem>
#include <QStringList>

namespace pw {

class EdgeItem;
class FlowScene;

// One task on the canvas (UI.md "Nodes"): a 180x64 rounded box, type icon + bold id (elided at
// the end; the tooltip has the full id and the description), a muted
// summary row, an input port on the left and an output port on the right, an error badge when
// the task has problems (else a warning badge when the lint warns about it). The item only shows
// the document: it is updated by FlowScene from FlowDocument's signals; presses, drags and port
// drags are handed to FlowScene, which turns them into undo commands. Positions of attached edges
// follow in itemChange().
class NodeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 1 };
    enum class Port { None, Input, Output };
    static constexpr qreal Width = 180;
    static constexpr qreal Height = 64;
    static constexpr qreal PortRadius = 4;

    explicit NodeItem(const TaskSpec &task);
    int type() const override { return Type; }

    const QString &taskId() const { return m_id; }
    void setTask(const TaskSpec &task);
    void setProblems(const QStringList &problems);
    bool hasProblems() const { return !m_problems.isEmpty(); }
    void setWarnings(const QStringList &warnings);
    bool hasWarnings() const { return !m_warnings.isEmpty(); }
    QString summary() const { return m_summary; }

    void addEdge(EdgeItem *edge) { m_edges.append(edge); }
    void removeEdge(EdgeItem *edge) { m_edges.removeAll(edge); }
    const QList<EdgeItem *> &edges() const { return m_edges; }

    QPointF inputPortScenePos() const { return mapToScene(QPointF(0, Height / 2)); }
    QPointF outputPortScenePos() const { return mapToScene(QPointF(Width, Height / 2)); }
    Port portAt(QPointF localPos) const;
    void setHighlighted(bool on); // drop target of a connection drag

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event) override;
    void hoverMoveEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    FlowScene *flowScene() const;
    void updateToolTip();

    QString m_id;
    TaskType m_type = TaskType::Shell;
    QString m_summary;
    QString m_description;
    QStringList m_problems;
    QStringList m_warnings;
    QList<EdgeItem *> m_edges;
    Port m_hoverPort = Port::None;
    bool m_highlighted = false;
    bool m_connecting = false;
    bool m_pressedSelected = false;
    bool m_moved = false;
};

} // namespace pw
