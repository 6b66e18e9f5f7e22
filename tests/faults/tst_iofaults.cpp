// I/O faults of one `pipewright-cli run` (issue 8 "Fault tests: I/O faults"; DESIGN §6, §7): a
// read-only store, the store's write lock held past the busy timeout (before the CLI starts,
// right after it registered, and taken while its run runs), a full disk, an unwritable log
// directory, and task-level faults (a missing command, a deleted workdir).
//
// Every case checks the same promises, and reports all broken ones at once:
//   - the documented exit code (3 = environment: store or log dir unusable, disk full; 1 = the
//     run failed) and one clear error line on stderr;
//   - nothing recorded is lost: the runs recorded before the fault are unchanged;
//   - nothing is left `running`: at once when the store is usable, otherwise visibly to a
//     takeover (the next `pipewright-cli runs` on the healthy store shows it ended);
//   - no run without tasks (finding 5), no task process left alive.
// The mounts need root (the test skips without it); sqlite3 comes from installer/dev.sh deps.
#include "faultio.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace pwio;

namespace {

// A task process that must not outlive its CLI carries the marker in a sleep's duration.
QString sleepCmd(const QString &seconds, const QString &marker)
{
    return QStringLiteral("sleep %1%2").arg(seconds, marker);
}

} // namespace

class TestIoFaults : public QObject
{
    Q_OBJECT

private:
    QString m_marker = uniqueMarker();
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_home;
    QString m_flows;

    bool isRoot() const { return ::geteuid() == 0; }

    // A fresh flows directory; the home is `home` (a mount) or a directory next to the flows.
    void makeCase(const QString &home = {})
    {
        m_dir = std::make_unique<QTemporaryDir>(
            QDir::tempPath() + QStringLiteral("/pw-iofault-XXXXXX"));
        QVERIFY(m_dir->isValid());
        m_flows = m_dir->path() + QStringLiteral("/flows");
        m_home = home.isEmpty() ? m_dir->path() + QStringLiteral("/home") : home;
        QVERIFY(QDir().mkpath(m_flows));
        QVERIFY(QDir().mkpath(m_home));
        QVERIFY(writeConfig(m_home));
    }

    QString flow(const QString &name, const QByteArray &yaml)
    {
        const QString file = m_flows + QLatin1Char('/') + name + QStringLiteral(".flow.yaml");
        if (!writeFile(file, yaml))
            qWarning("cannot write %s", qPrintable(file));
        return file;
    }

    CliResult cli(
        const QStringList &args, qint64 timeoutMs = 60000, const QMap<QString, QString> &env = {})
    {
        return runCli(m_home, args, timeoutMs, env, m_flows);
    }

    QString history() const { return m_home + QStringLiteral("/history.sqlite"); }

    // The run made before a fault: its id, and the snapshot that must survive unchanged.
    qint64 recordBefore(const QString &flowFile, const QStringList &params, QString *snapshot)
    {
        QStringList args{QStringLiteral("run"), flowFile};
        for (const QString &p : params)
            args << QStringLiteral("-p") << p;
        const CliResult r = cli(args);
        if (r.exitCode != 0) {
            qWarning("the run before the fault failed (%d): %s", r.exitCode, qPrintable(r.all()));
            return 0;
        }
        StoreView store(history());
        const qint64 id = store.count(QStringLiteral("SELECT max(id) FROM runs"));
        *snapshot = store.snapshot(id);
        return id;
    }

    static QString show(const CliResult &r)
    {
        return QStringLiteral("exit %1%2 after %3 ms; stderr:\n%4")
            .arg(r.exitCode)
            .arg(r.timedOut ? QStringLiteral(" (timed out, killed)") : QString())
            .arg(r.elapsedMs)
            .arg(r.err.trimmed());
    }

