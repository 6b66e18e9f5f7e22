#include "flowscene.h"

#include "addtaskscommand.h"
#include "autolayout.h"
#include "connectcommand.h"
#include "disconnectcommand.h"
#include "edgeitem.h"
#include "flowdocument.h"
#include "logging.h"
#include "movetaskscommand.h"
#include "nodeitem.h"
#include "removetaskscommand.h"
#include "renametaskcommand.h"
#include "tasktypeinfo.h"

#include "format/flowloader.h"
#include "format/flowwriter.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QUndoStack>

#include <cmath>

namespace pw {

FlowScene::FlowScene(FlowDocument *doc, QUndoStack *undo, QObject *parent)
    : QGraphicsScene(parent), m_doc(doc), m_undo(undo)
{
    // Items move a lot and the scene is small in item count; no BSP index to maintain.
    setItemIndexMethod(NoIndex);
    connect(doc, &FlowDocument::reset, this, &FlowScene::rebuild);
    connect(doc, &FlowDocument::taskAdded, this, &FlowScene::onTaskAdded);
    connect(doc, &FlowDocument::taskRemoved, this, &FlowScene::onTaskRemoved);
    connect(doc, &FlowDocument::taskRenamed, this, &FlowScene::onTaskRenamed);
    connect(doc, &FlowDocument::taskChanged, this, &FlowScene::onTaskChanged);
    connect(doc, &FlowDocument::taskMoved, this, &FlowScene::onTaskMoved);
    connect(doc, &FlowDocument::edgeAdded, this, &FlowScene::onEdgeAdded);
    connect(doc, &FlowDocument::edgeRemoved, this, &FlowScene::onEdgeRemoved);
    connect(doc, &FlowDocument::problemsChanged, this, &FlowScene::onProblemsChanged);
    rebuild();
}

FlowScene::~FlowScene()
{
    // Edges unregister from nodes in their destructor; drop them first.
    for (EdgeItem *e : std::as_const(m_edges))
        e->detach();
    if (m_dragEdge)
        m_dragEdge->detach();
}

void FlowScene::announceNodesChanged()
{
    // Coalesced: a drag of 2,000 tasks moves 2,000 items per mouse move.
    if (m_nodesChangedQueued)
        return;
    m_nodesChangedQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_nodesChangedQueued = false;
        Q_EMIT nodesChanged();
    });
}

QString FlowScene::edgeKey(const QString &from, const QString &to)
{
    return from + QLatin1Char('\n') + to;
}

EdgeItem *FlowScene::edge(const QString &from, const QString &to) const
{
    return m_edges.value(edgeKey(from, to));
}

void FlowScene::rebuild()
{
    QElapsedTimer timer;
    timer.start();
    m_moving = false;
    for (EdgeItem *e : std::as_const(m_edges))
        e->detach();
    if (m_dragEdge) {
        delete m_dragEdge;
        m_dragEdge = nullptr;
    }
    clear();
    m_nodes.clear();
    m_edges.clear();
    m_problemTasks.clear();
    const Flow &flow = m_doc->flow();
    for (const TaskSpec &t : flow.tasks) {
        auto *item = new NodeItem(t);
        item->setPos(flow.layout.value(t.id));
        addItem(item);
        m_nodes.insert(t.id, item);
    }
    for (const TaskSpec &t : flow.tasks) {
        for (const QString &up : t.after)
            onEdgeAdded(up, t.id);
    }
    updateSceneRect();
    qCDebug(lcEditor) << "scene rebuilt:" << m_nodes.size() << "nodes," << m_edges.size()
                      << "edges in" << timer.elapsed() << "ms";
    announceNodesChanged();
}

void FlowScene::onTaskAdded(const QString &id)
{
    const TaskSpec *t = m_doc->task(id);
    if (!t || m_nodes.contains(id))
        return;
    auto *item = new NodeItem(*t);
    item->setPos(m_doc->taskPos(id));
    addItem(item);
    m_nodes.insert(id, item);
    growSceneRect(item->sceneBoundingRect());
    announceNodesChanged();
}

