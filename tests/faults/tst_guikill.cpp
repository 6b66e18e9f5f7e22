// Fault test (issue 8): the kill loop for the GUI. The real `pipewright` window on an X server
// of its own (Xvfb), driven with real input (xdotool): F5 starts a run, the GUI is SIGKILLed
// during it (half the time right after it spawned an attempt), started again, and the run is
// recovered from the Runs dock (right click, "Rerun failed tasks", the preview's Run button),
// until a round is left to finish. The same promises as tst_killloop hold at the end: the run
// succeeded, every task succeeded exactly once (its own file says so, under a kernel lock that
// catches overlaps without trusting the store), nothing is left running, no orphan survives.
//
// Where to click comes from the GUI itself: the test loads the probe plugin into it
// (tests/e2e/probe/pwprobe.cpp, as tst_monitor_e2e does).
//
//   PW_FAULT_GUI_KILLS   GUI kills to survive (default 3; installer/dev.sh faults uses 10)
//   PW_FAULT_SEED        seed of the DAG and of the kill moments (default 20261124)
#include "engine/home.h"
#include "engine/truststore.h"
#include "faultharness.h"
#include "format/flowloader.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSet>

#include <algorithm>
#include <optional>

using namespace pwfault;

namespace {

// An X server of the test's own: Xvfb on the first free display from a per-process start.
class XServer
{
public:
    ~XServer()
    {
        if (m_proc.state() != QProcess::NotRunning) {
            m_proc.terminate();
            if (!m_proc.waitForFinished(5000))
                m_proc.kill();
            m_proc.waitForFinished(5000);
        }
    }

    bool start(QString *why)
    {
        const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("Xvfb"));
        int n = 200 + int(::getpid() % 400);
        for (int tries = 0; tries < 40; ++tries, ++n) {
            if (QFileInfo::exists(QStringLiteral("/tmp/.X%1-lock").arg(n)))
                continue;
            m_proc.setProcessChannelMode(QProcess::MergedChannels);
            m_proc.start(xvfb,
                {QStringLiteral(":%1").arg(n), QStringLiteral("-screen"), QStringLiteral("0"),
                    QStringLiteral("1600x1000x24"), QStringLiteral("-nolisten"),
                    QStringLiteral("tcp")});
            if (!m_proc.waitForStarted(5000))
                break;
            const QString socket = QStringLiteral("/tmp/.X11-unix/X%1").arg(n);
            const bool up = waitUntil(
                                [&] {
                                    return QFileInfo::exists(socket)
                                        || m_proc.state() == QProcess::NotRunning;
                                },
                                10000)
                && m_proc.state() != QProcess::NotRunning;
            if (up) {
                m_display = QStringLiteral(":%1").arg(n);
                return true;
            }
            *why = QString::fromLocal8Bit(m_proc.readAll());
            m_proc.kill();
            m_proc.waitForFinished(2000);
        }
        *why = QStringLiteral("no display could be started: ") + *why;
        return false;
    }
    QString display() const { return m_display; }

private:
    QProcess m_proc;
    QString m_display;
};

} // namespace

class TstGuiKill : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        for (const char *tool : {"Xvfb", "xdotool", "flock"})
            if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
                QSKIP(
                    "Xvfb, xdotool and flock are needed (apt-get install xvfb xdotool util-linux)");
        QVERIFY2(QFileInfo::exists(m_gui), qPrintable(m_gui));
        QVERIFY2(QFileInfo::exists(cliPath()), qPrintable(cliPath()));
        QString why;
        QVERIFY2(m_x.start(&why), qPrintable(why));
    }

    void killDuringRunsAndRecoverFromTheRunsDock();

