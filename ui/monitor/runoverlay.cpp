#include "runoverlay.h"

#include "editor/edgeitem.h"
#include "editor/flowdocument.h"
#include "editor/flowscene.h"
#include "editor/nodeitem.h"
#include "failededgemark.h"
#include "noderunbadge.h"
#include "rerunpreview.h"
#include "runstatemodel.h"

namespace pw {

RunOverlay::RunOverlay(FlowScene *scene, RunStateModel *model, QObject *parent)
    : QObject(parent), m_scene(scene), m_model(model)
{
    connect(m_model, &RunStateModel::changed, this, &RunOverlay::sync);
    connect(m_scene, &FlowScene::nodesChanged, this, &RunOverlay::sync);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &RunOverlay::tick);
}

RunOverlay::~RunOverlay()
{
    if (m_scene)
        clear();
}

void RunOverlay::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    if (active) {
        m_tick.start();
        sync();
    } else {
        m_tick.stop();
        clear();
    }
}

void RunOverlay::clear()
{
    // Items may be gone with the scene's own rebuilds; only delete those still attached.
    const QList<QGraphicsItem *> items = m_scene->items();
    for (QGraphicsItem *item : items) {
        if (item->type() == NodeRunBadge::Type || item->type() == FailedEdgeMark::Type) {
            if (item->parentItem())
                item->parentItem()->setOpacity(1.0);
            delete item;
        }
    }
    m_badges.clear();
    m_marks.clear();
    m_hasPreview = false;
}

void RunOverlay::sync()
{
    if (!m_active)
        return;
    FlowDocument *doc = m_scene->document();
    const QStringList ids = doc->taskIds();
    // Forget badges whose node went away (a rebuilt scene deletes its children with it).
    QSet<QGraphicsItem *> alive;
    for (QGraphicsItem *item : m_scene->items())
        alive.insert(item);
    for (auto it = m_badges.begin(); it != m_badges.end();) {
        if (!alive.contains(it.value()))
            it = m_badges.erase(it);
        else
            ++it;
    }
    for (auto it = m_marks.begin(); it != m_marks.end();) {
        if (!alive.contains(it.value()))
            it = m_marks.erase(it);
        else
            ++it;
    }

    QSet<QString> wantMarks;
    for (const QString &id : ids) {
        NodeItem *node = m_scene->node(id);
        if (!node)
            continue;
        NodeRunBadge *b = m_badges.value(id);
        if (!b || b->parentItem() != node) {
            b = new NodeRunBadge(node);
            m_badges.insert(id, b);
        }
        const TaskRunState s = m_model->state(id);
        b->setState(s);
        if (s.state == TaskState::Failed || s.state == TaskState::UpstreamFailed) {
            for (EdgeItem *e : node->edges()) {
                if (e->toNode() != node || !e->fromNode())
                    continue;
                const TaskState from = m_model->state(e->fromNode()->taskId()).state;
                // Into a failed task, and along the failure's path into upstream_failed ones.
                if (s.state == TaskState::Failed || isFailureLike(from))
                    wantMarks.insert(e->fromNode()->taskId() + QLatin1Char('\n') + id);
            }
        }
    }
    for (auto it = m_marks.begin(); it != m_marks.end();) {
        if (!wantMarks.contains(it.key())) {
            delete it.value();
            it = m_marks.erase(it);
        } else {
            ++it;
        }
    }
    for (const QString &key : std::as_const(wantMarks)) {
        if (m_marks.contains(key))
            continue;
        EdgeItem *e = m_scene->edge(key.section(QLatin1Char('\n'), 0, 0), key.section(QLatin1Char('\n'), 1, 1));
        if (e)
            m_marks.insert(key, new FailedEdgeMark(e));
    }
}

void RunOverlay::setPreview(const RerunPreview &preview)
{
    if (!m_active)
        setActive(true);
    for (auto it = m_badges.begin(); it != m_badges.end(); ++it)
        it.value()->setPreview(preview.rerun.contains(it.key()) ? NodeRunBadge::Preview::Rerun
                                                                : NodeRunBadge::Preview::Kept);
    m_hasPreview = true;
}

void RunOverlay::clearPreview()
{
    for (NodeRunBadge *b : std::as_const(m_badges))
        b->setPreview(NodeRunBadge::Preview::None);
    m_hasPreview = false;
}

void RunOverlay::tick()
{
    for (NodeRunBadge *b : std::as_const(m_badges)) {
        const TaskState s = b->state().state;
        if (s == TaskState::Running || s == TaskState::RetryWait)
            b->update();
    }
}

} // namespace pw
