// Home::loadConfig(): config.yaml keys, defaults and file:line:col errors.
#include "engine/engine.h"
#include "engine/home.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pw;

class TstHome : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    Result<HomeConfig> load(const QByteArray &yaml)
    {
        Home home(m_dir.path());
        QFile f(home.configPath());
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(QStringLiteral("cannot write config.yaml"));
        f.write(yaml);
        f.close();
        return home.loadConfig();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void cleanup() { QFile::remove(Home(m_dir.path()).configPath()); }

    void missingConfigIsDefaults()
    {
        auto cfg = Home(m_dir.path()).loadConfig();
        QVERIFY(cfg.has_value());
        QCOMPARE(cfg->maxParallel, 0);
        QCOMPARE(cfg->busyTimeoutMs, 30000);
        QCOMPARE(cfg->heartbeatMs, qint64(2000));
        QCOMPARE(cfg->staleLimitMs, qint64(10000));
        QCOMPARE(cfg->logLimit, qint64(100) * 1024 * 1024);
        QCOMPARE(Home(m_dir.path()).storeBusyTimeoutMs(), 30000);
    }

    void logLimit_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<qint64>("bytes");
        QTest::newRow("MB") << QByteArray("log_limit: 100MB\n") << qint64(100) * 1024 * 1024;
        QTest::newRow("KB, lower case") << QByteArray("log_limit: 64kb\n") << qint64(65536);
        QTest::newRow("GB with a space") << QByteArray("log_limit: 2 GB\n") << (qint64(2) << 30);
        QTest::newRow("bytes") << QByteArray("log_limit: 1500B\n") << qint64(1500);
        QTest::newRow("the most") << QByteArray("log_limit: 1024GB\n") << (qint64(1) << 40);
    }
    void logLimit()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(qint64, bytes);
        auto cfg = load(yaml);
        QVERIFY2(cfg.has_value(), cfg ? "" : qPrintable(cfg.error().toString()));
        QCOMPARE(cfg->logLimit, bytes);
    }

    void timings_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("busy");
        QTest::addColumn<qint64>("heartbeat");
        QTest::addColumn<qint64>("stale");
        QTest::newRow("fault-test values")
            << QByteArray("heartbeat_interval: 200ms\nstale_limit: 1s\nbusy_timeout: 2s\n") << 2000
            << qint64(200) << qint64(1000);
        QTest::newRow("bare numbers are seconds")
            << QByteArray("busy_timeout: 5\nstale_limit: 20\n") << 5000 << qint64(2000)
            << qint64(20000);
        QTest::newRow("minutes and compound")
            << QByteArray("stale_limit: 1m\nheartbeat_interval: 1s500ms\n") << 30000 << qint64(1500)
            << qint64(60000);
        QTest::newRow("only busy")
            << QByteArray("busy_timeout: 250ms\n") << 250 << qint64(2000) << qint64(10000);
        QTest::newRow("with other keys")
            << QByteArray("max_parallel: 3\ndurability: full\nbusy_timeout: 1m\n") << 60000
            << qint64(2000) << qint64(10000);
    }
    void timings()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, busy);
        QFETCH(qint64, heartbeat);
        QFETCH(qint64, stale);
        auto cfg = load(yaml);
        QVERIFY2(cfg.has_value(), cfg ? "" : qPrintable(cfg.error().toString()));
        QCOMPARE(cfg->busyTimeoutMs, busy);
        QCOMPARE(cfg->heartbeatMs, heartbeat);
        QCOMPARE(cfg->staleLimitMs, stale);
        QCOMPARE(Home(m_dir.path()).storeBusyTimeoutMs(), busy);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("contains");
        QTest::newRow("zero") << QByteArray("max_parallel: 2\nbusy_timeout: 0s\n") << 2 << 15
                              << QStringLiteral("busy_timeout must be more than 0");
        QTest::newRow("negative") << QByteArray("heartbeat_interval: -1s\n") << 1 << 21
                                  << QStringLiteral("heartbeat_interval must be more than 0");
        QTest::newRow("bad unit") << QByteArray("stale_limit: 3x\n") << 1 << 14
                                  << QStringLiteral("stale_limit: invalid duration unit");
        QTest::newRow("not a scalar") << QByteArray("busy_timeout: [1s]\n") << 1 << 15
                                      << QStringLiteral("busy_timeout must be a duration");
        QTest::newRow("too long") << QByteArray("busy_timeout: 2d\n") << 1 << 15
                                  << QStringLiteral("at most 1d");
        QTest::newRow("heartbeat not below stale")
            << QByteArray("heartbeat_interval: 1s\nstale_limit: 1s\n") << 2 << 14
            << QStringLiteral("heartbeat_interval (1s) must be shorter than stale_limit (1s)");
        QTest::newRow("heartbeat over default stale")
            << QByteArray("heartbeat_interval: 15s\n") << 1 << 21
            << QStringLiteral("must be shorter than stale_limit (10s)");
        QTest::newRow("stale under default heartbeat")
            << QByteArray("stale_limit: 1s\n") << 1 << 14
            << QStringLiteral("heartbeat_interval (2s) must be shorter than stale_limit (1s)");
        QTest::newRow("size without a unit") << QByteArray("log_limit: 100\n") << 1 << 12
                                             << QStringLiteral("log_limit must be a size such as");
        QTest::newRow("size with a bad unit") << QByteArray("log_limit: 5TB\n") << 1 << 12
                                              << QStringLiteral("log_limit must be a size such as");
        QTest::newRow("size zero") << QByteArray("log_limit: 0MB\n") << 1 << 12
                                   << QStringLiteral("log_limit must be more than 0");
        QTest::newRow("size too large")
            << QByteArray("log_limit: 1025GB\n") << 1 << 12 << QStringLiteral("at most 1024GB");
        QTest::newRow("size not a scalar") << QByteArray("log_limit: {a: 1}\n") << 1 << 12
                                           << QStringLiteral("log_limit must be a size");
        QTest::newRow("unknown key lists the new ones")
            << QByteArray("busy_timout: 1s\n") << 1 << 1
            << QStringLiteral("busy_timeout, heartbeat_interval, stale_limit, log_limit");
    }
    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, contains);
        auto cfg = load(yaml);
        QVERIFY(!cfg.has_value());
        const QString text = cfg.error().toString();
        QVERIFY2(text.contains(contains), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("config.yaml:%1:%2:").arg(line).arg(column)),
            qPrintable(text));
        // Readers fall back to the default instead of failing.
        QCOMPARE(Home(m_dir.path()).storeBusyTimeoutMs(), 30000);
    }

    // Engine::busyTimeoutMs(): EngineConfig wins, else config.yaml.
    void engineBusyTimeout()
    {
        QVERIFY(load("busy_timeout: 2s\n").has_value());
        EngineConfig c;
        c.home = m_dir.path();
        QCOMPARE(Engine(c).busyTimeoutMs(), 2000);
        c.busyTimeoutMs = 700;
        QCOMPARE(Engine(c).busyTimeoutMs(), 700);
    }
};

QTEST_GUILESS_MAIN(TstHome)
#include "tst_home.moc"