    // The common promises after a fault of the store (`healthy` = the store was made usable
    // again): a `runs` takes over what the failed CLI left, then nothing is active, nothing is
    // lost, no run without tasks, no task process alive.
    void checkAfter(Checks &c, qint64 beforeId, const QString &beforeSnapshot, bool strictRunning)
    {
        StoreView store(history());
        if (strictRunning) {
            const QString active = store.active();
            c.expect(
                active.isEmpty(), QStringLiteral("left running once the CLI exited:\n") + active);
        }
        store.close();
        const auto alive = markerProcesses(m_marker);
        c.expect(alive.empty(),
            QStringLiteral("task processes still alive after the CLI exited: ") + describe(alive));
        killMarkerProcesses(m_marker);
        const CliResult runs = cli({QStringLiteral("runs"), QStringLiteral("--json")}, 30000);
        c.expect(runs.exitCode == 0,
            QStringLiteral("`runs --json` on the healthy store: ") + show(runs));
        const QString active = store.active();
        c.expect(active.isEmpty(),
            QStringLiteral("still running after a takeover by `runs`:\n") + active);
        const QString now = store.snapshot(beforeId);
        c.expect(now == beforeSnapshot,
            QStringLiteral("the runs recorded before the fault changed:\nbefore:\n%1\nafter:\n%2")
                .arg(beforeSnapshot, now));
        const QString empty = store.runsWithoutTasks();
        c.expect(empty.isEmpty(), QStringLiteral("runs without any task (finding 5):\n") + empty);
        c.expect(store.integrity() == QLatin1String("ok"),
            QStringLiteral("integrity_check: ") + store.integrity());
    }

