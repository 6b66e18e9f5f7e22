#include "ganttview.h"

#include "editor/theme.h"
#include "niceticks.h"
#include "runsmodel.h"
#include "statepalette.h"

#include <QContextMenuEvent>
#include <QDateTime>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace pw {

namespace {
constexpr double kMaxZoom = 100000; // a 1 h run down to ~36 ms across the view
} // namespace

GanttView::GanttView(QWidget *parent) : QAbstractScrollArea(parent)
{
    setObjectName(QStringLiteral("ganttView"));
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    horizontalScrollBar()->setSingleStep(20);
    clear({});
}

int GanttView::rowHeight() const
{
    return fontMetrics().height() + 8;
}

int GanttView::axisHeight() const
{
    return fontMetrics().height() + 12;
}

int GanttView::labelWidth() const
{
    // Names are elided at the end beyond 40% of the width (the tooltip has them whole).
    const int cap = std::max(90, viewport()->width() * 2 / 5);
    return std::clamp(m_labelWidth, 60, cap);
}

double GanttView::plotWidth() const
{
    return std::max(20, viewport()->width() - labelWidth() - 12);
}

void GanttView::clear(const QString &message)
{
    m_tasks.clear();
    m_rowOf.clear();
    m_attempts.clear();
    m_rowAttempts.clear();
    m_bars = 0;
    m_message = message;
    m_lo = m_hi = 0;
    m_zoom = 1;
    updateScrollBars();
    viewport()->update();
}

void GanttView::setRun(const QStringList &tasks, const QList<AttemptRecord> &attempts, qint64 now,
    const QHash<QString, QString> &descriptions)
{
    const bool sameRun = !m_attempts.isEmpty() && !attempts.isEmpty()
        && m_attempts.first().runId == attempts.first().runId;
    const qint64 oldFrom = visibleFrom();
    const qint64 oldTo = visibleTo();
    const bool wasZoomed = m_zoom > 1.0001;

    m_message.clear();
    m_tasks = tasks;
    m_descriptions = descriptions;
    m_attempts = attempts;
    m_now = now;
    m_rowOf.clear();
    for (int i = 0; i < m_tasks.size(); ++i)
        m_rowOf.insert(m_tasks.at(i), i);
    m_rowAttempts = QList<QList<int>>(m_tasks.size());
    m_bars = 0;
    m_live = false;
    qint64 lo = std::numeric_limits<qint64>::max();
    qint64 hi = std::numeric_limits<qint64>::min();
    for (int i = 0; i < m_attempts.size(); ++i) {
        const AttemptRecord &a = m_attempts.at(i);
        const auto row = m_rowOf.constFind(a.task);
        if (!a.started || row == m_rowOf.constEnd())
            continue;
        m_rowAttempts[*row] << i;
        ++m_bars;
        m_live = m_live || !a.ended;
        lo = std::min(lo, a.started);
        hi = std::max(hi, a.ended ? a.ended : now);
    }
    if (m_bars == 0) {
        lo = hi = now;
    }
    const qint64 pad = std::max<qint64>(100, (hi - lo) / 40);
    m_lo = lo - pad;
    m_hi = hi + pad;

    QFontMetrics fm(font());
    int widest = 0;
    for (const QString &t : m_tasks)
        widest = std::max(widest, fm.horizontalAdvance(t));
    m_labelWidth = widest + 20;

    // A live run keeps the user's zoom and place; a new run starts whole.
    if (sameRun && wasZoomed && oldTo > oldFrom) {
        m_zoom = std::clamp(double(m_hi - m_lo) / double(oldTo - oldFrom), 1.0, kMaxZoom);
        updateScrollBars();
        horizontalScrollBar()->setValue(int(std::lround(xOf(oldFrom) - xOf(m_lo))));
    } else {
        m_zoom = 1;
        updateScrollBars();
    }
    viewport()->update();
}

qint64 GanttView::visibleFrom() const
{
    const double total = plotWidth() * m_zoom;
    return m_lo
        + qint64(horizontalScrollBar()->value() / std::max(1.0, total) * double(m_hi - m_lo));
}

qint64 GanttView::visibleTo() const
{
    return visibleFrom() + qint64(double(m_hi - m_lo) / m_zoom);
}

