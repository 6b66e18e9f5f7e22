// End-to-end benchmark (issue 11, target 1): what a user runs — `pipewright-cli run FILE` of a
// random DAG of N `noop` tasks (each `after` up to 4 of the 50 before it, the generator of
// bench_load, written by FlowWriter), from process start to exit, on a fresh home, with full
// durable history and its progress going to a file (as in CI: one line per task). The reference
// is measured in the same run: the raw SQLite C API inserting as many rows as the run left in
// its history store (the physical bound of writing that history on this disk). Each round is a
// fresh process under /usr/bin/time (wall, CPU, peak RSS); the best round by wall time is shown.
// --output-cost (target 4): the same run three ways, rounds interleaved — --quiet, progress lines
// to a file, and the live status line on a terminal (a pseudo-terminal made by script(1), TERM
// xterm) — and the ratio of each to --quiet: what the output costs (target <= 1.05).
// Usage: bench_cli [--tasks N] [--rounds R] [--cli PATH] [--compare OTHER_CLI] [--dir DIR]
//        [--quiet] [--max-parallel P] [--output-cost]

#include "bench.h"
#include "benchsqlite.h"
#include "format/flowwriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>

using namespace pw;

namespace {

using bench::out;

struct Round
{
    bool ok = false;
    double ms = 0;    // process start to exit
    double cpuMs = 0; // user + system
    qint64 peakKb = 0;
    qint64 rows = 0; // history rows the run left
    QString totals;  // the CLI's totals line
};

// One way to run the CLI: which one, its extra arguments, and whether on a terminal.
struct Variant
{
    QString label;
    QString cli;
    QStringList extra;
    bool terminal = false;
};

QString shellQuoted(const QStringList &argv)
{
    QStringList quoted;
    for (QString a : argv)
        quoted << QLatin1Char('\'') + a.replace(QLatin1Char('\''), QLatin1String("'\\''"))
                + QLatin1Char('\'');
    return quoted.join(QLatin1Char(' '));
}

Round runCli(const Variant &v, const QString &flowPath, const QString &home, const QString &errPath)
{
    Round r;
    QProcess p;
    QTemporaryDir timeDir;
    const QString timeFile = timeDir.filePath(QStringLiteral("time"));
    const QStringList argv = QStringList{QStringLiteral("/usr/bin/time"), "-f", "%M %U %S", "-o",
                                 timeFile, v.cli, "run", flowPath, "--home", home}
        + v.extra;
    QElapsedTimer timer;
    timer.start();
    if (v.terminal) {
        // script(1) gives the CLI a pseudo-terminal and copies what it draws to errPath, as a
        // terminal emulator would read it.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TERM"), QStringLiteral("xterm"));
        p.setProcessEnvironment(env);
        p.setStandardOutputFile(errPath);
        p.start(QStringLiteral("script"),
            {QStringLiteral("-qec"), shellQuoted(argv), QStringLiteral("/dev/null")});
    } else {
        p.setStandardOutputFile(QProcess::nullDevice());
        p.setStandardErrorFile(errPath); // progress lines, as a CI log gets them
        p.start(argv.first(), argv.mid(1));
    }
    if (!p.waitForFinished(-1) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        QFile err(errPath);
        err.open(QIODevice::ReadOnly);
        out << "pipewright-cli failed (exit " << p.exitCode() << "): " << err.readAll().right(800)
            << "\n";
        return r;
    }
    r.ms = timer.nsecsElapsed() / 1e6;
    QFile t(timeFile);
    if (!t.open(QIODevice::ReadOnly))
        return r;
    const QList<QByteArray> f = t.readAll().trimmed().split('\n').last().split(' ');
    r.peakKb = f.value(0).toLongLong();
    r.cpuMs = (f.value(1).toDouble() + f.value(2).toDouble()) * 1000;
    QFile err(errPath);
    if (err.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : err.readAll().split('\n')) {
            // A terminal's line ends in \r\n; a redraw is "\r\x1b[K" and the status line.
            QByteArray shown = line.trimmed();
            shown = shown.mid(shown.lastIndexOf('\r') + 1).replace("\x1b[K", "");
            if (shown.startsWith("run ") && shown.contains(" in "))
                r.totals = QString::fromUtf8(shown);
        }
    }
    r.rows = bench::countRows(home + QStringLiteral("/history.sqlite"));
    r.ok = true;
    return r;
}

