// End-to-end: `pipewright-cli next | backfill | schedule` — the real binary, real shell
// commands, a temp --home.

#include "clirun.h"
#include "history/historystore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

class TestScheduleCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void next_data();
    void next();
    void nextFromFlow();
    void backfill();
    void scheduleCreatesARunAndStopsOnSigterm();

private:
    struct Out
    {
        int code = -1;
        QString out;
        QString err;
    };
    Out cli(const QStringList &args, int timeoutMs = 60000);
    QString writeFlow(const QString &name, const QString &yaml);
    QList<pw::RunRecord> runs(const QString &flowId);

    QString m_cli;
    QTemporaryDir m_dir;
};

void TestScheduleCli::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = qEnvironmentVariable("PW_CLI");
    QVERIFY2(
        !m_cli.isEmpty() && QFileInfo::exists(m_cli), "PW_CLI must name the pipewright-cli binary");
    const Out probe
        = cli({QStringLiteral("next"), QStringLiteral("--cron"), QStringLiteral("@daily")});
    if (probe.err.contains(QLatin1String("not available yet")))
        QSKIP("next/schedule/backfill are not dispatched by this pipewright-cli yet");
}

TestScheduleCli::Out TestScheduleCli::cli(const QStringList &args, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PIPEWRIGHT_HOME"), m_dir.path() + QStringLiteral("/home"));
    p.setProcessEnvironment(env);
    p.start(m_cli, args);
    const pw::test::CliOutput o = pw::test::finishCli(p, args, timeoutMs);
    return {o.code, QString::fromUtf8(o.out), QString::fromUtf8(o.err)};
}

QString TestScheduleCli::writeFlow(const QString &name, const QString &yaml)
{
    const QString dir = m_dir.path() + QStringLiteral("/flows/") + name;
    QDir().mkpath(dir);
    const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".flow.yaml");
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(yaml.toUtf8());
    return path;
}

QList<pw::RunRecord> TestScheduleCli::runs(const QString &flowId)
{
    pw::HistoryStore::Options o;
    o.path = m_dir.path() + QStringLiteral("/home/history.sqlite");
    o.readOnly = true;
    auto store = pw::HistoryStore::open(o);
    if (!store)
        return {};
    pw::RunFilter f;
    f.flowId = flowId;
    auto r = (*store)->runs(f);
    return r ? *r : QList<pw::RunRecord>{};
}

// clang-format off
void TestScheduleCli::next_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("out");   // exact stdout (code 0) or a piece of stderr
    QTest::newRow("berlin gap")
        << QStringList{"next", "--cron", "30 2 * * *", "--tz", "Europe/Berlin", "--from", "2026-03-28T12:00:00Z", "--count", "2"}
        << 0 << "2026-03-29T01:00:00Z\n2026-03-30T00:30:00Z\n";
    QTest::newRow("utc default, exclusive from")
        << QStringList{"next", "--cron", "0 3 * * *", "--from", "2026-01-01T03:00:00Z", "--count", "1"}
        << 0 << "2026-01-02T03:00:00Z\n";
    QTest::newRow("json")
        << QStringList{"next", "--cron", "@monthly", "--from", "2026-01-15T00:00:00Z", "--count", "3", "--json"}
        << 0 << "[\"2026-02-01T00:00:00Z\",\"2026-03-01T00:00:00Z\",\"2026-04-01T00:00:00Z\"]\n";
    QTest::newRow("from with offset")
        << QStringList{"next", "--cron", "0 * * * *", "--from", "2026-01-01T09:30:00+09:00", "--count", "1"}
        << 0 << "2026-01-01T01:00:00Z\n";
    QTest::newRow("from as local wall time in tz")
        << QStringList{"next", "--cron", "0 6 * * *", "--tz", "Asia/Seoul", "--from", "2026-01-01T05:00:00", "--count", "1"}
        << 0 << "2025-12-31T21:00:00Z\n";
    QTest::newRow("lord howe")
        << QStringList{"next", "--cron", "15 2 * * *", "--tz", "Australia/Lord_Howe", "--from", "2026-10-03T12:00:00Z", "--count", "2"}
        << 0 << "2026-10-03T15:30:00Z\n2026-10-04T15:15:00Z\n";
    QTest::newRow("bad token") << QStringList{"next", "--cron", "0 0 * * FOO"} << 2 << "day-of-week: bad token 'FOO'";
    QTest::newRow("impossible") << QStringList{"next", "--cron", "0 0 30 2 *"} << 2 << "no fire time within";
    QTest::newRow("unknown zone") << QStringList{"next", "--cron", "@daily", "--tz", "Mars/Olympus"} << 2 << "unknown time zone 'Mars/Olympus'";
    QTest::newRow("bad from") << QStringList{"next", "--cron", "@daily", "--from", "yesterday"} << 2 << "--from 'yesterday'";
    QTest::newRow("bad count") << QStringList{"next", "--cron", "@daily", "--count", "0"} << 2 << "--count";
    QTest::newRow("neither") << QStringList{"next"} << 2 << "either one FLOW or --cron";
    QTest::newRow("tz without cron") << QStringList{"next", "x.flow.yaml", "--tz", "UTC"} << 2 << "--tz goes with --cron";
}
// clang-format on

