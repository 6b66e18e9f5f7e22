#include "schedulecommands.h"

#include "commandline.h"
#include "trustcommands.h"

#include "format/flowloader.h"
#include "model/schedule.h"
#include "schedule/backfill.h"
#include "schedule/scheduler.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSocketNotifier>

#include <csignal>
#include <optional>
#include <sys/socket.h>
#include <unistd.h>

namespace pw {

namespace {

using namespace cli;

std::optional<Flow> loadFlow(const QString &path, QTextStream &err)
{
    auto flow = FlowLoader::loadFile(path);
    if (!flow) {
        for (const Error &e : flow.error())
            err << e.toString() << "\n";
        err.flush();
        return std::nullopt;
    }
    return std::move(*flow);
}

// "2026-11-24T03:00:00Z" / "+09:00" = an instant; without an offset = wall time in `zone`;
// a bare date = its 00:00 in `zone`.
std::optional<QDateTime> parseFrom(const QString &text, const QTimeZone &zone)
{
    static const QRegularExpression withOffset(QStringLiteral("(Z|[+-]\\d\\d:?\\d\\d)$"));
    if (text.contains(QLatin1Char('T')) && withOffset.match(text).hasMatch()) {
        const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (t.isValid())
            return t.toUTC();
        return std::nullopt;
    }
    const QDate d = QDate::fromString(text, Qt::ISODate);
    if (d.isValid())
        return CronExpression::localToUtc(d, QTime(0, 0), zone);
    const QDateTime wall = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!wall.isValid())
        return std::nullopt;
    return CronExpression::localToUtc(wall.date(), wall.time(), zone);
}

} // namespace

