#include "engine/taskqueue.h"

#include <QtTest>

using namespace pw;

class TestTaskQueue : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void globalLimit();
    void priorityOrder_data();
    void priorityOrder();
    void poolsAreSharedAcrossFlows();
    void blockedPoolDoesNotBlockOthers();
    void flowLimit();
    void undeclaredPoolHasOneSlot();
    void removeAndPosition();
    void slotlessItems();
    void randomInvariants_data();
    void randomInvariants();

private:
    static TaskQueue::Item item(qint64 run, int task, const QString &flow = QStringLiteral("f"),
        const QString &pool = {}, int prio = 0, int down = 0)
    {
        TaskQueue::Item i;
        i.runId = run;
        i.task = task;
        i.flow = flow;
        i.pool = pool;
        i.priority = prio;
        i.downstream = down;
        return i;
    }
    static QStringList names(const std::vector<TaskQueue::Item> &items)
    {
        QStringList out;
        for (const auto &i : items)
            out << QStringLiteral("%1.%2").arg(i.runId).arg(i.task);
        return out;
    }
};

void TestTaskQueue::globalLimit()
{
    TaskQueue q;
    q.setGlobalLimit(2);
    for (int i = 0; i < 5; ++i)
        q.push(item(1, i));
    auto first = q.takeRunnable();
    QCOMPARE(names(first), QStringList({"1.0", "1.1"}));
    QVERIFY(q.takeRunnable().empty());
    QCOMPARE(q.runningCount(), 2);
    q.release(first[0]);
    QCOMPARE(names(q.takeRunnable()), QStringList({"1.2"}));
    QCOMPARE(q.queuedCount(), 2);
}

// clang-format off
void TestTaskQueue::priorityOrder_data()
{
    // Each row: items as "task:priority:downstream" in push order -> expected start order.
    QTest::addColumn<QStringList>("items");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("fifo") << QStringList{"0:0:0", "1:0:0", "2:0:0"} << QStringList{"1.0", "1.1", "1.2"};
    QTest::newRow("priority-first") << QStringList{"0:0:0", "1:5:0", "2:1:0"} << QStringList{"1.1", "1.2", "1.0"};
    QTest::newRow("downstream-breaks-ties") << QStringList{"0:0:1", "1:0:9", "2:0:3"} << QStringList{"1.1", "1.2", "1.0"};
    QTest::newRow("priority-beats-downstream") << QStringList{"0:0:100", "1:1:0"} << QStringList{"1.1", "1.0"};
    QTest::newRow("negative-priority-last") << QStringList{"0:-1:0", "1:0:0"} << QStringList{"1.1", "1.0"};
}
// clang-format on

void TestTaskQueue::priorityOrder()
{
    QFETCH(QStringList, items);
    QFETCH(QStringList, expected);
    TaskQueue q;
    q.setGlobalLimit(100);
    for (const QString &s : items) {
        const QStringList p = s.split(QLatin1Char(':'));
        q.push(item(1, p[0].toInt(), QStringLiteral("f"), {}, p[1].toInt(), p[2].toInt()));
    }
    QCOMPARE(names(q.takeRunnable()), expected);
}

void TestTaskQueue::poolsAreSharedAcrossFlows()
{
    TaskQueue q;
    q.setGlobalLimit(10);
    q.setPoolSlots(QStringLiteral("warehouse"), 2);
    q.push(item(1, 0, QStringLiteral("a"), QStringLiteral("warehouse")));
    q.push(item(2, 0, QStringLiteral("b"), QStringLiteral("warehouse")));
    q.push(item(3, 0, QStringLiteral("c"), QStringLiteral("warehouse")));
    const auto started = q.takeRunnable();
    QCOMPARE(int(started.size()), 2);
    QCOMPARE(q.runningInPool(QStringLiteral("warehouse")), 2);
    QVERIFY(q.takeRunnable().empty());
    q.release(started[1]);
    QCOMPARE(names(q.takeRunnable()), QStringList({"3.0"}));
}

void TestTaskQueue::blockedPoolDoesNotBlockOthers()
{
    TaskQueue q;
    q.setGlobalLimit(10);
    q.setPoolSlots(QStringLiteral("db"), 1);
    q.push(item(1, 0, QStringLiteral("f"), QStringLiteral("db"), 9));
    q.push(item(1, 1, QStringLiteral("f"), QStringLiteral("db"), 9));
    q.push(item(1, 2, QStringLiteral("f"), {}, 0));
    QCOMPARE(names(q.takeRunnable()), QStringList({"1.0", "1.2"}));
}

void TestTaskQueue::flowLimit()
{
    TaskQueue q;
    q.setGlobalLimit(10);
    q.setFlowLimit(QStringLiteral("a"), 1);
    q.push(item(1, 0, QStringLiteral("a")));
    q.push(item(2, 0, QStringLiteral("a"))); // another run of the same flow
    q.push(item(3, 0, QStringLiteral("b")));
    QCOMPARE(names(q.takeRunnable()), QStringList({"1.0", "3.0"}));
    QCOMPARE(q.runningInFlow(QStringLiteral("a")), 1);
}

