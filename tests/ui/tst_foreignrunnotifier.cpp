// ForeignRunNotifier: a run of another process that goes from active to final is announced once,
// only for opted-in flows and never for runs this GUI started; the opt-in set persists.

#include "monitor/foreignrunnotifier.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace pw;

namespace {

RunRecord record(qint64 id, const QString &flow, RunState state)
{
    RunRecord r;
    r.id = id;
    r.flowId = flow;
    r.key = flow;
    r.paramsJson = QByteArrayLiteral("{\"date\":\"2026-11-24\"}");
    r.state = state;
    return r;
}

} // namespace

class TestForeignRunNotifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("pipewright-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_foreignrunnotifier"));
        QSettings().clear();
    }

    void notifiesOnlyForeignRunsOfOptedInFlows()
    {
        ForeignRunNotifier n;
        n.setFlows({QStringLiteral("etl")});
        n.setOwnedCheck([](qint64 id) { return id == 3; });
        QSignalSpy spy(&n, &ForeignRunNotifier::notified);
        QSignalSpy ended(&n, &ForeignRunNotifier::runEnded);

        // 1: opted-in flow, other process. 2: flow not opted in. 3: opted in, started here.
        // 4: opted in, already final when first seen.
        n.observe({record(1, QStringLiteral("etl"), RunState::Running),
            record(2, QStringLiteral("other"), RunState::Running),
            record(3, QStringLiteral("etl"), RunState::Running),
            record(4, QStringLiteral("etl"), RunState::Failed)});
        QCOMPARE(spy.count(), 0);
        n.observe({record(1, QStringLiteral("etl"), RunState::Failed),
            record(2, QStringLiteral("other"), RunState::Failed),
            record(3, QStringLiteral("etl"), RunState::Failed),
            record(4, QStringLiteral("etl"), RunState::Failed)});
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toLongLong(), 1);
        const QString text = spy.at(0).at(1).toString();
        QVERIFY2(text.contains(QStringLiteral("etl"))
                && text.contains(QStringLiteral("date=2026-11-24")),
            qPrintable(text));
        QCOMPARE(ended.count(), 1);
        QVERIFY(ended.at(0).at(1).value<RunState>() == RunState::Failed);

        // Seen again (the next refresh): no second notification.
        n.observe({record(1, QStringLiteral("etl"), RunState::Failed)});
        QCOMPARE(spy.count(), 1);
    }

    void optInPersists()
    {
        {
            ForeignRunNotifier n;
            n.setFlowEnabled(QStringLiteral("etl"), true);
            n.setFlowEnabled(QStringLiteral("b"), true);
            n.setFlowEnabled(QStringLiteral("b"), false);
        }
        QCOMPARE(QSettings().value(QStringLiteral("notify/flows")).toStringList(),
            QStringList{QStringLiteral("etl")});
        ForeignRunNotifier n;
        n.loadSettings();
        QVERIFY(n.isFlowEnabled(QStringLiteral("etl")));
        QVERIFY(!n.isFlowEnabled(QStringLiteral("b")));
        QSettings().clear();
    }
};

QTEST_GUILESS_MAIN(TestForeignRunNotifier)
#include "tst_foreignrunnotifier.moc"
