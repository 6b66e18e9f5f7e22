#include "format/flowvalidator.h"

#include <QtTest>

#include <functional>

using namespace pw;

using Mutation = std::function<void(Flow &)>;
Q_DECLARE_METATYPE(Mutation)

namespace {

QString dump(const Errors &errors)
{
    QStringList lines;
    for (const Error &e : errors)
        lines.append(e.toString());
    return lines.join(QLatin1Char('\n'));
}

TaskSpec task(const QString &id, const QStringList &after = {}, TaskType type = TaskType::Noop)
{
    TaskSpec t;
    t.id = id;
    t.type = type;
    t.after = after;
    return t;
}

// A valid flow: params date (date, today) and region (choice); tasks extract -> load -> report,
// each with a source position.
Flow baseFlow()
{
    Flow f;
    f.id = QStringLiteral("base");
    f.sourcePath = QStringLiteral("/flows/base.flow.yaml");
    ParamSpec date;
    date.name = QStringLiteral("date");
    date.type = ParamType::Date;
    date.defaultValue = QStringLiteral("today");
    date.line = 4;
    date.column = 3;
    ParamSpec region;
    region.name = QStringLiteral("region");
    region.type = ParamType::Choice;
    region.values = QStringList{"kr", "jp"};
    region.defaultValue = QStringLiteral("kr");
    region.line = 5;
    region.column = 3;
    f.params = {date, region};
    TaskSpec extract = task(QStringLiteral("extract"), {}, TaskType::Shell);
    extract.command = QStringLiteral(
        "./extract.sh {{date}} {{region|raw}} {{flow}} {{run_id}} {{task}} {{attempt}}");
    extract.line = 10;
    extract.column = 3;
    TaskSpec load = task(QStringLiteral("load"), {QStringLiteral("extract")}, TaskType::Sql);
    load.sql = QStringLiteral("insert into t select :date");
    load.connection = QStringLiteral("dw");
    load.pool = QStringLiteral("warehouse"); // pools need not be declared
    load.line = 20;
    load.column = 3;
    TaskSpec report = task(QStringLiteral("report"), {QStringLiteral("load")});
    report.line = 30;
    report.column = 3;
    f.tasks = {extract, load, report};
    return f;
}

} // namespace

class TestFlowValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validFlow();
    void errors_data();
    void errors();
    void findCycle_data();
    void findCycle();
    void wouldCreateCycle_data();
    void wouldCreateCycle();
    void fieldPathKeepsDottedTaskIds();
};

void TestFlowValidator::validFlow()
{
    Flow f = baseFlow();
    const Errors e = FlowValidator::validate(f);
    QVERIFY2(e.isEmpty(), qPrintable(dump(e)));
    // Not-yet-implemented features validate too.
    f.tasks[2].type = TaskType::WaitFile;
    f.tasks[2].waitFile.path = QStringLiteral("/in/{{date}}/_SUCCESS");
    f.tasks[0].executor = Executor::Slurm;
    f.tasks[0].slurm.cpus = 2;
    f.schedule.cron = QStringLiteral("0 3 * * *");
    f.schedule.timezone = QStringLiteral("Asia/Seoul");
    f.schedule.param = QStringLiteral("date");
    f.schedule.offsetMs = -86400000;
    f.notify.on = QStringList{"failure", "sla"};
    f.notify.command = QStringLiteral("notify-send {{flow}} {{state}} {{date}}");
    f.notify.webhook = QStringLiteral("https://example.invalid/hook");
    f.limits.pools.insert(QStringLiteral("warehouse"), 1);
    f.limits.maxParallel = 1;
    f.defaults.retryOn = QStringList{"exit:75", "timeout", "exit", "signal", "spawn"};
    f.sla.time = QStringLiteral("06:30");
    // Retry safety and outputs (issue 10): {{output.N}} in the command and env.
    f.tasks[0].outputs = {"out/a_{{date}}.csv", "out/b_{{date}}.csv"};
    f.tasks[0].command = QStringLiteral("./x > {{output.1}} && ./y > {{output.2}}");
    f.tasks[0].env.insert(QStringLiteral("OUT"), QStringLiteral("{{output.2}}"));
    f.tasks[1].idempotent = false;
    f.tasks[1].check = QStringLiteral("count the rows of the day");
    f.tasks[1].retry.retries = 0;
    f.tasks[2].waitFile.stableForMs = 0;
    QVERIFY2(FlowValidator::validate(f).isEmpty(), qPrintable(dump(FlowValidator::validate(f))));
}