int ScheduleCommands::next(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    EngineHost::Options hostOptions;
    addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("FLOW"), QStringLiteral("Flow whose schedule to use."),
        QStringLiteral("[FLOW]"));
    p.addOption({QStringLiteral("cron"), QStringLiteral("A cron expression instead of a flow."),
        QStringLiteral("EXPR")});
    p.addOption({QStringLiteral("tz"),
        QStringLiteral("Time zone of --cron (IANA name; default UTC)."), QStringLiteral("ZONE")});
    p.addOption({QStringLiteral("from"),
        QStringLiteral("Start after this time (exclusive; default now)."), QStringLiteral("ISO")});
    p.addOption({QStringLiteral("count"), QStringLiteral("How many fire times (default 5)."),
        QStringLiteral("N")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print a JSON array.")});
    if (auto code = parseCommand(p, args,
            "pipewright-cli next (FLOW | --cron EXPR [--tz ZONE]) [--from ISO] [--count N] "
            "[--json]",
            out, err, &hostOptions))
        return *code;
    const QStringList pos = p.positionalArguments();
    const bool hasCron = p.isSet(QStringLiteral("cron"));
    if (pos.size() > 1 || (pos.size() == 1) == hasCron)
        return fail(err, BadInput, QStringLiteral("next needs either one FLOW or --cron EXPR"));
    if (!hasCron && p.isSet(QStringLiteral("tz")))
        return fail(err, BadInput,
            QStringLiteral("--tz goes with --cron (a flow's schedule names its own timezone)"));
    int count = 5;
    if (p.isSet(QStringLiteral("count"))) {
        bool ok = false;
        count = p.value(QStringLiteral("count")).toInt(&ok);
        if (!ok || count < 1 || count > 100000)
            return fail(err, BadInput, QStringLiteral("--count needs a positive integer"));
    }
    Result<Schedule> schedule = fail(QString());
    if (hasCron) {
        schedule = Schedule::parse(p.value(QStringLiteral("cron")), p.value(QStringLiteral("tz")));
    } else {
        auto flow = loadFlow(pos.first(), err);
        if (!flow)
            return BadInput;
        if (!flow->schedule.isSet())
            return fail(err, BadInput, QStringLiteral("flow %1 has no schedule").arg(flow->id));
        schedule = Schedule::parse(flow->schedule);
    }
    if (!schedule)
        return fail(err, BadInput, schedule.error().message);
    QDateTime from = QDateTime::currentDateTimeUtc();
    if (p.isSet(QStringLiteral("from"))) {
        auto f = parseFrom(p.value(QStringLiteral("from")), schedule->zone());
        if (!f)
            return fail(err, BadInput,
                QStringLiteral("--from '%1' is not an ISO 8601 date or time "
                               "(e.g. 2026-11-24T03:00:00Z)")
                    .arg(p.value(QStringLiteral("from"))));
        from = *f;
    }
    QStringList times;
    QDateTime t = from;
    for (int i = 0; i < count; ++i) {
        auto n = schedule->next(t);
        if (!n) {
            if (times.isEmpty())
                return fail(err, BadInput, n.error().message);
            break;
        }
        times << isoSeconds(*n);
        t = *n;
    }
    if (p.isSet(QStringLiteral("json"))) {
        out << QJsonDocument(QJsonArray::fromStringList(times)).toJson(QJsonDocument::Compact)
            << "\n";
    } else {
        for (const QString &s : times)
            out << s << "\n";
    }
    out.flush();
    return Ok;
}

int ScheduleCommands::schedule(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    EngineHost::Options hostOptions;
    addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("FLOW_OR_DIR"),
        QStringLiteral("Flow files and directories of flows."), QStringLiteral("FLOW_OR_DIR..."));
    if (auto code
        = parseCommand(p, args, "pipewright-cli schedule FLOW_OR_DIR...", out, err, &hostOptions))
        return *code;
    if (p.positionalArguments().isEmpty())
        return fail(
            err, BadInput, QStringLiteral("schedule needs at least one flow file or directory"));
    for (const QString &path : p.positionalArguments()) {
        if (!QFileInfo::exists(path))
            return fail(err, BadInput, QStringLiteral("'%1': no such file or directory").arg(path));
    }
    Scheduler::Options so;
    so.paths = p.positionalArguments();
    const QByteArray clockEnv = qgetenv("PIPEWRIGHT_SCHEDULE_CLOCK");
    if (!clockEnv.isEmpty()) {
        const QDateTime base
            = QDateTime::fromString(QString::fromUtf8(clockEnv), Qt::ISODateWithMs);
        if (!base.isValid())
            return fail(
                err, BadInput, QStringLiteral("PIPEWRIGHT_SCHEDULE_CLOCK is not an ISO time"));
        auto started = std::make_shared<QElapsedTimer>();
        started->start();
        so.clock = [base, started] { return base.addMSecs(started->elapsed()); };
        so.tickMs = 200;
    }

    EngineHost host(hostOptions);
    QEventLoop loop;
    QObject::connect(&host, &EngineHost::fatalError, &loop, [&](const QString &msg) {
        err << "pipewright-cli: " << msg << "\n";
        err.flush();
        loop.exit(Environment);
    });
    QObject::connect(&host, &EngineHost::notificationsOff, &loop, [&](const QString &why) {
        err << "pipewright-cli: notifications are off: " << why << "\n";
        err.flush();
    });
    if (auto ok = host.start(); !ok)
        return fail(err, Environment, ok.error().toString());
    QObject::connect(host.engine(), &Engine::runFinished, &loop, [&](qint64 runId, RunState state) {
        out << "run " << runId << " " << toString(state) << "\n";
        out.flush();
    });
    // Starting the scheduler on these files is consent to their content as it is now; a later
    // change pauses its flow until it is trusted (`pipewright-cli trust FILE`).
    for (const QString &file : Scheduler::flowFiles(so.paths)) {
        if (auto flow = FlowLoader::loadFile(file))
            TrustCommands::record(*flow, host.location().home, err);
    }
    so.trustHome = host.location().home;
    auto scheduler = host.startScheduler(so);
    if (!scheduler) {
        host.shutdown();
        const bool locked = scheduler.error().message.contains(QLatin1String("another scheduler"));
        return fail(err, locked ? BadInput : Environment, scheduler.error().toString());
    }
    QObject::connect(*scheduler, &Scheduler::runSubmitted, &loop,
        [&](const QString &flowId, const QDateTime &fire, qint64 runId) {
            out << "scheduled " << flowId << " " << isoSeconds(fire) << " -> run " << runId << "\n";
            out.flush();
        });
    QObject::connect(
        *scheduler, &Scheduler::flowError, &loop, [&](const QString &, const QString &message) {
            err << message << "\n";
            err.flush();
        });
    QObject::connect(*scheduler, &Scheduler::lockLost, &loop, [&](const QString &message) {
        err << "pipewright-cli: " << message << "\n";
        err.flush();
        loop.exit(Environment);
    });
    if (!StopSignals::install())
        return fail(err, Environment, QStringLiteral("cannot install signal handlers"));
    QSocketNotifier stopNotifier(StopSignals::fd(), QSocketNotifier::Read);
    QObject::connect(&stopNotifier, &QSocketNotifier::activated, &loop, [&] {
        StopSignals::acknowledge();
        loop.exit(Ok);
    });
    err << "scheduler running (" << so.paths.join(QLatin1Char(' '))
        << "); stop with Ctrl+C or SIGTERM\n";
    err.flush();
    const int code = loop.exec();
    // Stops the scheduler, lets notifications in flight finish (bounded), then stops the engine
    // (which cancels the runs still active; the next scheduler start does not create them again).
    host.shutdown();
    err << "scheduler stopped\n";
    err.flush();
    return code;
}

