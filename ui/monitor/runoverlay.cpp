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

NodeRunBadge *RunOverlay::badge(const QString &task) const
{
    return m_badges.value(task).data();
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
    for (const QPointer<NodeRunBadge> &b : std::as_const(m_badges)) {
        if (!b)
            continue;
        if (b->parentItem())
            b->parentItem()->setOpacity(1.0);
        delete b.data();
    }
    for (const QPointer<FailedEdgeMark> &m : std::as_const(m_marks))
        delete m.data();
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
    for (auto it = m_badges.begin(); it != m_badges.end();) {
        if (!it.value() || !doc->hasTask(it.key()))
            it = m_badges.erase(it);
        else
            ++it;
    }

    QSet<QString> wantMarks;
    for (const QString &id : ids) {
        NodeItem *node = m_scene->node(id);
        if (!node)
            continue;
        QPointer<NodeRunBadge> &b = m_badges[id];
        if (!b || b->parentItem() != node) {
            delete b.data();
            b = new NodeRunBadge(node);
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
        if (!it.value() || !wantMarks.contains(it.key())) {
            delete it.value().data();
            it = m_marks.erase(it);
        } else {
            ++it;
        }
    }
    for (const QString &key : std::as_const(wantMarks)) {
        if (m_marks.contains(key))
            continue;
        EdgeItem *e = m_scene->edge(
            key.section(QLatin1Char('\n'), 0, 0), key.section(QLatin1Char('\n'), 1, 1));
        if (e)
            m_marks.insert(key, new FailedEdgeMark(e));
    }
}

void RunOverlay::setPreview(const RerunPreview &preview)
{
    if (!m_active)
        setActive(true);
    const QStringList confirm = preview.confirmationTasks();
    for (auto it = m_badges.begin(); it != m_badges.end(); ++it) {
        if (!it.value())
            continue;
        NodeRunBadge::Preview mark = NodeRunBadge::Preview::Kept;
        if (confirm.contains(it.key()))
            mark = NodeRunBadge::Preview::Confirm;
        else if (preview.rerun.contains(it.key()))
            mark = NodeRunBadge::Preview::Rerun;
        it.value()->setPreview(mark);
    }
    m_hasPreview = true;
}

void RunOverlay::clearPreview()
{
    for (const QPointer<NodeRunBadge> &b : std::as_const(m_badges))
        if (b)
            b->setPreview(NodeRunBadge::Preview::None);
    m_hasPreview = false;
}

void RunOverlay::tick()
{
    for (const QPointer<NodeRunBadge> &b : std::as_const(m_badges)) {
        if (!b)
            continue;
        const TaskState s = b->state().state;
        if (s == TaskState::Running || s == TaskState::RetryWait)
            b->update();
    }
}

} // namespace pw
