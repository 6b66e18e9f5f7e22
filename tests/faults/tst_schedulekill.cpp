// The kill loop for `pipewright-cli schedule` (issue 8 "Fault tests": "the same loop for
// pipewright-cli schedule"; DESIGN §6).
//
// A flow fires every minute (cron `* * * * *`, catchup, start 2026-01-01, a datetime param).
// The scheduler's clock is injected with PIPEWRIGHT_SCHEDULE_CLOCK (app/cli/schedulecommands.cpp:
// the given instant + the time since start; ticks every 200 ms), set a few minutes after the
// start, so every start of the scheduler has catch-up fires due at once: 12 by default (three
// times the kills when PW_FAULT_KILLS asks for more). limits.max_active_runs 2 keeps some of them
// waiting.
//
// The scheduler is SIGKILLed at random moments (PW_FAULT_KILLS, default 4; the seed is printed
// and PW_FAULT_SEED repeats it) and started again, until every due fire has a run and none is
// active. Runs the kills left interrupted are then recovered as an operator would
// (`pipewright-cli rerun ID`; the scheduler never submits a key that has a run). Must hold:
//   - no fire handled twice: exactly one run per fire time, with one `schedule` try;
//   - every recorded success ran exactly once, nothing ran after it, no attempt ran twice, and
//     no two copies of a task ever ran at once (each task runs under `flock -n`, TESTING.md);
//   - all runs succeed in the end; nothing is left running; integrity_check ok; no task process
//     outlives the test's processes.
#include "faultio.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>

using namespace pwio;