void FlowScene::onTaskRemoved(const QString &id)
{
    NodeItem *item = m_nodes.take(id);
    if (!item)
        return;
    const QList<EdgeItem *> edges = item->edges();
    for (EdgeItem *e : edges) {
        m_edges.remove(edgeKey(e->fromNode()->taskId(), e->toNode()->taskId()));
        delete e;
    }
    if (m_connectTarget == item)
        m_connectTarget = nullptr;
    delete item;
    announceNodesChanged();
}

void FlowScene::onTaskRenamed(const QString &oldId, const QString &newId)
{
    NodeItem *item = m_nodes.take(oldId);
    if (!item)
        return;
    m_nodes.insert(newId, item);
    if (const TaskSpec *t = m_doc->task(newId))
        item->setTask(*t);
    // Re-key the edges touching it.
    for (EdgeItem *e : item->edges()) {
        const QString from = e->fromNode() == item ? oldId : e->fromNode()->taskId();
        const QString to = e->toNode() == item ? oldId : e->toNode()->taskId();
        m_edges.remove(edgeKey(from, to));
        m_edges.insert(edgeKey(e->fromNode()->taskId(), e->toNode()->taskId()), e);
    }
}

void FlowScene::onTaskChanged(const QString &id)
{
    if (NodeItem *item = m_nodes.value(id)) {
        if (const TaskSpec *t = m_doc->task(id))
            item->setTask(*t);
    }
}

void FlowScene::onTaskMoved(const QString &id, QPointF pos)
{
    if (NodeItem *item = m_nodes.value(id)) {
        item->setPos(pos);
        growSceneRect(item->sceneBoundingRect());
        announceNodesChanged();
    }
}

void FlowScene::onEdgeAdded(const QString &from, const QString &to)
{
    NodeItem *a = m_nodes.value(from);
    NodeItem *b = m_nodes.value(to);
    const QString key = edgeKey(from, to);
    if (!a || !b || m_edges.contains(key))
        return;
    auto *e = new EdgeItem(a, b);
    addItem(e);
    m_edges.insert(key, e);
}

void FlowScene::onEdgeRemoved(const QString &from, const QString &to)
{
    delete m_edges.take(edgeKey(from, to));
}

void FlowScene::onProblemsChanged()
{
    // Only the nodes that had or have a problem or warning are touched (large flows).
    QStringList now;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        if (!m_doc->problemsOf(it.key()).isEmpty() || !m_doc->warningsOf(it.key()).isEmpty())
            now << it.key();
    }
    for (const QString &id : std::as_const(m_problemTasks)) {
        if (NodeItem *n = m_nodes.value(id)) {
            n->setProblems({});
            n->setWarnings({});
        }
    }
    for (const QString &id : std::as_const(now)) {
        NodeItem *n = m_nodes.value(id);
        n->setProblems(m_doc->problemsOf(id));
        n->setWarnings(m_doc->warningsOf(id));
    }
    m_problemTasks = now;
    // The edges of a reported cycle, in the error colour.
    for (const QString &key : std::as_const(m_cycleEdges)) {
        if (EdgeItem *e = m_edges.value(key))
            e->setInvalid(false);
    }
    m_cycleEdges.clear();
    const QStringList &cycle = m_doc->cycle();
    for (qsizetype i = 0; i + 1 < cycle.size(); ++i) {
        const QString key = edgeKey(cycle.at(i), cycle.at(i + 1));
        if (EdgeItem *e = m_edges.value(key)) {
            e->setInvalid(true);
            m_cycleEdges << key;
        }
    }
}

QRectF FlowScene::nodesBoundingRect() const
{
    QRectF r;
    for (const NodeItem *n : m_nodes)
        r = r.united(n->sceneBoundingRect());
    return r;
}

void FlowScene::updateSceneRect()
{
    QRectF r = nodesBoundingRect();
    if (r.isNull())
        r = QRectF(0, 0, 800, 600);
    setSceneRect(r.adjusted(-2000, -2000, 2000, 2000));
}

void FlowScene::growSceneRect(const QRectF &r)
{
    const QRectF margin = r.adjusted(-1000, -1000, 1000, 1000);
    if (!sceneRect().contains(margin))
        setSceneRect(sceneRect().united(r.adjusted(-2000, -2000, 2000, 2000)));
}

