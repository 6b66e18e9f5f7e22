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

QTEST_GUILESS_MAIN(TestRetryScheduler)
#include "tst_retryscheduler.moc"
