#include "chartswidget.h"

#include "editor/theme.h"
#include "ganttview.h"
#include "history/historystore.h"
#include "historyreader.h"
#include "niceticks.h"
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
#include <QLabel>
#include <QLineSeries>
#include <QScrollArea>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

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
    auto *ganttPage = new QWidget(m_tabs);
    auto *ganttLayout = new QVBoxLayout(ganttPage);
    ganttLayout->setContentsMargins(0, 0, 0, 0);
    ganttLayout->setSpacing(0);
    auto *bar = new QToolBar(ganttPage);
    bar->setIconSize(QSize(16, 16));
    m_ganttTitle = new QLabel(bar);
    m_ganttTitle->setContentsMargins(6, 0, 12, 0);
    bar->addWidget(m_ganttTitle);
    m_ganttView = new GanttView(ganttPage);
    QAction *zoomOut = bar->addAction(Theme::icon(QStringLiteral("zoom-out")), tr("Zoom out"),
        m_ganttView, [this] { m_ganttView->zoomBy(1 / 1.5); });
    zoomOut->setToolTip(tr("Zoom out the time axis (-, Ctrl+wheel)"));
    QAction *zoomIn = bar->addAction(Theme::icon(QStringLiteral("zoom-in")), tr("Zoom in"),
        m_ganttView, [this] { m_ganttView->zoomBy(1.5); });
    zoomIn->setToolTip(tr("Zoom in the time axis (+, Ctrl+wheel)"));
    QAction *fit = bar->addAction(Theme::icon(QStringLiteral("zoom-fit")), tr("Whole run"),
        m_ganttView, [this] { m_ganttView->fitTime(); });
    fit->setToolTip(tr("Show the whole run (0)"));
    ganttLayout->addWidget(bar);
    ganttLayout->addWidget(m_ganttView, 1);
    connect(m_ganttView, &GanttView::taskClicked, this, &ChartsWidget::taskClicked);
    connect(m_ganttView, &GanttView::taskActivated, this, &ChartsWidget::taskActivated);
    connect(m_ganttView, &GanttView::contextMenuRequested, this,
        &ChartsWidget::taskContextMenuRequested);
    m_trend = newView(m_tabs);
    m_daily = newView(m_tabs);
    m_tabs->addTab(ganttPage, tr("Gantt"));
    // Below 240 px Qt Charts elides every axis label: a lower dock scrolls the chart instead, so
    // the bottom dock area can fold to its tabs (the Gantt scrolls by itself).
    auto scrolled = [this](QChartView *chart) {
        chart->setMinimumHeight(240);
        auto *area = new QScrollArea(m_tabs);
        area->setFrameShape(QFrame::NoFrame);
        area->setWidgetResizable(true);
        area->setWidget(chart);
        return area;
    };
    m_tabs->addTab(scrolled(m_trend), tr("Durations"));
    m_tabs->addTab(scrolled(m_daily), tr("Per day"));
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

void ChartsWidget::setFlow(const QString &flowId)
{
    if (flowId == m_flow)
        return;
    m_flow = flowId;
    reloadHistory();
}

QChart *ChartsWidget::trendChart() const
{
    return m_trend->chart();
}

int ChartsWidget::ganttBars() const
{
    return m_ganttView->barCount();
}