QStringList FlowScene::selectedTaskIds() const
{
    QSet<QString> sel;
    for (QGraphicsItem *item : selectedItems()) {
        if (item->type() == NodeItem::Type)
            sel.insert(static_cast<NodeItem *>(item)->taskId());
    }
    QStringList out;
    for (const TaskSpec &t : m_doc->flow().tasks) {
        if (sel.contains(t.id))
            out << t.id;
    }
    return out;
}

void FlowScene::selectTasks(const QStringList &ids)
{
    QSignalBlocker blocker(this);
    clearSelection();
    for (const QString &id : ids) {
        if (NodeItem *n = m_nodes.value(id))
            n->setSelected(true);
    }
    blocker.unblock();
    Q_EMIT selectionChanged();
}

QPointF FlowScene::snapped(QPointF p) const
{
    if (!m_snap)
        return p;
    return QPointF(
        std::round(p.x() / GridSize) * GridSize, std::round(p.y() / GridSize) * GridSize);
}

QString FlowScene::addTask(TaskType type, QPointF centre)
{
    const QString id = m_doc->uniqueTaskId(toString(type));
    const QPointF pos = snapped(centre - QPointF(NodeItem::Width / 2, NodeItem::Height / 2));
    m_undo->push(
        new AddTasksCommand(m_doc, {TaskTypeInfo::newTask(type, id)}, {pos}, tr("Add %1").arg(id)));
    selectTasks({id});
    return id;
}

void FlowScene::deleteSelection()
{
    const QStringList ids = selectedTaskIds();
    QList<QPair<QString, QString>> edges;
    for (QGraphicsItem *item : selectedItems()) {
        if (item->type() != EdgeItem::Type)
            continue;
        auto *e = static_cast<EdgeItem *>(item);
        if (!ids.contains(e->fromNode()->taskId()) && !ids.contains(e->toNode()->taskId()))
            edges.append({e->fromNode()->taskId(), e->toNode()->taskId()});
    }
    if (ids.isEmpty() && edges.isEmpty())
        return;
    m_undo->beginMacro(ids.isEmpty()
            ? tr("Delete connections")
            : (ids.size() == 1 ? tr("Delete %1").arg(ids.first())
                               : tr("Delete %n tasks", nullptr, int(ids.size()))));
    for (const auto &e : std::as_const(edges))
        m_undo->push(new DisconnectCommand(m_doc, e.first, e.second));
    if (!ids.isEmpty())
        m_undo->push(new RemoveTasksCommand(m_doc, ids));
    m_undo->endMacro();
}

QByteArray FlowScene::copySelection() const
{
    const QStringList ids = selectedTaskIds();
    if (ids.isEmpty())
        return {};
    // The flow's settings come along (params are needed to validate templates on paste).
    Flow sub = m_doc->settings();
    sub.sourcePath.clear();
    const QSet<QString> sel(ids.begin(), ids.end());
    for (const QString &id : ids) {
        TaskSpec t = *m_doc->task(id);
        QStringList kept;
        for (const QString &up : std::as_const(t.after)) {
            if (sel.contains(up))
                kept << up;
        }
        t.after = kept;
        sub.tasks << t;
        sub.layout.insert(id, m_doc->taskPos(id));
    }
    return FlowWriter::toYaml(sub);
}

QStringList FlowScene::paste(const QByteArray &yaml, std::optional<QPointF> centre)
{
    return insertCopies(yaml, centre, PasteKind::Paste);
}

