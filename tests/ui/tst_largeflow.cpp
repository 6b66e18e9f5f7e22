// A 2,000-task flow in the designer: open (load + auto-layout + scene), fit, paint, select
// all, drag, auto-layout, undo. Prints the times (the numbers in docs/BENCHMARKS.md come
// from here) and fails only when something is far from interactive.

#include "app/mainwindow.h"
#include "editor/flowdocument.h"
#include "editor/flowscene.h"
#include "editor/flowview.h"
#include "editor/minimap.h"
#include "editor/nodeitem.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace pw;

class TestLargeFlow : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

    static QByteArray generate(int n)
    {
        // Layers of 40 tasks; each task depends on one to three tasks of earlier layers.
        QRandomGenerator rng(2026);
        QByteArray y = "pipewright: 1\nflow: large\nparams:\n  date: {type: date, default: today}\n"
                       "limits: {pools: {warehouse: 4}}\ntasks:\n";
        for (int i = 0; i < n; ++i) {
            y += QByteArray("  t") + QByteArray::number(i) + ":\n";
            const bool sql = i % 7 == 3;
            if (sql)
                y += "    type: noop\n";
            else
                y += QByteArray("    type: shell\n    command: echo step ") + QByteArray::number(i)
                    + " {{date}}\n";
            if (i >= 40) {
                const int layerStart = (i / 40) * 40;
                QList<int> ups;
                const int k = 1 + int(rng.bounded(3));
                for (int j = 0; j < k; ++j) {
                    const int u
                        = int(rng.bounded(std::max(1, layerStart - std::max(0, layerStart - 80))))
                        + std::max(0, layerStart - 80);
                    if (!ups.contains(u))
                        ups << u;
                }
                y += "    after: [";
                for (int j = 0; j < ups.size(); ++j)
                    y += QByteArray(j ? ", t" : "t") + QByteArray::number(ups[j]);
                y += "]\n";
            }
            if (i % 5 == 0)
                y += "    retries: 2\n    pool: warehouse\n";
        }
        return y;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_tmp.path());
        QCoreApplication::setOrganizationName(QStringLiteral("PipewrightTest"));
    }

    // Fit keeps the text legible (issue 17 item 10): a flow that fits at >= LegibleZoom is shown
    // whole; a larger one from its start at LegibleZoom, and fitting again shows all of it. The
    // minimap fades while nodes are under it.
    void fitKeepsTextLegible()
    {
        const QString path = m_tmp.filePath(QStringLiteral("fit.flow.yaml"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(generate(300));
        }
        MainWindow win;
        win.resize(1440, 900);
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        QVERIFY(win.openFile(path).has_value());
        FlowView *view = win.view();
        const QRectF flow = win.scene()->nodesBoundingRect();
        const auto shown
            = [view] { return view->mapToScene(view->viewport()->rect()).boundingRect(); };

        // Opening fits: the flow's start at the smallest legible zoom.
        QCOMPARE(view->zoom(), FlowView::LegibleZoom);
        QVERIFY(FlowView::LegibleZoom * 11 >= 10); // the 11 px summary line at >= 10 px
        QVERIFY2(shown().left() <= flow.left() && shown().right() > flow.left() + 100,
            qPrintable(QStringLiteral("shown %1..%2, flow from %3")
                           .arg(shown().left())
                           .arg(shown().right())
                           .arg(flow.left())));
        QVERIFY(!shown().contains(flow));
        // The minimap is up (part of the flow is off screen) and fades when nodes are under it.
        QTRY_VERIFY(view->miniMap()->isVisible());
        const QRect mapOnViewport(
            view->viewport()->mapFrom(view, view->miniMap()->pos()), view->miniMap()->size());
        bool nodesUnder = false;
        for (QGraphicsItem *item : win.scene()->items(view->mapToScene(mapOnViewport)))
            nodesUnder = nodesUnder || item->type() == NodeItem::Type;
        QTRY_COMPARE(view->miniMap()->isFaded(), nodesUnder);

        // Fitting again (programmatically) stays put; Ctrl+0 there shows the whole flow, however
        // small, and once more goes back to legible.
        view->fitAll();
        QCOMPARE(view->zoom(), FlowView::LegibleZoom);
        view->cycleFit();
        QVERIFY(view->zoom() < FlowView::LegibleZoom);
        QVERIFY(shown().contains(flow));
        view->cycleFit();
        QCOMPARE(view->zoom(), FlowView::LegibleZoom);
        QVERIFY(shown().left() <= flow.left());
        // A small flow fits whole at once, legibly.
        QVERIFY(win.openFile(QStringLiteral(PW_SOURCE_DIR "/resources/examples/hello.flow.yaml"))
                    .has_value());
        view->fitAll();
        QVERIFY(view->zoom() >= FlowView::LegibleZoom);
        QVERIFY(shown().contains(win.scene()->nodesBoundingRect()));
        QTRY_VERIFY(!view->miniMap()->isFaded());
    }

    void twoThousandTasks()
    {
        const QString path = m_tmp.filePath(QStringLiteral("large.flow.yaml"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(generate(2000));
        }
        MainWindow win;
        win.resize(1440, 900);
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        QElapsedTimer t;

        t.start();
        const Result<void> r = win.openFile(path);
        QVERIFY2(r.has_value(), r.has_value() ? "" : qPrintable(r.error().message));
        const qint64 openMs = t.elapsed();
        QCOMPARE(win.scene()->nodeCount(), 2000);
        const int edges = win.scene()->edgeCount();

        t.restart();
        win.document()->validateNow();
        const qint64 validateMs = t.elapsed();

        t.restart();
        win.view()->fitWhole();
        const QPixmap fitFrame = win.view()->viewport()->grab();
        const qint64 fitPaintMs = t.elapsed();

        t.restart();
        win.view()->resetZoom();
        win.view()->centerOnTask(QStringLiteral("t1000"));
        const QPixmap zoomFrame = win.view()->viewport()->grab();
        const qint64 zoomPaintMs = t.elapsed();

        t.restart();
        win.scene()->selectTasks(win.document()->taskIds());
        const qint64 selectAllMs = t.elapsed();

        // Drag all 2,000 selected tasks by 10 mouse moves: one undo step.
        QWidget *vp = win.view()->viewport();
        const QPoint start = win.view()->mapFromScene(
            win.scene()->node(QStringLiteral("t1000"))->sceneBoundingRect().center());
        const int before = win.undoStack()->count();
        t.restart();
        QTest::mousePress(vp, Qt::LeftButton, {}, start);
        for (int i = 1; i <= 10; ++i)
            QTest::mouseMove(vp, start + QPoint(i * 8, i * 4));
        QTest::mouseRelease(vp, Qt::LeftButton, {}, start + QPoint(80, 40));
        const qint64 dragMs = t.elapsed();
        QCOMPARE(win.undoStack()->count(), before + 1);

        t.restart();
        win.scene()->autoLayout();
        const qint64 layoutMs = t.elapsed();
        t.restart();
        win.undoStack()->undo();
        const qint64 undoMs = t.elapsed();

        qInfo("2000 tasks / %d edges: open (load+layout+scene) %lld ms, validate %lld ms, "
              "fit+paint %lld ms, 100%% paint %lld ms, select all %lld ms, drag all (10 moves) "
              "%lld ms, "
              "auto-layout %lld ms, undo layout %lld ms",
            edges, openMs, validateMs, fitPaintMs, zoomPaintMs, selectAllMs, dragMs, layoutMs,
            undoMs);
        QVERIFY(!fitFrame.isNull() && !zoomFrame.isNull());
        QVERIFY(openMs < 30000);
        QVERIFY(fitPaintMs < 10000);
        win.undoStack()->setClean();
    }
};

QTEST_MAIN(TestLargeFlow)
#include "tst_largeflow.moc"