private:
    // xdotool ARGS on the test's display; true when it exited 0.
    bool xdo(const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DISPLAY"), m_x.display());
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("xdotool"), args);
        return p.waitForFinished(10000) && p.exitStatus() == QProcess::NormalExit
            && p.exitCode() == 0;
    }
    bool click(QPoint at, int button = 1)
    {
        if (!xdo({QStringLiteral("mousemove"), QString::number(at.x()), QString::number(at.y())}))
            return false;
        QThread::msleep(100); // as a hand does: the pointer settles, then the button
        return xdo({QStringLiteral("click"), QString::number(button)});
    }
    // The global centre of the widget the GUI probed as `key`, once it is there.
    std::optional<QPoint> probe(const QString &key, qint64 timeoutMs)
    {
        std::optional<QPoint> at;
        waitUntil(
            [&] {
                QFile f(m_probe);
                if (!f.open(QIODevice::ReadOnly))
                    return false;
                const QJsonArray xy
                    = QJsonDocument::fromJson(f.readAll()).object().value(key).toArray();
                if (xy.size() == 2)
                    at = QPoint(xy[0].toInt(), xy[1].toInt());
                return at.has_value();
            },
            timeoutMs, 20);
        return at;
    }
    void screenshot(const QString &file)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DISPLAY"), m_x.display());
        p.setProcessEnvironment(env);
        p.start(
            QStringLiteral("import"), {QStringLiteral("-window"), QStringLiteral("root"), file});
        p.waitForFinished(20000);
    }

    const QString m_gui = QStringLiteral(PW_BINARY_DIR "/app/gui/pipewright");
    XServer m_x;
    QString m_probe;
};