class TestScheduleKill : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QFileInfo::exists(cliPath()), qPrintable(cliPath()));
    }

    void killScheduler()
    {
        const int kills = envInt("PW_FAULT_KILLS", 4);
        const int fires = std::max(12, 3 * kills);
        const quint32 seed = quint32(
            envInt("PW_FAULT_SEED", int(QRandomGenerator::global()->bounded(1, 1 << 30))));
        QRandomGenerator rng(seed);
        qInfo(
            "kills %d, fires %d, seed %u (PW_FAULT_SEED=%u repeats it)", kills, fires, seed, seed);

        const QString marker = uniqueMarker();
        QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/pw-schedkill-XXXXXX"));
        QVERIFY(dir.isValid());
        const QString home = dir.path() + QStringLiteral("/home");
        const QString flows = dir.path() + QStringLiteral("/flows");
        const QString out = dir.path() + QStringLiteral("/out");
        QVERIFY(QDir().mkpath(flows));
        QVERIFY(QDir().mkpath(out));
        QVERIFY(writeConfig(home));
        // Each task: under flock -n (a second copy at the same time is CONCURRENT), a line when
        // it starts and one when it completes, with run id, task and attempt.
        QVERIFY(writeFile(dir.path() + QStringLiteral("/task.sh"),
            "#!/bin/sh\n"
            "id=\"$PW_RUN_ID $PW_TASK $PW_ATTEMPT\"\n"
            "flock -n -E 77 \"$PWT_OUT/lock-$PW_RUN_ID-$PW_TASK\" sh -c "
            "'echo \"$1\" >> \"$PWT_OUT/started\"; sleep \"$2\"; echo \"$1\" >> \"$PWT_OUT/done\"' "
            "task \"$id\" \"$1\"\n"
            "rc=$?\n"
            "if [ $rc = 77 ]; then echo \"CONCURRENT $id\" >> \"$PWT_OUT/concurrent\"; fi\n"
            "exit $rc\n"));
        const QString flow = flows + QStringLiteral("/sk.flow.yaml");
        QVERIFY(writeFile(flow,
            QStringLiteral(
                "pipewright: 1\nflow: sk\nparams:\n  at: {type: datetime}\n"
                "schedule: {cron: '* * * * *', timezone: UTC, catchup: true, start: 2026-01-01, "
                "param: at}\n"
                "limits: {max_active_runs: 2}\ntasks:\n"
                "  a: {type: shell, command: 'sh \"$PWT_DIR/task.sh\" 1.2%1'}\n"
                "  b: {type: shell, after: [a], command: 'sh \"$PWT_DIR/task.sh\" 0.3%1'}\n")
                .arg(marker)
                .toUtf8()));
        const QDateTime first(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
        const QDateTime clock = first.addSecs(60 * (fires - 1) + 30);
        const QMap<QString, QString> env{
            {QStringLiteral("PIPEWRIGHT_SCHEDULE_CLOCK"), clock.toString(Qt::ISODate)},
            {QStringLiteral("PWT_DIR"), dir.path()}, {QStringLiteral("PWT_OUT"), out}};
        StoreView store(home + QStringLiteral("/history.sqlite"));
        Checks c;
        Processes procs(marker);
        auto allDue = [&] {
            return store.count(QStringLiteral("SELECT count(*) FROM runs WHERE flow_id = 'sk'"))
                >= fires
                && store.count(QStringLiteral(
                       "SELECT count(*) FROM runs WHERE state IN ('queued','running')"))
                == 0;
        };

        const qint64 t0 = nowMs();
        int killed = 0;
        int starts = 0;
        QStringList killLog;
        QProcess *sched = nullptr;
        qint64 pendingTakeover
            = 0; // the pid killed last; checked once the next scheduler took it over
        // Once the next scheduler took the killed owner over, none of that owner's task
        // processes may live on: a live task process whose attempt is not `running` any more is
        // an orphan (finding 2: its process group was not recorded yet, so nobody ends it).
        auto checkOrphans = [&](qint64 deadPid) {
            const bool takenOver = waitUntil(
                [&] {
                    return store.count(
                               QStringLiteral(
                                   "SELECT count(*) FROM owners WHERE pid = ? AND alive = 0"),
                               {deadPid})
                        > 0;
                },
                10000, 20);
            c.expect(takenOver,
                QStringLiteral("the killed scheduler (pid %1) was not taken over within 10 s")
                    .arg(deadPid));
            // A takeover that ends the groups needs a moment; what still lives 200 ms later (and
            // well before its 1.2 s sleep would end it) was not ended.
            auto suspects = [&] {
                std::vector<MarkedProcess> found;
                for (const MarkedProcess &p : markerProcesses(marker)) {
                    const QString state
                        = store
                              .scalar(QStringLiteral("SELECT state FROM attempts WHERE run_id = ? "
                                                     "AND task = ? AND attempt = ?"),
                                  {p.runId, p.task, p.attempt})
                              .toString();
                    if (p.runId > 0 && state != QLatin1String("running"))
                        found.push_back(p);
                }
                return found;
            };
            if (suspects().empty())
                return;
            QThread::msleep(200);
            QMap<QString, QStringList> orphans; // by attempt
            for (const MarkedProcess &p : suspects()) {
                const QString state
                    = store
                          .scalar(QStringLiteral("SELECT state FROM attempts WHERE run_id = ? AND "
                                                 "task = ? AND attempt = ?"),
                              {p.runId, p.task, p.attempt})
                          .toString();
                orphans[QStringLiteral("run %1 task %2 attempt %3 (recorded '%4')")
                            .arg(p.runId)
                            .arg(p.task)
                            .arg(p.attempt)
                            .arg(state)]
                    << QStringLiteral("%1 '%2'").arg(p.pid).arg(p.cmdline);
                ::kill(p.pid, SIGKILL);
            }
            for (auto it = orphans.begin(); it != orphans.end(); ++it)
                c.expect(false,
                    QStringLiteral(
                        "orphans after the takeover of the killed scheduler (pid %1): %2: %3")
                        .arg(deadPid)
                        .arg(it.key(), it.value().join(QStringLiteral(", "))));
        };
        while (true) {
            ++starts;
            const qint64 started = nowMs();
            sched = procs.startCli(home, {QStringLiteral("schedule"), flow}, env, flows);
            QVERIFY2(sched->state() != QProcess::NotRunning, "the scheduler did not start");
            if (pendingTakeover) {
                checkOrphans(pendingTakeover);
                pendingTakeover = 0;
            }
            if (killed >= kills)
                break;
            // Odd kills land at a random moment, even ones right after a spawn: the moment a
            // new attempt row appears (polled every 2 ms, TESTING.md "Kill right after spawn").
            const bool afterSpawn = killed % 2 == 1;
            const qint64 attemptsBefore
                = store.count(QStringLiteral("SELECT count(*) FROM attempts"));
            int delay = 0;
            if (afterSpawn) {
                waitUntil(
                    [&] {
                        return store.count(QStringLiteral("SELECT count(*) FROM attempts"))
                            > attemptsBefore
                            || sched->state() == QProcess::NotRunning;
                    },
                    10000, 2);
                delay = int(nowMs() - started);
            } else {
                delay = int(rng.bounded(250, 1800));
                waitExit(sched, delay);
            }
            if (sched->state() == QProcess::NotRunning) {
                const CliResult r = finish(sched, 0, started);
                c.expect(false,
                    QStringLiteral("scheduler start %1 exited by itself: exit %2\n%3")
                        .arg(starts)
                        .arg(r.exitCode)
                        .arg(r.err.trimmed()));
                procs.drop(sched);
                if (starts > kills * 3)
                    break;
                continue;
            }
            const qint64 runsNow = store.count(QStringLiteral("SELECT count(*) FROM runs"));
            const qint64 runningAttempts = store.count(
                QStringLiteral("SELECT count(*) FROM attempts WHERE state = 'running'"));
            const qint64 killedPid = sched->processId();
            ::kill(pid_t(killedPid), SIGKILL);
            sched->waitForFinished(5000);
            ++killed;
            killLog << QStringLiteral("kill %1 %2 %3 ms (%4 runs, %5 attempts running)")
                           .arg(killed)
                           .arg(afterSpawn ? QStringLiteral("right after a spawn,")
                                           : QStringLiteral("after"))
                           .arg(delay)
                           .arg(runsNow)
                           .arg(runningAttempts);
            procs.drop(sched);
            sched = nullptr;
            pendingTakeover = killedPid;
            if (allDue())
                qInfo("all due runs existed before kill %d", killed);
        }
        // The last scheduler runs until every fire has a run and none is active, then SIGTERM.
        const bool settled = waitUntil(allDue, 60000, 50);
        c.expect(settled,
            QStringLiteral("the scheduler did not create and finish every due run within 60 s:\n")
                + store.dump(QStringLiteral("SELECT id, key, state FROM runs ORDER BY id")));
        if (sched && sched->state() != QProcess::NotRunning) {
            // SIGTERM once it handles signals (it says "scheduler running"; before that the
            // default action would end it abruptly).
            sched->setReadChannel(QProcess::StandardError);
            waitUntil(
                [&] {
                    return sched->peek(1 << 20).contains("scheduler running")
                        || sched->state() == QProcess::NotRunning;
                },
                20000);
            ::kill(pid_t(sched->processId()), SIGTERM);
            const CliResult r = finish(sched, 20000, t0);
            c.expect(r.exitCode == 0,
                QStringLiteral("the last scheduler on SIGTERM: exit %1%2\n%3")
                    .arg(r.exitCode)
                    .arg(r.timedOut ? QStringLiteral(" (hung, killed)") : QString())
                    .arg(r.err.trimmed().right(2000)));
        }
        const QString afterKills = store.dump(
            QStringLiteral("SELECT id, state FROM runs WHERE state <> 'succeeded' ORDER BY id"));
        // Recover what the kills left, as an operator would.
        int recovered = 0;
        for (const QVariantList &row : store.rows(
                 QStringLiteral("SELECT id FROM runs WHERE state <> 'succeeded' ORDER BY id"))) {
            const qint64 id = row[0].toLongLong();
            const CliResult r
                = runCli(home, {QStringLiteral("rerun"), QString::number(id)}, 60000, env, flows);
            ++recovered;
            c.expect(r.exitCode == 0,
                QStringLiteral("`rerun %1` after the kills: exit %2\n%3")
                    .arg(id)
                    .arg(r.exitCode)
                    .arg(r.err.trimmed().right(2000)));
        }
        qInfo("%s", qPrintable(killLog.join(QStringLiteral("; "))));
        qInfo("%d scheduler starts, %d kills; %d runs recovered by rerun (left by the kills: %s); "
              "%lld ms",
            starts, killed, recovered,
            qPrintable(afterKills.isEmpty()
                    ? QStringLiteral("none")
                    : QString(afterKills).replace(QLatin1Char('\n'), QLatin1Char(' '))),
            nowMs() - t0);

        // No fire handled twice: one run per fire time, each with exactly one `schedule` try.
        for (int i = 0; i < fires; ++i) {
            const QString at = first.addSecs(60 * i).toString(Qt::ISODate);
            const auto runs = store.rows(
                QStringLiteral("SELECT id FROM runs WHERE flow_id = 'sk' AND params LIKE ?"),
                {QVariant(QStringLiteral("%\"") + at + QStringLiteral("\"%"))});
            c.expect(runs.size() == 1,
                QStringLiteral("fire %1 has %2 runs, expected 1").arg(at).arg(runs.size()));
        }
        // A long last round (many kills leave many runs to do) can carry the scheduler's clock
        // past the next minute: such a later fire has its run too, but also exactly one.
        QSet<QString> fireTimes;
        for (const QVariantList &r :
            store.rows(QStringLiteral("SELECT params FROM runs WHERE flow_id = 'sk'"))) {
            const QString at = QJsonDocument::fromJson(r.value(0).toByteArray())
                                   .object()
                                   .value(QStringLiteral("at"))
                                   .toString();
            const QDateTime t = QDateTime::fromString(at, Qt::ISODate);
            c.expect(
                !fireTimes.contains(at), QStringLiteral("fire %1 has more than one run").arg(at));
            c.expect(t.isValid() && t >= first && first.secsTo(t) % 60 == 0,
                QStringLiteral("a run for '%1', which is no fire time of the schedule").arg(at));
            fireTimes.insert(at);
        }
        const qint64 total = store.count(QStringLiteral("SELECT count(*) FROM runs"));
        c.expect(total >= fires && total == fireTimes.size(),
            QStringLiteral("%1 runs for %2 fires (%3 fire times)")
                .arg(total)
                .arg(fires)
                .arg(fireTimes.size()));
        const QString twice = store.dump(
            QStringLiteral("SELECT run_id, count(*) FROM tries WHERE trigger = 'schedule' "
                           "GROUP BY run_id HAVING count(*) <> 1"));
        c.expect(twice.isEmpty(),
            QStringLiteral("runs with more than one schedule try (a fire handled twice):\n")
                + twice);
        const QString notOk
            = store.dump(QStringLiteral("SELECT id, state FROM runs WHERE state <> 'succeeded'"));
        c.expect(notOk.isEmpty(), QStringLiteral("runs not succeeded in the end:\n") + notOk);

        // Every recorded success ran once; nothing after it; no attempt twice; no overlap.
        auto lines = [&](const QString &name) {
            QMap<QString, int> m;
            for (const QByteArray &l : readFile(out + QLatin1Char('/') + name).split('\n'))
                if (!l.trimmed().isEmpty())
                    ++m[QString::fromUtf8(l.trimmed())];
            return m;
        };
        const QMap<QString, int> startedLines = lines(QStringLiteral("started"));
        const QMap<QString, int> doneLines = lines(QStringLiteral("done"));
        const QMap<QString, int> concurrent = lines(QStringLiteral("concurrent"));
        c.expect(concurrent.isEmpty(),
            QStringLiteral("two copies of a task ran at once: ")
                + QStringList(concurrent.keys()).join(QStringLiteral(", ")));
        for (auto it = startedLines.begin(); it != startedLines.end(); ++it)
            c.expect(it.value() == 1,
                QStringLiteral("attempt '%1' was executed %2 times").arg(it.key()).arg(it.value()));
        for (const QVariantList &row : store.rows(QStringLiteral(
                 "SELECT run_id, task, attempt FROM attempts WHERE state = 'succeeded'"))) {
            const qint64 run = row[0].toLongLong();
            const QString task = row[1].toString();
            const int attempt = row[2].toInt();
            const QString key = QStringLiteral("%1 %2 %3").arg(run).arg(task).arg(attempt);
            c.expect(doneLines.value(key) == 1,
                QStringLiteral("recorded success '%1' completed %2 times")
                    .arg(key)
                    .arg(doneLines.value(key)));
            for (auto it = startedLines.begin(); it != startedLines.end(); ++it) {
                const QStringList p = it.key().split(QLatin1Char(' '));
                if (p.size() == 3 && p[0].toLongLong() == run && p[1] == task
                    && p[2].toInt() > attempt)
                    c.expect(false,
                        QStringLiteral("task %1 of run %2 ran again (attempt %3) after its success "
                                       "(attempt %4)")
                            .arg(task)
                            .arg(run)
                            .arg(p[2])
                            .arg(attempt));
            }
        }
        const QString active = store.active();
        c.expect(active.isEmpty(), QStringLiteral("left running:\n") + active);
        c.expect(store.integrity() == QLatin1String("ok"),
            QStringLiteral("integrity_check: ") + store.integrity());
        const auto alive = markerProcesses(marker);
        c.expect(alive.empty(), QStringLiteral("orphan task processes: ") + describe(alive));
        QVERIFY2(c.ok(), qPrintable(c.report()));
    }
};

QTEST_GUILESS_MAIN(TestScheduleKill)
#include "tst_schedulekill.moc"