// clang-format off
void TestFlowValidator::errors_data()
{
    QTest::addColumn<Mutation>("mutate");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("field"); // Error::field, joined with '.'

    QTest::newRow("empty flow id")
        << Mutation([](Flow &f) { f.id.clear(); }) << 0 << 0 << "missing flow id"
        << "flow";
    QTest::newRow("bad flow id") << Mutation([](Flow &f) { f.id = QStringLiteral(".x"); }) << 0 << 0
                                 << "invalid flow id '.x'"
                                 << "flow";
    QTest::newRow("format version") << Mutation([](Flow &f) { f.formatVersion = 2; }) << 0 << 0
                                    << "unsupported format version 2"
                                    << "pipewright";
    QTest::newRow("bad task id") << Mutation([](Flow &f) {
        f.tasks[2].id = QStringLiteral("re port");
    }) << 30 << 3 << "invalid task id 're port'"
                                 << "tasks.re port";
    QTest::newRow("duplicate id") << Mutation([](Flow &f) {
        f.tasks[2].id = QStringLiteral("extract");
    }) << 30 << 3 << "duplicate task id 'extract' (first defined at line 10)"
                                  << "tasks.extract";
    QTest::newRow("duplicate id from the editor (no positions)") << Mutation([](Flow &f) {
        for (TaskSpec &t : f.tasks)
            t.line = t.column = 0;
        f.tasks[2].id = QStringLiteral("load");
    }) << 0 << 0 << "duplicate task id 'load'"
                                                                 << "tasks.load";
    QTest::newRow("unknown after + hint")
        << Mutation([](Flow &f) { f.tasks[2].after = { QStringLiteral("lod") }; }) << 30 << 3
        << "task 'report': unknown task 'lod' in 'after' (did you mean 'load'?)"
        << "tasks.report.after";
    QTest::newRow("self dependency")
        << Mutation([](Flow &f) { f.tasks[2].after.append(QStringLiteral("report")); }) << 30 << 3
        << "task 'report': depends on itself"
        << "tasks.report.after";
    QTest::newRow("cycle") << Mutation([](Flow &f) {
        f.tasks[0].after = { QStringLiteral("report") };
    }) << 10 << 3 << "cycle: extract -> load -> report -> extract"
                           << "tasks.extract.after";
    QTest::newRow("shell needs command")
        << Mutation([](Flow &f) { f.tasks[0].command = QStringLiteral("  "); }) << 10 << 3
        << "a shell task needs a 'command'"
        << "tasks.extract.command";
    QTest::newRow("sql needs sql")
        << Mutation([](Flow &f) { f.tasks[1].sql.clear(); }) << 20 << 3 << "a sql task needs 'sql'"
        << "tasks.load.sql";
    QTest::newRow("wait_file needs path")
        << Mutation([](Flow &f) { f.tasks[2].type = TaskType::WaitFile; }) << 30 << 3
        << "a wait_file task needs 'wait_file: {path: ...}'"
        << "tasks.report.wait_file.path";
    QTest::newRow("template unknown name")
        << Mutation([](Flow &f) { f.tasks[0].command = QStringLiteral("x {{regoin}}"); }) << 10 << 3
        << "command: unknown name 'regoin' in '{{regoin}}' (parameters: date, region; built-ins: "
           "flow, run_id, task, attempt) (did you mean 'region'?)"
        << "tasks.extract.command";
    QTest::newRow("template unterminated")
        << Mutation([](Flow &f) { f.tasks[0].command = QStringLiteral("x {{date"); }) << 10 << 3
        << "command: unterminated '{{'"
        << "tasks.extract.command";
    QTest::newRow("template bad filter")
        << Mutation([](Flow &f) { f.tasks[0].command = QStringLiteral("{{date|lower}}"); }) << 10
        << 3 << "unknown filter 'lower'"
        << "tasks.extract.command";
    QTest::newRow("state in command")
        << Mutation([](Flow &f) { f.tasks[0].command = QStringLiteral("{{state}}"); }) << 10 << 3
        << "'{{state}}' is only available in notify commands"
        << "tasks.extract.command";
    QTest::newRow("template in env") << Mutation([](Flow &f) {
        f.tasks[0].env.insert(QStringLiteral("A"), QStringLiteral("{{x}}"));
    }) << 10 << 3 << "env A: unknown name 'x'"
                                     << "tasks.extract.env.A";
    QTest::newRow("template in workdir")
        << Mutation([](Flow &f) { f.tasks[0].workdir = QStringLiteral("{{"); }) << 10 << 3
        << "workdir: unterminated '{{'"
        << "tasks.extract.workdir";
    QTest::newRow("template in outputs")
        << Mutation([](Flow &f) { f.tasks[0].outputs = { QStringLiteral("{{nope}}") }; }) << 10 << 3
        << "outputs: unknown name 'nope'"
        << "tasks.extract.outputs";
    QTest::newRow("template in wait_file") << Mutation([](Flow &f) {
        f.tasks[2].type = TaskType::WaitFile;
        f.tasks[2].waitFile.path = QStringLiteral("/in/{{dat}}");
    }) << 30 << 3 << "wait_file path: unknown name 'dat'"
                                           << "tasks.report.wait_file.path";
    QTest::newRow("template in partition") << Mutation([](Flow &f) {
        f.tasks[1].partition
            = { QStringLiteral("t"), QStringLiteral("day"), QStringLiteral("{{day}}") };
    }) << 20 << 3 << "partition value: unknown name 'day'"
                                           << "tasks.load.partition.value";
    QTest::newRow("incomplete partition")
        << Mutation([](Flow &f) { f.tasks[1].partition.table = QStringLiteral("t"); }) << 20 << 3
        << "partition needs 'table', 'column' and 'value'"
        << "tasks.load.partition.column";
    QTest::newRow("template in sql")
        << Mutation([](Flow &f) { f.tasks[1].sql = QStringLiteral("select '{{date}}'"); }) << 20
        << 3 << "sql must not contain '{{'"
        << "tasks.load.sql";
    QTest::newRow("template in notify") << Mutation([](Flow &f) {
        f.notify.on = { QStringLiteral("failure") };
        f.notify.command = QStringLiteral("echo {{stat}}");
    }) << 0 << 0 << "notify: command: unknown name 'stat'"
                                        << "notify.command";
    QTest::newRow("notify without target")
        << Mutation([](Flow &f) { f.notify.on = { QStringLiteral("failure") }; }) << 0 << 0
        << "notify: needs a 'command' or a 'webhook'"
        << "notify.command";
    QTest::newRow("notify bad event") << Mutation([](Flow &f) {
        f.notify.on = { QStringLiteral("sucess") };
        f.notify.command = QStringLiteral("x");
    }) << 0 << 0
                                      << "notify: unknown event 'sucess' (use failure, retry, "
                                         "success, sla) (did you mean 'success'?)"
                                      << "notify.on";
    QTest::newRow("param bad type default")
        << Mutation([](Flow &f) { f.params[0].defaultValue = QStringLiteral("2026-13-01"); }) << 4
        << 3
        << "parameter 'date': invalid default: expected a date YYYY-MM-DD or 'today', got "
           "'2026-13-01'"
        << "params.date.default";
    QTest::newRow("choice default not a value")
        << Mutation([](Flow &f) { f.params[1].defaultValue = QStringLiteral("us"); }) << 5 << 3
        << "parameter 'region': invalid default: expected one of: kr, jp, got 'us'"
        << "params.region.default";
    QTest::newRow("choice without values")
        << Mutation([](Flow &f) { f.params[1].values.clear(); }) << 5 << 3
        << "parameter 'region': a choice needs 'values'"
        << "params.region.values";
    QTest::newRow("choice duplicate value")
        << Mutation([](Flow &f) { f.params[1].values.append(QStringLiteral("kr")); }) << 5 << 3
        << "value 'kr' is listed twice"
        << "params.region.values";
    QTest::newRow("int default") << Mutation([](Flow &f) {
        ParamSpec p;
        p.name = QStringLiteral("n");
        p.type = ParamType::Int;
        p.defaultValue = QStringLiteral("ten");
        p.line = 6;
        p.column = 3;
        f.params.append(p);
    }) << 6 << 3 << "parameter 'n': invalid default: expected an integer, got 'ten'"
                                 << "params.n.default";
    QTest::newRow("duplicate param")
        << Mutation([](Flow &f) { f.params[1].name = QStringLiteral("date"); }) << 5 << 3
        << "duplicate parameter 'date' (first declared at line 4)"
        << "params.date";
    QTest::newRow("reserved param")
        << Mutation([](Flow &f) { f.params[1].name = QStringLiteral("run_id"); }) << 5 << 3
        << "parameter name 'run_id' is reserved"
        << "params.run_id";
    QTest::newRow("negative retries") << Mutation([](Flow &f) { f.tasks[0].retry.retries = -1; })
                                      << 10 << 3 << "task 'extract': retries must not be negative"
                                      << "tasks.extract.retries";
    QTest::newRow("negative delay") << Mutation([](Flow &f) { f.tasks[0].retry.retryDelayMs = -1; })
                                    << 10 << 3 << "retry_delay must not be negative"
                                    << "tasks.extract.retry_delay";
    QTest::newRow("zero timeout") << Mutation([](Flow &f) { f.tasks[0].retry.timeoutMs = 0; }) << 10
                                  << 3 << "timeout must be positive"
                                  << "tasks.extract.timeout";
    QTest::newRow("defaults timeout") << Mutation([](Flow &f) { f.defaults.timeoutMs = -1000; })
                                      << 0 << 0 << "defaults: timeout must be positive"
                                      << "defaults.timeout";
    QTest::newRow("retry_on bad") << Mutation([](Flow &f) {
        f.tasks[0].retry.retryOn = QStringList { "exit:256" };
    }) << 10 << 3 << "invalid retry_on entry 'exit:256'"
                                  << "tasks.extract.retry_on";
    QTest::newRow("pool slots") << Mutation([](Flow &f) {
        f.limits.pools.insert(QStringLiteral("warehouse"), 0);
    }) << 0 << 0 << "limits: pool 'warehouse' must have at least 1 slot"
                                << "limits.pools.warehouse";
    QTest::newRow("max_parallel") << Mutation([](Flow &f) { f.limits.maxParallel = 0; }) << 0 << 0
                                  << "limits: max_parallel must be at least 1"
                                  << "limits.max_parallel";
    QTest::newRow("max_active_runs") << Mutation([](Flow &f) { f.limits.maxActiveRuns = -1; }) << 0
                                     << 0 << "limits: max_active_runs must be at least 1"
                                     << "limits.max_active_runs";
    QTest::newRow("schedule param undeclared") << Mutation([](Flow &f) {
        f.schedule.cron = QStringLiteral("0 3 * * *");
        f.schedule.param = QStringLiteral("day");
    }) << 0 << 0 << "schedule: parameter 'day' is not declared"
                                               << "schedule.param";
    QTest::newRow("schedule param wrong type") << Mutation([](Flow &f) {
        f.schedule.cron = QStringLiteral("0 3 * * *");
        f.schedule.param = QStringLiteral("region");
    }) << 0 << 0 << "schedule: parameter 'region' must be a date or datetime (it is choice)"
                                               << "schedule.param";
    QTest::newRow("schedule timezone") << Mutation([](Flow &f) {
        f.schedule.cron = QStringLiteral("0 3 * * *");
        f.schedule.timezone = QStringLiteral("Mars/Olympus");
    }) << 0 << 0 << "schedule: unknown time zone 'Mars/Olympus'"
                                       << "schedule.timezone";
    QTest::newRow("schedule offset without param") << Mutation([](Flow &f) {
        f.schedule.cron = QStringLiteral("0 3 * * *");
        f.schedule.offsetMs = -1000;
    }) << 0 << 0 << "schedule: 'offset' needs 'param'"
                                                   << "schedule.offset";
    QTest::newRow("schedule required param") << Mutation([](Flow &f) {
        f.schedule.cron = QStringLiteral("0 3 * * *");
        f.params[1].defaultValue.reset();
    }) << 5 << 3 << "schedule: parameter 'region' has no default"
                                             << "params.region.default";
    QTest::newRow("sla duration") << Mutation([](Flow &f) { f.sla.durationMs = 0; }) << 0 << 0
                                  << "sla: duration must be positive"
                                  << "sla.duration";
    QTest::newRow("slurm cpus") << Mutation([](Flow &f) { f.tasks[0].slurm.cpus = 0; }) << 10 << 3
                                << "slurm cpus must be at least 1"
                                << "tasks.extract.slurm.cpus";
    QTest::newRow("wait_file poke")
        << Mutation([](Flow &f) { f.tasks[2].waitFile.pokeIntervalMs = 0; }) << 30 << 3
        << "poke_interval must be positive"
        << "tasks.report.wait_file.poke_interval";
    QTest::newRow("bad pool name")
        << Mutation([](Flow &f) { f.tasks[1].pool = QStringLiteral("a b"); }) << 20 << 3
        << "invalid pool name 'a b'"
        << "tasks.load.pool";
    QTest::newRow("empty output") << Mutation([](Flow &f) { f.tasks[0].outputs = { QString() }; })
                                  << 10 << 3 << "empty entry in 'outputs'"
                                  << "tasks.extract.outputs";
    QTest::newRow("output listed twice") << Mutation([](Flow &f) { f.tasks[0].outputs = {"a.csv", "a.csv"}; })
                                  << 10 << 3 << "output 'a.csv' is listed twice"
                                  << "tasks.extract.outputs";
    QTest::newRow("output is a directory") << Mutation([](Flow &f) { f.tasks[0].outputs = {"data/"}; })
                                  << 10 << 3 << "output 'data/' names a directory"
                                  << "tasks.extract.outputs";
    QTest::newRow("{{output.N}} beyond the outputs") << Mutation([](Flow &f) {
        f.tasks[0].outputs = {"a.csv"};
        f.tasks[0].command = QStringLiteral("cp x {{output.2}}");
    }) << 10 << 3 << "'{{output.2}}' is not available here" << "tasks.extract.command";
    QTest::newRow("{{output.N}} in an output path") << Mutation([](Flow &f) {
        f.tasks[0].outputs = {"a.csv", "{{output.1}}.b"};
    }) << 10 << 3 << "'{{output.1}}' is not available here" << "tasks.extract.outputs";
    QTest::newRow("wait_file stable_for")
        << Mutation([](Flow &f) { f.tasks[2].waitFile.stableForMs = -1; }) << 30 << 3
        << "stable_for must not be negative"
        << "tasks.report.wait_file.stable_for";
    QTest::newRow("retries on a task that is not idempotent") << Mutation([](Flow &f) {
        f.tasks[1].idempotent = false;
        f.tasks[1].retry.retries = 2;
    }) << 20 << 3 << "retries: 2, but a task with 'idempotent: false' is never retried automatically"
       << "tasks.load.retries";
}
// clang-format on

