#include "noderunbadge.h"

#include "editor/nodeitem.h"
#include "editor/theme.h"
#include "runners/waitfilerunner.h"
#include "runsmodel.h"
#include "statepalette.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>

namespace pw {

namespace {

constexpr qreal kW = NodeItem::Width;
constexpr qreal kH = NodeItem::Height;
constexpr qreal kRadius = 6;
constexpr qreal kBadge = 18;
constexpr qreal kFooter = 16;

// A ticking clock (elapsed, countdown) in whole seconds, as UI.md writes it: "0:42", "4:12",
// "1:02:03".
QString clock(qint64 ms)
{
    const qint64 s = qMax<qint64>(0, ms) / 1000;
    if (s < 3600)
        return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return RunsModel::formatDuration(s * 1000);
}

} // namespace

NodeRunBadge::NodeRunBadge(QGraphicsItem *node) : QGraphicsObject(node)
{
    setAcceptedMouseButtons(Qt::NoButton);
    setAcceptHoverEvents(false);
}

void NodeRunBadge::setState(const TaskRunState &state)
{
    const TaskRunState &o = m_state;
    if (o.state == state.state && o.attempt == state.attempt && o.attemptInTry == state.attemptInTry
        && o.maxAttempts == state.maxAttempts && o.started == state.started
        && o.ended == state.ended && o.dueAt == state.dueAt
        && o.queuePosition == state.queuePosition && o.error == state.error
        && o.markedBy == state.markedBy && o.exitCode == state.exitCode && !toolTip().isEmpty())
        return; // nothing to repaint
    m_state = state;
    setToolTip(StatePalette::label(state.state)
        + (state.error.isEmpty() ? QString() : QStringLiteral(" · ") + state.error)
        + (state.markedBy.isEmpty() ? QString()
                                    : QStringLiteral(" · ")
                    + QCoreApplication::translate("pw::NodeRunBadge", "marked by %1")
                          .arg(state.markedBy)));
    update();
}

void NodeRunBadge::setPreview(Preview preview)
{
    if (m_preview == preview)
        return;
    m_preview = preview;
    if (parentItem())
        parentItem()->setOpacity(preview == Preview::Kept ? 0.4 : 1.0);
    update();
}

QString NodeRunBadge::footerText(const TaskRunState &s, qint64 now)
{
    switch (s.state) {
    case TaskState::Running:
        if (!s.waitPath.isEmpty() && s.started)
            return QCoreApplication::translate(
                "pw::NodeRunBadge", "waiting for %1 (checked %2 ago)")
                .arg(s.waitPath, clock(now - WaitFileRunner::lastCheck(s.started, s.pokeMs, now)));
        return QCoreApplication::translate("pw::NodeRunBadge", "attempt %1/%2 · %3")
            .arg(qMax(1, s.attemptInTry))
            .arg(qMax(1, s.maxAttempts))
            .arg(clock(now - s.started));
    case TaskState::RetryWait:
        return QCoreApplication::translate("pw::NodeRunBadge", "retry in %1")
            .arg(clock(s.dueAt - now + 999));
    case TaskState::Queued:
        return s.queuePosition > 0
            ? QCoreApplication::translate("pw::NodeRunBadge", "#%1 in queue").arg(s.queuePosition)
            : QCoreApplication::translate("pw::NodeRunBadge", "queued");
    case TaskState::Succeeded:
        if (!s.markedBy.isEmpty())
            return QCoreApplication::translate("pw::NodeRunBadge", "marked succeeded");
        return s.started && s.ended ? RunsModel::formatDuration(s.ended - s.started) : QString();
    case TaskState::Failed:
    case TaskState::Interrupted:
    case TaskState::Cancelled:
        if (!s.markedBy.isEmpty())
            return QCoreApplication::translate("pw::NodeRunBadge", "marked by %1")
                .arg(s.markedBy.section(QLatin1Char('@'), 0, 0));
        if (!s.error.isEmpty())
            return s.maxAttempts > 1
                ? QCoreApplication::translate("pw::NodeRunBadge", "%1 · attempt %2/%3")
                      .arg(s.error)
                      .arg(s.attemptInTry)
                      .arg(s.maxAttempts)
                : s.error;
        return StatePalette::label(s.state);
    case TaskState::UpstreamFailed:
    case TaskState::Skipped:
        return StatePalette::label(s.state);
    case TaskState::Waiting:
        return {};
    }
    return {};
}

QString NodeRunBadge::footerText() const
{
    return footerText(m_state, QDateTime::currentMSecsSinceEpoch());
}

QRectF NodeRunBadge::boundingRect() const
{
    return QRectF(-4, -kBadge / 2 - 1, kW + kBadge / 2 + 6, kH + kBadge / 2 + kFooter + 6);
}

void NodeRunBadge::paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const qreal lod = option->levelOfDetailFromTransform(p->worldTransform());
    const QColor c = StatePalette::color(m_state.state);
    const Theme &theme = Theme::current();
    p->setRenderHint(QPainter::Antialiasing, true);

