#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace pw {

class FailedEdgeMark;
class FlowScene;
class NodeRunBadge;
class RunStateModel;
struct RerunPreview;

// Puts a run on a canvas: attaches a NodeRunBadge to every NodeItem of `scene` and a
// FailedEdgeMark to every edge into a failed task, and keeps them in step with the
// RunStateModel (its changes, plus a 1 s tick for elapsed times and countdowns). A rerun
// preview outlines the tasks that will run again and fades the kept ones. The scene's items are
// the editor's; the overlay only adds child items and sets opacity, and removes everything again
// in clear(). Main thread only.
class RunOverlay : public QObject
{
    Q_OBJECT
public:
    RunOverlay(FlowScene *scene, RunStateModel *model, QObject *parent = nullptr);
    ~RunOverlay() override;

    void setActive(bool active);
    bool isActive() const { return m_active; }
    void setPreview(const RerunPreview &preview);
    void clearPreview();
    bool hasPreview() const { return m_hasPreview; }

    NodeRunBadge *badge(const QString &task) const;
    int failedEdgeCount() const { return int(m_marks.size()); }
    void sync();

private:
    void clear();
    void tick();

    FlowScene *m_scene;
    RunStateModel *m_model;
    bool m_active = false;
    bool m_hasPreview = false;
    // QPointers: the items die with their node or edge when the scene is rebuilt.
    QHash<QString, QPointer<NodeRunBadge>> m_badges;
    QHash<QString, QPointer<FailedEdgeMark>> m_marks; // "from\nto"
    QTimer m_tick;
};

} // namespace pw