void TestFlowValidator::errors()
{
    QFETCH(Mutation, mutate);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    QFETCH(QString, field);
    Flow f = baseFlow();
    mutate(f);
    const Errors errors = FlowValidator::validate(f);
    bool found = false;
    for (const Error &e : errors) {
        QCOMPARE(e.file, f.sourcePath);
        QVERIFY2(!e.field.isEmpty(), qPrintable(e.message)); // every finding names its key
        if (e.message.contains(message)) {
            found = true;
            QCOMPARE(e.line, line);
            QCOMPARE(e.column, column);
            QCOMPARE(e.field.join(QLatin1Char('.')), field);
        }
    }
    QVERIFY2(found, qPrintable(QStringLiteral("wanted: %1\ngot:\n%2").arg(message, dump(errors))));
}

// clang-format off
void TestFlowValidator::findCycle_data()
{
    QTest::addColumn<QStringList>("tasks"); // "id:up1,up2"
    QTest::addColumn<QString>("cycle");
    QTest::newRow("empty") << QStringList() << "";
    QTest::newRow("chain") << QStringList { "a", "b:a", "c:b" } << "";
    QTest::newRow("diamond") << QStringList { "a", "b:a", "c:a", "d:b,c" } << "";
    QTest::newRow("two") << QStringList { "a:b", "b:a" } << "a -> b -> a";
    QTest::newRow("three") << QStringList { "a:c", "b:a", "c:b" } << "a -> b -> c -> a";
    QTest::newRow("tail into cycle")
        << QStringList { "s", "a:s,c", "b:a", "c:b", "z:c" } << "a -> b -> c -> a";
    QTest::newRow("self edges are not cycles here") << QStringList { "a:a" } << "";
    QTest::newRow("unknown upstreams ignored") << QStringList { "a:ghost" } << "";
    QTest::newRow("second component") << QStringList { "x", "y:x", "p:q", "q:p" } << "p -> q -> p";
}
// clang-format on

