// pw::EngineHost, the composition root of the CLI, the scheduler command and the GUI: where
// --home/--db lead (StoreLocation, the one rule), an engine with the notifier that follows its
// runs, a scheduler on request, and a shutdown that lets hooks in flight finish.
#include "engine/runrequest.h"
#include "format/flowloader.h"
#include "format/runplanner.h"
#include "host/enginehost.h"
#include "notify/notifier.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace pw;

class TestEngineHost : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void locate_data()
    {
        QTest::addColumn<QString>("home");
        QTest::addColumn<QString>("db");
        QTest::addColumn<QString>("env");      // PIPEWRIGHT_HOME
        QTest::addColumn<QString>("wantHome"); // "" = an error is expected
        QTest::addColumn<QString>("wantStore");
        QTest::newRow("--home") << "/srv/pw"
                                << ""
                                << "/elsewhere"
                                << "/srv/pw"
                                << "/srv/pw/history.sqlite";
        QTest::newRow("$PIPEWRIGHT_HOME") << ""
                                          << ""
                                          << "/env/pw"
                                          << "/env/pw"
                                          << "/env/pw/history.sqlite";
        QTest::newRow("--db wins for the store") << "/srv/pw"
                                                 << "sqlite:///data/h.sqlite"
                                                 << ""
                                                 << "/srv/pw"
                                                 << "/data/h.sqlite";
        QTest::newRow("unsupported --db") << "/srv/pw"
                                          << "postgresql://x/y"
                                          << ""
                                          << ""
                                          << "";
        QTest::newRow("empty sqlite --db") << "/srv/pw"
                                           << "sqlite://"
                                           << ""
                                           << ""
                                           << "";
    }
    void locate()
    {
        QFETCH(QString, home);
        QFETCH(QString, db);
        QFETCH(QString, env);
        QFETCH(QString, wantHome);
        QFETCH(QString, wantStore);
        const QByteArray saved = qgetenv("PIPEWRIGHT_HOME");
        qputenv("PIPEWRIGHT_HOME", env.toUtf8());
        EngineHost::Options o;
        o.home = home;
        o.db = db;
        auto where = EngineHost::locate(o);
        qputenv("PIPEWRIGHT_HOME", saved);
        if (wantHome.isEmpty()) {
            QVERIFY(!where);
            QVERIFY2(where.error().message.contains(QLatin1String("unsupported --db URL")),
                qPrintable(where.error().message));
            return;
        }
        QVERIFY2(where, where ? "" : qPrintable(where.error().message));
        QCOMPARE(where->home, wantHome);
        QCOMPARE(where->historyPath, wantStore);
    }

    // A run of the host's engine fires its flow's notify hook; shutdown() waits for the hook in
    // flight (a slow one) before it stops the engine.
    void notifiesAndLetsHooksFinish()
    {
        QTemporaryDir dir;
        EngineHost::Options o;
        o.home = dir.filePath(QStringLiteral("home"));
        EngineHost host(o);
        QVERIFY(host.start());
        QCOMPARE(host.location().historyPath, dir.filePath(QStringLiteral("home/history.sqlite")));
        QVERIFY(host.isRunning());
        QVERIFY(host.notifier() != nullptr);
        QCOMPARE(host.engine()->historyPath(), host.location().historyPath);

        const QString flowPath = dir.filePath(QStringLiteral("n.flow.yaml"));
        {
            QFile f(flowPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("pipewright: 1\nflow: n\nnotify: {on: [success], command: \"sleep 0.5; echo "
                    "{{state}} > hook.txt\"}\n"
                    "tasks:\n  a: {type: noop}\n");
        }
        auto flow = FlowLoader::loadFile(flowPath);
        QVERIFY(flow);
        auto plan = RunPlanner::plan(*flow, {});
        QVERIFY(plan);
        QSignalSpy finished(host.engine(), &Engine::runFinished);
        RunRequest req;
        req.plan = *plan;
        auto f = host.engine()->submit(req);
        QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(), 10000);
        QVERIFY(f.result());
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(host.notifier()->pendingDeliveries() > 0, 5000);
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("hook.txt"))));
        host.shutdown();
        QVERIFY(!host.isRunning());
        QVERIFY(host.notifier() == nullptr);
        QFile hook(dir.filePath(QStringLiteral("hook.txt")));
        QVERIFY2(hook.open(QIODevice::ReadOnly), "shutdown() did not wait for the hook in flight");
        QCOMPARE(hook.readAll().trimmed(), QByteArray("succeeded"));
    }

    void withoutNotifications()
    {
        QTemporaryDir dir;
        EngineHost::Options o;
        o.home = dir.filePath(QStringLiteral("home"));
        o.notifications = false;
        EngineHost host(o);
        QVERIFY(host.start());
        QVERIFY(host.notifier() == nullptr);
    }

    // One scheduler per store: a second host's scheduler is refused, naming the holder.
    void oneSchedulerPerStore()
    {
        QTemporaryDir dir;
        EngineHost::Options o;
        o.home = dir.filePath(QStringLiteral("home"));
        o.notifications = false;
        EngineHost a(o), b(o);
        QVERIFY(a.start());
        QVERIFY(b.start());
        Scheduler::Options so;
        so.paths = {dir.path()};
        so.tickMs = 0;
        auto first = a.startScheduler(so);
        QVERIFY2(first, first ? "" : qPrintable(first.error().message));
        QCOMPARE(a.scheduler(), *first);
        auto second = b.startScheduler(so);
        QVERIFY(!second);
        QVERIFY2(second.error().message.contains(QLatin1String("another scheduler")),
            qPrintable(second.error().message));
        QVERIFY(b.scheduler() == nullptr);
        a.shutdown();
        QVERIFY(a.scheduler() == nullptr);
    }

    void badDbFailsBeforeAnyEngine()
    {
        EngineHost::Options o;
        o.home = QDir::tempPath() + QStringLiteral("/pw-never-created");
        o.db = QStringLiteral("mysql://nope");
        EngineHost host(o);
        auto ok = host.start();
        QVERIFY(!ok);
        QVERIFY(!host.isRunning());
        QVERIFY(!QFileInfo::exists(o.home));
    }
};

QTEST_GUILESS_MAIN(TestEngineHost)
#include "tst_enginehost.moc"