double GanttView::xOf(qint64 t) const
{
    const qint64 from = visibleFrom();
    const double perMs = plotWidth() * m_zoom / std::max<double>(1, double(m_hi - m_lo));
    return labelWidth() + 6 + double(t - from) * perMs;
}

void GanttView::zoomBy(double factor, double anchorX)
{
    if (m_hi <= m_lo)
        return;
    const double w = plotWidth();
    if (anchorX < 0)
        anchorX = labelWidth() + 6 + w / 2;
    // The time under the anchor stays under it.
    const double perMs = w * m_zoom / double(m_hi - m_lo);
    const double anchorT = double(visibleFrom()) + (anchorX - labelWidth() - 6) / perMs;
    const double zoom = std::clamp(m_zoom * factor, 1.0, kMaxZoom);
    if (zoom == m_zoom)
        return;
    m_zoom = zoom;
    updateScrollBars();
    const double newPerMs = w * m_zoom / double(m_hi - m_lo);
    const double from = anchorT - (anchorX - labelWidth() - 6) / newPerMs;
    horizontalScrollBar()->setValue(int(std::lround((from - double(m_lo)) * newPerMs)));
    viewport()->update();
}

void GanttView::fitTime()
{
    m_zoom = 1;
    updateScrollBars();
    viewport()->update();
}

bool GanttView::crossesMidnight() const
{
    return QDateTime::fromMSecsSinceEpoch(visibleFrom()).date()
        != QDateTime::fromMSecsSinceEpoch(visibleTo()).date();
}

int GanttView::tickGap() const
{
    // Room for the widest label and some air.
    return fontMetrics().horizontalAdvance(
               crossesMidnight() ? QStringLiteral("12-31 23:59:59") : QStringLiteral("23:59:59.9"))
        + 24;
}

qint64 GanttView::tickStep() const
{
    return NiceTicks::timeStepFor(visibleTo() - visibleFrom(), plotWidth(), tickGap());
}

QList<qint64> GanttView::ticks() const
{
    if (m_hi <= m_lo)
        return {};
    return NiceTicks::timeTicks(visibleFrom(), visibleTo(), tickStep());
}

QStringList GanttView::tickLabels() const
{
    QStringList labels;
    const qint64 step = tickStep();
    // Across midnight every label has its date, else "06:00" would stand for two days.
    const bool withDate = crossesMidnight();
    for (qint64 t : ticks())
        labels << NiceTicks::timeLabel(t, step, withDate);
    return labels;
}

void GanttView::updateScrollBars()
{
    const int rowsHeight = int(m_tasks.size()) * rowHeight();
    const int visible = viewport()->height() - axisHeight();
    verticalScrollBar()->setPageStep(std::max(1, visible));
    verticalScrollBar()->setSingleStep(rowHeight());
    verticalScrollBar()->setRange(0, std::max(0, rowsHeight - visible));
    const int total = int(std::lround(plotWidth() * m_zoom));
    horizontalScrollBar()->setPageStep(int(plotWidth()));
    horizontalScrollBar()->setRange(0, std::max(0, total - int(plotWidth())));
}

int GanttView::rowAt(int y) const
{
    if (y < axisHeight())
        return -1;
    const int row = (y - axisHeight() + verticalScrollBar()->value()) / rowHeight();
    return row < m_tasks.size() ? row : -1;
}

const AttemptRecord *GanttView::attemptAt(QPoint pos) const
{
    const int row = rowAt(pos.y());
    if (row < 0 || pos.x() < labelWidth())
        return nullptr;
    const AttemptRecord *best = nullptr;
    for (int i : m_rowAttempts.at(row)) {
        const AttemptRecord &a = m_attempts.at(i);
        const double x0 = xOf(a.started);
        const double x1 = std::max(xOf(a.ended ? a.ended : m_now), x0 + 3);
        if (pos.x() >= x0 - 2 && pos.x() <= x1 + 2)
            best = &a; // the later of two touching bars wins
    }
    return best;
}

