// Three processes writing one store under load (issue 8 "Fault tests", findings 11; DESIGN §6):
//   - a GUI-like reader: `pipewright-cli runs --json` and `show ID --json` in a loop (each one
//     also registers an owner and looks for dead owners to take over, as the GUI does);
//   - `pipewright-cli backfill` of a flow with a date param over 15 dates, the flow's
//     limits.max_active_runs = 2;
//   - `pipewright-cli run` of the same flow for other dates, one after the other.
// For about PW_FAULT_MULTIPROC_SECONDS (default 20) and until the backfill is done. Must hold:
//   - no stderr line of any process says "database is locked" (the busy timeout absorbs it);
//   - every command exits 0 (or 2 with a clear refusal);
//   - no lost update: every run a command reported succeeded is succeeded in the store, with
//     all its tasks succeeded; PRAGMA integrity_check is ok; nothing is left running;
//   - max_active_runs holds ACROSS processes: from the recorded try start/end times, never more
//     than 2 runs of the flow are active at once (finding 11).
#include "faultio.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <optional>

using namespace pwio;

namespace {

struct Command
{
    QString role;
    QStringList args;
    CliResult result;
};

// One process role: runs its commands one after the other.
struct Role
{
    Role(QString n, std::function<std::optional<QStringList>()> f)
        : name(std::move(n)), next(std::move(f))
    { }
    QString name;
    std::function<std::optional<QStringList>()> next; // the next command, or none: done
    QProcess *current = nullptr;
    QStringList currentArgs;
    qint64 startedMs = 0;
    qint64 minIntervalMs = 0; // between two starts (a GUI polls, it does not spin)
    bool done = false;
};

} // namespace