    // State bar along the left edge, inside the rounded box.
    QPainterPath box;
    box.addRoundedRect(QRectF(0.5, 0.5, kW - 1, kH - 1), kRadius, kRadius);
    QPainterPath bar;
    bar.addRect(QRectF(0, 0, lod < 0.4 ? 10 : 4, kH));
    p->fillPath(box.intersected(bar), c);
    if (m_state.state == TaskState::Interrupted || m_state.state == TaskState::Skipped) {
        p->setPen(QPen(QColor(0x55, 0x55, 0x55), 0.8));
        p->drawLine(QPointF(4, 3), QPointF(4, kH - 3));
    }

    if (m_preview == Preview::Rerun || m_preview == Preview::Confirm) {
        const QColor outline = StatePalette::color(
            m_preview == Preview::Confirm ? TaskState::Failed : TaskState::Running);
        QPen dash(outline, 2, Qt::DashLine);
        dash.setDashPattern({3, 2});
        p->setPen(dash);
        p->setBrush(Qt::NoBrush);
        p->drawRoundedRect(QRectF(-3.5, -3.5, kW + 7, kH + 7), kRadius + 3, kRadius + 3);
        if (m_preview == Preview::Confirm && lod >= 0.4) {
            // A tag on the top edge: this rerun waits for the operator's confirmation.
            const QString tag = QCoreApplication::translate("pw::NodeRunBadge", "confirm");
            QFont f = p->font();
            f.setPointSizeF(f.pointSizeF() * 0.85);
            f.setBold(true);
            p->setFont(f);
            const QFontMetricsF fm(f);
            const QRectF r(12, -kBadge / 2, fm.horizontalAdvance(tag) + 10,
                std::min<qreal>(kBadge - 2, fm.height() + 2));
            p->setPen(Qt::NoPen);
            p->setBrush(outline);
            p->drawRoundedRect(r, 3, 3);
            p->setPen(Qt::white);
            p->drawText(r, Qt::AlignCenter, tag);
        }
    }
    if (lod < 0.4)
        return;

    // Badge on the top-right corner: the state icon on a disc of the canvas colour.
    const QRectF badge(kW - kBadge / 2, -kBadge / 2, kBadge, kBadge);
    p->setPen(Qt::NoPen);
    p->setBrush(theme.nodeFill);
    p->drawEllipse(badge.adjusted(-1.5, -1.5, 1.5, 1.5));
    StatePalette::paintIcon(p, badge, m_state.state);

    // Footer under the box.
    const QString text = footerText();
    if (!text.isEmpty() && lod >= 0.55) {
        QFont f = p->font();
        f.setPointSizeF(f.pointSizeF() * 0.92);
        p->setFont(f);
        QColor tc = c;
        if (m_state.state == TaskState::Interrupted || m_state.state == TaskState::Skipped
            || m_state.state == TaskState::Waiting)
            tc = theme.mutedText;
        else if (!theme.dark)
            tc = c.darker(125);
        p->setPen(tc);
        const QFontMetricsF fm(f);
        p->drawText(QRectF(4, kH + 2, kW - 8, kFooter), Qt::AlignLeft | Qt::AlignVCenter,
            fm.elidedText(text, Qt::ElideRight, kW - 8));
    }
}

} // namespace pw