int ScheduleCommands::backfill(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    EngineHost::Options hostOptions;
    addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("FLOW"), QStringLiteral("Flow file."));
    p.addOption({QStringLiteral("from"), QStringLiteral("First date (YYYY-MM-DD)."),
        QStringLiteral("DATE")});
    p.addOption({QStringLiteral("to"), QStringLiteral("Last date (YYYY-MM-DD), inclusive."),
        QStringLiteral("DATE")});
    p.addOption({QStringLiteral("max-active-runs"),
        QStringLiteral("Backfill runs active at once (default: the flow's "
                       "limits.max_active_runs, else 1)."),
        QStringLiteral("N")});
    p.addOption(confirmOption());
    if (auto code = parseCommand(p, args,
            "pipewright-cli backfill FLOW --from DATE --to DATE [--max-active-runs N] "
            "[--confirm TASK]...",
            out, err, &hostOptions))
        return *code;
    if (p.positionalArguments().size() != 1)
        return fail(err, BadInput, QStringLiteral("backfill needs exactly one flow file"));
    if (!p.isSet(QStringLiteral("from")) || !p.isSet(QStringLiteral("to")))
        return fail(err, BadInput, QStringLiteral("backfill needs --from DATE and --to DATE"));
    const QDate from = QDate::fromString(p.value(QStringLiteral("from")), Qt::ISODate);
    const QDate to = QDate::fromString(p.value(QStringLiteral("to")), Qt::ISODate);
    if (!from.isValid())
        return fail(err, BadInput,
            QStringLiteral("--from '%1' is not a date YYYY-MM-DD")
                .arg(p.value(QStringLiteral("from"))));
    if (!to.isValid())
        return fail(err, BadInput,
            QStringLiteral("--to '%1' is not a date YYYY-MM-DD")
                .arg(p.value(QStringLiteral("to"))));
    auto flow = loadFlow(p.positionalArguments().first(), err);
    if (!flow)
        return BadInput;
    int maxActive = flow->limits.maxActiveRuns.value_or(1);
    if (p.isSet(QStringLiteral("max-active-runs"))) {
        bool ok = false;
        maxActive = p.value(QStringLiteral("max-active-runs")).toInt(&ok);
        if (!ok || maxActive < 1)
            return fail(
                err, BadInput, QStringLiteral("--max-active-runs needs a positive integer"));
    }
    auto items = Backfill::items(*flow, from, to);
    if (!items)
        return fail(err, BadInput, items.error().toString());
    if (items->isEmpty()) {
        err << "backfill: no schedule times of " << flow->id << " between "
            << from.toString(Qt::ISODate) << " and " << to.toString(Qt::ISODate) << "\n";
        return Ok;
    }
    EngineHost host(hostOptions);
    if (auto ok = host.start(); !ok)
        return fail(err, Environment, ok.error().toString());
    TrustCommands::record(*flow, host.location().home, err);

    Backfill backfill(host.engine(), *items, maxActive);
    backfill.setConfirmed(p.values(QStringLiteral("confirm")));
    QEventLoop loop;
    bool interrupted = false;
    auto label = [](const Backfill::Item &item) -> QString {
        QStringList params;
        for (auto it = item.plan.params.constBegin(); it != item.plan.params.constEnd(); ++it)
            params << it.key() + QLatin1Char('=') + it.value();
        return item.date.toString(Qt::ISODate) + QStringLiteral(" (")
            + params.join(QLatin1Char(' ')) + QLatin1Char(')');
    };
    QObject::connect(&host, &EngineHost::fatalError, &loop, [&](const QString &msg) {
        err << "pipewright-cli: " << msg << "\n";
        err.flush();
        loop.exit(Environment);
    });
    QObject::connect(&backfill, &Backfill::itemStarted, &loop,
        [&](const Backfill::Item &item, qint64 runId, bool recovered) {
            err << label(item) << ": run " << runId << (recovered ? " recovering" : " started")
                << "\n";
            err.flush();
        });
    QObject::connect(&backfill, &Backfill::itemDone, &loop,
        [&](const Backfill::Item &item, qint64 runId, Backfill::Outcome outcome,
            const QString &detail) {
            out << label(item) << ": ";
            switch (outcome) {
            case Backfill::Outcome::Skipped:
                out << "skipped, run " << runId << " already succeeded";
                break;
            case Backfill::Outcome::Succeeded:
            case Backfill::Outcome::Failed:
                out << "run " << runId << " " << detail;
                break;
            case Backfill::Outcome::Refused:
                out << "refused: " << detail;
                break;
            }
            out << "\n";
            out.flush();
        });
    QObject::connect(
        &backfill, &Backfill::finished, &loop, [&](const Backfill::Summary &) { loop.exit(Ok); });
    if (auto ok = backfill.start(); !ok) {
        host.shutdown();
        return fail(err, Environment, ok.error().toString());
    }
    if (!StopSignals::install())
        return fail(err, Environment, QStringLiteral("cannot install signal handlers"));
    QSocketNotifier stopNotifier(StopSignals::fd(), QSocketNotifier::Read);
    QObject::connect(&stopNotifier, &QSocketNotifier::activated, &loop, [&] {
        StopSignals::acknowledge();
        if (interrupted)
            return;
        interrupted = true;
        err << "interrupted: cancelling the active backfill runs\n";
        err.flush();
        backfill.cancel();
    });
    const int code = loop.exec();
    host.shutdown();
    if (code == Environment)
        return Environment;
    const Backfill::Summary &s = backfill.summary();
    out << "backfill " << flow->id << ": " << s.succeeded << " succeeded, " << s.failed
        << " failed, " << s.skipped << " skipped (already succeeded), " << s.refused
        << " refused\n";
    out.flush();
    if (interrupted)
        return Interrupted;
    if (s.failed > 0)
        return RunFailed;
    return s.refused > 0 ? BadInput : Ok;
}

} // namespace pw