void TestFlowValidator::findCycle()
{
    QFETCH(QStringList, tasks);
    QFETCH(QString, cycle);
    Flow f;
    f.id = QStringLiteral("c");
    for (const QString &spec : tasks) {
        const QStringList parts = spec.split(QLatin1Char(':'));
        f.tasks.append(
            task(parts[0], parts.size() > 1 ? parts[1].split(QLatin1Char(',')) : QStringList()));
    }
    QCOMPARE(FlowValidator::findCycle(f).join(QStringLiteral(" -> ")), cycle);
}

// clang-format off
void TestFlowValidator::wouldCreateCycle_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<bool>("cycle");
    // base: extract -> load -> report
    QTest::newRow("existing direction") << "extract"
                                        << "report" << false;
    QTest::newRow("back edge") << "report"
                               << "extract" << true;
    QTest::newRow("direct back edge") << "load"
                                      << "extract" << true;
    QTest::newRow("self") << "load"
                          << "load" << true;
    QTest::newRow("duplicate edge") << "extract"
                                    << "load" << false;
    QTest::newRow("unknown task") << "ghost"
                                  << "extract" << false;
}
// clang-format on

void TestFlowValidator::wouldCreateCycle()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(bool, cycle);
    const Flow f = baseFlow();
    QCOMPARE(FlowValidator::wouldCreateCycle(f, from, to), cycle);
    // Cross-check against the real thing: add the edge and look for a cycle.
    Flow g = f;
    if (TaskSpec *t = g.task(to); t && g.task(from) && from != to) {
        t->after.append(from);
        QCOMPARE(!FlowValidator::findCycle(g).isEmpty(), cycle);
    }
}

// Task ids may contain dots: the path is a list, so {"tasks", "load.v2", "command"} stays apart
// from a task "load" with a key "v2".
void TestFlowValidator::fieldPathKeepsDottedTaskIds()
{
    Flow f = baseFlow();
    f.tasks[0].id = QStringLiteral("extract.v2");
    f.tasks[0].command.clear();
    f.tasks[1].after = {QStringLiteral("extract.v2")};
    const Errors errors = FlowValidator::validate(f);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().field,
        (QStringList{
            QStringLiteral("tasks"), QStringLiteral("extract.v2"), QStringLiteral("command")}));
    QVERIFY(errors.first().isUnder({QStringLiteral("tasks"), QStringLiteral("extract.v2")}));
    QVERIFY(!errors.first().isUnder({QStringLiteral("tasks"), QStringLiteral("extract")}));
}

QTEST_GUILESS_MAIN(TestFlowValidator)
#include "tst_flowvalidator.moc"