class TestMultiProc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QFileInfo::exists(cliPath()), qPrintable(cliPath()));
    }

    void threeProcessesOneStore()
    {
        const QString marker = uniqueMarker();
        QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/pw-multiproc-XXXXXX"));
        QVERIFY(dir.isValid());
        const QString home = dir.path() + QStringLiteral("/home");
        const QString flows = dir.path() + QStringLiteral("/flows");
        QVERIFY(QDir().mkpath(flows));
        Timings t;
        t.busyTimeout = QStringLiteral("5s");
        t.heartbeat = QStringLiteral("500ms");
        t.staleLimit = QStringLiteral("5s");
        t.maxParallel = 4;
        QVERIFY(writeConfig(home, t));
        const QString flow = flows + QStringLiteral("/mp.flow.yaml");
        QVERIFY(writeFile(flow,
            QStringLiteral(
                "pipewright: 1\nflow: mp\nparams:\n  date: {type: date, default: today}\n"
                "limits: {max_active_runs: 2}\ntasks:\n"
                "  a: {type: shell, command: 'sleep 1.2%1'}\n"
                "  b: {type: shell, after: [a], command: 'sleep 0.6%1'}\n"
                "  c: {type: shell, after: [a], command: 'echo {{date}}'}\n")
                .arg(marker)
                .toUtf8()));
        const qint64 minMs = qint64(envInt("PW_FAULT_MULTIPROC_SECONDS", 20)) * 1000;
        const qint64 capMs = std::max<qint64>(minMs * 4, 120000);

        Processes procs(marker);
        QList<Command> commands;
        const qint64 t0 = nowMs();
        bool backfillDone = false;
        auto keepGoing
            = [&] { return (!backfillDone || nowMs() - t0 < minMs) && nowMs() - t0 < capMs; };

        bool backfillStarted = false;
        int runDay = 0;
        int readerStep = 0;
        qint64 latestId = 0;
        QList<Role> roles;
        roles << Role{QStringLiteral("backfill"), [&]() -> std::optional<QStringList> {
                          if (backfillStarted)
                              return std::nullopt;
                          backfillStarted = true;
                          return QStringList{QStringLiteral("backfill"), flow,
                              QStringLiteral("--from"), QStringLiteral("2026-01-01"),
                              QStringLiteral("--to"), QStringLiteral("2026-01-15")};
                      }};
        roles << Role{
            QStringLiteral("run"), [&]() -> std::optional<QStringList> {
                if (!keepGoing() || runDay >= 28)
                    return std::nullopt;
                ++runDay;
                return QStringList{QStringLiteral("run"), flow, QStringLiteral("-p"),
                    QStringLiteral("date=2026-02-%1").arg(runDay, 2, 10, QLatin1Char('0')),
                    QStringLiteral("--json")};
            }};
        roles << Role{QStringLiteral("reader"), [&]() -> std::optional<QStringList> {
                          if (!keepGoing())
                              return std::nullopt;
                          ++readerStep;
                          if (readerStep % 2 == 1 || latestId == 0)
                              return QStringList{QStringLiteral("runs"), QStringLiteral("--json"),
                                  QStringLiteral("--limit"), QStringLiteral("50")};
                          return QStringList{QStringLiteral("show"), QString::number(latestId),
                              QStringLiteral("--json")};
                      }};
        roles.last().minIntervalMs = 150;

        // The event loop of the three roles: start each role's next command when its last one
        // ended; a command still running after 120 s counts as a hang (killed, reported).
        while (true) {
            bool anyActive = false;
            for (Role &r : roles) {
                if (r.current) {
                    const bool ended = r.current->state() == QProcess::NotRunning;
                    if (!ended && nowMs() - r.startedMs < 120000) {
                        anyActive = true;
                        continue;
                    }
                    Command c{r.name, r.currentArgs, finish(r.current, 0, r.startedMs)};
                    if (r.name == QLatin1String("backfill"))
                        backfillDone = true;
                    if (r.currentArgs.value(0) == QLatin1String("runs") && c.result.exitCode == 0) {
                        const QJsonArray runs = QJsonDocument::fromJson(c.result.out.toUtf8())
                                                    .object()
                                                    .value(QStringLiteral("runs"))
                                                    .toArray();
                        if (!runs.isEmpty())
                            latestId
                                = runs.first().toObject().value(QStringLiteral("id")).toInteger();
                    }
                    commands << c;
                    procs.drop(r.current);
                    r.current = nullptr;
                }
                if (!r.done && r.startedMs > 0 && nowMs() - r.startedMs < r.minIntervalMs) {
                    anyActive = true;
                    continue;
                }
                if (!r.done) {
                    const auto args = r.next();
                    if (!args) {
                        r.done = true;
                        continue;
                    }
                    r.currentArgs = *args;
                    r.startedMs = nowMs();
                    r.current = procs.startCli(home, *args, {}, flows);
                    anyActive = true;
                }
            }
            if (!anyActive)
                break;
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
            QThread::msleep(20);
        }
        const qint64 elapsed = nowMs() - t0;

        Checks c;
        // Every command: exit 0 or a clear refusal (2); never "database is locked".
        QSet<qint64> reportedSucceeded;
        static const QRegularExpression backfillLine(QStringLiteral(": run (\\d+) succeeded$"));
        QMap<QString, int> perRole;
        for (const Command &cmd : commands) {
            ++perRole[cmd.role];
            const QString what
                = QStringLiteral("`%1` (%2): exit %3%4 after %5 ms\nstderr: %6")
                      .arg(cmd.args.join(QLatin1Char(' '))
                               .replace(flow, QStringLiteral("mp.flow.yaml")),
                          cmd.role)
                      .arg(cmd.result.exitCode)
                      .arg(cmd.result.timedOut ? QStringLiteral(" (hung, killed)") : QString())
                      .arg(cmd.result.elapsedMs)
                      .arg(cmd.result.err.trimmed().right(1500));
            const bool refused = cmd.result.exitCode == 2
                && QRegularExpression(QStringLiteral("refus|active|already"),
                    QRegularExpression::CaseInsensitiveOption)
                       .match(cmd.result.err)
                       .hasMatch();
            c.expect(
                cmd.result.exitCode == 0 || refused, QStringLiteral("a command failed: ") + what);
            for (const QString &line : cmd.result.all().split(QLatin1Char('\n'))) {
                if (line.contains(QLatin1String("database is locked"), Qt::CaseInsensitive))
                    c.expect(
                        false, QStringLiteral("\"database is locked\" reached the user: ") + what);
            }
            if (cmd.role == QLatin1String("run") && cmd.result.exitCode == 0) {
                const QJsonObject run = QJsonDocument::fromJson(cmd.result.out.toUtf8())
                                            .object()
                                            .value(QStringLiteral("run"))
                                            .toObject();
                c.expect(
                    run.value(QStringLiteral("state")).toString() == QLatin1String("succeeded"),
                    QStringLiteral("`run` exited 0 but printed state '%1'")
                        .arg(run.value(QStringLiteral("state")).toString()));
                reportedSucceeded.insert(run.value(QStringLiteral("id")).toInteger());
            }
            if (cmd.role == QLatin1String("backfill")) {
                for (const QString &line : cmd.result.out.split(QLatin1Char('\n'))) {
                    const auto m = backfillLine.match(line.trimmed());
                    if (m.hasMatch())
                        reportedSucceeded.insert(m.captured(1).toLongLong());
                }
            }
        }
        c.expect(perRole.value(QStringLiteral("backfill")) == 1,
            QStringLiteral("the backfill did not run"));
        c.expect(perRole.value(QStringLiteral("run")) >= 3,
            QStringLiteral("only %1 `run` commands").arg(perRole.value(QStringLiteral("run"))));

        StoreView store(home + QStringLiteral("/history.sqlite"));
        // No lost update: what a command reported succeeded is succeeded, with all its tasks.
        for (qint64 id : reportedSucceeded) {
            const QString state
                = store.scalar(QStringLiteral("SELECT state FROM runs WHERE id = ?"), {id})
                      .toString();
            const QString tasks = store.dump(
                QStringLiteral(
                    "SELECT task || '=' || state FROM task_states WHERE run_id = ? ORDER BY task"),
                {id});
            c.expect(state == QLatin1String("succeeded")
                    && tasks == QLatin1String("a=succeeded\nb=succeeded\nc=succeeded"),
                QStringLiteral("run %1 was reported succeeded but the store says %2 with tasks %3")
                    .arg(id)
                    .arg(state, tasks));
        }
        const qint64 backfillRuns
            = store.count(QStringLiteral("SELECT count(*) FROM runs WHERE key LIKE '%2026-01-%'"));
        c.expect(backfillRuns == 15,
            QStringLiteral("%1 backfill runs in the store, expected 15").arg(backfillRuns));
        c.expect(store.integrity() == QLatin1String("ok"),
            QStringLiteral("integrity_check: ") + store.integrity());
        const QString active = store.active();
        c.expect(active.isEmpty(), QStringLiteral("left running:\n") + active);
        const auto alive = markerProcesses(marker);
        c.expect(alive.empty(), QStringLiteral("task processes left alive: ") + describe(alive));

        // max_active_runs across processes: sweep over the tries' [started, ended) intervals.
        struct Edge
        {
            qint64 t;
            int delta;
            qint64 run;
        };
        QList<Edge> edges;
        for (const QVariantList &row :
            store.rows(QStringLiteral("SELECT t.run_id, t.started, coalesce(t.ended, ?) FROM tries "
                                      "t JOIN runs r ON r.id = t.run_id "
                                      "WHERE r.flow_id = 'mp' AND t.started IS NOT NULL"),
                {nowMs()})) {
            edges << Edge{row[1].toLongLong(), +1, row[0].toLongLong()}
                  << Edge{row[2].toLongLong(), -1, row[0].toLongLong()};
        }
        std::sort(edges.begin(), edges.end(), [](const Edge &a, const Edge &b) {
            return a.t != b.t ? a.t < b.t : a.delta < b.delta;
        });
        int activeRuns = 0;
        int peak = 0;
        QSet<qint64> activeSet;
        QString peakAt;
        int overLimitMoments = 0;
        for (const Edge &e : edges) {
            activeRuns += e.delta;
            if (e.delta > 0)
                activeSet.insert(e.run);
            else
                activeSet.remove(e.run);
            if (activeRuns > 2)
                ++overLimitMoments;
            if (activeRuns > peak) {
                peak = activeRuns;
                QList<qint64> ids(activeSet.begin(), activeSet.end());
                std::sort(ids.begin(), ids.end());
                QStringList s;
                for (qint64 id : ids)
                    s << QString::number(id);
                peakAt
                    = QDateTime::fromMSecsSinceEpoch(e.t).toString(QStringLiteral("HH:mm:ss.zzz"))
                    + QStringLiteral(" runs ") + s.join(QLatin1Char(','));
            }
        }
        qInfo("%lld ms, %d commands (%d backfill, %d run, %d reader); %lld runs; peak %d active "
              "runs of mp (%s)",
            elapsed, int(commands.size()), perRole.value(QStringLiteral("backfill")),
            perRole.value(QStringLiteral("run")), perRole.value(QStringLiteral("reader")),
            store.count(QStringLiteral("SELECT count(*) FROM runs")), peak, qPrintable(peakAt));
        c.expect(peak <= 2,
            QStringLiteral("max_active_runs 2 broken across processes (finding 11): %1 runs of mp "
                           "were active at once "
                           "at %2; over the limit at %3 try starts/ends")
                .arg(peak)
                .arg(peakAt)
                .arg(overLimitMoments));
        QVERIFY2(c.ok(), qPrintable(c.report()));
    }
};

QTEST_GUILESS_MAIN(TestMultiProc)
#include "tst_multiproc.moc"