void ChartsWidget::rebuildGantt()
{
    const QList<AttemptRecord> &attempts = m_model->attempts();
    if (m_model->runId() == 0 || attempts.isEmpty()) {
        m_ganttView->clear(m_model->runId() == 0
                ? tr("Select a run to see its timeline")
                : tr("Run %1 has no attempts yet").arg(m_model->runId()));
        m_ganttTitle->setText(QString());
        return;
    }
    QStringList tasks;
    QHash<QString, QString> descriptions;
    QSet<QString> known;
    if (m_model->hasPlan()) {
        for (const TaskSpec &t : m_model->plan().flow.tasks) {
            tasks << t.id;
            known.insert(t.id);
            if (!t.description.isEmpty())
                descriptions.insert(t.id, t.description);
        }
    }
    for (const AttemptRecord &a : attempts) {
        if (!known.contains(a.task)) {
            known.insert(a.task);
            tasks << a.task;
        }
    }
    m_ganttView->setRun(tasks, attempts, QDateTime::currentMSecsSinceEpoch(), descriptions);
    m_ganttTitle->setText(tr("Run %1 · attempts over time").arg(m_model->runId()));
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
            // Durations per task, in a unit that fits them, on 1/2/5 steps.
            QChart *trend = newChart();
            const int runs = int(h.trend.size());
            trend->setTitle(runs == 1
                    ? tr("%1 · task durations in the last run").arg(flow)
                    : tr("%1 · task durations over the last %n runs", nullptr, runs).arg(flow));
            double maxSeconds = 0;
            qint64 lo = std::numeric_limits<qint64>::max(), hi = 0;
            for (const TrendPoint &p : h.trend) {
                lo = qMin(lo, p.runStarted);
                hi = qMax(hi, p.runStarted);
                for (double v : p.seconds)
                    maxSeconds = qMax(maxSeconds, v);
            }
            const NiceTicks::DurationUnit unit = NiceTicks::durationUnit(maxSeconds);
            auto *y = new QValueAxis;
            y->setTitleText(tr("duration (%1)").arg(unit.name));
            const double top = qMax(maxSeconds / unit.seconds, 1.0);
            const double step = NiceTicks::step(top / 5);
            y->setTickType(QValueAxis::TicksDynamic);
            y->setTickAnchor(0);
            y->setTickInterval(step);
            y->setRange(0, std::ceil(top * 1.05 / step) * step);
            const int decimals = step >= 1 ? 0 : int(std::ceil(-std::log10(step) - 1e-9));
            y->setLabelFormat(QStringLiteral("%.%1f").arg(decimals));
            // Runs on clock ticks (QCategoryAxis: a label on each tick's value).
            auto *x = new QCategoryAxis;
            x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
            if (hi < lo)
                lo = hi = QDateTime::currentMSecsSinceEpoch();
            const qint64 pad = qMax<qint64>(60000, (hi - lo) / 20);
            const qint64 from = lo - pad, to = hi + pad;
            x->setRange(double(from), double(to));
            x->setStartValue(double(from));
            const qint64 tick
                = NiceTicks::timeStepFor(to - from, qMax(200, m_trend->width() - 120), 110);
            const bool withDate = QDateTime::fromMSecsSinceEpoch(from).date()
                != QDateTime::fromMSecsSinceEpoch(to).date();
            for (qint64 t : NiceTicks::timeTicks(from, to, tick))
                x->append(NiceTicks::timeLabel(t, tick, withDate), double(t));
            trend->addAxis(x, Qt::AlignBottom);
            trend->addAxis(y, Qt::AlignLeft);
            QMap<QString, QLineSeries *> lines;
            for (const TrendPoint &p : h.trend) {
                for (auto it = p.seconds.begin(); it != p.seconds.end(); ++it) {
                    QLineSeries *&s = lines[it.key()];
                    if (!s) {
                        if (lines.size() > 10)
                            continue; // readable: at most 10 tasks
                        s = new QLineSeries;
                        s->setName(it.key());
                        s->setPointsVisible(true);
                    }
                    s->append(double(p.runStarted), it.value() / unit.seconds);
                }
            }
            for (QLineSeries *s : std::as_const(lines)) {
                if (!s)
                    continue;
                trend->addSeries(s);
                s->attachAxis(x);
                s->attachAxis(y);
            }
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
            const double countStep = qMax(1.0, NiceTicks::step(maxCount / 5.0));
            dy->setTickType(QValueAxis::TicksDynamic);
            dy->setTickAnchor(0);
            dy->setTickInterval(countStep);
            dy->setRange(0, std::ceil(maxCount / countStep) * countStep);
            dy->setLabelFormat(QStringLiteral("%d"));
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