void TestTaskQueue::undeclaredPoolHasOneSlot()
{
    TaskQueue q;
    q.setGlobalLimit(10);
    q.push(item(1, 0, QStringLiteral("f"), QStringLiteral("typo")));
    q.push(item(1, 1, QStringLiteral("f"), QStringLiteral("typo")));
    QCOMPARE(int(q.takeRunnable().size()), TaskQueue::defaultPoolSlots());
}

void TestTaskQueue::removeAndPosition()
{
    TaskQueue q;
    q.setGlobalLimit(0);
    q.push(item(1, 0));
    q.push(item(1, 1, QStringLiteral("f"), {}, 5));
    q.push(item(1, 2));
    QCOMPARE(q.position(1, 1), 1);
    QCOMPARE(q.position(1, 0), 2);
    QCOMPARE(q.position(1, 2), 3);
    QVERIFY(q.remove(1, 0));
    QVERIFY(!q.remove(1, 0));
    QCOMPARE(q.position(1, 2), 2);
    QCOMPARE(q.position(1, 0), 0);
    QCOMPARE(q.queuedCount(), 2);
}

// clang-format off
void TestTaskQueue::randomInvariants_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("seed");
    for (int limit : {1, 2, 8})
        for (int seed : {1, 2, 3})
            QTest::addRow("limit%d-seed%d", limit, seed) << limit << seed;
}
// clang-format on

// Random pushes and releases: limits are never exceeded and every item starts exactly once.
void TestTaskQueue::randomInvariants()
{
    QFETCH(int, limit);
    QFETCH(int, seed);
    QRandomGenerator rng{quint32(seed)};
    TaskQueue q;
    q.setGlobalLimit(limit);
    q.setPoolSlots(QStringLiteral("p1"), 1);
    q.setPoolSlots(QStringLiteral("p2"), 3);
    q.setFlowLimit(QStringLiteral("fa"), 2);
    const QStringList pools{QString(), QStringLiteral("p1"), QStringLiteral("p2")};
    const QStringList flows{QStringLiteral("fa"), QStringLiteral("fb")};
    std::vector<TaskQueue::Item> running;
    QSet<int> started;
    const int total = 500;
    int pushed = 0;
    while (int(started.size()) < total) {
        if (pushed < total && rng.bounded(2) == 0) {
            q.push(item(1, pushed, flows[rng.bounded(2)], pools[rng.bounded(3)],
                int(rng.bounded(3)), int(rng.bounded(10))));
            ++pushed;
        } else if (!running.empty() && rng.bounded(2) == 0) {
            const size_t k = rng.bounded(quint32(running.size()));
            q.release(running[k]);
            running.erase(running.begin() + qsizetype(k));
        }
        for (const auto &i : q.takeRunnable()) {
            QVERIFY(!started.contains(i.task));
            started.insert(i.task);
            running.push_back(i);
        }
        QVERIFY(q.runningCount() <= limit);
        QVERIFY(q.runningInPool(QStringLiteral("p1")) <= 1);
        QVERIFY(q.runningInPool(QStringLiteral("p2")) <= 3);
        QVERIFY(q.runningInFlow(QStringLiteral("fa")) <= 2);
        QCOMPARE(q.runningCount(), int(running.size()));
        if (pushed == total && q.queuedCount() == 0 && running.empty())
            break;
    }
    QCOMPARE(int(started.size()), total);
}

// A sensor (holdsSlot = false) starts whatever the limits and takes no capacity (issue 10).
void TestTaskQueue::slotlessItems()
{
    TaskQueue q;
    q.setGlobalLimit(1);
    q.setPoolSlots(QStringLiteral("p"), 1);
    q.setFlowLimit(QStringLiteral("f"), 1);
    q.push(item(1, 0, "f", "p"));
    QCOMPARE(names(q.takeRunnable()), QStringList({"1.0"})); // every limit is full now
    TaskQueue::Item sensor = item(1, 1, "f", "p");
    sensor.holdsSlot = false;
    q.push(sensor);
    q.push(item(1, 2, "f", "p"));
    TaskQueue::Item removed = sensor;
    removed.task = 3;
    q.push(removed);
    QCOMPARE(q.queuedCount(), 3);
    QCOMPARE(q.position(1, 1), 1);
    QVERIFY(q.remove(1, 3));
    const auto started = q.takeRunnable();
    QCOMPARE(names(started), QStringList({"1.1"}));
    QCOMPARE(q.runningCount(), 1);
    QCOMPARE(q.runningInPool(QStringLiteral("p")), 1);
    QCOMPARE(q.runningInFlow(QStringLiteral("f")), 1);
    q.release(started[0]); // frees nothing
    QCOMPARE(q.runningCount(), 1);
    QVERIFY(q.takeRunnable().empty());
    q.release(item(1, 0, "f", "p"));
    QCOMPARE(names(q.takeRunnable()), QStringList({"1.2"}));
    QCOMPARE(q.queuedCount(), 0);
}

QTEST_GUILESS_MAIN(TestTaskQueue)
#include "tst_taskqueue.moc"
