#include "chartswidget.h"

#include "editor/theme.h"
#include "history/historystore.h"
#include "historyreader.h"
#include "runsmodel.h"
#include "runstatemodel.h"
#include "statepalette.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QTabWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace pw {

namespace {

struct TrendPoint
{
    qint64 runStarted = 0;
    QHash<QString, double> seconds; // task -> duration of its last succeeded attempt
};

struct History
{
    QList<TrendPoint> trend;           // oldest first
    QMap<QDate, QPair<int, int>> days; // succeeded, failed
};

QChart *newChart()
{
    auto *chart = new QChart;
    const Theme &theme = Theme::current();
    chart->setTheme(theme.dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(theme.canvas);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignRight);
    return chart;
}

QChartView *newView(QWidget *parent)
{
    auto *v = new QChartView(newChart(), parent);
    v->setRenderHint(QPainter::Antialiasing);
    return v;
}

} // namespace

ChartsWidget::ChartsWidget(RunStateModel *model, HistoryReader *reader, QWidget *parent)
    : QWidget(parent), m_model(model), m_reader(reader)
{
    setObjectName(QStringLiteral("chartsWidget"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->setMinimumHeight(240); // below this Qt Charts elides every axis label
    m_gantt = newView(m_tabs);
    m_trend = newView(m_tabs);
    m_daily = newView(m_tabs);
    m_tabs->addTab(m_gantt, tr("Gantt"));
    m_tabs->addTab(m_trend, tr("Durations"));
    m_tabs->addTab(m_daily, tr("Per day"));
    layout->addWidget(m_tabs);

    m_ganttDelay.setSingleShot(true);
    m_ganttDelay.setInterval(300);
    connect(&m_ganttDelay, &QTimer::timeout, this, &ChartsWidget::rebuildGantt);
    connect(m_model, &RunStateModel::changed, this, [this] {
        if (!m_ganttDelay.isActive())
            m_ganttDelay.start();
    });
    connect(m_model, &RunStateModel::runLoaded, this, [this] {
        if (m_model->isLoaded())
            setFlow(m_model->run().flowId);
    });
    m_historyDelay.setSingleShot(true);
    m_historyDelay.setInterval(3000);
    connect(&m_historyDelay, &QTimer::timeout, this, &ChartsWidget::reloadHistory);
    connect(m_reader, &HistoryReader::changed, this, [this] {
        // Hidden charts (another dock tab in front) read nothing until they are shown.
        if (!isVisible())
            m_stale = true;
        else if (!m_historyDelay.isActive())
            m_historyDelay.start();
    });
    rebuildGantt();
}

void ChartsWidget::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale) {
        m_stale = false;
        reloadHistory();
    }
}

QChart *ChartsWidget::ganttChart() const
{
    return m_gantt->chart();
}

void ChartsWidget::setFlow(const QString &flowId)
{
    if (flowId == m_flow)
        return;
    m_flow = flowId;
    reloadHistory();
}