    static void expectOneErrorLine(Checks &c, const CliResult &r, const QRegularExpression &message)
    {
        const QStringList lines = errorLines(r.err);
        bool matched = false;
        for (const QString &l : lines)
            matched = matched || message.match(l).hasMatch();
        c.expect(matched,
            QStringLiteral("no error line matches /%1/: %2").arg(message.pattern(), show(r)));
        c.expect(lines.size() == 1,
            QStringLiteral("%1 error lines instead of one clear line:\n%2")
                .arg(lines.size())
                .arg(lines.join(QLatin1Char('\n'))));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QFileInfo::exists(cliPath()), qPrintable(cliPath()));
    }

    void cleanup()
    {
        killMarkerProcesses(m_marker);
        m_dir.reset();
    }

    // The home is on a mount that became read-only: `run` cannot write, exit 3 with a clear
    // message; the recorded run is intact once the mount is writable again.
    void readOnlyStore()
    {
        if (!isRoot())
            QSKIP("needs root to mount a tmpfs");
        TmpfsMount mnt(QStringLiteral("16m"));
        QVERIFY2(mnt.isMounted(), qPrintable(mnt.error()));
        makeCase(mnt.path() + QStringLiteral("/home"));
        const QString f = flow(QStringLiteral("ro"),
            "pipewright: 1\nflow: ro\nparams:\n  k: {type: string, default: x}\n"
            "tasks:\n  a: {type: shell, command: echo a}\n"
            "  b: {type: shell, after: [a], command: echo b}\n");
        QString before;
        const qint64 beforeId = recordBefore(f, {QStringLiteral("k=before")}, &before);
        QVERIFY(beforeId > 0);
        QVERIFY2(mnt.remount(QStringLiteral("ro")), qPrintable(mnt.error()));

        Checks c;
        const CliResult r = cli(
            {QStringLiteral("run"), f, QStringLiteral("-p"), QStringLiteral("k=after")}, 30000);
        c.expect(r.exitCode == 3,
            QStringLiteral("`run` on a read-only store: expected exit 3, ") + show(r));
        expectOneErrorLine(c, r,
            QRegularExpression(QStringLiteral("read-only|not writable"),
                QRegularExpression::CaseInsensitiveOption));
        QVERIFY2(mnt.remount(QStringLiteral("rw")), qPrintable(mnt.error()));
        checkAfter(c, beforeId, before, false);
        QVERIFY2(c.ok(), qPrintable(c.report()));
    }

    // Another process holds the store's write lock (BEGIN IMMEDIATE) past the busy timeout (2 s
    // here): exit 3 "history database is locked", not 2; no run without tasks; nothing running.
    //   before_start: held before the CLI starts (it cannot register);
    //   after_register: taken by a thread of this test the moment the CLI's owner row appears
    //     (usually inside submit: finding 5; the test says where it landed);
    //   by_task: the run's own task `locker` takes it while task `a` runs; `a` ends while it is
    //     held, so recording that end fails. The CLI must also end `locker` (its child).
    void lockHeld_data()
    {
        QTest::addColumn<QString>("when");
        QTest::newRow("before_start") << QStringLiteral("before_start");
        QTest::newRow("after_register") << QStringLiteral("after_register");
        QTest::newRow("by_task") << QStringLiteral("by_task");
    }
    void lockHeld()
    {
        QFETCH(QString, when);
        makeCase();
        const QString f = flow(QStringLiteral("lk"),
            QStringLiteral(
                "pipewright: 1\nflow: lk\nparams:\n  k: {type: string, default: x}\n"
                "  lock: {type: bool, default: false}\ntasks:\n"
                "  locker:\n    type: shell\n    command: >-\n"
                "      if [ {{lock}} = true ]; then { echo '.timeout 5000'; echo 'BEGIN "
                "IMMEDIATE;';\n"
                "      echo \".system touch $PWT_DIR/locked\"; %1; } | sqlite3 \"$PWT_DB\"; fi\n"
                "  a:\n    type: shell\n    command: >-\n"
                "      if [ {{lock}} = true ]; then while [ ! -e \"$PWT_DIR/locked\" ]; do sleep "
                "0.05; done; fi;\n"
                "      %2\n"
                "  b: {type: shell, after: [a], command: echo b}\n")
                .arg(sleepCmd(QStringLiteral("6."), m_marker),
                    sleepCmd(QStringLiteral("0.5"), m_marker))
                .toUtf8());
        const QMap<QString, QString> env{
            {QStringLiteral("PWT_DB"), history()}, {QStringLiteral("PWT_DIR"), m_dir->path()}};
        QString before;
        const qint64 beforeId = recordBefore(f, {QStringLiteral("k=before")}, &before);
        QVERIFY(beforeId > 0);

        Checks c;
        CliResult r;
        const QStringList runArgs{QStringLiteral("run"), f, QStringLiteral("-p"),
            QStringLiteral("k=during"), QStringLiteral("-p"),
            QStringLiteral("lock=")
                + QLatin1String(when == QLatin1String("by_task") ? "true" : "false")};
        if (when == QLatin1String("before_start")) {
            LockHolder lock(history());
            QVERIFY2(lock.isHeld(), qPrintable(lock.output()));
            r = cli(runArgs, 30000, env);
            lock.release();
        } else if (when == QLatin1String("after_register")) {
            // A thread of this test with its own connection polls for the CLI's owner row and
            // then takes the lock; it notes whether the run existed at that moment.
            std::atomic<qint64> cliPid{0};
            std::atomic<int> runsAtLock{-1};
            std::atomic<bool> locked{false};
            QString lockError;
            const int runsBefore
                = int(StoreView(history()).count(QStringLiteral("SELECT count(*) FROM runs")));
            std::thread locker([&] {
                const QString name = QStringLiteral("pwio-locker");
                {
                    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                    db.setDatabaseName(history());
                    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
                    if (db.open()) {
                        QSqlQuery q(db);
                        QDeadlineTimer deadline(20000);
                        bool seen = false;
                        while (!seen && !deadline.hasExpired()) {
                            const qint64 pid = cliPid.load();
                            if (pid <= 0) {
                                QThread::usleep(100);
                                continue;
                            }
                            q.prepare(QStringLiteral("SELECT count(*) FROM owners WHERE pid = ?"));
                            q.addBindValue(pid);
                            seen = q.exec() && q.next() && q.value(0).toInt() > 0;
                            q.finish();
                        }
                        if (seen && q.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
                            locked = true;
                            if (q.exec(QStringLiteral("SELECT count(*) FROM runs")) && q.next())
                                runsAtLock = q.value(0).toInt();
                            q.finish();
                            QThread::msleep(4500); // busy timeout 2 s + margin
                            q.exec(QStringLiteral("ROLLBACK"));
                        } else {
                            lockError = seen ? q.lastError().text()
                                             : QStringLiteral("the CLI's owner row never appeared");
                        }
                    } else {
                        lockError = db.lastError().text();
                    }
                    db.close();
                }
                QSqlDatabase::removeDatabase(name);
            });
            Processes procs(m_marker);
            const qint64 t0 = nowMs();
            QProcess *p = procs.startCli(m_home, runArgs, env, m_flows);
            cliPid = p->processId();
            r = finish(p, 30000, t0);
            locker.join();
            QVERIFY2(locked, qPrintable(lockError));
            qInfo("the lock was taken when %d of %d runs existed (%s)", runsAtLock.load(),
                runsBefore + 1,
                runsAtLock.load() > runsBefore ? "after the run was created"
                                               : "before the run was created: inside submit");
        } else {
            r = cli(runArgs, 30000, env);
        }
        c.expect(r.exitCode == 3,
            QStringLiteral("lock held past the busy timeout (%1): expected exit 3, %2")
                .arg(when, show(r)));
        expectOneErrorLine(c, r, QRegularExpression(QStringLiteral("history database is locked")));
        c.expect(r.elapsedMs < 20000,
            QStringLiteral("the CLI took %1 ms to give up (busy timeout 2 s)").arg(r.elapsedMs));
        checkAfter(c, beforeId, before, false);
        QVERIFY2(c.ok(), qPrintable(c.report()));
    }

    // The home is a 2 MB tmpfs and a task writes 3 MB of output: exit 3 "disk full". With the
    // space given back, running the key again recovers it and succeeds; history is intact.
    void diskFull()
    {
        if (!isRoot())
            QSKIP("needs root to mount a tmpfs");
        TmpfsMount mnt(QStringLiteral("2m"));
        QVERIFY2(mnt.isMounted(), qPrintable(mnt.error()));
        makeCase(mnt.path() + QStringLiteral("/home"));
        const QString f = flow(QStringLiteral("full"),
            "pipewright: 1\nflow: full\nparams:\n  size: {type: int, default: 10}\ntasks:\n"
            "  a: {type: shell, command: echo a}\n"
            "  big: {type: shell, after: [a], command: 'head -c {{size}} /dev/zero'}\n"
            "  c: {type: shell, after: [big], command: echo c}\n");
        QString before;
        const qint64 beforeId = recordBefore(f, {QStringLiteral("size=10")}, &before);
        QVERIFY(beforeId > 0);

        Checks c;
        const QStringList args{
            QStringLiteral("run"), f, QStringLiteral("-p"), QStringLiteral("size=3000000")};
        const CliResult r = cli(args, 30000);
        c.expect(r.exitCode == 3, QStringLiteral("disk full: expected exit 3, ") + show(r));
        expectOneErrorLine(c, r,
            QRegularExpression(QStringLiteral("disk full|no space left"),
                QRegularExpression::CaseInsensitiveOption));
        QVERIFY2(mnt.remount(QStringLiteral("size=64m")), qPrintable(mnt.error()));
        checkAfter(c, beforeId, before, false);

        const CliResult again = cli(args, 30000);
        c.expect(again.exitCode == 0,
            QStringLiteral("running the key again with space back: expected exit 0, ")
                + show(again));
        StoreView store(history());
        const QString states = store.dump(QStringLiteral("SELECT id, state FROM runs ORDER BY id"));
        c.expect(store.count(QStringLiteral("SELECT count(*) FROM runs WHERE state <> 'succeeded'"))
                == 0,
            QStringLiteral("not every run succeeded after the recovery:\n") + states);
        c.expect(store.integrity() == QLatin1String("ok"),
            QStringLiteral("integrity_check: ") + store.integrity());
        c.expect(store.snapshot(beforeId) == before,
            QStringLiteral("the run recorded before the fault changed"));
        QVERIFY2(c.ok(), qPrintable(c.report()));
    }

    // HOME/logs/RUN/b is a plain file, so b's log cannot be created (finding 4): exit 3, no
    // attempt left `running` (the store itself is fine), `logs --follow` of the other task
    // returns. `after`: b after a (a has ended); `parallel`: a still runs when b fails.
    void logDirUnwritable_data()
    {
        QTest::addColumn<bool>("parallel");
        QTest::newRow("after") << false;
        QTest::newRow("parallel") << true;
    }
    void logDirUnwritable()
    {
        QFETCH(bool, parallel);
        makeCase();
        const QString f = flow(QStringLiteral("logs"),
            QStringLiteral(
                "pipewright: 1\nflow: logs\nparams:\n  k: {type: string, default: x}\ntasks:\n"
                "  a: {type: shell, command: '%1; echo done-a'}\n"
                "  b: {type: shell, %2command: echo hi}\n")
                .arg(sleepCmd(QStringLiteral("2."), m_marker),
                    parallel ? QString() : QStringLiteral("after: [a], "))
                .toUtf8());
        QString before;
        const qint64 beforeId = recordBefore(f, {QStringLiteral("k=before")}, &before);
        QVERIFY(beforeId > 0);
        const qint64 runId = beforeId + 1;
        QVERIFY(writeFile(m_home + QStringLiteral("/logs/%1/b").arg(runId), "not a directory\n"));

        Checks c;
        const CliResult r = cli(
            {QStringLiteral("run"), f, QStringLiteral("-p"), QStringLiteral("k=during")}, 30000);
        c.expect(r.exitCode == 3,
            QStringLiteral("log directory unwritable: expected exit 3, ") + show(r));
        expectOneErrorLine(c, r,
            QRegularExpression(QStringLiteral("log"), QRegularExpression::CaseInsensitiveOption));

        // `logs --follow` of a (which was running when the CLI failed) must return.
        const CliResult follow = cli({QStringLiteral("logs"), QString::number(runId),
                                         QStringLiteral("a"), QStringLiteral("--follow")},
            10000);
        c.expect(!follow.timedOut,
            QStringLiteral("`logs %1 a --follow` did not return within 10 s").arg(runId));
        checkAfter(c, beforeId, before, true);
        QVERIFY2(c.ok(), qPrintable(c.report()));
    }

    // Task-level faults fail that task and the run: exit 1, the error recorded on the attempt.
    void taskFaults_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("missing_command") << QStringLiteral("missing_command");
        QTest::newRow("deleted_workdir") << QStringLiteral("deleted_workdir");
    }
    void taskFaults()
    {
        QFETCH(QString, kind);
        makeCase();
        const QString workdir = m_dir->path() + QStringLiteral("/workdir");
        QVERIFY(QDir().mkpath(workdir));
        const QString f = flow(QStringLiteral("tf"),
            QStringLiteral("pipewright: 1\nflow: tf\nparams:\n  k: {type: string, default: x}\n"
                           "  bad: {type: bool, default: false}\ntasks:\n"
                           "  a: {type: shell, command: echo a}\n"
                           "  t:\n    type: shell\n    after: [a]\n    workdir: %1\n"
                           "    command: if [ {{bad}} = true ]; then no-such-command-xyz --flag; "
                           "else echo ok; fi\n"
                           "  c: {type: shell, after: [t], command: echo c}\n")
                .arg(workdir)
                .toUtf8());
        QString before;
        const qint64 beforeId
            = recordBefore(f, {QStringLiteral("k=before"), QStringLiteral("bad=false")}, &before);
        QVERIFY(beforeId > 0);
        const bool missing = kind == QLatin1String("missing_command");
        if (!missing)
            QVERIFY(QDir(workdir).removeRecursively());

        Checks c;
        const CliResult r
            = cli({QStringLiteral("run"), f, QStringLiteral("-p"), QStringLiteral("k=during"),
                      QStringLiteral("-p"),
                      QStringLiteral("bad=") + QLatin1String(missing ? "true" : "false")},
                30000);
        c.expect(r.exitCode == 1,
            QStringLiteral("%1: expected exit 1 (the run failed), %2").arg(kind, show(r)));
        StoreView store(history());
        const qint64 runId = beforeId + 1;
        const auto att = store.rows(
            QStringLiteral(
                "SELECT state, exit_code, error FROM attempts WHERE run_id = ? AND task = 't'"),
            {runId});
        c.expect(
            att.size() == 1, QStringLiteral("task t has %1 attempts, expected 1").arg(att.size()));
        if (att.size() == 1) {
            const QString state = att[0][0].toString();
            const QString error = att[0][2].toString();
            c.expect(state == QLatin1String("failed"),
                QStringLiteral("attempt of t is '%1', expected failed").arg(state));
            if (missing) {
                c.expect(att[0][1].toInt() == 127 && error.contains(QLatin1String("127")),
                    QStringLiteral(
                        "missing command: expected exit_code 127 / error exit:127, got %1 '%2'")
                        .arg(att[0][1].toString(), error));
            } else {
                c.expect(error.contains(QLatin1String("spawn")) && error.contains(workdir),
                    QStringLiteral(
                        "deleted workdir: the error should be a spawn error naming %1, got '%2'")
                        .arg(workdir, error));
                c.expect(r.all().contains(workdir),
                    QStringLiteral("the CLI's output does not name the workdir: ") + show(r));
            }
        }
        const QString tasks = store.dump(
            QStringLiteral("SELECT task, state FROM task_states WHERE run_id = ? ORDER BY task"),
            {runId});
        c.expect(tasks == QLatin1String("a|succeeded\nc|upstream_failed\nt|failed"),
            QStringLiteral("task states:\n") + tasks);
        c.expect(store.dump(QStringLiteral("SELECT state FROM runs WHERE id = ?"), {runId})
                == QLatin1String("failed"),
            QStringLiteral("the run is not failed"));
        store.close();
        checkAfter(c, beforeId, before, true);
        QVERIFY2(c.ok(), qPrintable(c.report()));
    }
};

QTEST_GUILESS_MAIN(TestIoFaults)
#include "tst_iofaults.moc"
