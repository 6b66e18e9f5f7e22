// The Gantt of a run (GanttView) and the tick arithmetic of every chart (NiceTicks), issue 17 item
// 4: fixed row height and scrolling at 300 tasks, names elided at the end with the whole name in
// the tooltip, ticks on 1/2/5/10/15/30 clock steps with distinct labels at every span, zoom around
// the cursor that keeps its time in place, and a live run that keeps the operator's zoom.

#include "monitor/ganttview.h"
#include "monitor/niceticks.h"

#include <QDateTime>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace pw;

namespace {

// 2026-12-01 12:00:00 local time.
qint64 noon()
{
    return QDateTime(QDate(2026, 12, 1), QTime(12, 0)).toMSecsSinceEpoch();
}

AttemptRecord attempt(const QString &task, qint64 started, qint64 ended,
    AttemptState state = AttemptState::Succeeded, int number = 1)
{
    AttemptRecord a;
    a.runId = 7;
    a.task = task;
    a.attempt = number;
    a.tryNo = 1;
    a.state = state;
    a.started = started;
    a.ended = ended;
    return a;
}

bool isNiceValue(double step)
{
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    for (double m : {1.0, 2.0, 5.0})
        if (std::abs(mantissa - m) < 1e-6)
            return true;
    return false;
}

bool isClockStep(qint64 step)
{
    static const QList<qint64> units = {1, 1000, 60000, 3600000};
    for (qint64 unit : units) {
        for (qint64 m : {1, 2, 5, 10, 15, 20, 30, 50, 100, 200, 500}) {
            if (step == m * unit)
                return true;
        }
    }
    return step == 3 * 3600000 || step == 6 * 3600000 || step == 12 * 3600000
        || step % (24 * 3600000) == 0;
}

} // namespace