void ChartsWidget::rebuildGantt()
{
    QChart *chart = newChart();
    chart->legend()->hide();
    m_ganttBars = 0;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QStringList tasks;
    if (m_model->hasPlan()) {
        for (const TaskSpec &t : m_model->plan().flow.tasks)
            tasks << t.id;
    }
    const QList<AttemptRecord> &attempts = m_model->attempts();
    for (const AttemptRecord &a : attempts)
        if (!tasks.contains(a.task))
            tasks << a.task;
    if (m_model->runId() == 0 || attempts.isEmpty()) {
        chart->setTitle(m_model->runId() == 0
                ? tr("Select a run to see its timeline")
                : tr("Run %1 has no attempts yet").arg(m_model->runId()));
        QChart *old = m_gantt->chart();
        m_gantt->setChart(chart);
        delete old;
        return;
    }
    chart->setTitle(tr("Run %1 · attempts over time").arg(m_model->runId()));
    auto *x = new QDateTimeAxis;
    x->setFormat(QStringLiteral("HH:mm:ss"));
    x->setTitleText(tr("local time"));
    x->setTickCount(5);
    auto *y = new QCategoryAxis;
    y->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
    const int n = int(tasks.size());
    y->setRange(-0.5, n - 0.5);
    y->setStartValue(-0.5);
    // Categories go bottom-up; the first task is the top row.
    for (int row = 0; row < n; ++row)
        y->append(tasks.at(n - 1 - row), row + 0.5);
    y->setGridLineVisible(false);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);

    qint64 lo = std::numeric_limits<qint64>::max();
    qint64 hi = 0;
    for (const AttemptRecord &a : attempts) {
        if (!a.started)
            continue;
        const qint64 end = a.ended ? a.ended : now;
        lo = qMin(lo, a.started);
        hi = qMax(hi, end);
    }
    // At least a visible sliver for instant attempts: 0.4% of the span.
    const qint64 minWidth = qMax<qint64>(50, (hi - lo) / 250);
    const QColor gap = Theme::current().canvas;
    for (const AttemptRecord &a : attempts) {
        if (!a.started)
            continue;
        const int row = n - 1 - int(tasks.indexOf(a.task));
        const qint64 end = qMax(a.ended ? a.ended : now, a.started + minWidth);
        auto *upper = new QLineSeries;
        auto *lower = new QLineSeries;
        upper->append(a.started, row + 0.32);
        upper->append(end, row + 0.32);
        lower->append(a.started, row - 0.32);
        lower->append(end, row - 0.32);
        auto *area = new QAreaSeries(upper, lower);
        upper->setParent(area);
        lower->setParent(area);
        area->setName(a.task);
        area->setColor(StatePalette::color(a.state));
        // A border in the background colour keeps back-to-back retries apart.
        area->setBorderColor(gap);
        area->setPen(QPen(gap, 1.5));
        chart->addSeries(area);
        area->attachAxis(x);
        area->attachAxis(y);
        ++m_ganttBars;
        const QString tip
            = tr("%1 · attempt %2 (try %3) · %4\n%5 – %6 (%7)%8%9")
                  .arg(a.task)
                  .arg(a.attempt)
                  .arg(a.tryNo)
                  .arg(StatePalette::label(a.state),
                      QDateTime::fromMSecsSinceEpoch(a.started).toString(
                          QStringLiteral("HH:mm:ss.zzz")),
                      a.ended ? QDateTime::fromMSecsSinceEpoch(a.ended).toString(
                          QStringLiteral("HH:mm:ss.zzz"))
                              : tr("now"),
                      RunsModel::formatDuration((a.ended ? a.ended : now) - a.started),
                      a.exitCode ? tr("\nexit code %1").arg(*a.exitCode) : QString(),
                      a.error.isEmpty() ? QString() : QStringLiteral("\n") + a.error);
        connect(area, &QAreaSeries::hovered, this, [tip](const QPointF &, bool on) {
            if (on)
                QToolTip::showText(QCursor::pos(), tip);
            else
                QToolTip::hideText();
        });
    }
    const qint64 pad = qMax<qint64>(200, (hi - lo) / 40);
    x->setRange(QDateTime::fromMSecsSinceEpoch(lo - pad), QDateTime::fromMSecsSinceEpoch(hi + pad));
    if (hi - lo > 2 * 3600 * 1000)
        x->setFormat(QStringLiteral("MM-dd HH:mm"));
    QChart *old = m_gantt->chart();
    m_gantt->setChart(chart);
    delete old;
}

