// Engine benchmarks (DESIGN §10). Prints ratios against references measured in the same run:
//   1. a random DAG of N noop tasks with full history vs raw SQLite inserts of the same number
//      of rows (the physical bound of durable history on this disk);
//   2. a random DAG of M `true` shell tasks vs `ninja -jP` on the same DAG.
// Usage: bench_engine [--noop N] [--shell M] [--parallel P] [--only noop|shell]

#include "bench.h"
#include "benchsqlite.h"
#include "engine/engine.h"
#include "format/runplanner.h"
#include "history/historystore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>

using namespace pw;

namespace {

using bench::out;

using bench::countRows;
using bench::makeFlow;
using bench::randomDag;
using bench::rawInserts;

// Runs the flow on a fresh engine; returns wall ms from submit to the run's end.
qint64 runEngine(const Flow &flow, const QString &home, int parallel, RunState *state)
{
    EngineConfig cfg;
    cfg.home = home;
    cfg.maxParallel = parallel;
    Engine engine(cfg);
    if (auto ok = engine.start(); !ok) {
        out << "engine: " << ok.error().message << "\n";
        return -1;
    }
    auto plan = RunPlanner::plan(flow, {});
    if (!plan) {
        out << "plan: " << plan.error().message << "\n";
        out.flush();
        return -1;
    }
    RunRequest req;
    req.plan = *plan;
    QEventLoop loop;
    QObject::connect(&engine, &Engine::runFinished, &loop, [&](qint64, RunState s) {
        *state = s;
        loop.quit();
    });
    QElapsedTimer t;
    t.start();
    auto f = engine.submit(req);
    f.waitForFinished();
    if (!f.result()) {
        out << "submit: " << f.result().error().message << "\n";
        return -1;
    }
    loop.exec();
    const qint64 ms = t.elapsed();
    engine.shutdown();
    return ms;
}

qint64 runNinja(const QList<QStringList> &deps, const QString &dir, int parallel)
{
    QFile f(dir + QStringLiteral("/build.ninja"));
    if (!f.open(QIODevice::WriteOnly))
        return -1;
    QByteArray text = "rule run\n  command = true\n\n";
    for (int i = 0; i < deps.size(); ++i) {
        text += "build t" + QByteArray::number(i) + ": run";
        for (const QString &d : deps[i])
            text += ' ' + d.toUtf8();
        text += '\n';
    }
    f.write(text);
    f.close();
    QProcess p;
    p.setWorkingDirectory(dir);
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral("ninja"),
        {QStringLiteral("-j%1").arg(parallel), QStringLiteral("-f"),
            QStringLiteral("build.ninja")});
    if (!p.waitForFinished(600000) || p.exitCode() != 0) {
        out << "ninja failed: " << p.readAllStandardError() << p.readAllStandardOutput().right(500)
            << "\n";
        return -1;
    }
    return t.elapsed();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    int noop = 100000;
    int shell = 2000;
    int parallel = 4;
    QString only;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--noop"))
            noop = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--shell"))
            shell = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--parallel"))
            parallel = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--only"))
            only = args[i + 1];
    }
    QTemporaryDir tmp;
    if (only.isEmpty() || only == QLatin1String("noop")) {
        const auto deps = randomDag(noop, 42);
        const Flow flow = makeFlow(QStringLiteral("bench_noop"), deps, TaskType::Noop, tmp.path());
        RunState state = RunState::Queued;
        const QString home = tmp.path() + QStringLiteral("/home-noop");
        const qint64 ms = runEngine(flow, home, parallel, &state);
        const qint64 rows = countRows(home + QStringLiteral("/history.sqlite"));
        const qint64 raw = rawInserts(tmp.path() + QStringLiteral("/raw.sqlite"), rows);
        out << QStringLiteral("noop DAG: %1 tasks, state %2, %3 ms (%4 tasks/s), %5 history rows\n")
                   .arg(noop)
                   .arg(toString(state))
                   .arg(ms)
                   .arg(ms > 0 ? qint64(noop * 1000.0 / ms) : 0)
                   .arg(rows);
        out << QStringLiteral("raw SQLite inserts of %1 rows: %2 ms\n").arg(rows).arg(raw);
        out << QStringLiteral("RATIO noop engine / raw inserts = %1\n")
                   .arg(raw > 0 ? double(ms) / raw : 0.0, 0, 'f', 2);
        out.flush();
    }
    if (only.isEmpty() || only == QLatin1String("shell")) {
        const auto deps = randomDag(shell, 7);
        const QString dir = tmp.path() + QStringLiteral("/shell");
        QDir().mkpath(dir);
        const Flow flow = makeFlow(QStringLiteral("bench_shell"), deps, TaskType::Shell, dir);
        RunState state = RunState::Queued;
        const qint64 ninja = runNinja(deps, dir, parallel);
        const qint64 ms
            = runEngine(flow, tmp.path() + QStringLiteral("/home-shell"), parallel, &state);
        out << QStringLiteral(
            "shell DAG: %1 `true` tasks, -j%2: pipewright %3 ms (state %4), ninja %5 ms\n")
                   .arg(shell)
                   .arg(parallel)
                   .arg(ms)
                   .arg(toString(state))
                   .arg(ninja);
        out << QStringLiteral("RATIO shell pipewright / ninja = %1\n")
                   .arg(ninja > 0 ? double(ms) / ninja : 0.0, 0, 'f', 2);
    }
    return 0;
}
