#include "engine/rerunselection.h"
#include "engine/retryscheduler.h"

#include <QtTest>

using namespace pw;

class TestRetryScheduler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void takeDueInOrder();
    void rescheduleAndCancel();
    void timerFiresAtDueTime();
    void rerunSelection_data();
    void rerunSelection();
};

void TestRetryScheduler::takeDueInOrder()
{
    RetryScheduler s;
    qint64 now = 1000;
    s.setClock([&] { return now; });
    s.schedule({1, 2}, 1500);
    s.schedule({1, 1}, 1200);
    s.schedule({2, 0}, 3000);
    QCOMPARE(s.size(), 3);
    QCOMPARE(s.nextDue(), qint64(1200));
    QVERIFY(s.takeDue(1100).empty());
    const auto due = s.takeDue(1500);
    QCOMPARE(int(due.size()), 2);
    QCOMPARE(due[0], RetryScheduler::Key(1, 1));
    QCOMPARE(due[1], RetryScheduler::Key(1, 2));
    QCOMPARE(s.size(), 1);
    QCOMPARE(s.nextDue(), qint64(3000));
}

void TestRetryScheduler::rescheduleAndCancel()
{
    RetryScheduler s;
    s.setClock([] { return qint64(0); });
    s.schedule({1, 1}, 100);
    s.schedule({1, 1}, 50); // replaces
    QCOMPARE(s.size(), 1);
    QCOMPARE(s.nextDue(), qint64(50));
    QVERIFY(s.cancel({1, 1}));
    QVERIFY(!s.cancel({1, 1}));
    QCOMPARE(s.size(), 0);
    QCOMPARE(s.nextDue(), qint64(0));
}

void TestRetryScheduler::timerFiresAtDueTime()
{
    RetryScheduler s;
    QSignalSpy spy(&s, &RetryScheduler::due);
    const qint64 start = QDateTime::currentMSecsSinceEpoch();
    s.schedule({1, 0}, start + 150);
    QVERIFY(spy.wait(5000));
    QVERIFY(QDateTime::currentMSecsSinceEpoch() >= start + 150);
    QCOMPARE(int(s.takeDue(QDateTime::currentMSecsSinceEpoch()).size()), 1);
}

void TestRetryScheduler::rerunSelection_data()
{
    // DAG: a -> b -> c, a -> d, e (alone)
    QTest::addColumn<QStringList>("states"); // a b c d e
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("task");
    QTest::addColumn<QStringList>("expected");
    const QStringList allOk{"succeeded", "succeeded", "succeeded", "succeeded", "succeeded"};
    QTest::newRow("failed: b failed") << QStringList{"succeeded", "failed", "upstream_failed", "succeeded", "succeeded"}
                                      << int(RerunMode::Failed) << QString() << QStringList{"b", "c"};
    QTest::newRow("failed: interrupted a") << QStringList{"interrupted", "waiting", "waiting", "waiting", "succeeded"}
                                           << int(RerunMode::Failed) << QString() << QStringList{"a", "b", "c", "d"};
    QTest::newRow("failed: cancelled e") << QStringList{"succeeded", "succeeded", "succeeded", "succeeded", "cancelled"}
                                         << int(RerunMode::Failed) << QString() << QStringList{"e"};
    QTest::newRow("failed: skipped is kept") << QStringList{"succeeded", "succeeded", "skipped", "succeeded", "succeeded"}
                                             << int(RerunMode::Failed) << QString() << QStringList{};
    QTest::newRow("all") << allOk << int(RerunMode::All) << QString() << QStringList{"a", "b", "c", "d", "e"};
    QTest::newRow("from a") << allOk << int(RerunMode::From) << "a" << QStringList{"a", "b", "c", "d"};
    QTest::newRow("from b") << allOk << int(RerunMode::From) << "b" << QStringList{"b", "c"};
    QTest::newRow("task b") << allOk << int(RerunMode::Task) << "b" << QStringList{"b"};
    QTest::newRow("task unknown") << allOk << int(RerunMode::Task) << "zz" << QStringList{};
}

void TestRetryScheduler::rerunSelection()
{
    QFETCH(QStringList, states);
    QFETCH(int, mode);
    QFETCH(QString, task);
    QFETCH(QStringList, expected);
    Flow f;
    f.id = "f";
    const QStringList ids{"a", "b", "c", "d", "e"};
    const QList<QStringList> after{{}, {"a"}, {"b"}, {"a"}, {}};
    QHash<QString, TaskState> st;
    for (int i = 0; i < ids.size(); ++i) {
        TaskSpec t;
        t.id = ids[i];
        t.after = after[i];
        f.tasks << t;
        st.insert(ids[i], *taskStateFromString(states[i]));
    }
    QStringList got = RerunSelection::select(f, st, RerunMode(mode), task).values();
    got.sort();
    QCOMPARE(got, expected);
}

QTEST_GUILESS_MAIN(TestRetryScheduler)
#include "tst_retryscheduler.moc"