void ChartsWidget::reloadHistory()
{
    if (m_flow.isEmpty() || m_loading)
        return;
    m_loading = true;
    const QString flow = m_flow;
    const int n = m_trendRuns;
    const quint64 generation = ++m_generation;
    m_reader
        ->read([flow, n](HistoryStore *store) {
            History h;
            if (!store)
                return h;
            RunFilter f;
            f.flowId = flow;
            f.limit = n;
            if (auto runs = store->runs(f)) {
                for (auto it = runs->crbegin(); it != runs->crend(); ++it) {
                    if (!it->started)
                        continue;
                    TrendPoint p;
                    p.runStarted = it->started;
                    if (auto attempts = store->attempts(it->id)) {
                        for (const AttemptRecord &a : *attempts)
                            if (a.state == AttemptState::Succeeded && a.ended >= a.started)
                                p.seconds.insert(a.task, (a.ended - a.started) / 1000.0);
                    }
                    h.trend << p;
                }
            }
            // Per day: the runs of the last 14 days (newest first, at most 5,000 are counted).
            const QDate first = QDate::currentDate().addDays(-13);
            for (int i = 0; i < 14; ++i)
                h.days.insert(first.addDays(i), {0, 0});
            f.limit = 5000;
            if (auto runs = store->runs(f)) {
                for (const RunRecord &r : *runs) {
                    const QDate d = QDateTime::fromMSecsSinceEpoch(r.created).date();
                    if (d < first)
                        break;
                    if (!h.days.contains(d))
                        continue;
                    if (r.state == RunState::Succeeded)
                        ++h.days[d].first;
                    else if (isFinal(r.state))
                        ++h.days[d].second;
                }
            }
            return h;
        })
        .then(this, [this, generation, flow](const History &h) {
            m_loading = false;
            if (generation != m_generation)
                return;
            // Durations per task.
            QChart *trend = newChart();
            trend->setTitle(
                tr("%1 · task durations over the last %2 runs").arg(flow).arg(h.trend.size()));
            auto *x = new QDateTimeAxis;
            x->setFormat(QStringLiteral("MM-dd HH:mm"));
            auto *y = new QValueAxis;
            y->setTitleText(tr("seconds"));
            y->setLabelFormat(QStringLiteral("%.1f"));
            trend->addAxis(x, Qt::AlignBottom);
            trend->addAxis(y, Qt::AlignLeft);
            QMap<QString, QLineSeries *> lines;
            double maxY = 1;
            qint64 lo = std::numeric_limits<qint64>::max(), hi = 0;
            for (const TrendPoint &p : h.trend) {
                lo = qMin(lo, p.runStarted);
                hi = qMax(hi, p.runStarted);
                for (auto it = p.seconds.begin(); it != p.seconds.end(); ++it) {
                    QLineSeries *&s = lines[it.key()];
                    if (!s) {
                        if (lines.size() > 10)
                            continue; // readable: at most 10 tasks
                        s = new QLineSeries;
                        s->setName(it.key());
                        s->setPointsVisible(true);
                    }
                    s->append(p.runStarted, it.value());
                    maxY = qMax(maxY, it.value());
                }
            }
            for (QLineSeries *s : std::as_const(lines)) {
                if (!s)
                    continue;
                trend->addSeries(s);
                s->attachAxis(x);
                s->attachAxis(y);
            }
            if (hi >= lo && hi > 0)
                x->setRange(QDateTime::fromMSecsSinceEpoch(lo - 60000),
                    QDateTime::fromMSecsSinceEpoch(hi + 60000));
            y->setRange(0, maxY * 1.15);
            QChart *old = m_trend->chart();
            m_trend->setChart(trend);
            delete old;

            // Succeeded / failed per day.
            QChart *daily = newChart();
            daily->setTitle(tr("%1 · runs per day").arg(flow));
            auto *ok = new QBarSet(tr("succeeded"));
            ok->setColor(StatePalette::color(TaskState::Succeeded));
            auto *bad = new QBarSet(tr("failed"));
            bad->setColor(StatePalette::color(TaskState::Failed));
            QStringList days;
            int maxCount = 1;
            for (auto it = h.days.begin(); it != h.days.end(); ++it) {
                days << it.key().toString(QStringLiteral("MM-dd"));
                *ok << it->first;
                *bad << it->second;
                maxCount = qMax(maxCount, qMax(it->first, it->second));
            }
            auto *bars = new QBarSeries;
            bars->append(ok);
            bars->append(bad);
            daily->addSeries(bars);
            auto *dx = new QBarCategoryAxis;
            dx->append(days);
            auto *dy = new QValueAxis;
            dy->setRange(0, maxCount);
            dy->setLabelFormat(QStringLiteral("%d"));
            dy->setTickCount(qMin(maxCount, 5) + 1);
            daily->addAxis(dx, Qt::AlignBottom);
            daily->addAxis(dy, Qt::AlignLeft);
            bars->attachAxis(dx);
            bars->attachAxis(dy);
            old = m_daily->chart();
            m_daily->setChart(daily);
            delete old;
            m_chartedFlow = flow;
            Q_EMIT historyCharted();
        });
}

} // namespace pw