void TestScheduleCli::next()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, out);
    const Out o = cli(args);
    QCOMPARE(o.code, code);
    if (code == 0) {
        QCOMPARE(o.out, out);
    } else {
        QVERIFY2(o.err.contains(out), qPrintable(o.err));
        QCOMPARE(o.err.count(QLatin1Char('\n')), 1); // one clear line
    }
}

void TestScheduleCli::nextFromFlow()
{
    const QString flow = writeFlow(QStringLiteral("nf"),
        QStringLiteral("pipewright: 1\nflow: nf\nparams:\n  day: {type: date}\n"
                       "schedule: {cron: \"0 3 * * *\", timezone: Asia/Seoul, param: day, offset: "
                       "-1d}\ntasks:\n  a: {type: noop}\n"));
    const Out o = cli({QStringLiteral("next"), flow, QStringLiteral("--from"),
        QStringLiteral("2026-11-24T00:00:00Z"), QStringLiteral("--count"), QStringLiteral("2")});
    QCOMPARE(o.code, 0);
    QCOMPARE(o.out, QStringLiteral("2026-11-24T18:00:00Z\n2026-11-25T18:00:00Z\n"));
    const QString plain = writeFlow(QStringLiteral("plain"),
        QStringLiteral("pipewright: 1\nflow: plain\ntasks:\n  a: {type: noop}\n"));
    const Out e = cli({QStringLiteral("next"), plain});
    QCOMPARE(e.code, 2);
    QVERIFY(e.err.contains(QLatin1String("flow plain has no schedule")));
}

void TestScheduleCli::backfill()
{
    const QString marker = m_dir.path() + QStringLiteral("/fixed");
    const QString flow = writeFlow(QStringLiteral("bf"),
        QStringLiteral(
            "pipewright: 1\nflow: bf\nparams:\n  day: {type: date}\n"
            "schedule: {cron: \"0 3 * * *\", timezone: Europe/Berlin, param: day, offset: -1d}\n"
            "tasks:\n  a: {type: shell, command: \"test {{day}} != 2026-11-03 || test -e %1\"}\n")
            .arg(marker));
    const QStringList args{QStringLiteral("backfill"), flow, QStringLiteral("--from"),
        QStringLiteral("2026-11-01"), QStringLiteral("--to"), QStringLiteral("2026-11-04")};
    Out o = cli(args);
    QCOMPARE(o.code, 1); // one run failed
    QVERIFY2(o.out.contains(QLatin1String("3 succeeded, 1 failed, 0 skipped")), qPrintable(o.out));
    QFile(marker).open(QIODevice::WriteOnly);
    o = cli(args + QStringList{QStringLiteral("--max-active-runs"), QStringLiteral("2")});
    QCOMPARE(o.code, 0);
    QVERIFY2(o.out.contains(QLatin1String("1 succeeded, 0 failed, 3 skipped")), qPrintable(o.out));
    const auto all = runs(QStringLiteral("bf"));
    QCOMPARE(all.size(), 4);
    for (const pw::RunRecord &r : all) {
        QCOMPARE(pw::toString(r.state), QStringLiteral("succeeded"));
        const QString day = QJsonDocument::fromJson(r.paramsJson)
                                .object()
                                .value(QStringLiteral("day"))
                                .toString();
        QCOMPARE(pw::toString(r.trigger),
            day == QLatin1String("2026-11-03") ? QStringLiteral("recover")
                                               : QStringLiteral("backfill"));
    }
    // Bad input is exit 2.
    QCOMPARE(
        cli({QStringLiteral("backfill"), flow, QStringLiteral("--from"),
                QStringLiteral("2026-11-05"), QStringLiteral("--to"), QStringLiteral("2026-11-01")})
            .code,
        2);
    QCOMPARE(cli({QStringLiteral("backfill"), flow, QStringLiteral("--from"),
                     QStringLiteral("nope"), QStringLiteral("--to"), QStringLiteral("2026-11-01")})
                 .code,
        2);
}

