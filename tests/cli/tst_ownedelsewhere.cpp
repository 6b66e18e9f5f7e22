// Commands on a run that another live pipewright-cli owns (DESIGN §6, issue 8 findings 7, 9,
// 11): a refusal names the owner, mark/cancel wait for the owner's answer (its refusal exits 2
// with its reason, no answer in 10 s exits 3 naming the owner), and a run over max_active_runs
// waits `queued`, saying which run holds the slot, until that run ends.

#include "clirun.h"
#include "platform/processinfo.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

class TestOwnedElsewhere : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void commandsOnARunOwnedElsewhere();
    void cleanup();

private:
    struct Out
    {
        int code = -1;
        QString err;
    };
    Out cli(const QStringList &args, int timeoutMs = 60000);
    QStringList home() const
    {
        return {QStringLiteral("--home"), m_dir.path() + QStringLiteral("/home")};
    }
    QString runState(qint64 runId);

    QString m_cli;
    QTemporaryDir m_dir;
    QList<QProcess *> m_started;
};

void TestOwnedElsewhere::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = pw::test::cliBinary();
    QVERIFY2(QFileInfo(m_cli).isExecutable(), qPrintable(m_cli));
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir().mkpath(m_dir.path() + "/home"));
    // A long stale limit: the paused owner below must not be taken over while we wait.
    QFile cfg(m_dir.path() + "/home/config.yaml");
    QVERIFY(cfg.open(QIODevice::WriteOnly));
    cfg.write("stale_limit: 2m\nheartbeat_interval: 1s\n");
}

void TestOwnedElsewhere::cleanup()
{
    for (QProcess *p : std::as_const(m_started)) {
        if (p->state() != QProcess::NotRunning) {
            ::kill(pid_t(p->processId()), SIGCONT);
            p->kill();
            p->waitForFinished(5000);
        }
        delete p;
    }
    m_started.clear();
}

TestOwnedElsewhere::Out TestOwnedElsewhere::cli(const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.start(m_cli, home() + args);
    const pw::test::CliOutput o = pw::test::finishCli(p, args, timeoutMs);
    return {o.code, QString::fromUtf8(o.err)};
}

QString TestOwnedElsewhere::runState(qint64 runId)
{
    QString state;
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        db.setDatabaseName(m_dir.path() + "/home/history.sqlite");
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT state FROM runs WHERE id = %1").arg(runId))
                && q.next())
                state = q.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));
    return state;
}

void TestOwnedElsewhere::commandsOnARunOwnedElsewhere()
{
    const QString flow = m_dir.path() + "/held.flow.yaml";
    {
        QFile f(flow);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "pipewright: 1\nflow: held\nparams:\n  k: {type: int}\nlimits: {max_active_runs: 1}\n"
            "tasks:\n"
            "  hold: {type: shell, command: \"if [ \\\"$PW_PARAM_K\\\" = 1 ]; then sleep 30.417; "
            "fi\"}\n"
            "  after: {type: shell, after: [hold], command: \"true\"}\n");
    }
    // A owns run 1 and holds the flow's only max_active_runs slot.
    auto *a = new QProcess;
    m_started << a;
    a->start(m_cli, home() + QStringList{"run", flow, "-p", "k=1"});
    QVERIFY(a->waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(runState(1), QStringLiteral("running"), 20000);
    const QString aPid = QString::number(a->processId());
    const QString host = pw::ProcessInfo::hostName();

    // Finding 9: running the same key is refused, naming the owner.
    Out o = cli({"run", flow, "-p", "k=1"});
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains("pid " + aPid) && o.err.contains(host), qPrintable(o.err));

    // Finding 11: another key of the flow waits for the slot, saying who holds it.
    auto *b = new QProcess;
    m_started << b;
    b->start(m_cli, home() + QStringList{"run", flow, "-p", "k=2"});
    QVERIFY(b->waitForStarted());
    QString bErr;
    QDeadlineTimer queuedBy(20000);
    while (!bErr.contains("is queued") && !queuedBy.hasExpired()) {
        b->waitForReadyRead(200);
        bErr += QString::fromUtf8(b->readAllStandardError());
    }
    QVERIFY2(bErr.contains("is queued") && bErr.contains("held by run 1 (pid " + aPid),
        qPrintable(bErr));
    QCOMPARE(b->state(), QProcess::Running);

    // Finding 7: the owner's refusals come back as exit 2 with its reason.
    o = cli({"mark", "1", "hold", "--succeeded"});
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains("refused by the run's owner") && o.err.contains("running"),
        qPrintable(o.err));
    o = cli({"cancel", "1", "nosuch"});
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains("nosuch"), qPrintable(o.err));

    // No answer within 10 s (the owner is stopped): exit 3, the request stays queued.
    QCOMPARE(::kill(pid_t(a->processId()), SIGSTOP), 0);
    QElapsedTimer t;
    t.start();
    o = cli({"cancel", "1"}, 30000);
    QCOMPARE(o.code, 3);
    QVERIFY(t.elapsed() >= 9000);
    QVERIFY2(
        o.err.contains("still queued") && o.err.contains("pid " + aPid) && o.err.contains(host),
        qPrintable(o.err));
    QCOMPARE(::kill(pid_t(a->processId()), SIGCONT), 0);

    // Resumed, A carries out the queued cancel; then B gets the slot and finishes.
    QVERIFY(a->waitForFinished(20000));
    QCOMPARE(a->exitCode(), 1);
    QCOMPARE(runState(1), QStringLiteral("cancelled"));
    QVERIFY(b->waitForFinished(20000));
    bErr += QString::fromUtf8(b->readAllStandardError());
    QCOMPARE(b->exitCode(), 0);
    QVERIFY2(bErr.contains("a slot is free"), qPrintable(bErr));
    QCOMPARE(runState(2), QStringLiteral("succeeded"));
}

QTEST_GUILESS_MAIN(TestOwnedElsewhere)
#include "tst_ownedelsewhere.moc"