QString GanttView::toolTipAt(QPoint pos) const
{
    const int row = rowAt(pos.y());
    if (row < 0)
        return {};
    const QString &task = m_tasks.at(row);
    if (pos.x() < labelWidth()) {
        const QString description = m_descriptions.value(task);
        return description.isEmpty() ? task : task + QStringLiteral("\n") + description;
    }
    const AttemptRecord *a = attemptAt(pos);
    if (!a)
        return {};
    const auto clock = [](qint64 ms) {
        return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
    };
    return tr("%1 · attempt %2 (try %3) · %4\n%5 – %6 (%7)%8%9")
        .arg(a->task)
        .arg(a->attempt)
        .arg(a->tryNo)
        .arg(StatePalette::label(a->state), clock(a->started),
            a->ended ? clock(a->ended) : tr("now"),
            RunsModel::formatDuration((a->ended ? a->ended : m_now) - a->started),
            a->exitCode ? tr("\nexit code %1").arg(*a->exitCode) : QString(),
            a->error.isEmpty() ? QString() : QStringLiteral("\n") + a->error);
}

void GanttView::selectTask(const QString &task)
{
    if (task == m_selected)
        return;
    m_selected = task;
    const int row = m_rowOf.value(task, -1);
    if (row >= 0) {
        // Scroll only when the row is (partly) out of sight.
        const int top = row * rowHeight();
        const int visible = viewport()->height() - axisHeight();
        QScrollBar *v = verticalScrollBar();
        if (top < v->value())
            v->setValue(top);
        else if (top + rowHeight() > v->value() + visible)
            v->setValue(top + rowHeight() - visible);
    }
    viewport()->update();
}

void GanttView::paintEvent(QPaintEvent *)
{
    const Theme &theme = Theme::current();
    QPainter p(viewport());
    const QRect area = viewport()->rect();
    p.fillRect(area, theme.canvas);
    if (!m_message.isEmpty() || m_tasks.isEmpty()) {
        p.setPen(theme.mutedText);
        p.drawText(area, Qt::AlignCenter, m_message);
        return;
    }
    const int rowH = rowHeight();
    const int axisH = axisHeight();
    const int labelW = labelWidth();
    const int top = verticalScrollBar()->value();
    const int first = top / rowH;
    const int last = std::min<int>(int(m_tasks.size()) - 1, (top + area.height() - axisH) / rowH);
    const QList<qint64> tickList = ticks();
    QColor grid = theme.mutedText;
    grid.setAlpha(45);
    QColor stripe = theme.text;
    stripe.setAlpha(theme.dark ? 10 : 8);
    QColor selected = theme.accent;
    selected.setAlpha(40);

    // Rows: stripes, grid lines, then the bars.
    p.save();
    p.setClipRect(QRect(0, axisH, area.width(), area.height() - axisH));
    for (int row = first; row <= last; ++row) {
        const int y = axisH + row * rowH - top;
        const QRect band(0, y, area.width(), rowH);
        if (m_tasks.at(row) == m_selected)
            p.fillRect(band, selected);
        else if (row % 2)
            p.fillRect(band, stripe);
    }
    p.setPen(QPen(grid, 1));
    for (qint64 t : tickList) {
        const double x = xOf(t);
        p.drawLine(QPointF(x, axisH), QPointF(x, area.height()));
    }
    p.setClipRect(QRect(labelW, axisH, area.width() - labelW, area.height() - axisH));
    p.setRenderHint(QPainter::Antialiasing);
    for (int row = first; row <= last; ++row) {
        const double y = axisH + row * rowH - top;
        for (int i : m_rowAttempts.at(row)) {
            const AttemptRecord &a = m_attempts.at(i);
            const double x0 = xOf(a.started);
            const double x1 = std::max(xOf(a.ended ? a.ended : m_now), x0 + 3);
            if (x1 < labelW || x0 > area.width())
                continue;
            // A border in the background colour keeps back-to-back retries apart.
            p.setPen(QPen(theme.canvas, 1));
            p.setBrush(StatePalette::color(a.state));
            p.drawRoundedRect(QRectF(x0, y + 4, x1 - x0, rowH - 8), 2, 2);
        }
    }
    if (m_live) {
        const double x = xOf(m_now);
        p.setPen(QPen(StatePalette::color(TaskState::Running), 1, Qt::DashLine));
        p.drawLine(QPointF(x, axisH), QPointF(x, area.height()));
    }
    p.restore();

    // The names column, fixed horizontally.
    p.fillRect(QRect(0, axisH, labelW, area.height() - axisH), palette().window());
    p.setPen(QPen(grid, 1));
    p.drawLine(labelW, 0, labelW, area.height());
    p.save();
    p.setClipRect(QRect(0, axisH, labelW, area.height() - axisH));
    const QFontMetrics fm = fontMetrics();
    for (int row = first; row <= last; ++row) {
        const QRect r(8, axisH + row * rowH - top, labelW - 14, rowH);
        if (m_tasks.at(row) == m_selected)
            p.fillRect(QRect(0, r.top(), labelW, rowH), selected);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(r, Qt::AlignVCenter | Qt::AlignLeft,
            fm.elidedText(m_tasks.at(row), Qt::ElideRight, r.width()));
    }
    p.restore();

    // The time axis, fixed vertically.
    p.fillRect(QRect(0, 0, area.width(), axisH), palette().window());
    p.setPen(QPen(grid, 1));
    p.drawLine(0, axisH - 1, area.width(), axisH - 1);
    p.setPen(theme.mutedText);
    p.drawText(QRect(8, 0, labelW - 14, axisH), Qt::AlignVCenter | Qt::AlignLeft, tr("local time"));
    const QStringList labels = tickLabels();
    const int gap = tickGap();
    p.setClipRect(QRect(labelW, 0, area.width() - labelW, axisH));
    for (int i = 0; i < tickList.size(); ++i) {
        const double x = xOf(tickList.at(i));
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(x, axisH - 5), QPointF(x, axisH - 1));
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRectF(x - gap / 2.0, 0, gap, axisH - 4), Qt::AlignHCenter | Qt::AlignVCenter,
            labels.value(i));
    }
}