QStringList FlowScene::insertCopies(
    const QByteArray &yaml, std::optional<QPointF> centre, PasteKind kind)
{
    // Pasted tasks may be incomplete or refer to tasks that are not there: they paste, and
    // live validation shows what to fix.
    auto loaded = FlowLoader::loadDataForEditing(yaml, tr("clipboard"));
    if (!loaded) {
        const Errors &errs = loaded.error();
        Q_EMIT statusMessage(
            tr("Cannot paste: %1").arg(errs.isEmpty() ? tr("not a flow") : errs.first().toString()),
            8000);
        return {};
    }
    const Flow &src = loaded->flow;
    if (src.tasks.isEmpty())
        return {};
    // New ids for clashes, then positions: keep the arrangement, centred on `centre` (or
    // offset by two grid steps from where it was copied).
    QHash<QString, QString> rename;
    QSet<QString> taken;
    for (const TaskSpec &t : src.tasks) {
        QString id = m_doc->uniqueTaskId(t.id);
        int n = 2;
        while (taken.contains(id))
            id = m_doc->uniqueTaskId(t.id + QLatin1Char('_') + QString::number(n++));
        taken.insert(id);
        rename.insert(t.id, id);
    }
    QRectF bounds;
    for (const TaskSpec &t : src.tasks) {
        const QPointF p = src.layout.value(t.id);
        bounds = bounds.united(QRectF(p, QSizeF(NodeItem::Width, NodeItem::Height)));
    }
    QPointF offset = centre ? *centre - bounds.center() : QPointF(2 * GridSize, 2 * GridSize);
    if (kind == PasteKind::Duplicate) // below the originals, never on top of them
        offset = QPointF(0, bounds.height() + 2 * GridSize);
    QList<TaskSpec> tasks;
    QList<QPointF> positions;
    int k = 0;
    for (TaskSpec t : src.tasks) {
        const QPointF p = src.layout.contains(t.id) ? src.layout.value(t.id)
                                                    : QPointF(0, k * AutoLayout::RowSpacing);
        ++k;
        t.id = rename.value(t.id);
        for (QString &up : t.after)
            up = rename.value(up, up);
        tasks << t;
        positions << snapped(p + offset);
    }
    QStringList ids;
    for (const TaskSpec &t : std::as_const(tasks))
        ids << t.id;
    QString name;
    if (kind == PasteKind::Duplicate)
        name = tasks.size() == 1 ? tr("Duplicate %1").arg(ids.first())
                                 : tr("Duplicate %n tasks", nullptr, int(tasks.size()));
    else
        name = tasks.size() == 1 ? tr("Paste %1").arg(ids.first())
                                 : tr("Paste %n tasks", nullptr, int(tasks.size()));
    m_undo->push(new AddTasksCommand(m_doc, tasks, positions, name));
    selectTasks(ids);
    return ids;
}

QStringList FlowScene::duplicateSelection()
{
    const QByteArray yaml = copySelection();
    if (yaml.isEmpty())
        return {};
    return insertCopies(yaml, std::nullopt, PasteKind::Duplicate);
}

void FlowScene::autoLayout()
{
    QElapsedTimer timer;
    timer.start();
    const QHash<QString, QPointF> to = AutoLayout::compute(m_doc->flow());
    QHash<QString, QPointF> from;
    for (auto it = to.cbegin(); it != to.cend(); ++it)
        from.insert(it.key(), m_doc->taskPos(it.key()));
    if (from == to)
        return;
    m_undo->push(new MoveTasksCommand(m_doc, from, to, 0, tr("Auto layout")));
    updateSceneRect();
    qCDebug(lcEditor) << "auto layout of" << to.size() << "tasks in" << timer.elapsed() << "ms";
}

QString FlowScene::renameTask(const QString &oldId, const QString &newId)
{
    if (oldId == newId)
        return {};
    if (!isValidId(newId))
        return tr("“%1” is not a valid task id (letters, digits, _ . -; not starting with . or -)")
            .arg(newId);
    if (m_doc->hasTask(newId))
        return tr("A task named “%1” already exists").arg(newId);
    m_undo->push(new RenameTaskCommand(m_doc, oldId, newId));
    return {};
}

QString FlowScene::connectTasks(const QString &from, const QString &to)
{
    const QString problem = m_doc->connectionProblem(from, to);
    if (problem.isEmpty())
        m_undo->push(new ConnectCommand(m_doc, from, to));
    return problem;
}

// --- move gesture ---------------------------------------------------------------------------

void FlowScene::beginMove(QPointF scenePos)
{
    m_moving = true;
    ++m_dragId;
    m_moveStart = scenePos;
    m_moveOrigins.clear();
    for (const QString &id : selectedTaskIds())
        m_moveOrigins.insert(id, m_doc->taskPos(id));
}

