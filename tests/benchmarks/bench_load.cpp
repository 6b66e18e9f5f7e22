// Loading benchmark (issue 11, target 2): what `pipewright-cli validate FILE` does — FlowLoader
// (YAML parse, schema, FlowValidator) and FlowLint — on a random DAG of N `noop` tasks written by
// FlowWriter, against the physical bound: libyaml's bare event scan of the same bytes (no tree,
// no strings kept), measured in the same run. Each measurement runs in a fresh child process
// (this executable with --child) so that its peak RSS is its own; the best of --rounds is shown.
// Then the real CLI, process start to exit, with /usr/bin/time for its peak RSS.
// Usage: bench_load [--tasks N] [--small M] [--rounds R] [--cli PATH] [--dir DIR]

#include "bench.h"
#include "format/flowlint.h"
#include "format/flowloader.h"
#include "format/flowwriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>

#include <sys/resource.h>
#include <yaml.h>

#include <algorithm>

using namespace pw;

namespace {

using bench::out;

// The peak RSS of this process image (VmHWM: unlike getrusage's ru_maxrss, it starts afresh at
// exec, so a child does not inherit its parent's peak).
qint64 peakRssKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// CPU time (user + system) of this process so far, in microseconds: under load (other builds)
// it moves less than the wall time.
qint64 cpuUs()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000LL + u.ru_utime.tv_usec
        + u.ru_stime.tv_usec;
}

// The child: one measurement, printed as "US PEAK_KB BASE_KB TASKS CPU_US".
int child(const QString &what, const QString &file)
{
    const qint64 base = peakRssKb();
    const qint64 cpu = cpuUs();
    QElapsedTimer timer;
    timer.start();
    qint64 tasks = -1;
    if (what == QLatin1String("libyaml")) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return 1;
        const QByteArray data = f.readAll();
        yaml_parser_t parser;
        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser,
            reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()));
        tasks = 0;
        for (bool end = false; !end;) {
            yaml_event_t event;
            if (!yaml_parser_parse(&parser, &event)) {
                tasks = -1;
                break;
            }
            end = event.type == YAML_STREAM_END_EVENT;
            tasks += event.type == YAML_MAPPING_START_EVENT; // the top map, tasks and each task
            yaml_event_delete(&event);
        }
        tasks -= 2;
        yaml_parser_delete(&parser);
    } else {
        const auto flow = FlowLoader::loadFile(file);
        if (!flow) {
            out << flow.error().first().toString() << "\n";
            return 1;
        }
        const Errors warnings = FlowLint::warnings(*flow); // as `validate` does
        tasks = flow->tasks.size();
        Q_UNUSED(warnings)
    }
    const qint64 ms = timer.nsecsElapsed() / 1000;
    out << ms << ' ' << peakRssKb() << ' ' << base << ' ' << tasks << ' ' << cpuUs() - cpu << "\n";
    return 0;
}

struct Sample
{
    double ms = -1;
    double cpuMs = -1;
    qint64 peakKb = 0;
    qint64 baseKb = 0;
    bool ok = false;
};

Sample best(const QStringList &args, int rounds, bool timeTool)
{
    Sample b;
    for (int r = 0; r < rounds; ++r) {
        QProcess p;
        QElapsedTimer timer;
        timer.start();
        if (timeTool)
            p.start(QStringLiteral("/usr/bin/time"), QStringList{"-f", "PEAK %M %U %S"} + args);
        else
            p.start(QCoreApplication::applicationFilePath(), args);
        p.waitForFinished(-1);
        const double wall = timer.nsecsElapsed() / 1e6;
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            out << "failed: " << args.join(' ') << "\n"
                << p.readAllStandardOutput() << p.readAllStandardError();
            return b;
        }
        Sample s;
        s.ok = true;
        if (timeTool) {
            s.ms = wall;
            const QList<QByteArray> lines = p.readAllStandardError().trimmed().split('\n');
            const QList<QByteArray> f = lines.last().split(' ');
            s.peakKb = f.value(1).toLongLong();
            s.cpuMs = (f.value(2).toDouble() + f.value(3).toDouble()) * 1000;
        } else {
            const QList<QByteArray> f = p.readAllStandardOutput().trimmed().split(' ');
            s.ms = f.value(0).toLongLong() / 1000.0;
            s.peakKb = f.value(1).toLongLong();
            s.baseKb = f.value(2).toLongLong();
            s.cpuMs = f.value(4).toLongLong() / 1000.0;
        }
        if (!b.ok || s.ms < b.ms)
            b = s;
    }
    return b;
}

QString mb(qint64 kb)
{
    return QString::number(kb / 1024.0, 'f', 1) + QStringLiteral(" MB");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 4 && args[1] == QLatin1String("--child"))
        return child(args[2], args[3]);
    auto opt = [&](const char *name, const QString &def) {
        const qsizetype i = args.indexOf(QLatin1String(name));
        return i > 0 && i + 1 < args.size() ? args[i + 1] : def;
    };
    const int big = opt("--tasks", QStringLiteral("100000")).toInt();
    const int small = opt("--small", QStringLiteral("5000")).toInt();
    const int rounds = opt("--rounds", QStringLiteral("3")).toInt();
    const QString cli = opt("--cli",
        QDir(app.applicationDirPath())
            .absoluteFilePath(QStringLiteral("../../app/cli/pipewright-cli")));

    QTemporaryDir tmp;
    const QString dir = opt("--dir", tmp.path()); // --dir: keep the files (for perf)
    out << "bench_load: best of " << rounds << ", each in a fresh process\n";
    for (const int n : {big, small}) {
        const QString id = QStringLiteral("load%1").arg(n);
        const Flow flow = bench::makeFlow(id, bench::randomDag(n, 42, 4), TaskType::Noop, dir);
        const QByteArray yaml = FlowWriter::toYaml(flow);
        QFile f(flow.sourcePath);
        if (!f.open(QIODevice::WriteOnly) || f.write(yaml) != yaml.size())
            return 1;
        f.close();
        out << QStringLiteral("\n%1 noop tasks, %2 bytes of YAML\n").arg(n).arg(yaml.size());
        const Sample ref = best({"--child", "libyaml", flow.sourcePath}, rounds, false);
        const Sample load = best({"--child", "loader", flow.sourcePath}, rounds, false);
        const Sample proc = QFileInfo::exists(cli)
            ? best({cli, "validate", flow.sourcePath}, rounds, true)
            : Sample();
        if (!ref.ok || !load.ok)
            return 1;
        auto line = [](const char *what, const Sample &x) {
            out << QStringLiteral("  %1 %2 ms (CPU %3 ms), peak RSS %4%5\n")
                       .arg(QLatin1String(what))
                       .arg(x.ms, 7, 'f', 1)
                       .arg(x.cpuMs, 7, 'f', 1)
                       .arg(mb(x.peakKb),
                           x.baseKb > 0 ? QStringLiteral(" (+%1)").arg(mb(x.peakKb - x.baseKb))
                                        : QString());
        };
        line("libyaml event scan (reference):   ", ref);
        line("loader + validator + lint:        ", load);
        out << QStringLiteral("  ratio: %1x the reference (CPU: %2x)\n")
                   .arg(ref.ms > 0 ? load.ms / ref.ms : 0.0, 0, 'f', 1)
                   .arg(ref.cpuMs > 0 ? load.cpuMs / ref.cpuMs : 0.0, 0, 'f', 1);
        if (proc.ok)
            line("pipewright-cli validate (process):", proc);
        else
            out << "  pipewright-cli validate: not run (no " << cli << " or no /usr/bin/time)\n";
        out.flush();
    }
    return 0;
}
