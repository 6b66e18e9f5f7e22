#include "cli.h"

#include "commandline.h"
#include "connectioncommands.h"
#include "runprogress.h"
#include "schedulecommands.h"
#include "trustcommands.h"

#include "engine/home.h"
#include "engine/secrets.h"
#include "format/flowexport.h"
#include "format/flowlint.h"
#include "format/flowloader.h"
#include "format/runplanner.h"
#include "history/historystore.h"
#include "history/rundocument.h"
#include "model/secretmask.h"
#include "platform/processinfo.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <functional>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace pw {

namespace {

const char *kCommands
    = "Commands:\n"
      "  validate [--strict] FLOW...               check flow files (0 valid, 2 invalid)\n"
      "  run FLOW [-p KEY=VALUE]... [--max-parallel N] [--force] [--confirm TASK]... [--quiet] "
      "[--all-tasks] [--json]\n"
      "  runs [--flow ID] [--state STATE] [--limit N] [--json]\n"
      "  show RUN_ID [--json]\n"
      "  rerun RUN_ID [--failed | --all | --from TASK | --task TASK] [--current-definition] "
      "[--confirm TASK]... [--quiet] [--all-tasks] [--json]\n"
      "  mark RUN_ID [TASK] --succeeded|--failed\n"
      "  cancel RUN_ID [TASK]\n"
      "  logs RUN_ID TASK [--attempt N] [--follow]\n"
      "  export FLOW --format yaml|json|dot [-o OUT]\n"
      "  next (FLOW | --cron EXPR [--tz ZONE]) [--from ISO] [--count N] [--json]\n"
      "  backfill FLOW --from DATE --to DATE [--max-active-runs N] [--confirm TASK]...\n"
      "  schedule FLOW_OR_DIR...                  run flows on their schedules (foreground)\n"
      "  connection set NAME URL|- | list [--json] | test NAME   sql tasks' connections\n"
      "  trust FILE_OR_DIR...                     trust flow files for the GUI and the scheduler\n"
      "\n"
      "Global options: --home DIR (else $PIPEWRIGHT_HOME, else ~/.local/share/pipewright),\n"
      "                --db sqlite:///ABS/PATH (default: HOME/history.sqlite)\n"
      "Exit codes: 0 ok/succeeded, 1 run failed, 2 bad input/usage/refused, 3 environment,\n"
      "            130 interrupted (the run is cancelled first).\n"
      "Run 'pipewright-cli COMMAND --help' for a command's options.\n";

QString fmtTime(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("-");
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString fmtDuration(qint64 from, qint64 to)
{
    if (from <= 0)
        return QStringLiteral("-");
    if (to <= 0)
        to = QDateTime::currentMSecsSinceEpoch();
    const qint64 s = std::max<qint64>(0, (to - from) / 1000);
    if (s < 60)
        return QStringLiteral("%1.%2s").arg(s).arg(((to - from) % 1000) / 100);
    if (s < 3600)
        return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString compactParams(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    QStringList parts;
    for (auto it = o.begin(); it != o.end(); ++it)
        parts << it.key() + QLatin1Char('=') + it.value().toString();
    return parts.join(QLatin1Char(' '));
}

bool parseRunId(const QString &s, qint64 *id)
{
    bool ok = false;
    *id = s.toLongLong(&ok);
    return ok && *id > 0;
}

} // namespace

Cli::Cli() : m_out(stdout), m_err(stderr) { }

Cli::~Cli() = default;

int Cli::usage(const QString &message)
{
    return error(BadInput, message);
}

int Cli::error(int code, const QString &message)
{
    // Errors come masked from the engine and the store; this covers any other source.
    m_err << "pipewright-cli: " << SecretMask::apply(message) << "\n";
    m_err.flush();
    return code;
}

int Cli::exec(const QStringList &argsIn)
{
    QStringList args = argsIn;
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")
        || args[1] == QLatin1String("help")) {
        m_out << "Usage: pipewright-cli COMMAND [OPTIONS]\n\n" << kCommands;
        m_out.flush();
        return args.size() < 2 ? BadInput : Ok;
    }
    if (args[1] == QLatin1String("--version") || args[1] == QLatin1String("-v")) {
        m_out << "pipewright-cli " << QCoreApplication::applicationVersion() << "\n";
        return Ok;
    }
    // Global options (--home, --db) may come before the command.
    int cmdIndex = 1;
    while (cmdIndex < args.size()) {
        const QString &a = args[cmdIndex];
        if (a == QLatin1String("--home") || a == QLatin1String("--db"))
            cmdIndex += 2;
        else if (a.startsWith(QLatin1String("--home=")) || a.startsWith(QLatin1String("--db=")))
            cmdIndex += 1;
        else
            break;
    }
    if (cmdIndex >= args.size())
        return usage(QStringLiteral("missing command (see --help)"));
    const QString cmd = args[cmdIndex];
    QStringList rest = args;
    rest.removeAt(cmdIndex);
    rest[0] = QStringLiteral("pipewright-cli ") + cmd;
    if (cmd == QLatin1String("validate"))
        return cmdValidate(rest);
    if (cmd == QLatin1String("run"))
        return cmdRun(rest);
    if (cmd == QLatin1String("rerun"))
        return cmdRerun(rest);
    if (cmd == QLatin1String("runs"))
        return cmdRuns(rest);
    if (cmd == QLatin1String("show"))
        return cmdShow(rest);
    if (cmd == QLatin1String("mark"))
        return cmdMark(rest);
    if (cmd == QLatin1String("cancel"))
        return cmdCancel(rest);
    if (cmd == QLatin1String("logs"))
        return cmdLogs(rest);
    if (cmd == QLatin1String("export"))
        return cmdExport(rest);
    if (cmd == QLatin1String("next"))
        return ScheduleCommands::next(rest, m_out, m_err);
    if (cmd == QLatin1String("schedule"))
        return ScheduleCommands::schedule(rest, m_out, m_err);
    if (cmd == QLatin1String("backfill"))
        return ScheduleCommands::backfill(rest, m_out, m_err);
    if (cmd == QLatin1String("connection"))
        return ConnectionCommands::run(rest, m_out, m_err);
    if (cmd == QLatin1String("trust"))
        return TrustCommands::run(rest, m_out, m_err);
    return usage(QStringLiteral("unknown command '%1' (see --help)").arg(cmd));
}

std::optional<int> Cli::parse(QCommandLineParser &p, const QStringList &args, const char *synopsis)
{
    return cli::parseCommand(p, args, synopsis, m_out, m_err, &m_hostOptions, &m_location);
}

int Cli::cmdValidate(const QStringList &args)
{
    QCommandLineParser p;
    cli::addCommonOptions(p);
    p.addPositionalArgument(
        QStringLiteral("FLOW"), QStringLiteral("Flow files to check."), QStringLiteral("FLOW..."));
    p.addOption({QStringLiteral("strict"),
        QStringLiteral("Treat warnings (the idempotency lint) as errors: exit 2.")});
    if (auto code = parse(p, args, "pipewright-cli validate [--strict] FLOW..."))
        return *code;
    if (p.positionalArguments().isEmpty())
        return usage(QStringLiteral("validate needs at least one flow file"));
    const bool strict = p.isSet(QStringLiteral("strict"));
    int code = Ok;
    for (const QString &file : p.positionalArguments()) {
        auto flow = FlowLoader::loadFile(file);
        if (!flow) {
            for (const Error &e : flow.error())
                m_err << e.toString() << "\n";
            code = BadInput;
            continue;
        }
        // Secrets resolve from this home (and the environment), as a run here would.
        Errors warnings;
        bool unresolved = false;
        for (const Error &e : Secrets(m_location.homeDir()).check(*flow)) {
            if (e.severity == Error::Severity::Warning) {
                warnings.append(e);
            } else {
                m_err << e.toString() << "\n";
                unresolved = true;
            }
        }
        if (unresolved) {
            code = BadInput;
            continue;
        }
        warnings += FlowLint::warnings(*flow);
        for (Error &w : warnings) {
            if (strict)
                w.severity = Error::Severity::Error;
            m_err << w.toString() << "\n";
        }
        if (strict && !warnings.isEmpty()) {
            code = BadInput;
            continue;
        }
        m_out << file << ": ok (" << flow->tasks.size() << " tasks"
              << (warnings.isEmpty() ? QString()
                                     : QStringLiteral(", %1 warning%2")
                                           .arg(warnings.size())
                                           .arg(warnings.size() == 1 ? "" : "s"))
              << ")\n";
    }
    m_err.flush();
    return code;
}

std::optional<int> Cli::startEngine(int maxParallel, bool notifications)
{
    EngineHost::Options options = m_hostOptions;
    options.maxParallel = maxParallel;
    options.notifications = notifications;
    m_host = std::make_unique<EngineHost>(options);
    QObject::connect(
        m_host.get(), &EngineHost::fatalError, m_host.get(), [this](const QString &msg) {
            m_err << "pipewright-cli: " << msg << "\n";
            m_err.flush();
            QCoreApplication::exit(Environment);
        });
    QObject::connect(
        m_host.get(), &EngineHost::notificationsOff, m_host.get(), [this](const QString &why) {
            m_err << "pipewright-cli: notifications are off: " << why << "\n";
            m_err.flush();
        });
    if (auto ok = m_host->start(); !ok)
        return error(Environment, ok.error().toString());
    return std::nullopt;
}

std::unique_ptr<HistoryStore> Cli::openReader(int *exitCode)
{
    // A read-only home (backup, read-only mount, another user's): read it as it is. No engine
    // pass, so runs of dead owners still read as running.
    if (auto why = m_location.readOnlyReason()) {
        m_readOnly = true;
        m_err << "note: history is read-only (" << *why << "); dead owners are not taken over\n";
        m_err.flush();
        HistoryStore::Options o;
        o.path = m_location.historyPath;
        o.busyTimeoutMs = m_location.busyTimeoutMs();
        o.readOnly = true;
        auto store = HistoryStore::open(o);
        if (!store) {
            *exitCode = error(Environment, store.error().toString());
            return nullptr;
        }
        return std::move(*store);
    }
    // A short engine pass first: registers, takes over dead owners (so their runs read as
    // interrupted), then leaves.
    if (auto code = startEngine()) {
        *exitCode = *code;
        return nullptr;
    }
    m_host->shutdown();
    HistoryStore::Options o;
    o.path = m_location.historyPath;
    o.busyTimeoutMs = m_location.busyTimeoutMs();
    auto store = HistoryStore::open(o);
    if (!store) {
        *exitCode = error(Environment, store.error().toString());
        return nullptr;
    }
    return std::move(*store);
}

int Cli::cmdRun(const QStringList &args)
{
    QCommandLineParser p;
    cli::addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("FLOW"), QStringLiteral("Flow file to run."));
    p.addOption({{QStringLiteral("p"), QStringLiteral("param")}, QStringLiteral("Parameter value."),
        QStringLiteral("KEY=VALUE")});
    p.addOption({QStringLiteral("max-parallel"), QStringLiteral("Global parallelism limit."),
        QStringLiteral("N")});
    p.addOption({QStringLiteral("force"),
        QStringLiteral("Run a key that already succeeded again (all tasks).")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the run document as JSON.")});
    p.addOption(cli::quietOption());
    p.addOption(cli::allTasksOption());
    p.addOption(cli::confirmOption());
    if (auto code = parse(p, args,
            "pipewright-cli run FLOW [-p KEY=VALUE]... [--max-parallel N] [--force] "
            "[--confirm TASK]... [--quiet] [--all-tasks] [--json]"))
        return *code;
    if (p.positionalArguments().size() != 1)
        return usage(QStringLiteral("run needs exactly one flow file"));
    int maxParallel = 0;
    if (p.isSet(QStringLiteral("max-parallel"))) {
        bool ok = false;
        maxParallel = p.value(QStringLiteral("max-parallel")).toInt(&ok);
        if (!ok || maxParallel < 1)
            return usage(QStringLiteral("--max-parallel needs a positive integer"));
    }
    auto flow = FlowLoader::loadFile(p.positionalArguments().first());
    if (!flow) {
        for (const Error &e : flow.error())
            m_err << e.toString() << "\n";
        return BadInput;
    }
    QMap<QString, QString> given;
    for (const QString &kv : p.values(QStringLiteral("p"))) {
        const int eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return usage(QStringLiteral("-p expects KEY=VALUE, got '%1'").arg(kv));
        given.insert(kv.left(eq), kv.mid(eq + 1));
    }
    // A run of a key compares no task definitions (only rerun --current-definition does).
    auto plan = RunPlanner::plan(
        *flow, given, QDateTime::currentDateTime(), RunPlanner::TaskHashes::Skip);
    if (!plan)
        return usage(plan.error().toString());
    if (auto code = startEngine(maxParallel, true))
        return *code;
    TrustCommands::record(*flow, m_location.home, m_err);
    RunRequest req;
    req.kind = RunRequest::Kind::Run;
    req.plan = *plan;
    req.force = p.isSet(QStringLiteral("force"));
    req.confirmed = p.values(QStringLiteral("confirm"));
    return runAndWait(req, p.isSet(QStringLiteral("json")), p.isSet(QStringLiteral("quiet")),
        p.isSet(QStringLiteral("all-tasks")));
}

int Cli::cmdRerun(const QStringList &args)
{
    QCommandLineParser p;
    cli::addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("RUN_ID"), QStringLiteral("Run to rerun."));
    p.addOption({QStringLiteral("failed"),
        QStringLiteral("Rerun failed tasks and their downstream (default).")});
    p.addOption({QStringLiteral("all"), QStringLiteral("Rerun every task.")});
    p.addOption({QStringLiteral("from"),
        QStringLiteral("Rerun TASK and everything downstream of it."), QStringLiteral("TASK")});
    p.addOption(
        {QStringLiteral("task"), QStringLiteral("Rerun only TASK."), QStringLiteral("TASK")});
    p.addOption(
        {QStringLiteral("current-definition"), QStringLiteral("Use the flow file as it is now.")});
    p.addOption({QStringLiteral("max-parallel"), QStringLiteral("Global parallelism limit."),
        QStringLiteral("N")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the run document as JSON.")});
    p.addOption(cli::quietOption());
    p.addOption(cli::allTasksOption());
    p.addOption(cli::confirmOption());
    if (auto code = parse(p, args,
            "pipewright-cli rerun RUN_ID [--failed | --all | --from TASK | --task TASK] "
            "[--current-definition] [--confirm TASK]... [--quiet] [--all-tasks] [--json]"))
        return *code;
    qint64 runId = 0;
    if (p.positionalArguments().size() != 1 || !parseRunId(p.positionalArguments().first(), &runId))
        return usage(QStringLiteral("rerun needs one RUN_ID (a positive integer)"));
    const int modes = int(p.isSet(QStringLiteral("failed"))) + int(p.isSet(QStringLiteral("all")))
        + int(p.isSet(QStringLiteral("from"))) + int(p.isSet(QStringLiteral("task")));
    if (modes > 1)
        return usage(QStringLiteral("choose one of --failed, --all, --from, --task"));
    RunRequest req;
    req.kind = RunRequest::Kind::Rerun;
    req.runId = runId;
    req.confirmed = p.values(QStringLiteral("confirm"));
    if (p.isSet(QStringLiteral("all"))) {
        req.mode = RerunMode::All;
    } else if (p.isSet(QStringLiteral("from"))) {
        req.mode = RerunMode::From;
        req.task = p.value(QStringLiteral("from"));
    } else if (p.isSet(QStringLiteral("task"))) {
        req.mode = RerunMode::Task;
        req.task = p.value(QStringLiteral("task"));
    }
    int maxParallel = p.value(QStringLiteral("max-parallel")).toInt();
    if (auto code = startEngine(maxParallel, true))
        return *code;
    if (p.isSet(QStringLiteral("current-definition"))) {
        req.currentDefinition = true;
        HistoryStore::Options o;
        o.path = m_location.historyPath;
        o.busyTimeoutMs = m_location.busyTimeoutMs();
        o.readOnly = true;
        auto store = HistoryStore::open(o);
        if (!store)
            return error(Environment, store.error().toString());
        auto run = (*store)->run(runId);
        if (!run)
            return error(Environment, run.error().toString());
        if (!*run)
            return usage(QStringLiteral("no run with id %1").arg(runId));
        auto flow = FlowLoader::loadFile((*run)->sourcePath);
        if (!flow) {
            for (const Error &e : flow.error())
                m_err << e.toString() << "\n";
            return BadInput;
        }
        QMap<QString, QString> given;
        const QJsonObject params = QJsonDocument::fromJson((*run)->paramsJson).object();
        for (auto it = params.begin(); it != params.end(); ++it)
            given.insert(it.key(), it.value().toString());
        auto plan = RunPlanner::plan(*flow, given);
        if (!plan)
            return usage(plan.error().toString());
        if (plan->flow.id != (*run)->flowId)
            return usage(QStringLiteral("the flow file now defines flow '%1', not '%2'")
                             .arg(plan->flow.id, (*run)->flowId));
        TrustCommands::record(*flow, m_location.home, m_err);
        req.plan = *plan;
    }
    return runAndWait(req, p.isSet(QStringLiteral("json")), p.isSet(QStringLiteral("quiet")),
        p.isSet(QStringLiteral("all-tasks")));
}

int Cli::runAndWait(const RunRequest &request, bool json, bool quiet, bool allTasks)
{
    Engine *engine = m_host->engine();
    // Every event from the submit on: a connection made after it would miss what the engine
    // emits meanwhile (and the progress must not lose a task's end). Kept until the handler
    // below is ready.
    EngineEvents early;
    std::function<void(const EngineEvents &)> onEvents
        = [&early](const EngineEvents &batch) { early += batch; };
    QObject receiver;
    QObject::connect(engine, &Engine::events, &receiver,
        [&onEvents](const EngineEvents &batch) { onEvents(batch); });
    const qint64 submittedAt = QDateTime::currentMSecsSinceEpoch();
    auto submitted = m_host->engine()->submit(request);
    submitted.waitForFinished();
    const Result<qint64> r = submitted.result();
    if (!r)
        return error(r.error().isEnvironment() ? Environment : BadInput, r.error().toString());
    const qint64 runId = *r;

    QEventLoop loop;
    RunState finalState = RunState::Running;
    bool interrupted = false;
    bool fatal = false;
    QObject::connect(engine, &Engine::runFinished, &loop, [&](qint64 id, RunState s) {
        if (id != runId)
            return;
        finalState = s;
        if (!fatal) // an environment failure reported just before wins
            loop.exit(0);
    });
    QObject::connect(engine, &Engine::fatalError, &loop, [&](const QString &) {
        fatal = true;
        loop.exit(Environment);
    });
    // A run over its flow's max_active_runs waits `queued` (it is not refused): say for whom.
    bool queued = false;
    cli::RunProgress progress(m_err,
        json ? cli::RunProgress::Mode::Quiet : cli::RunProgress::modeFor(stderr, quiet), runId);
    QTimer redraw; // the live line's rate moves while long tasks run; lines are written out
    {
        HistoryStore::Options o;
        o.path = m_location.historyPath;
        o.readOnly = true;
        if (auto reader = HistoryStore::open(o)) {
            QHash<QString, TaskState> states;
            QHash<QString, qint64> updated;
            auto run = (*reader)->run(runId);
            // The first try of a new key runs the plan's tasks, all waiting at the start (the
            // events say the rest); a later try's kept tasks are read from the store.
            const bool firstTry
                = request.kind == RunRequest::Kind::Run && run && *run && (*run)->tryNo == 1;
            if (auto tasks
                = firstTry ? decltype((*reader)->tasks(runId)){} : (*reader)->tasks(runId)) {
                for (const TaskRecord &t : *tasks) {
                    states.insert(t.task, t.state);
                    updated.insert(t.task, t.updated);
                }
            }
            if (states.isEmpty()) {
                states.reserve(request.plan.flow.tasks.size());
                for (const TaskSpec &t : request.plan.flow.tasks)
                    states.insert(t.id, TaskState::Waiting);
            }
            progress.setTasks(states, updated, submittedAt);
            // Only a queued run's events are read (they say for whom it waits): a large run
            // has an event per task already.
            const bool waits = run && *run && (*run)->state == RunState::Queued;
            auto events = json || quiet || !waits ? decltype((*reader)->events(runId)){}
                                                  : (*reader)->events(runId);
            if (waits && events) {
                for (auto e = events->crbegin(); e != events->crend(); ++e) {
                    if (e->kind == QLatin1String("run")) {
                        m_err << "run " << runId << " is queued: " << e->detail << "\n";
                        queued = true;
                        break;
                    }
                }
            }
        }
    }
    if (progress.mode() != cli::RunProgress::Mode::Quiet) {
        m_err << "run " << runId << " started (" << progress.total() << " tasks)\n";
        m_err.flush();
    }
    onEvents = [&, runId](const EngineEvents &batch) {
        if (queued) {
            for (const EngineEvent &e : batch) {
                if (e.runId == runId && e.kind == EngineEvent::Kind::RunState
                    && e.runState == RunState::Running) {
                    m_err << "["
                          << QDateTime::fromMSecsSinceEpoch(e.time).toString(
                                 QStringLiteral("HH:mm:ss"))
                          << "] run " << runId << " running (a slot is free)\n";
                    queued = false;
                }
            }
        }
        progress.apply(batch);
    };
    if (!early.isEmpty())
        onEvents(std::exchange(early, {}));
    if (progress.mode() != cli::RunProgress::Mode::Quiet) {
        QObject::connect(&redraw, &QTimer::timeout, &loop, [&] { progress.tick(); });
        redraw.start(250);
    }

    // Ctrl+C / SIGTERM: cancel the run, wait for it to end, exit 130.
    if (!cli::StopSignals::install())
        return error(Environment, QStringLiteral("cannot install signal handlers"));
    QSocketNotifier notifier(cli::StopSignals::fd(), QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &loop, [&] {
        cli::StopSignals::acknowledge();
        if (interrupted)
            return;
        interrupted = true;
        m_err << "interrupted: cancelling run " << runId << "\n";
        m_err.flush();
        engine->cancel(runId);
    });
    const int loopCode = loop.exec();
    redraw.stop();
    if (loopCode == Environment)
        return Environment;
    if (!json)
        progress.finish(finalState);
    // Let started hooks finish (each has its own timeout), then stop.
    m_host->shutdown(70000);
    const int printed = printRun(runId, json, allTasks);
    if (printed != Ok)
        return printed;
    if (interrupted)
        return Interrupted;
    return finalState == RunState::Succeeded ? Ok : RunFailed;
}

int Cli::printRun(qint64 runId, bool json, bool allTasks)
{
    HistoryStore::Options o;
    o.path = m_location.historyPath;
    o.busyTimeoutMs = m_location.busyTimeoutMs();
    o.readOnly = m_readOnly;
    auto store = HistoryStore::open(o);
    if (!store)
        return error(Environment, store.error().toString());
    if (json) {
        auto doc = RunDocument::runDocument(**store, runId);
        if (!doc)
            return error(BadInput, doc.error().toString());
        m_out << QJsonDocument(*doc).toJson(QJsonDocument::Indented);
        m_out.flush();
        return Ok;
    }
    auto run = (*store)->run(runId);
    if (!run)
        return error(Environment, run.error().toString());
    if (!*run)
        return usage(QStringLiteral("no run with id %1").arg(runId));
    const RunRecord &r = **run;
    m_out << "run " << r.id << "  " << r.flowId << "  " << compactParams(r.paramsJson) << "\n"
          << "state " << toString(r.state) << "  try " << r.tryNo << " (" << toString(r.trigger)
          << ")"
          << "  started " << fmtTime(r.started) << "  duration " << fmtDuration(r.started, r.ended)
          << "\n";
    // A large run's result lists what needs a look (as ninja prints only what failed): the
    // counts per state, then the tasks that did not succeed (or skip, or wait on a failure
    // upstream) and those that took more than one attempt. `show` and --all-tasks list all.
    const bool summary = !allTasks && r.tasksTotal > kFullTableTasks;
    QList<TaskRecord> tasks;
    QHash<QString, AttemptRecord> last;
    qsizetype notableTotal = 0;
    if (summary) {
        auto counts = (*store)->taskStateCounts(runId);
        auto notable = (*store)->notableTasks(runId, kSummaryTasks + 1);
        if (!counts || !notable)
            return error(Environment, QStringLiteral("cannot read the tasks of run %1").arg(runId));
        QStringList parts;
        for (auto it = counts->cbegin(); it != counts->cend(); ++it)
            parts << QStringLiteral("%1 %2").arg(it.value()).arg(toString(it.key()));
        m_out << "tasks " << r.tasksTotal << ": " << parts.join(QStringLiteral(", ")) << "\n";
        notableTotal = notable->size();
        tasks = notable->mid(0, kSummaryTasks);
        for (const TaskRecord &t : std::as_const(tasks)) {
            if (auto a = (*store)->attempts(runId, t.task); a && !a->isEmpty())
                last.insert(t.task, a->last());
        }
        if (tasks.isEmpty()) {
            m_out << "(pipewright-cli show " << runId << " lists every task)\n";
            m_out.flush();
            return Ok;
        }
    } else {
        auto all = (*store)->tasks(runId);
        auto attempts = (*store)->attempts(runId);
        if (!all || !attempts)
            return error(Environment, QStringLiteral("cannot read the tasks of run %1").arg(runId));
        tasks = std::move(*all);
        for (const AttemptRecord &a : std::as_const(*attempts))
            last.insert(a.task, a);
    }
    int width = 4;
    for (const TaskRecord &t : std::as_const(tasks))
        width = std::max(width, int(t.task.size()));
    m_out << "\n  " << QStringLiteral("TASK").leftJustified(width) << "  "
          << QStringLiteral("STATE").leftJustified(16) << "ATTEMPTS  DURATION  ERROR / ROWS\n";
    for (const TaskRecord &t : std::as_const(tasks)) {
        const AttemptRecord a = last.value(t.task);
        // A sql attempt that committed shows its rows per statement where an error would be.
        QString note = t.state == TaskState::Succeeded ? QString() : a.error;
        if (note.isEmpty() && a.rows) {
            QStringList n;
            for (qint64 count : *a.rows)
                n << QString::number(count);
            note = QStringLiteral("rows: ") + n.join(QStringLiteral(", "));
        }
        m_out
            << "  " << t.task.leftJustified(width) << "  " << toString(t.state).leftJustified(16)
            << QString::number(t.attempts).leftJustified(10)
            << (a.attempt ? fmtDuration(a.started, a.ended) : QStringLiteral("-")).leftJustified(10)
            << note << "\n";
    }
    if (summary) {
        m_out << "\n("
              << (notableTotal > tasks.size() ? QStringLiteral("the first %1 tasks that "
                                                               "failed or retried; ")
                                                    .arg(tasks.size())
                                              : QString())
              << "pipewright-cli show " << runId << " lists every task)\n";
    }
    m_out.flush();
    return Ok;
}

int Cli::cmdRuns(const QStringList &args)
{
    QCommandLineParser p;
    cli::addCommonOptions(p);
    p.addOption(
        {QStringLiteral("flow"), QStringLiteral("Only runs of this flow."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("state"), QStringLiteral("Only runs in this state."),
        QStringLiteral("STATE")});
    p.addOption({QStringLiteral("limit"), QStringLiteral("At most N runs (default 20)."),
        QStringLiteral("N")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    if (auto code
        = parse(p, args, "pipewright-cli runs [--flow ID] [--state STATE] [--limit N] [--json]"))
        return *code;
    RunFilter f;
    f.flowId = p.value(QStringLiteral("flow"));
    f.limit = 20;
    if (p.isSet(QStringLiteral("limit"))) {
        bool ok = false;
        f.limit = p.value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || f.limit < 1)
            return usage(QStringLiteral("--limit needs a positive integer"));
    }
    if (p.isSet(QStringLiteral("state"))) {
        f.state = runStateFromString(p.value(QStringLiteral("state")));
        if (!f.state)
            return usage(QStringLiteral(
                "unknown state '%1' (queued, running, succeeded, failed, cancelled, interrupted)")
                             .arg(p.value(QStringLiteral("state"))));
    }
    int code = Ok;
    auto store = openReader(&code);
    if (!store)
        return code;
    if (p.isSet(QStringLiteral("json"))) {
        auto doc = RunDocument::runsDocument(*store, f);
        if (!doc)
            return error(Environment, doc.error().toString());
        m_out << QJsonDocument(*doc).toJson(QJsonDocument::Indented);
        return Ok;
    }
    auto runs = store->runs(f);
    if (!runs)
        return error(Environment, runs.error().toString());
    m_out << QStringLiteral("ID").leftJustified(7) << QStringLiteral("FLOW").leftJustified(20)
          << QStringLiteral("STATE").leftJustified(13)
          << QStringLiteral("TRIGGER").leftJustified(10)
          << QStringLiteral("STARTED").leftJustified(21)
          << QStringLiteral("DURATION").leftJustified(10)
          << QStringLiteral("TASKS").leftJustified(8) << "PARAMS\n";
    for (const RunRecord &r : *runs) {
        m_out << QString::number(r.id).leftJustified(7) << r.flowId.leftJustified(19) << " "
              << toString(r.state).leftJustified(13) << toString(r.trigger).leftJustified(10)
              << fmtTime(r.started).leftJustified(21)
              << fmtDuration(r.started, r.ended).leftJustified(10)
              << QString(QString::number(r.tasksDone) + QLatin1Char('/')
                     + QString::number(r.tasksTotal))
                     .leftJustified(8)
              << compactParams(r.paramsJson) << "\n";
    }
    return Ok;
}

int Cli::cmdShow(const QStringList &args)
{
    QCommandLineParser p;
    cli::addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("RUN_ID"), QStringLiteral("Run to show."));
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the run document as JSON.")});
    if (auto code = parse(p, args, "pipewright-cli show RUN_ID [--json]"))
        return *code;
    qint64 runId = 0;
    if (p.positionalArguments().size() != 1 || !parseRunId(p.positionalArguments().first(), &runId))
        return usage(QStringLiteral("show needs one RUN_ID (a positive integer)"));
    int code = Ok;
    if (!openReader(&code))
        return code;
    return printRun(runId, p.isSet(QStringLiteral("json")), true);
}

int Cli::cmdMark(const QStringList &args)
{
    QCommandLineParser p;
    cli::addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("RUN_ID"), QStringLiteral("Run."));
    p.addPositionalArgument(QStringLiteral("TASK"), QStringLiteral("Task (omit to mark the run)."),
        QStringLiteral("[TASK]"));
    p.addOption({QStringLiteral("succeeded"), QStringLiteral("Mark succeeded.")});
    p.addOption({QStringLiteral("failed"), QStringLiteral("Mark failed.")});
    if (auto code = parse(p, args, "pipewright-cli mark RUN_ID [TASK] --succeeded|--failed"))
        return *code;
    const QStringList pos = p.positionalArguments();
    qint64 runId = 0;
    if (pos.isEmpty() || pos.size() > 2 || !parseRunId(pos[0], &runId))
        return usage(QStringLiteral("mark needs RUN_ID and optionally TASK"));
    if (p.isSet(QStringLiteral("succeeded")) == p.isSet(QStringLiteral("failed")))
        return usage(QStringLiteral("mark needs exactly one of --succeeded, --failed"));
    const TaskState state
        = p.isSet(QStringLiteral("succeeded")) ? TaskState::Succeeded : TaskState::Failed;
    if (auto code = startEngine())
        return *code;
    auto f = m_host->engine()->mark(runId, pos.value(1), state);
    f.waitForFinished();
    const Result<void> r = f.result();
    if (!r)
        return error(r.error().isEnvironment() ? Environment : BadInput, r.error().toString());
    m_out << "run " << runId << (pos.size() > 1 ? QStringLiteral(" task ") + pos[1] : QString())
          << " marked " << toString(state) << "\n";
    return Ok;
}

int Cli::cmdCancel(const QStringList &args)
{
    QCommandLineParser p;
    cli::addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("RUN_ID"), QStringLiteral("Run."));
    p.addPositionalArgument(QStringLiteral("TASK"),
        QStringLiteral("Task (omit to cancel the run)."), QStringLiteral("[TASK]"));
    if (auto code = parse(p, args, "pipewright-cli cancel RUN_ID [TASK]"))
        return *code;
    const QStringList pos = p.positionalArguments();
    qint64 runId = 0;
    if (pos.isEmpty() || pos.size() > 2 || !parseRunId(pos[0], &runId))
        return usage(QStringLiteral("cancel needs RUN_ID and optionally TASK"));
    if (auto code = startEngine())
        return *code;
    auto f = m_host->engine()->cancel(runId, pos.value(1));
    f.waitForFinished();
    const Result<void> r = f.result();
    if (!r)
        return error(r.error().isEnvironment() ? Environment : BadInput, r.error().toString());
    m_out << "cancel of run " << runId
          << (pos.size() > 1 ? QStringLiteral(" task ") + pos[1] : QString()) << " requested\n";
    return Ok;
}

int Cli::cmdLogs(const QStringList &args)
{
    QCommandLineParser p;
    cli::addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("RUN_ID"), QStringLiteral("Run."));
    p.addPositionalArgument(QStringLiteral("TASK"), QStringLiteral("Task."));
    p.addOption({QStringLiteral("attempt"), QStringLiteral("Attempt number (default: the latest)."),
        QStringLiteral("N")});
    p.addOption(
        {QStringLiteral("follow"), QStringLiteral("Keep printing while the attempt runs.")});
    if (auto code = parse(p, args, "pipewright-cli logs RUN_ID TASK [--attempt N] [--follow]"))
        return *code;
    const QStringList pos = p.positionalArguments();
    qint64 runId = 0;
    if (pos.size() != 2 || !parseRunId(pos[0], &runId))
        return usage(QStringLiteral("logs needs RUN_ID and TASK"));
    HistoryStore::Options o;
    o.path = m_location.historyPath;
    o.busyTimeoutMs = m_location.busyTimeoutMs();
    o.readOnly = true;
    auto store = HistoryStore::open(o);
    if (!store)
        return error(Environment, store.error().toString());
    auto attempts = (*store)->attempts(runId, pos[1]);
    if (!attempts)
        return error(Environment, attempts.error().toString());
    if (attempts->isEmpty())
        return usage(QStringLiteral("run %1 has no attempts of task '%2'").arg(runId).arg(pos[1]));
    AttemptRecord a = attempts->last();
    if (p.isSet(QStringLiteral("attempt"))) {
        const int n = p.value(QStringLiteral("attempt")).toInt();
        bool found = false;
        for (const AttemptRecord &x : *attempts) {
            if (x.attempt == n) {
                a = x;
                found = true;
            }
        }
        if (!found)
            return usage(QStringLiteral("task '%1' of run %2 has no attempt %3")
                             .arg(pos[1])
                             .arg(runId)
                             .arg(n));
    }
    if (a.logPath.isEmpty())
        return usage(QStringLiteral("attempt %1 of '%2' has no log (noop tasks write none)")
                         .arg(a.attempt)
                         .arg(pos[1]));
    if (a.host != ProcessInfo::hostName())
        m_err << "note: the log was written on " << a.host << "\n";
    QFile f(a.logPath);
    qint64 pos2 = 0;
    auto pump = [&]() {
        if (!f.isOpen() && !f.open(QIODevice::ReadOnly))
            return;
        f.seek(pos2);
        const QByteArray chunk = f.readAll();
        pos2 += chunk.size();
        std::fwrite(chunk.constData(), 1, size_t(chunk.size()), stdout);
        std::fflush(stdout);
    };
    // An attempt that printed nothing has no log file (it is made on the first byte of output):
    // its log is empty.
    pump();
    if (!p.isSet(QStringLiteral("follow")))
        return Ok;
    while (true) {
        auto cur = (*store)->attempts(runId, pos[1]);
        bool running = false;
        if (cur) {
            for (const AttemptRecord &x : *cur)
                if (x.attempt == a.attempt)
                    running = x.state == AttemptState::Running;
        }
        pump();
        if (!running)
            return Ok;
        QThread::msleep(200);
    }
}

int Cli::cmdExport(const QStringList &args)
{
    QCommandLineParser p;
    cli::addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("FLOW"), QStringLiteral("Flow file."));
    p.addOption(
        {QStringLiteral("format"), QStringLiteral("yaml, json or dot."), QStringLiteral("FORMAT")});
    p.addOption({{QStringLiteral("o"), QStringLiteral("output")},
        QStringLiteral("Output file (default: stdout)."), QStringLiteral("OUT")});
    if (auto code = parse(p, args, "pipewright-cli export FLOW --format yaml|json|dot [-o OUT]"))
        return *code;
    if (p.positionalArguments().size() != 1)
        return usage(QStringLiteral("export needs exactly one flow file"));
    const QString format = p.value(QStringLiteral("format"));
    if (format.isEmpty())
        return usage(QStringLiteral("export needs --format yaml|json|dot"));
    auto flow = FlowLoader::loadFile(p.positionalArguments().first());
    if (!flow) {
        for (const Error &e : flow.error())
            m_err << e.toString() << "\n";
        return BadInput;
    }
    const auto text = FlowExport::formatFromName(format);
    if (!text && (format == QLatin1String("svg") || format == QLatin1String("png")))
        return usage(
            QStringLiteral("--format %1 is exported by the GUI (File > Export) in this version")
                .arg(format));
    if (!text)
        return usage(QStringLiteral("unknown --format '%1' (yaml, json, dot)").arg(format));
    const QByteArray data = FlowExport::toBytes(*flow, *text);
    const QString out = p.value(QStringLiteral("output"));
    if (out.isEmpty() || out == QLatin1String("-")) {
        std::fwrite(data.constData(), 1, size_t(data.size()), stdout);
        return Ok;
    }
    if (auto written = FlowExport::writeBytes(out, data); !written)
        return error(Environment, written.error().message);
    return Ok;
}

} // namespace pw