class TestGanttView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void niceValueSteps_data()
    {
        QTest::addColumn<double>("raw");
        QTest::addColumn<double>("step");
        QTest::newRow("1") << 1.0 << 1.0;
        QTest::newRow("1.01") << 1.01 << 2.0;
        QTest::newRow("3") << 3.0 << 5.0;
        QTest::newRow("14.6 (the odd step of issue 17)") << 14.6 << 20.0;
        QTest::newRow("0.22") << 0.22 << 0.5;
        QTest::newRow("0.3 / 3 does not climb past 0.1") << 0.3 / 3 << 0.1;
        QTest::newRow("700") << 700.0 << 1000.0;
        QTest::newRow("0.0011") << 0.0011 << 0.002;
    }
    void niceValueSteps()
    {
        QFETCH(double, raw);
        QFETCH(double, step);
        QCOMPARE(NiceTicks::step(raw), step);
        QVERIFY(isNiceValue(NiceTicks::step(raw)));
    }

    void clockSteps_data()
    {
        QTest::addColumn<qint64>("raw");
        QTest::addColumn<qint64>("step");
        QTest::newRow("14.6 s") << qint64(14600) << qint64(15000);
        QTest::newRow("3 ms") << qint64(3) << qint64(5);
        QTest::newRow("700 ms") << qint64(700) << qint64(1000);
        QTest::newRow("40 s") << qint64(40000) << qint64(60000);
        QTest::newRow("7 min") << qint64(7 * 60000) << qint64(10 * 60000);
        QTest::newRow("4 h") << qint64(4 * 3600000) << qint64(6 * 3600000);
        QTest::newRow("3 days") << qint64(3 * 86400000LL) << qint64(5 * 86400000LL);
    }
    void clockSteps()
    {
        QFETCH(qint64, raw);
        QFETCH(qint64, step);
        QCOMPARE(NiceTicks::timeStep(raw), step);
    }

    // Ticks fall on whole multiples of the step in local time and their labels differ, from a
    // 40 ms run to a two-day one (dated across midnight).
    void ticksAreWholeAndDistinct_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::newRow("40 ms") << qint64(40);
        QTest::newRow("1.1 s") << qint64(1100);
        QTest::newRow("the 300-task run: 2 s") << qint64(2000);
        QTest::newRow("58 s") << qint64(58000);
        QTest::newRow("14 min") << qint64(14 * 60000);
        QTest::newRow("5 h") << qint64(5 * 3600000);
        QTest::newRow("2 days") << qint64(2 * 86400000LL);
    }
    void ticksAreWholeAndDistinct()
    {
        QFETCH(qint64, span);
        const qint64 lo = noon() + 123;
        const qint64 step = NiceTicks::timeStepFor(span, 800, 90);
        QVERIFY2(isClockStep(step), qPrintable(QString::number(step)));
        const QList<qint64> ticks = NiceTicks::timeTicks(lo, lo + span, step);
        QVERIFY(ticks.size() >= 2);
        QVERIFY(ticks.size() <= 800 / 90 + 1);
        QStringList labels;
        for (qint64 t : ticks) {
            QVERIFY(t >= lo && t <= lo + span);
            const qint64 local
                = t + qint64(QDateTime::fromMSecsSinceEpoch(t).offsetFromUtc()) * 1000;
            QCOMPARE(local % step, 0);
            // A window across midnight labels every tick with its date (as the charts do).
            labels << NiceTicks::timeLabel(t, step, span >= 86400000LL);
        }
        QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size());
    }

    void labelsShowTheStepsPrecision()
    {
        const qint64 t = noon() + 4 * 60000 + 30500;
        QCOMPARE(NiceTicks::timeLabel(t, 500), QStringLiteral("12:04:30.5"));
        QCOMPARE(NiceTicks::timeLabel(t - 500, 5000), QStringLiteral("12:04:30"));
        QCOMPARE(NiceTicks::timeLabel(noon() + 4 * 60000, 60000), QStringLiteral("12:04"));
        QCOMPARE(NiceTicks::timeLabel(noon(), 60000, true), QStringLiteral("12-01 12:00"));
        QCOMPARE(
            NiceTicks::timeLabel(noon() - 12 * 3600000, 3600000), QStringLiteral("12-01 00:00"));
    }

    void durationUnits()
    {
        QCOMPARE(NiceTicks::durationUnit(0.4).seconds, 0.001);
        QCOMPARE(NiceTicks::durationUnit(1.1).seconds, 1.0);
        QCOMPARE(NiceTicks::durationUnit(600).seconds, 60.0);
        QCOMPARE(NiceTicks::durationUnit(3 * 3600).seconds, 3600.0);
    }

    // 300 tasks: every row at a fixed height, the rows scroll, names are whole unless they do not
    // fit, and the tooltip gives the whole name and the description.
    void manyTasksScroll()
    {
        GanttView view;
        view.resize(900, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QStringList tasks;
        QList<AttemptRecord> attempts;
        for (int i = 0; i < 300; ++i) {
            tasks
                << QStringLiteral("check_reconciliation_rounds_%1").arg(i, 3, 10, QLatin1Char('0'));
            attempts << attempt(tasks.last(), noon() + i * 7, noon() + i * 7 + 40);
        }
        const QHash<QString, QString> descriptions{
            {tasks.at(0), QStringLiteral("Compares the ledger with the bank")}};
        view.setRun(tasks, attempts, noon() + 5000, descriptions);
        QCOMPARE(view.rowCount(), 300);
        QCOMPARE(view.barCount(), 300);
        QVERIFY(view.rowHeight() >= view.fontMetrics().height());
        // Row 0 starts under the axis.
        int axis = 0;
        while (view.rowAt(axis) != 0)
            ++axis;
        QVERIFY(axis > view.fontMetrics().height());
        QCOMPARE(view.verticalScrollBar()->maximum(),
            300 * view.rowHeight() - (view.viewport()->height() - axis));
        QVERIFY(view.verticalScrollBar()->maximum() > 250 * view.rowHeight());

        // The name tooltip is whole, with the description.
        const QPoint onName(20, axis + view.rowHeight() / 2);
        QCOMPARE(view.toolTipAt(onName),
            tasks.at(0) + QStringLiteral("\nCompares the ledger with the bank"));

        // Scrolling to the end shows the last row.
        view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum());
        QCOMPARE(view.rowAt(view.viewport()->height() - 2), 299);

        // Selecting an on-screen row does not scroll; an off-screen one scrolls just enough.
        const int before = view.verticalScrollBar()->value();
        view.selectTask(tasks.at(298));
        QCOMPARE(view.verticalScrollBar()->value(), before);
        view.selectTask(tasks.at(0));
        QCOMPARE(view.verticalScrollBar()->value(), 0);

        // A click on a row says which task; a double click activates it.
        QSignalSpy clicked(&view, &GanttView::taskClicked);
        QSignalSpy activated(&view, &GanttView::taskActivated);
        QTest::mouseClick(
            view.viewport(), Qt::LeftButton, {}, onName + QPoint(0, view.rowHeight()));
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().first().toString(), tasks.at(1));
        QTest::mouseDClick(view.viewport(), Qt::LeftButton, {}, onName);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.first().first().toString(), tasks.at(0));

        // The axis labels are distinct (issue 17: five labels read the same second).
        const QStringList labels = view.tickLabels();
        QVERIFY(labels.size() >= 3);
        QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size());
        QVERIFY(isClockStep(view.tickStep()));
    }

    // A retried task: two bars, the tooltip of each names its attempt, exit code and error.
    void barsAndTooltips()
    {
        GanttView view;
        view.resize(800, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        AttemptRecord first
            = attempt(QStringLiteral("load"), noon(), noon() + 4000, AttemptState::Failed, 1);
        first.exitCode = 3;
        first.error = QStringLiteral("exit:3");
        const AttemptRecord second = attempt(
            QStringLiteral("load"), noon() + 6000, noon() + 9000, AttemptState::Succeeded, 2);
        view.setRun({QStringLiteral("extract"), QStringLiteral("load")},
            {attempt(QStringLiteral("extract"), noon() - 3000, noon()), first, second},
            noon() + 10000);
        QCOMPARE(view.barCount(), 3);
        int y = 0;
        while (view.rowAt(y) != 1)
            ++y;
        y += view.rowHeight() / 2;
        const auto xAt = [&](qint64 t) {
            // Find the x of a time by probing: the bar under it must be that attempt.
            for (int x = 0; x < view.viewport()->width(); ++x) {
                if (const AttemptRecord *a = view.attemptAt(QPoint(x, y)))
                    if (a->started <= t && t <= a->ended)
                        return x;
            }
            return -1;
        };
        const int x1 = xAt(noon() + 2000);
        QVERIFY(x1 > 0);
        QVERIFY(view.toolTipAt(QPoint(x1, y)).contains(QStringLiteral("attempt 1")));
        QVERIFY(view.toolTipAt(QPoint(x1, y)).contains(QStringLiteral("exit code 3")));
        QVERIFY(view.toolTipAt(QPoint(x1, y)).contains(QStringLiteral("exit:3")));
        int x2 = x1;
        while (x2 < view.viewport()->width()
            && (!view.attemptAt(QPoint(x2, y)) || view.attemptAt(QPoint(x2, y))->attempt != 2))
            ++x2;
        QVERIFY(x2 < view.viewport()->width());
        QVERIFY(view.toolTipAt(QPoint(x2, y)).contains(QStringLiteral("attempt 2")));
        // Between the retries (two seconds) nothing is under the pointer.
        int gap = 0;
        for (int x = x1; x < x2; ++x)
            gap += view.attemptAt(QPoint(x, y)) ? 0 : 1;
        QVERIFY2(gap > 10, qPrintable(QString::number(gap)));
    }

    // Zooming keeps the time under the cursor in place, narrows the window, and a live update of
    // the same run keeps the zoom; fitting shows the whole run again.
    void zoomAroundTheCursor()
    {
        GanttView view;
        view.resize(1000, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QList<AttemptRecord> attempts{attempt(QStringLiteral("a"), noon(), noon() + 60000)};
        view.setRun({QStringLiteral("a")}, attempts, noon() + 60000);
        const qint64 wholeSpan = view.visibleTo() - view.visibleFrom();
        const qint64 firstStep = view.tickStep();
        const double anchorX = 600;
        const qint64 fromBefore = view.visibleFrom();
        view.zoomBy(4, anchorX);
        QCOMPARE(view.zoom(), 4.0);
        const qint64 span = view.visibleTo() - view.visibleFrom();
        QVERIFY(std::abs(double(span) - wholeSpan / 4.0) < wholeSpan / 400.0);
        // The anchor sat right of the middle: the window moved right, but not to the end.
        QVERIFY(view.visibleFrom() > fromBefore);
        QVERIFY(view.visibleTo() < noon() + 60000 + wholeSpan);
        QVERIFY(view.tickStep() < firstStep);

        // A live update of the same run keeps the zoom and the window.
        attempts << attempt(QStringLiteral("a"), noon() + 61000, 0, AttemptState::Running, 2);
        const qint64 from = view.visibleFrom();
        view.setRun({QStringLiteral("a")}, attempts, noon() + 62000);
        QVERIFY(view.zoom() > 3.5);
        QVERIFY(std::abs(view.visibleFrom() - from) < span / 50);

        view.fitTime();
        QCOMPARE(view.zoom(), 1.0);
        QCOMPARE(view.horizontalScrollBar()->value(), 0);
        QTest::keyClick(&view, Qt::Key_Plus);
        QVERIFY(view.zoom() > 1.0);
        QTest::keyClick(&view, Qt::Key_0);
        QCOMPARE(view.zoom(), 1.0);
    }

    void emptyRunSaysSo()
    {
        GanttView view;
        view.clear(QStringLiteral("Select a run to see its timeline"));
        QCOMPARE(view.rowCount(), 0);
        QCOMPARE(view.message(), QStringLiteral("Select a run to see its timeline"));
        QVERIFY(view.ticks().isEmpty());
    }
};

QTEST_MAIN(TestGanttView)
#include "tst_ganttview.moc"