void TestScheduleCli::scheduleCreatesARunAndStopsOnSigterm()
{
    const QString flow = writeFlow(QStringLiteral("every"),
        QStringLiteral("pipewright: 1\nflow: every\nparams:\n  at: {type: datetime}\n"
                       "schedule: {cron: \"* * * * *\", param: at}\ntasks:\n  a: {type: shell, "
                       "command: \"echo {{at}}\"}\n"));
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PIPEWRIGHT_HOME"), m_dir.path() + QStringLiteral("/home"));
    // The scheduler's clock starts 1.5 s before a minute boundary (test-only override).
    env.insert(
        QStringLiteral("PIPEWRIGHT_SCHEDULE_CLOCK"), QStringLiteral("2026-11-24T02:59:58.500Z"));
    p.setProcessEnvironment(env);
    p.start(m_cli, {QStringLiteral("schedule"), QFileInfo(flow).absolutePath()});
    QVERIFY(p.waitForStarted());
    QString out;
    QDeadlineTimer deadline(30000);
    while (!out.contains(QLatin1String("succeeded")) && !deadline.hasExpired()) {
        p.waitForReadyRead(200);
        out += QString::fromUtf8(p.readAllStandardOutput());
    }
    QVERIFY2(out.contains(QLatin1String("scheduled every 2026-11-24T03:00:00Z -> run")),
        qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("succeeded")), qPrintable(out));

    // A second scheduler on the same store is refused while this one runs.
    const Out second = cli({QStringLiteral("schedule"), QFileInfo(flow).absolutePath()}, 30000);
    QCOMPARE(second.code, 2);
    QVERIFY2(second.err.contains(QLatin1String("another scheduler is already running")),
        qPrintable(second.err));

    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(
        QString::fromUtf8(p.readAllStandardError()).contains(QLatin1String("scheduler stopped")));

    const auto all = runs(QStringLiteral("every"));
    QVERIFY(!all.isEmpty());
    const pw::RunRecord &first = all.last(); // oldest
    QCOMPARE(pw::toString(first.trigger), QStringLiteral("schedule"));
    QCOMPARE(
        QJsonDocument::fromJson(first.paramsJson).object().value(QStringLiteral("at")).toString(),
        QStringLiteral("2026-11-24T03:00:00Z"));

    // After the stop, the lock is free again.
    QProcess again;
    again.setProcessEnvironment(env);
    again.start(m_cli, {QStringLiteral("schedule"), QFileInfo(flow).absolutePath()});
    QVERIFY(again.waitForStarted());
    QString err;
    QDeadlineTimer d2(20000);
    while (!err.contains(QLatin1String("scheduler running")) && !d2.hasExpired()) {
        again.waitForReadyRead(200);
        err += QString::fromUtf8(again.readAllStandardError());
    }
    QVERIFY2(err.contains(QLatin1String("scheduler running")), qPrintable(err));
    ::kill(pid_t(again.processId()), SIGINT);
    QVERIFY(again.waitForFinished(20000));
    QCOMPARE(again.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestScheduleCli)
#include "tst_schedulecli.moc"