QString rate(qint64 tasks, double ms)
{
    return QLocale::c().toString(ms > 0 ? qint64(tasks * 1000.0 / ms) : 0);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto opt = [&](const char *name, const QString &def) {
        const qsizetype i = args.indexOf(QLatin1String(name));
        return i > 0 && i + 1 < args.size() ? args[i + 1] : def;
    };
    const int tasks = opt("--tasks", QStringLiteral("100000")).toInt();
    const int rounds = std::max(1, opt("--rounds", QStringLiteral("3")).toInt());
    const QString cli = opt("--cli",
        QDir(app.applicationDirPath())
            .absoluteFilePath(QStringLiteral("../../app/cli/pipewright-cli")));
    QStringList extra;
    if (args.contains(QLatin1String("--quiet")))
        extra << QStringLiteral("--quiet");
    if (args.contains(QLatin1String("--max-parallel")))
        extra << QStringLiteral("--max-parallel") << opt("--max-parallel", QStringLiteral("4"));
    if (!QFileInfo::exists(cli)) {
        out << "bench_cli: no " << cli << " (build pipewright-cli, or pass --cli PATH)\n";
        return 1;
    }

    QTemporaryDir tmp;
    const QString dir = opt("--dir", tmp.path()); // --dir: keep the flow file (for perf)
    const QString id = QStringLiteral("noop%1").arg(tasks);
    const Flow flow = bench::makeFlow(id, bench::randomDag(tasks, 42, 4), TaskType::Noop, dir);
    const QByteArray yaml = FlowWriter::toYaml(flow);
    QFile f(flow.sourcePath);
    if (!f.open(QIODevice::WriteOnly) || f.write(yaml) != yaml.size())
        return 1;
    f.close();
    out << "bench_cli: pipewright-cli run of " << tasks << " noop tasks (" << yaml.size()
        << " bytes of YAML"
        << (extra.isEmpty() ? QString() : QStringLiteral(", ") + extra.join(' '))
        << "), process start to exit, fresh home each round, best of " << rounds << "\n";

    // --compare OTHER: another build's CLI (main's, before a change), its rounds interleaved
    // with this one's so that both meet the same machine load, against the same reference.
    // --output-cost: this CLI quiet, writing lines to a file, and live on a terminal.
    QList<Variant> variants{{QStringLiteral("pipewright-cli"), cli, extra}};
    if (args.contains(QLatin1String("--compare")))
        variants << Variant{
            "--compare " + opt("--compare", QString()), opt("--compare", QString()), extra};
    const bool outputCost = args.contains(QLatin1String("--output-cost"));
    if (outputCost) {
        QStringList lines = extra;
        lines.removeAll(QStringLiteral("--quiet"));
        variants = {{QStringLiteral("--quiet"), cli, lines + QStringList{"--quiet"}},
            {QStringLiteral("lines to a file"), cli, lines},
            {QStringLiteral("live on a terminal"), cli, lines, true}};
    }
    QList<Round> best(variants.size());
    for (int r = 0; r < rounds; ++r) {
        for (qsizetype c = 0; c < variants.size(); ++c) {
            const QString home = tmp.filePath(QStringLiteral("home%1-%2").arg(r).arg(c));
            const Round x = runCli(
                variants[c], flow.sourcePath, home, tmp.filePath(QStringLiteral("stderr")));
            if (!x.ok)
                return 1;
            out << QStringLiteral(
                "  round %1 (%2): %3 ms (CPU %4 ms), peak RSS %5 MB, %6 tasks/s\n")
                       .arg(r + 1)
                       .arg(variants[c].label)
                       .arg(x.ms, 0, 'f', 0)
                       .arg(x.cpuMs, 0, 'f', 0)
                       .arg(x.peakKb / 1024)
                       .arg(rate(tasks, x.ms));
            out.flush();
            if (!best[c].ok || x.ms < best[c].ms)
                best[c] = x;
            QDir(home).removeRecursively();
        }
    }
    qint64 raw = -1; // the reference, best of as many rounds
    for (int r = 0; r < rounds; ++r) {
        const QString path = tmp.filePath(QStringLiteral("raw%1.sqlite").arg(r));
        const qint64 ms = bench::rawInserts(path, best[0].rows);
        raw = raw < 0 ? ms : std::min(raw, ms);
        QFile::remove(path);
    }
    out << QStringLiteral("raw SQLite inserts of %1 rows (reference, best of %3): %2 ms\n")
               .arg(best[0].rows)
               .arg(raw)
               .arg(rounds);
    for (qsizetype c = 0; c < variants.size(); ++c) {
        const Round &b = best[c];
        out << variants[c].label << "\n";
        out << "  its totals line: " << b.totals << "\n";
        out << QStringLiteral("  run: %1 ms (CPU %2 ms) = %3 tasks/s, peak RSS %4 MB, %5 history "
                              "rows\n")
                   .arg(b.ms, 0, 'f', 0)
                   .arg(b.cpuMs, 0, 'f', 0)
                   .arg(rate(tasks, b.ms))
                   .arg(b.peakKb / 1024)
                   .arg(b.rows);
        out << QStringLiteral("  RATIO cli run / raw inserts = %1 (CPU time: %2)\n")
                   .arg(raw > 0 ? b.ms / double(raw) : 0.0, 0, 'f', 2)
                   .arg(raw > 0 ? b.cpuMs / double(raw) : 0.0, 0, 'f', 2);
    }
    for (qsizetype c = 1; c < variants.size(); ++c) {
        out << QStringLiteral("RATIO %1 / %2 = %3 (CPU time: %4)\n")
                   .arg(variants[c].label, variants[0].label)
                   .arg(best[c].ms / best[0].ms, 0, 'f', 3)
                   .arg(best[0].cpuMs > 0 ? best[c].cpuMs / best[0].cpuMs : 0.0, 0, 'f', 3);
    }
    if (outputCost)
        out << "target (issue 11, 4): output costs <= 5% (ratios to --quiet <= 1.05)\n";
    else
        out << "targets (issue 11, 1): >= 50,000 tasks/s, peak RSS <= 400 MB\n";
    return 0;
}
