// Engine benchmarks (DESIGN §10). Prints ratios against references measured in the same run:
//   1. a random DAG of N noop tasks with full history vs raw SQLite inserts of the same number
//      of rows (the physical bound of durable history on this disk);
//   2. a random DAG of M `true` shell tasks vs `ninja -jP` and `make -jP` on the same DAG.
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
#include <sys/resource.h>

using namespace pw;

namespace {

using bench::out;

using bench::countRows;
using bench::makeFlow;
using bench::randomDag;
using bench::rawInserts;

// CPU time (user + system, ms) of this process and of its reaped children (and theirs): on a
// machine that other work keeps busy, CPU moves much less than wall time.
qint64 cpuMs()
{
    qint64 ms = 0;
    for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
        rusage u{};
        ::getrusage(who, &u);
        for (const timeval &t : {u.ru_utime, u.ru_stime})
            ms += qint64(t.tv_sec) * 1000 + t.tv_usec / 1000;
    }
    return ms;
}

// A wall time with the CPU time spent meanwhile.
struct Timing
{
    qint64 wallMs = -1;
    qint64 cpuMs = -1;
};

// Runs the flow on a fresh engine; returns wall ms from submit to the run's end.
qint64 runEngine(
    const Flow &flow, const QString &home, int parallel, RunState *state, qint64 *cpu = nullptr)
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
    const qint64 cpu0 = cpuMs();
    auto f = engine.submit(req);
    f.waitForFinished();
    if (!f.result()) {
        out << "submit: " << f.result().error().message << "\n";
        return -1;
    }
    loop.exec();
    const qint64 ms = t.elapsed();
    if (cpu)
        *cpu = cpuMs() - cpu0;
    engine.shutdown();
    return ms;
}

// Runs `program args` in `dir`; -1 (and why) when it fails.
Timing timeTool(const QString &program, const QStringList &args, const QString &dir)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    QElapsedTimer t;
    t.start();
    const qint64 cpu0 = cpuMs();
    p.start(program, args);
    if (!p.waitForFinished(600000) || p.exitCode() != 0) {
        out << program << " failed: " << p.errorString() << " " << p.readAllStandardError()
            << p.readAllStandardOutput().right(500) << "\n";
        return {};
    }
    return {t.elapsed(), cpuMs() - cpu0};
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

// ninja: one edge per task (`command = true`, run by `/bin/sh -c` like every ninja command).
Timing runNinja(const QList<QStringList> &deps, const QString &dir, int parallel)
{
    QByteArray text = "rule run\n  command = true\n\n";
    for (int i = 0; i < deps.size(); ++i) {
        text += "build t" + QByteArray::number(i) + ": run";
        for (const QString &d : deps[i])
            text += ' ' + d.toUtf8();
        text += '\n';
    }
    if (!writeFile(dir + QStringLiteral("/build.ninja"), text))
        return {};
    return timeTool(QStringLiteral("ninja"),
        {QStringLiteral("-j%1").arg(parallel), QStringLiteral("-f"), QStringLiteral("build.ninja")},
        dir);
}

// GNU make: one phony target per task with the recipe `true` (which make, seeing no shell
// syntax, executes directly, without a shell), all of them under `all`.
Timing runMake(const QList<QStringList> &deps, const QString &dir, int parallel)
{
    QByteArray all = "all:";
    QByteArray rules;
    for (int i = 0; i < deps.size(); ++i) {
        const QByteArray name = "t" + QByteArray::number(i);
        all += ' ' + name;
        rules += name + ':';
        for (const QString &d : deps[i])
            rules += ' ' + d.toUtf8();
        rules += "\n\ttrue\n";
    }
    const QByteArray text = all + "\n\n" + rules + "\n.PHONY:" + all.mid(4) + " all\n";
    if (!writeFile(dir + QStringLiteral("/Makefile"), text))
        return {};
    return timeTool(QStringLiteral("make"),
        {QStringLiteral("-j%1").arg(parallel), QStringLiteral("-s"), QStringLiteral("-f"),
            QStringLiteral("Makefile")},
        dir);
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
        const Timing ninja = runNinja(deps, dir, parallel);
        const Timing make = runMake(deps, dir, parallel);
        Timing pw;
        pw.wallMs = runEngine(
            flow, tmp.path() + QStringLiteral("/home-shell"), parallel, &state, &pw.cpuMs);
        auto ratio = [](qint64 a, qint64 b) { return b > 0 ? double(a) / b : 0.0; };
        out << QStringLiteral("shell DAG: %1 `true` tasks, -j%2, state %3; wall (cpu) ms: "
                              "pipewright %4 (%5), ninja %6 (%7), make %8 (%9)\n")
                   .arg(shell)
                   .arg(parallel)
                   .arg(toString(state))
                   .arg(pw.wallMs)
                   .arg(pw.cpuMs)
                   .arg(ninja.wallMs)
                   .arg(ninja.cpuMs)
                   .arg(make.wallMs)
                   .arg(make.cpuMs);
        out << QStringLiteral("RATIO shell pipewright / ninja = %1 (cpu %2)\n")
                   .arg(ratio(pw.wallMs, ninja.wallMs), 0, 'f', 2)
                   .arg(ratio(pw.cpuMs, ninja.cpuMs), 0, 'f', 2);
        out << QStringLiteral("RATIO shell pipewright / make = %1 (cpu %2)\n")
                   .arg(ratio(pw.wallMs, make.wallMs), 0, 'f', 2)
                   .arg(ratio(pw.cpuMs, make.cpuMs), 0, 'f', 2);
    }
    return 0;
}
