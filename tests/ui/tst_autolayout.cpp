// Auto-layout: layered left to right, no two nodes overlap, one undo step; opening a flow
// without `layout` lays it out.

#include "editor/autolayout.h"
#include "editor/flowdocument.h"
#include "editor/flowscene.h"
#include "editor/nodeitem.h"
#include "editor/tasktypeinfo.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTest>
#include <QUndoStack>

using namespace pw;

Q_DECLARE_METATYPE(pw::Flow)

namespace {
Flow makeFlow(const QList<QPair<int, int>> &edges, int n)
{
    Flow f;
    f.id = QStringLiteral("layout_test");
    for (int i = 0; i < n; ++i)
        f.tasks << TaskTypeInfo::newTask(TaskType::Noop, QStringLiteral("t%1").arg(i));
    for (const auto &e : edges)
        f.tasks[e.second].after << QStringLiteral("t%1").arg(e.first);
    return f;
}
} // namespace

class TestAutoLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void noOverlapLeftToRight_data()
    {
        QTest::addColumn<Flow>("flow");
        QTest::newRow("empty") << makeFlow({}, 0);
        QTest::newRow("single") << makeFlow({}, 1);
        QTest::newRow("chain") << makeFlow({{0, 1}, {1, 2}, {2, 3}}, 4);
        QTest::newRow("diamond") << makeFlow({{0, 1}, {0, 2}, {1, 3}, {2, 3}}, 4);
        QList<QPair<int, int>> fan;
        for (int i = 1; i < 40; ++i)
            fan << qMakePair(0, i);
        QTest::newRow("fan-out 40") << makeFlow(fan, 40);
        QTest::newRow("disconnected") << makeFlow({{0, 1}, {2, 3}}, 6);
        QTest::newRow("long edge") << makeFlow({{0, 1}, {1, 2}, {2, 3}, {0, 3}, {0, 4}}, 5);
        // A random DAG (edges only from lower to higher index), fixed seed.
        QRandomGenerator rng(42);
        QList<QPair<int, int>> random;
        for (int i = 1; i < 300; ++i) {
            const int k = rng.bounded(3);
            for (int j = 0; j < k; ++j)
                random << qMakePair(int(rng.bounded(i)), i);
        }
        QTest::newRow("random 300") << makeFlow(random, 300);
    }
    void noOverlapLeftToRight()
    {
        QFETCH(Flow, flow);
        const QHash<QString, QPointF> pos = AutoLayout::compute(flow);
        QCOMPARE(pos.size(), flow.tasks.size());
        QList<QRectF> boxes;
        for (const TaskSpec &t : flow.tasks)
            boxes << QRectF(pos.value(t.id), QSizeF(NodeItem::Width, NodeItem::Height));
        for (int i = 0; i < boxes.size(); ++i) {
            for (int j = i + 1; j < boxes.size(); ++j)
                QVERIFY2(!boxes[i].intersects(boxes[j]),
                    qPrintable(
                        QStringLiteral("%1 overlaps %2").arg(flow.tasks[i].id, flow.tasks[j].id)));
        }
        for (const TaskSpec &t : flow.tasks) {
            for (const QString &up : t.after)
                QVERIFY2(pos.value(up).x() < pos.value(t.id).x(),
                    qPrintable(up + QStringLiteral(" -> ") + t.id));
        }
    }

    void isOneUndoStep()
    {
        FlowDocument doc;
        QUndoStack undo;
        FlowScene scene(&doc, &undo);
        Flow f = makeFlow({{0, 1}, {0, 2}, {1, 3}, {2, 3}}, 4);
        for (const TaskSpec &t : f.tasks)
            f.layout.insert(t.id, QPointF(0, 0)); // all on top of each other
        doc.setFlow(f);
        scene.autoLayout();
        QCOMPARE(undo.count(), 1);
        QList<QRectF> boxes;
        for (const QString &id : doc.taskIds())
            boxes << scene.node(id)->sceneBoundingRect().adjusted(
                NodeItem::PortRadius * 2 + 1, 1, -NodeItem::PortRadius * 2 - 1, -1);
        for (int i = 0; i < boxes.size(); ++i)
            for (int j = i + 1; j < boxes.size(); ++j)
                QVERIFY(!boxes[i].intersects(boxes[j]));
        undo.undo();
        for (const QString &id : doc.taskIds())
            QCOMPARE(doc.taskPos(id), QPointF(0, 0));
    }

    void twoThousandTasksIsFast()
    {
        QRandomGenerator rng(7);
        QList<QPair<int, int>> edges;
        for (int i = 1; i < 2000; ++i) {
            const int k = 1 + rng.bounded(2);
            for (int j = 0; j < k; ++j)
                edges << qMakePair(int(std::max(0, i - 1 - int(rng.bounded(30)))), i);
        }
        const Flow f = makeFlow(edges, 2000);
        QElapsedTimer t;
        t.start();
        const QHash<QString, QPointF> pos = AutoLayout::compute(f);
        const qint64 ms = t.elapsed();
        qInfo("auto layout of 2000 tasks / %lld edges: %lld ms", qlonglong(edges.size()), ms);
        QCOMPARE(pos.size(), 2000);
        QVERIFY(ms < 2000);
    }
};

QTEST_MAIN(TestAutoLayout)
#include "tst_autolayout.moc"