void GanttView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    const qint64 from = visibleFrom();
    updateScrollBars();
    if (m_hi > m_lo) {
        const double perMs = plotWidth() * m_zoom / double(m_hi - m_lo);
        horizontalScrollBar()->setValue(int(std::lround(double(from - m_lo) * perMs)));
    }
}

void GanttView::scrollContentsBy(int, int)
{
    viewport()->update();
}

void GanttView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = event->angleDelta().y() / 120.0;
        zoomBy(std::pow(1.25, steps), event->position().x());
        event->accept();
        return;
    }
    if (event->modifiers() & Qt::ShiftModifier) {
        QScrollBar *h = horizontalScrollBar();
        h->setValue(h->value() - event->angleDelta().y() / 120 * h->singleStep() * 3);
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void GanttView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.5);
        return;
    case Qt::Key_Minus:
        zoomBy(1 / 1.5);
        return;
    case Qt::Key_0:
        fitTime();
        return;
    case Qt::Key_Up:
    case Qt::Key_Down: {
        int row = m_rowOf.value(m_selected, -1);
        row = std::clamp(row + (event->key() == Qt::Key_Up ? -1 : 1), 0, int(m_tasks.size()) - 1);
        if (row >= 0 && row < m_tasks.size()) {
            selectTask(m_tasks.at(row));
            Q_EMIT taskClicked(m_selected);
        }
        return;
    }
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (!m_selected.isEmpty())
            Q_EMIT taskActivated(m_selected);
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void GanttView::mousePressEvent(QMouseEvent *event)
{
    const int row = rowAt(event->position().toPoint().y());
    if (event->button() == Qt::LeftButton && row >= 0) {
        selectTask(m_tasks.at(row));
        Q_EMIT taskClicked(m_selected);
    }
    QAbstractScrollArea::mousePressEvent(event);
}

void GanttView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const int row = rowAt(event->position().toPoint().y());
    if (event->button() == Qt::LeftButton && row >= 0)
        Q_EMIT taskActivated(m_tasks.at(row));
}

void GanttView::contextMenuEvent(QContextMenuEvent *event)
{
    const int row = rowAt(event->pos().y());
    if (row < 0)
        return;
    selectTask(m_tasks.at(row));
    Q_EMIT contextMenuRequested(m_selected, event->globalPos());
}

bool GanttView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString tip = toolTipAt(help->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace pw
