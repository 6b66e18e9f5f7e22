#pragma once

#include "runstatemodel.h"

#include <QGraphicsObject>

namespace pw {

// The run overlay of one node (UI.md "Nodes", run view), a child item of the editor's NodeItem so
// the node itself stays a pure view of FlowDocument: a 4 px state bar on the left edge, the state
// icon as a badge on the top-right corner, a footer line under the box ("attempt 2/3 · 0:42",
// "retry in 4:12", "#3 in queue", "waiting for in/x.csv (checked 0:12 ago)", the error of a
// failed attempt), and in a rerun preview a dashed outline in the running colour (in the failed
// colour, with a "confirm" tag, for a task that must be confirmed first). Zoomed out it draws only
// the bar. A QGraphicsObject so the overlay can hold it in a QPointer (it dies with its node). Main
// thread only.
class NodeRunBadge : public QGraphicsObject
{
public:
    enum { Type = UserType + 20 };
    // Confirm: runs again but must be confirmed first (`idempotent: false`, already ran).
    enum class Preview { None, Rerun, Kept, Confirm };

    explicit NodeRunBadge(QGraphicsItem *node);
    int type() const override { return Type; }

    void setState(const TaskRunState &state);
    const TaskRunState &state() const { return m_state; }
    void setPreview(Preview preview);
    Preview preview() const { return m_preview; }
    // The footer for `state` at time `now` (ms since the epoch).
    static QString footerText(const TaskRunState &state, qint64 now);
    QString footerText() const;

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    TaskRunState m_state;
    Preview m_preview = Preview::None;
};

} // namespace pw