void TstGuiKill::killDuringRunsAndRecoverFromTheRunsDock()
{
    const int targetKills = envInt("PW_FAULT_GUI_KILLS", 3);
    const quint32 seed = quint32(envInt("PW_FAULT_SEED", 20261124));
    const QString marker = uniqueMarker();
    QElapsedTimer elapsed;
    elapsed.start();

    FaultHome fh;
    QVERIFY(fh.isValid());
    Processes cleanup(marker); // ends every task process, by pid, however this ends
    m_probe = fh.path() + QStringLiteral("/probe.json");

    // --- the flow: a random DAG of 40 short tasks, 6 at a time ----------------------------
    QRandomGenerator rng(seed);
    const int taskCount = 40;
    QByteArray yaml = "pipewright: 1\nflow: guikill\nparams:\n  k: {type: int, default: 1}\n"
                      "limits: {max_parallel: 6}\ntasks:\n";
    QStringList names;
    for (int i = 0; i < taskCount; ++i) {
        const QString name = QStringLiteral("t%1").arg(i, 2, 10, QLatin1Char('0'));
        const QString secs = rng.bounded(4) == 0
            ? QStringLiteral("1.%1").arg(rng.bounded(10))
            : QStringLiteral("0.%1").arg(2 + rng.bounded(70), 2, 10, QLatin1Char('0'));
        yaml += QStringLiteral("  %1:\n    type: shell\n    command: sh ./task.sh %2%3\n")
                    .arg(name, secs, marker)
                    .toUtf8();
        QStringList after;
        for (int j = 0, k = i == 0 ? 0 : int(rng.bounded(3)); j < k; ++j) {
            const QString up = names[int(rng.bounded(quint32(i)))];
            if (!after.contains(up))
                after << up;
        }
        if (!after.isEmpty())
            yaml += QStringLiteral("    after: [%1]\n")
                        .arg(after.join(QStringLiteral(", ")))
                        .toUtf8();
        names << name;
    }
    QVERIFY(fh.writeFile(QStringLiteral("guikill.flow.yaml"), yaml));
    QVERIFY(fh.writeFile(QStringLiteral("task.sh"), kLockedTaskScript));
    QVERIFY(QDir().mkpath(fh.path() + QStringLiteral("/lock")));
    QVERIFY(QDir().mkpath(fh.path() + QStringLiteral("/out")));
    const QString flowPath = fh.path() + QStringLiteral("/guikill.flow.yaml");
    // Trusted as `pipewright-cli trust` would: F5 goes straight to the parameters dialog (the
    // trust prompt is tst_monitor_e2e's and tst_runmonitor's).
    auto flow = pw::FlowLoader::loadFile(flowPath);
    QVERIFY(flow.has_value());
    QVERIFY(pw::TrustStore(pw::Home(fh.home())).trust(*flow).has_value());

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.remove(QStringLiteral("PIPEWRIGHT_HOME"));
    env.insert(QStringLiteral("DISPLAY"), m_x.display());
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), fh.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), fh.path() + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), fh.path() + QStringLiteral("/data"));
    env.insert(QStringLiteral("QT_PLUGIN_PATH"), QStringLiteral(PW_BINARY_DIR "/tests/plugins"));
    env.insert(QStringLiteral("QT_QPA_GENERIC_PLUGINS"), QStringLiteral("pwprobe:") + m_probe);

    StoreView store(fh.historyPath());
    auto runState = [&] {
        return store.scalar(QStringLiteral("SELECT state FROM runs WHERE id = 1")).toString();
    };
    auto tries = [&] {
        return store.count(QStringLiteral("SELECT count(*) FROM tries WHERE run_id = 1"));
    };
    auto attemptState = [&](const QString &task, int attempt) {
        return store
            .scalar(QStringLiteral("SELECT state FROM attempts WHERE task = ? AND attempt = ?"),
                {task, attempt})
            .toString();
    };

    int kills = 0, spawnKills = 0, orphansSeen = 0, rounds = 0;
    QStringList problems;
    bool succeeded = false;
    QByteArray guiOutput;
    for (; rounds < targetKills + 4 && !succeeded; ++rounds) {
        QFile::remove(m_probe);
        QProcess gui;
        gui.setProcessEnvironment(env);
        gui.setProcessChannelMode(QProcess::MergedChannels);
        gui.start(m_gui,
            {flowPath, QStringLiteral("--home"), fh.home(), QStringLiteral("--lang"),
                QStringLiteral("en")});
        if (!gui.waitForStarted(10000)) {
            problems << QStringLiteral("round %1: the GUI did not start").arg(rounds);
            break;
        }
        auto stopGui = qScopeGuard([&] {
            if (gui.state() != QProcess::NotRunning) {
                gui.kill();
                gui.waitForFinished(5000);
            }
            guiOutput = gui.readAll();
        });
        const std::optional<QPoint> canvas = probe(QStringLiteral("canvas"), 30000);
        if (!canvas) {
            problems << QStringLiteral("round %1: no window within 30 s").arg(rounds);
            break;
        }
        const qint64 triesBefore = tries();
        if (rounds == 0) {
            // Draw → run: F5 on the open flow, OK in the parameters dialog.
            click(*canvas);
            xdo({QStringLiteral("key"), QStringLiteral("F5")});
            const std::optional<QPoint> ok = probe(QStringLiteral("paramsOk"), 15000);
            if (!ok) {
                problems << QStringLiteral("round 0: F5 showed no parameters dialog");
                break;
            }
            click(*ok);
        } else {
            // The GUI's engine takes the killed GUI's run over at start: it turns interrupted, and
            // none of the killed GUI's task processes may survive that.
            if (!waitUntil([&] { return runState() == QLatin1String("interrupted"); },
                    kStaleLimitMs + 10000, 20)) {
                problems << QStringLiteral(
                    "round %1: run 1 is '%2', not interrupted, 10 s after the GUI restarted")
                                .arg(rounds)
                                .arg(runState());
                break;
            }
            auto orphans = [&] {
                std::vector<TaskProcess> out;
                for (const TaskProcess &t : markerProcesses(marker))
                    if (!t.task.isEmpty()
                        && attemptState(t.task, t.attempt) != QLatin1String("running"))
                        out.push_back(t);
                return out;
            };
            waitUntil([&] { return orphans().empty(); }, 500, 10);
            QSet<QString> seen;
            for (const TaskProcess &t : orphans()) {
                const QString key = QStringLiteral("%1 attempt %2").arg(t.task).arg(t.attempt);
                if (!seen.contains(key))
                    problems << QStringLiteral(
                        "after GUI kill %1: %2 (recorded '%3') still runs (pid %4)")
                                    .arg(kills)
                                    .arg(key, attemptState(t.task, t.attempt))
                                    .arg(t.pid);
                seen.insert(key);
                ::kill(t.pid, SIGKILL);
            }
            orphansSeen += int(seen.size());

            // Recover as a user does: right click the run, "Rerun failed tasks", Run. The Runs
            // dock may still show the run as running for a moment (its menu entry is disabled
            // then, and not probed): close the menu and try again.
            // The window starts with its saved layout: bring the Runs tab to the front first.
            if (const std::optional<QPoint> tab = probe(QStringLiteral("tab:Runs"), 5000))
                click(*tab);
            bool confirmed = false;
            for (int attempt = 0; attempt < 10 && !confirmed; ++attempt) {
                const std::optional<QPoint> row = probe(QStringLiteral("runsRow0"), 15000);
                if (!row)
                    break;
                click(*row, 3);
                const std::optional<QPoint> entry = probe(QStringLiteral("menu:rerunFailed"), 2000);
                if (!entry) {
                    xdo({QStringLiteral("key"), QStringLiteral("Escape")});
                    QThread::msleep(500);
                    continue;
                }
                click(*entry);
                const std::optional<QPoint> run = probe(QStringLiteral("confirmRerun"), 10000);
                if (run) {
                    click(*run);
                    confirmed = true;
                }
            }
            if (!confirmed) {
                screenshot(fh.path() + QStringLiteral("/recover-%1.png").arg(rounds));
                problems << QStringLiteral("round %1: could not recover run 1 from the Runs dock")
                                .arg(rounds);
                break;
            }
        }
        if (!waitUntil([&] { return tries() > triesBefore; }, 20000, 20)) {
            screenshot(fh.path() + QStringLiteral("/start-%1.png").arg(rounds));
            problems << QStringLiteral("round %1: no new try of run 1 within 20 s (run is '%2')")
                            .arg(rounds)
                            .arg(runState());
            break;
        }

        if (kills < targetKills) {
            // Kill the GUI: right after its engine committed a new attempt, or after a random
            // delay.
            const bool afterSpawn = kills % 2 == 0;
            bool sawSpawn = false;
            if (afterSpawn) {
                const qint64 before = store.count(QStringLiteral("SELECT count(*) FROM attempts"));
                waitUntil(
                    [&] {
                        sawSpawn
                            = store.count(QStringLiteral("SELECT count(*) FROM attempts")) > before;
                        return sawSpawn || runState() == QLatin1String("succeeded");
                    },
                    60000, 2);
            } else {
                const int delay = 200 + int(rng.bounded(1500));
                waitUntil([&] { return runState() == QLatin1String("succeeded"); }, delay, 5);
            }
            if (runState() != QLatin1String("succeeded")) {
                ::kill(pid_t(gui.processId()), SIGKILL);
                gui.waitForFinished(10000);
                ++kills;
                spawnKills += sawSpawn ? 1 : 0;
                continue;
            }
        }
        // Let this round finish the run.
        if (!waitUntil(
                [&] {
                    const QString s = runState();
                    return s == QLatin1String("succeeded") || s == QLatin1String("failed");
                },
                180000, 50)) {
            problems << QStringLiteral("round %1: the run did not end within 180 s (it is '%2')")
                            .arg(rounds)
                            .arg(runState());
            break;
        }
        succeeded = runState() == QLatin1String("succeeded");
        if (!succeeded)
            problems << QStringLiteral("round %1: the run ended '%2'; attempts not succeeded: %3")
                            .arg(rounds)
                            .arg(runState(),
                                store.dump(QStringLiteral("SELECT task, attempt, state, error FROM "
                                                          "attempts WHERE state <> 'succeeded'")));
        screenshot(fh.path() + QStringLiteral("/final.png"));
        // Nothing of the run may still run once it ended.
        for (const TaskProcess &t : markerProcesses(marker))
            problems << QStringLiteral("after the run ended: pid %1 still runs %2 attempt %3")
                            .arg(t.pid)
                            .arg(t.task)
                            .arg(t.attempt);
    }

    // --- what must hold at the end ------------------------------------------------------
    const QString concurrent = QString::fromUtf8(fh.readFile(QStringLiteral("CONCURRENT")));
    const int overlaps = int(concurrent.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size());
    qInfo().noquote() << QStringLiteral(
        "guikill summary: GUI kills survived %1 (right after spawn %2) of %3 asked, "
        "GUI starts %4, overlaps seen %5, orphans seen %6, %7 tasks, %8 s")
                             .arg(kills)
                             .arg(spawnKills)
                             .arg(targetKills)
                             .arg(rounds)
                             .arg(overlaps)
                             .arg(orphansSeen)
                             .arg(taskCount)
                             .arg(double(elapsed.elapsed()) / 1000.0, 0, 'f', 1);

    Checks checks;
    checks.add(problems);
    checks.expect(succeeded,
        QStringLiteral("the run never succeeded; the last GUI said: %1")
            .arg(QString::fromLocal8Bit(guiOutput.right(800))));
    checks.expect(overlaps == 0,
        QStringLiteral("%1 attempts found their task already running: %2")
            .arg(overlaps)
            .arg(concurrent));
    checks.expect(orphansSeen == 0, QStringLiteral("%1 orphaned attempts seen").arg(orphansSeen));
    checks.expect(kills >= std::max(1, targetKills - 1),
        QStringLiteral("only %1 of %2 kills landed before the run ended")
            .arg(kills)
            .arg(targetKills));
    const QString integrity = store.scalar(QStringLiteral("PRAGMA integrity_check")).toString();
    checks.expect(integrity == QLatin1String("ok"),
        QStringLiteral("PRAGMA integrity_check: %1 %2").arg(integrity, store.lastError()));
    for (const char *table : {"runs", "tries", "attempts", "task_states"})
        checks.expect(store.count(QStringLiteral(
                          "SELECT count(*) FROM %1 WHERE state IN ('running', 'queued')")
                                      .arg(QLatin1String(table)))
                == 0,
            QStringLiteral("%1 rows left running or queued").arg(QLatin1String(table)));
    checks.expect(store.count(QStringLiteral("SELECT count(*) FROM runs")) == 1,
        QStringLiteral("runs: %1")
            .arg(store.dump(QStringLiteral("SELECT id, key, state, try_no FROM runs"))));
    // Every task succeeded exactly once: one succeeded attempt, whose "start N" and "end N" are
    // each in its file once, with no attempt started after it.
    for (const QString &task : std::as_const(names)) {
        const auto ok = store.rows(QStringLiteral("SELECT attempt FROM attempts WHERE run_id = 1 "
                                                  "AND task = ? AND state = 'succeeded'"),
            {task});
        const QStringList lines = QString::fromUtf8(fh.readFile(QStringLiteral("out/") + task))
                                      .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        if (!checks.expect(ok.size() == 1,
                QStringLiteral("task %1: %2 succeeded attempts").arg(task).arg(ok.size())))
            continue;
        const int n = ok.first().first().toInt();
        const QString start = QStringLiteral("start %1").arg(n),
                      end = QStringLiteral("end %1").arg(n);
        checks.expect(lines.count(start) == 1 && lines.count(end) == 1
                && lines.indexOf(start) == lines.size() - 2,
            QStringLiteral("task %1: its success (attempt %2) did not run exactly once, last: %3")
                .arg(task)
                .arg(n)
                .arg(lines.join(QStringLiteral("; "))));
    }
    if (!checks.ok()) {
        fh.keepOnFailure();
        qWarning().noquote() << "kept" << fh.path();
    }
    QVERIFY2(checks.ok(), qPrintable(checks.report()));
}

QTEST_GUILESS_MAIN(TstGuiKill)
#include "tst_guikill.moc"