void FlowScene::moveTo(QPointF scenePos)
{
    if (!m_moving || m_moveOrigins.isEmpty())
        return;
    const QPointF delta = scenePos - m_moveStart;
    QHash<QString, QPointF> from, to;
    for (auto it = m_moveOrigins.cbegin(); it != m_moveOrigins.cend(); ++it) {
        const QPointF target = snapped(it.value() + delta);
        const QPointF now = m_doc->taskPos(it.key());
        if (target != now) {
            from.insert(it.key(), now);
            to.insert(it.key(), target);
        }
    }
    if (to.isEmpty())
        return;
    m_undo->push(new MoveTasksCommand(m_doc, from, to, m_dragId,
        to.size() == 1 ? tr("Move %1").arg(to.begin().key())
                       : tr("Move %n tasks", nullptr, int(to.size()))));
}

void FlowScene::endMove()
{
    m_moving = false;
    m_moveOrigins.clear();
}

// --- connect gesture ------------------------------------------------------------------------

NodeItem *FlowScene::nodeAt(QPointF scenePos) const
{
    const QList<QGraphicsItem *> hits
        = items(scenePos, Qt::IntersectsItemShape, Qt::DescendingOrder);
    for (QGraphicsItem *item : hits) {
        if (item->type() == NodeItem::Type)
            return static_cast<NodeItem *>(item);
    }
    return nullptr;
}

void FlowScene::beginConnect(NodeItem *origin, bool fromInput, QPointF scenePos)
{
    delete m_dragEdge;
    m_dragEdge = new EdgeItem();
    addItem(m_dragEdge);
    m_connectOrigin = origin->taskId();
    m_connectFromInput = fromInput;
    m_connectTarget = nullptr;
    updateConnect(scenePos);
}

void FlowScene::updateConnect(QPointF scenePos)
{
    if (!m_dragEdge)
        return;
    NodeItem *origin = m_nodes.value(m_connectOrigin);
    if (!origin)
        return;
    NodeItem *target = nodeAt(scenePos);
    if (target == origin && !m_connectFromInput
        && target->portAt(target->mapFromScene(scenePos)) == NodeItem::Port::Output)
        target = nullptr; // still on the port it started from
    if (target == origin && m_connectFromInput
        && target->portAt(target->mapFromScene(scenePos)) == NodeItem::Port::Input)
        target = nullptr;
    if (m_connectTarget && m_connectTarget != target)
        m_connectTarget->setHighlighted(false);
    m_connectTarget = target;

    QString problem;
    QPointF end = scenePos;
    if (target) {
        const QString from = m_connectFromInput ? target->taskId() : m_connectOrigin;
        const QString to = m_connectFromInput ? m_connectOrigin : target->taskId();
        problem = m_doc->connectionProblem(from, to);
        target->setHighlighted(problem.isEmpty());
        end = m_connectFromInput ? target->outputPortScenePos() : target->inputPortScenePos();
        if (!problem.isEmpty())
            end = scenePos;
    }
    if (m_connectFromInput)
        m_dragEdge->setEndpoints(end, origin->inputPortScenePos());
    else
        m_dragEdge->setEndpoints(origin->outputPortScenePos(), end);
    m_dragEdge->setInvalid(!problem.isEmpty());
    Q_EMIT statusMessage(problem.isEmpty() ? QString() : tr("Cannot connect: %1").arg(problem), 0);
}

void FlowScene::finishConnect(QPointF scenePos)
{
    if (!m_dragEdge)
        return;
    updateConnect(scenePos);
    NodeItem *target = m_connectTarget;
    delete m_dragEdge;
    m_dragEdge = nullptr;
    m_connectTarget = nullptr;
    if (target)
        target->setHighlighted(false);
    if (!target)
        return;
    const QString from = m_connectFromInput ? target->taskId() : m_connectOrigin;
    const QString to = m_connectFromInput ? m_connectOrigin : target->taskId();
    const QString problem = connectTasks(from, to);
    Q_EMIT statusMessage(problem.isEmpty() ? tr("Connected %1 → %2").arg(from, to)
                                           : tr("Not connected: %1").arg(problem),
        problem.isEmpty() ? 3000 : 8000);
}

} // namespace pw
