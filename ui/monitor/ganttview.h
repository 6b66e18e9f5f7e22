#pragma once

#include "history/records.h"

#include <QAbstractScrollArea>
#include <QHash>

namespace pw {

// The Gantt of one run (Charts dock, issue 17 item 4): one row per task at a fixed height, one bar
// per attempt in its state's colour (retries are separate bars with a gap), task names in a column
// on the left that stays put, and a local-time axis on top that stays put, with ticks at clock
// steps (1/2/5/10/15/30 of a unit). It scrolls (wheel, scroll bars) when the rows do not fit, and
// zooms the time axis around the cursor (Ctrl+wheel, + / -, 0 fits the whole run).
// Hovering a bar shows its times, exit code and error; hovering a name shows the full name and
// the task's description. A click on a row emits taskClicked, a double click taskActivated.
// Main thread only.
class GanttView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit GanttView(QWidget *parent = nullptr);

    // The rows (top to bottom) and every attempt of the run; `now` ends the attempts still
    // running. `descriptions` are shown in the name tooltips.
    void setRun(const QStringList &tasks, const QList<AttemptRecord> &attempts, qint64 now,
        const QHash<QString, QString> &descriptions = {});
    void clear(const QString &message);

    int rowCount() const { return int(m_tasks.size()); }
    int barCount() const { return m_bars; }
    int rowHeight() const;
    QString message() const { return m_message; }
    // The selected row's task (empty: none); selecting scrolls it into view.
    QString selectedTask() const { return m_selected; }
    void selectTask(const QString &task);

    // The visible time window (ms since the epoch) and how far it is zoomed in (1 = whole run).
    qint64 visibleFrom() const;
    qint64 visibleTo() const;
    double zoom() const { return m_zoom; }
    void zoomBy(double factor, double anchorX = -1);
    void fitTime();
    // The time axis' ticks and their labels as drawn now.
    QList<qint64> ticks() const;
    QStringList tickLabels() const;
    qint64 tickStep() const;
    // The row at viewport y (-1: the axis or below the last row) and the attempt under a point.
    int rowAt(int y) const;
    const AttemptRecord *attemptAt(QPoint viewportPos) const;
    QString toolTipAt(QPoint viewportPos) const;

Q_SIGNALS:
    void taskClicked(const QString &task);
    void taskActivated(const QString &task);
    void contextMenuRequested(const QString &task, const QPoint &globalPos);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    int axisHeight() const;
    bool crossesMidnight() const;
    int tickGap() const;
    int labelWidth() const;
    double plotWidth() const;
    double xOf(qint64 t) const;
    void updateScrollBars();

    QStringList m_tasks;
    QHash<QString, int> m_rowOf;
    QHash<QString, QString> m_descriptions;
    QList<AttemptRecord> m_attempts;
    QList<QList<int>> m_rowAttempts; // per row, indexes into m_attempts
    QString m_message;
    QString m_selected;
    qint64 m_now = 0;
    qint64 m_lo = 0; // the whole run, padded
    qint64 m_hi = 0;
    double m_zoom = 1;
    int m_bars = 0;
    int m_labelWidth = 0;
    bool m_live = false;
};

} // namespace pw
