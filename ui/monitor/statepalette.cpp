#include "statepalette.h"

#include <QCoreApplication>
#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace pw {

namespace {

// Yellow (interrupted) and the light greys need dark symbols and an outline to stay visible.
bool isLight(TaskState s)
{
    return s == TaskState::Interrupted || s == TaskState::Skipped;
}

QIcon makeIcon(TaskState s)
{
    QIcon icon;
    for (int size : {16, 24, 32, 48}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        StatePalette::paintIcon(&p, QRectF(0, 0, size, size), s);
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

} // namespace

QColor StatePalette::color(TaskState s)
{
    switch (s) {
    case TaskState::Waiting:
        return QColor(0x9E, 0x9E, 0x9E);
    case TaskState::Queued:
        return QColor(0x56, 0xB4, 0xE9);
    case TaskState::Running:
        return QColor(0x00, 0x72, 0xB2);
    case TaskState::Succeeded:
        return QColor(0x00, 0x9E, 0x73);
    case TaskState::Failed:
        return QColor(0xD5, 0x5E, 0x00);
    case TaskState::RetryWait:
        return QColor(0xE6, 0x9F, 0x00);
    case TaskState::UpstreamFailed:
        return QColor(0xCC, 0x79, 0xA7);
    case TaskState::Skipped:
        return QColor(0xBD, 0xBD, 0xBD);
    case TaskState::Cancelled:
        return QColor(0x61, 0x61, 0x61);
    case TaskState::Interrupted:
        return QColor(0xF0, 0xE4, 0x42);
    }
    return Qt::gray;
}

QColor StatePalette::color(RunState s)
{
    return color(taskState(s));
}
QColor StatePalette::color(AttemptState s)
{
    return color(taskState(s));
}

QColor StatePalette::foreground(TaskState s)
{
    return isLight(s) ? QColor(0x33, 0x33, 0x33) : QColor(Qt::white);
}

QIcon StatePalette::icon(TaskState s)
{
    static QHash<int, QIcon> cache;
    auto it = cache.find(int(s));
    if (it == cache.end())
        it = cache.insert(int(s), makeIcon(s));
    return *it;
}

QIcon StatePalette::icon(RunState s)
{
    return icon(taskState(s));
}
QIcon StatePalette::icon(AttemptState s)
{
    return icon(taskState(s));
}

void StatePalette::paintIcon(QPainter *p, const QRectF &rect, TaskState s)
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const qreal side = qMin(rect.width(), rect.height());
    const QRectF r(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side);
    const qreal w = side / 16.0; // one unit of a 16 px grid
    const QRectF disc = r.adjusted(w * 0.75, w * 0.75, -w * 0.75, -w * 0.75);
    const QColor c = color(s);
    const QColor fg = foreground(s);
    const QPointF m = r.center();
    auto pt = [&](qreal x, qreal y) { return QPointF(r.left() + x * w, r.top() + y * w); };

    if (s == TaskState::Waiting) {
        p->setPen(QPen(c, 2 * w));
        p->setBrush(Qt::NoBrush);
        p->drawEllipse(disc.adjusted(w * 0.5, w * 0.5, -w * 0.5, -w * 0.5));
        p->restore();
        return;
    }
    p->setPen(isLight(s) ? QPen(QColor(0x55, 0x55, 0x55), w) : Qt::NoPen);
    p->setBrush(c);
    p->drawEllipse(disc);

    QPen pen(fg, 1.8 * w, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    switch (s) {
    case TaskState::Queued: // clock
        p->drawLine(m, pt(8, 4.5));
        p->drawLine(m, pt(10.8, 9.6));
        break;
    case TaskState::Running: { // play
        QPolygonF tri{pt(6.2, 4.6), pt(6.2, 11.4), pt(11.6, 8)};
        p->setBrush(fg);
        p->setPen(QPen(fg, 0.8 * w, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p->drawPolygon(tri);
        break;
    }
    case TaskState::Succeeded: // check
        p->drawPolyline(QPolygonF{pt(4.6, 8.3), pt(7, 10.7), pt(11.4, 5.6)});
        break;
    case TaskState::Failed: // cross
        p->drawLine(pt(5.3, 5.3), pt(10.7, 10.7));
        p->drawLine(pt(10.7, 5.3), pt(5.3, 10.7));
        break;
    case TaskState::RetryWait: { // circular arrow
        const QRectF arc(pt(4.6, 4.6), pt(11.4, 11.4));
        p->drawArc(arc, 90 * 16, 270 * 16);
        QPolygonF head{pt(8, 2.9), pt(10.4, 4.6), pt(8, 6.3)};
        p->setBrush(fg);
        p->setPen(QPen(fg, 0.6 * w));
        p->drawPolygon(head);
        break;
    }
    case TaskState::UpstreamFailed: // broken link: two chain halves with a gap
        p->drawLine(pt(4.3, 11.7), pt(7, 9));
        p->drawLine(pt(9, 7), pt(11.7, 4.3));
        p->setPen(QPen(fg, 1.2 * w, Qt::SolidLine, Qt::RoundCap));
        p->drawLine(pt(6.4, 5.2), pt(6.9, 6.6));
        p->drawLine(pt(9.6, 10.8), pt(9.1, 9.4));
        break;
    case TaskState::Skipped: { // skip arrow: triangle + bar
        p->setBrush(fg);
        p->setPen(QPen(fg, 0.6 * w));
        p->drawPolygon(QPolygonF{pt(5, 5), pt(5, 11), pt(9.4, 8)});
        p->setPen(pen);
        p->drawLine(pt(11, 5.2), pt(11, 10.8));
        break;
    }
    case TaskState::Cancelled: // square
        p->setBrush(fg);
        p->setPen(Qt::NoPen);
        p->drawRect(QRectF(pt(5.4, 5.4), pt(10.6, 10.6)));
        break;
    case TaskState::Interrupted: { // lightning
        p->setBrush(fg);
        p->setPen(Qt::NoPen);
        p->drawPolygon(
            QPolygonF{pt(9, 2.8), pt(5, 8.8), pt(7.9, 8.8), pt(6.8, 13.2), pt(11, 7), pt(8.1, 7)});
        break;
    }
    case TaskState::Waiting:
        break;
    }
    p->restore();
}

QString StatePalette::label(TaskState s)
{
    switch (s) {
    case TaskState::Waiting:
        return QCoreApplication::translate("pw::StatePalette", "waiting");
    case TaskState::Queued:
        return QCoreApplication::translate("pw::StatePalette", "queued");
    case TaskState::Running:
        return QCoreApplication::translate("pw::StatePalette", "running");
    case TaskState::Succeeded:
        return QCoreApplication::translate("pw::StatePalette", "succeeded");
    case TaskState::Failed:
        return QCoreApplication::translate("pw::StatePalette", "failed");
    case TaskState::RetryWait:
        return QCoreApplication::translate("pw::StatePalette", "retry wait");
    case TaskState::UpstreamFailed:
        return QCoreApplication::translate("pw::StatePalette", "upstream failed");
    case TaskState::Skipped:
        return QCoreApplication::translate("pw::StatePalette", "skipped");
    case TaskState::Cancelled:
        return QCoreApplication::translate("pw::StatePalette", "cancelled");
    case TaskState::Interrupted:
        return QCoreApplication::translate("pw::StatePalette", "interrupted");
    }
    return {};
}

QString StatePalette::label(RunState s)
{
    return label(taskState(s));
}
QString StatePalette::label(AttemptState s)
{
    return label(taskState(s));
}

QString StatePalette::label(TryTrigger t)
{
    switch (t) {
    case TryTrigger::Manual:
        return QCoreApplication::translate("pw::StatePalette", "manual");
    case TryTrigger::Schedule:
        return QCoreApplication::translate("pw::StatePalette", "schedule");
    case TryTrigger::Backfill:
        return QCoreApplication::translate("pw::StatePalette", "backfill");
    case TryTrigger::Recover:
        return QCoreApplication::translate("pw::StatePalette", "recover");
    case TryTrigger::Rerun:
        return QCoreApplication::translate("pw::StatePalette", "rerun");
    case TryTrigger::Force:
        return QCoreApplication::translate("pw::StatePalette", "force");
    }
    return toString(t);
}

TaskState StatePalette::taskState(RunState s)
{
    switch (s) {
    case RunState::Queued:
        return TaskState::Queued;
    case RunState::Running:
        return TaskState::Running;
    case RunState::Succeeded:
        return TaskState::Succeeded;
    case RunState::Failed:
        return TaskState::Failed;
    case RunState::Cancelled:
        return TaskState::Cancelled;
    case RunState::Interrupted:
        return TaskState::Interrupted;
    }
    return TaskState::Waiting;
}

TaskState StatePalette::taskState(AttemptState s)
{
    switch (s) {
    case AttemptState::Running:
        return TaskState::Running;
    case AttemptState::Succeeded:
        return TaskState::Succeeded;
    case AttemptState::Failed:
        return TaskState::Failed;
    case AttemptState::Cancelled:
        return TaskState::Cancelled;
    case AttemptState::Interrupted:
        return TaskState::Interrupted;
    }
    return TaskState::Waiting;
}

QList<TaskState> StatePalette::allStates()
{
    return {TaskState::Waiting, TaskState::Queued, TaskState::Running, TaskState::Succeeded,
        TaskState::Failed, TaskState::RetryWait, TaskState::UpstreamFailed, TaskState::Skipped,
        TaskState::Cancelled, TaskState::Interrupted};
}

} // namespace pw
