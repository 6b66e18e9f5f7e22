#include "format/flowloader.h"
#include "format/flowwriter.h"

#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace pw;

namespace {

const QString kData = QStringLiteral(PW_TEST_DATA_DIR);
const QString kExamples = QStringLiteral(PW_SOURCE_DIR "/resources/examples");

QString dump(const Errors &errors)
{
    QStringList lines;
    for (const Error &e : errors)
        lines.append(e.toString());
    return lines.join(QLatin1Char('\n'));
}

// The error at line:col whose message contains `text`, if any.
const Error *findError(const Errors &errors, int line, int column, const QString &text)
{
    for (const Error &e : errors) {
        if (e.line == line && e.column == column && e.message.contains(text))
            return &e;
    }
    return nullptr;
}

const char *kHead = "pipewright: 1\nflow: f\n";

} // namespace

class TestFlowLoader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void validFiles_data();
    void validFiles();
    void malformed_data();
    void malformed();
    void jsonErrors_data();
    void jsonErrors();
    void strictJson_data();
    void strictJson();
    void strictJsonValid();
    void jsonSemanticPositions_data();
    void jsonSemanticPositions();
    void jsonMutations();
    void collectsAllErrors();
    void maximalFields();
    void positions();
    void unimplementedTypesLoad();
    void jsonEqualsYaml();
    void sourcePathIsAbsolute();
    void missingFile();
    void aliasesAreFine();
    void hostile_data();
    void hostile();
    void errorFlood();
    void largeFlow();
};

void TestFlowLoader::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

// clang-format off
void TestFlowLoader::validFiles_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("tasks");
    QTest::newRow("hello example") << kExamples + "/hello.flow.yaml"
                                   << "hello" << 4;
    QTest::newRow("daily_sales example") << kExamples + "/daily_sales.flow.yaml"
                                         << "daily_sales" << 7;
    QTest::newRow("daily_partition_load example") << kExamples + "/daily_partition_load.flow.yaml"
                                                  << "daily_partition_load" << 4;
    QTest::newRow("design example") << kData + "/design_example.flow.yaml"
                                    << "daily_sales" << 3;
    QTest::newRow("maximal") << kData + "/maximal.flow.yaml"
                             << "maximal.flow-1" << 5;
    QTest::newRow("json") << kData + "/valid.flow.json"
                          << "hello" << 4;
}
// clang-format on

void TestFlowLoader::validFiles()
{
    QFETCH(QString, path);
    QFETCH(QString, id);
    QFETCH(int, tasks);
    const auto r = FlowLoader::loadFile(path);
    QVERIFY2(r.has_value(), qPrintable(r ? QString() : dump(r.error())));
    QCOMPARE(r->id, id);
    QCOMPARE(r->tasks.size(), tasks);
}

// clang-format off
void TestFlowLoader::malformed_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    const QByteArray h = kHead;

    // Structure and keys
    QTest::newRow("unknown top key + hint")
        << h + "taks:\n  a: {type: noop}\n"
        << 3 << 1 << "unknown key 'taks' (did you mean 'tasks'?)";
    QTest::newRow("unknown task key + hint")
        << h + "tasks:\n  a:\n    type: shell\n    comand: echo\n"
        << 6 << 5 << "unknown key 'comand' in task 'a' (did you mean 'command'?)";
    QTest::newRow("unknown key, no close match")
        << h + "tasks:\n  a:\n    type: noop\n    zzzzzzzz: 1\n"
        << 6 << 5 << "unknown key 'zzzzzzzz' in task 'a'";
    QTest::newRow("unknown nested key + hint")
        << h + "tasks:\n  a:\n    type: noop\n    slurm: {cpu: 4}\n"
        << 6 << 13 << "unknown key 'cpu' in slurm (did you mean 'cpus'?)";
    QTest::newRow("idempotent must be a boolean")
        << h + "tasks:\n  a:\n    type: noop\n    idempotent: no\n"
        << 6 << 17 << "'idempotent' must be true or false (got 'no')";
    QTest::newRow("retries on a task that is not idempotent: file:line:col")
        << h + "tasks:\n  a:\n    type: noop\n    idempotent: false\n    retries: 2\n"
        << 4 << 3 << "task 'a': retries: 2, but a task with 'idempotent: false' is never retried";
    QTest::newRow("unknown wait_file key + hint")
        << h + "tasks:\n  a:\n    type: wait_file\n    wait_file: {path: x, stable_fro: 1m}\n"
        << 6 << 26 << "unknown key 'stable_fro' in wait_file (did you mean 'stable_for'?)";
    QTest::newRow("unknown param key")
        << h + "params:\n  d: {type: date, defualt: today}\n"
        << 4 << 19 << "unknown key 'defualt' in parameter 'd' (did you mean 'default'?)";
    QTest::newRow("duplicate top key") << h + "flow: g\n"
                                       << 3 << 1 << "duplicate key 'flow' (first at line 2)";
    QTest::newRow("duplicate task key") << h + "tasks:\n  a:\n    type: noop\n    type: shell\n"
                                        << 6 << 5 << "duplicate key 'type' in task 'a'";
    QTest::newRow("duplicate task id")
        << h + "tasks:\n  a: {type: noop}\n  b: {type: noop}\n  a: {type: noop}\n"
        << 6 << 3 << "duplicate task id 'a' (first defined at line 4)";
    QTest::newRow("duplicate param") << h + "params:\n  d: {type: date}\n  d: {type: int}\n"
                                     << 5 << 3 << "duplicate parameter 'd'";
    QTest::newRow("missing version")
        << QByteArray("flow: f\n") << 1 << 1 << "missing 'pipewright: 1'";
    QTest::newRow("version 2") << QByteArray("pipewright: 2\nflow: f\n") << 1 << 13
                               << "unsupported format version '2'";
    QTest::newRow("version string") << QByteArray("pipewright: [1]\nflow: f\n") << 1 << 13
                                    << "'pipewright' must be the format version 1";
    QTest::newRow("missing flow id")
        << QByteArray("pipewright: 1\ntasks: {}\n") << 1 << 1 << "missing 'flow: ID'";
    QTest::newRow("invalid flow id")
        << QByteArray("pipewright: 1\nflow: -bad\n") << 2 << 7 << "invalid flow id '-bad'";
    QTest::newRow("invalid task id") << h + "tasks:\n  \"a b\": {type: noop}\n"
                                     << 4 << 3 << "invalid task id 'a b'";
    QTest::newRow("key not a string") << h + "? [a]\n: b\n" << 3 << 3 << "keys must be strings";
    QTest::newRow("top level list")
        << QByteArray("- a\n- b\n") << 1 << 1 << "a flow file must be a map of keys";
    QTest::newRow("top level scalar") << QByteArray("hello\n") << 1 << 1 << "got 'hello'";
    QTest::newRow("empty file") << QByteArray("") << 1 << 1 << "empty flow file";
    QTest::newRow("only comments") << QByteArray("# nothing\n") << 1 << 1 << "empty flow file";
    QTest::newRow("two documents") << h + "---\nflow: g\n" << 3 << 1 << "holds one YAML document";
    QTest::newRow("task not a map") << h + "tasks:\n  a: echo hi\n"
                                    << 4 << 6 << "'a' must be a map of task settings";
    QTest::newRow("tasks a list")
        << h + "tasks:\n  - a\n"
        << 4 << 3 << "'tasks' must be a map of task id to task settings (got a list)";
    QTest::newRow("params a scalar") << h + "params: date\n" << 3 << 9 << "'params' must be a map";

    // YAML syntax
    QTest::newRow("syntax: unclosed flow seq") << h + "tasks:\n  a: {type: noop, after: [x}\n"
                                               << 4 << 28 << "syntax error: illegal flow end";
    QTest::newRow("syntax: bad indentation") << h + "tasks:\n  a:\n    type: noop\n   command: x\n"
                                             << 6 << 4 << "syntax error";
    QTest::newRow("syntax: tab indentation") << h + "tasks:\n\ta: {type: noop}\n"
                                             << 4 << 3 << "syntax error";
    QTest::newRow("syntax: template in flow map (DESIGN example verbatim)")
        << h + "tasks:\n  report: {type: shell, command: ./report.sh {{date}}}\n"
        << 4 << 46 << "hint: quote values that contain {{...}}";
    QTest::newRow("syntax: unknown alias") << h + "tasks: *nope\n" << 3 << 8 << "syntax error";

    // Types
    QTest::newRow("retries not int") << h + "tasks:\n  a: {type: noop, retries: two}\n"
                                     << 4 << 28 << "'retries' must be an integer (got 'two')";
    QTest::newRow("quoted int") << h + "tasks:\n  a: {type: noop, priority: \"1\"}\n"
                                << 4 << 29 << "'priority' must be an integer (got '1')";
    QTest::newRow("float priority") << h + "tasks:\n  a: {type: noop, priority: 1.5}\n"
                                    << 4 << 29 << "'priority' must be an integer";
    QTest::newRow("jitter yes") << h + "tasks:\n  a: {type: noop, jitter: yes}\n"
                                << 4 << 27 << "'jitter' must be true or false (got 'yes')";
    QTest::newRow("bad duration")
        << h + "tasks:\n  a: {type: noop, timeout: 5x}\n"
        << 4 << 28 << "'timeout' must be a duration like 30s, 5m, 1h30m or 1d (got '5x')";
    QTest::newRow("after a map") << h + "tasks:\n  a: {type: noop, after: {b: 1}}\n"
                                 << 4 << 26 << "'after' must be a list of strings (got a map)";
    QTest::newRow("after item a list")
        << h + "tasks:\n  a: {type: noop, after: [[b]]}\n"
        << 4 << 27 << "'after' must be a list of strings (got a list as an item)";
    QTest::newRow("command a list") << h + "tasks:\n  a:\n    type: shell\n    command: [echo]\n"
                                    << 6 << 14 << "'command' must be a string (got a list)";
    QTest::newRow("command null") << h + "tasks:\n  a:\n    type: shell\n    command:\n"
                                  << 6 << 5 << "'command' must be a string (got nothing)";
    QTest::newRow("unknown task type + hint")
        << h + "tasks:\n  a: {type: shel, command: x}\n"
        << 4 << 13
        << "invalid type 'shel' (use shell, noop, sql, wait_file) (did you mean 'shell'?)";
    QTest::newRow("unknown trigger") << h + "tasks:\n  a: {type: noop, trigger: all_succes}\n"
                                     << 4 << 28 << "(did you mean 'all_success'?)";
    QTest::newRow("unknown executor") << h + "tasks:\n  a: {type: noop, executor: k8s}\n"
                                      << 4 << 29 << "invalid executor 'k8s' (use local, slurm)";
    QTest::newRow("unknown backoff")
        << h + "defaults: {backoff: linear}\n"
        << 3 << 21 << "invalid backoff 'linear' (use fixed, exponential)";
    QTest::newRow("unknown param type")
        << h + "params:\n  n: {type: integer}\n"
        << 4 << 13 << "invalid type 'integer' (use string, int, bool, date, datetime, choice)";
    QTest::newRow("schedule start not a date")
        << h + "schedule: {cron: \"0 3 * * *\", start: tomorrow}\n"
        << 3 << 38 << "'start' must be a date YYYY-MM-DD";
    QTest::newRow("pools not int") << h + "limits: {pools: {warehouse: many}}\n"
                                   << 3 << 29 << "'warehouse' must be an integer (got 'many')";
    QTest::newRow("layout bad") << h + "tasks: {a: {type: noop}}\nlayout: {a: [1]}\n"
                                << 4 << 13 << "'a' must be a position [x, y]";
    QTest::newRow("layout not number") << h + "tasks: {a: {type: noop}}\nlayout: {a: [1, x]}\n"
                                       << 4 << 17 << "y must be a number (got 'x')";
    QTest::newRow("partition missing column") << h
            + "tasks:\n  a:\n    type: sql\n    sql: select 1\n    connection: w\n    partition: "
              "{table: t, value: v}\n" << 8 << 16
                                              << "partition needs 'column'";
    QTest::newRow("wait_file missing path")
        << h + "tasks:\n  a:\n    type: wait_file\n    wait_file: {poke_interval: 1m}\n"
        << 6 << 16 << "wait_file needs 'path'";

    // Semantics (validator, positioned at the task / param / top-level key)
    QTest::newRow("unknown after + hint")
        << h + "tasks:\n  extract: {type: noop}\n  load: {type: noop, after: [extrct]}\n"
        << 5 << 3 << "task 'load': unknown task 'extrct' in 'after' (did you mean 'extract'?)";
    QTest::newRow("self dependency") << h + "tasks:\n  a: {type: noop, after: [a]}\n"
                                     << 4 << 3 << "task 'a': depends on itself";
    QTest::newRow("cycle of two") << h
            + "tasks:\n  a: {type: noop, after: [b]}\n  b: {type: noop, after: [a]}\n"
                                  << 4 << 3 << "cycle: a -> b -> a";
    QTest::newRow("cycle of three") << h
            + "tasks:\n  x: {type: noop}\n  a: {type: noop, after: [c, x]}\n  b: {type: noop, "
              "after: [a]}\n"
              "  c: {type: noop, after: [b]}\n"
                                    << 5 << 3 << "cycle: a -> b -> c -> a";
    QTest::newRow("shell without command") << h + "tasks:\n  a: {type: shell}\n"
                                           << 4 << 3 << "a shell task needs a 'command'";
    QTest::newRow("unknown template name + hint") << h
            + "params:\n  date: {type: date}\ntasks:\n  a: {type: shell, command: \"echo "
              "{{dat}}\"}\n" << 6 << 3 << "task 'a': command: unknown name 'dat' in '{{dat}}'";
    QTest::newRow("unterminated template")
        << h + "tasks:\n  a:\n    type: shell\n    command: echo {{date\n"
        << 4 << 3 << "task 'a': command: unterminated '{{'";
    QTest::newRow("unknown filter")
        << h + "tasks:\n  a: {type: shell, command: \"echo {{flow|upper}}\"}\n"
        << 4 << 3 << "unknown filter 'upper'";
    QTest::newRow("state outside notify")
        << h + "tasks:\n  a: {type: shell, command: \"echo {{state}}\"}\n"
        << 4 << 3 << "'{{state}}' is only available in notify commands";
    QTest::newRow("template in env")
        << h + "tasks:\n  a:\n    type: noop\n    env: {X: \"{{nope}}\"}\n"
        << 4 << 3 << "env X: unknown name 'nope'";
    QTest::newRow("template in workdir") << h + "tasks:\n  a: {type: noop, workdir: \"w/{{x}}\"}\n"
                                         << 4 << 3 << "workdir: unknown name 'x'";
    QTest::newRow("template in outputs") << h + "tasks:\n  a: {type: noop, outputs: [\"o/{{x\"]}\n"
                                         << 4 << 3 << "outputs: unterminated '{{'";
    QTest::newRow("template in notify")
        << h + "notify: {on: [failure], command: \"echo {{sate}}\"}\n"
        << 3 << 1
        << "notify: command: unknown name 'sate' in '{{sate}}' (parameters: none; built-ins: flow, "
           "run_id, task, attempt) (did you mean 'state'?)";
    QTest::newRow("template in sql")
        << h + "tasks:\n  a: {type: sql, connection: w, sql: \"select '{{date}}'\"}\n"
        << 4 << 3 << "sql must not contain '{{': write :date instead of {{date}} (parameters are bound, never spliced into SQL)";
    QTest::newRow("sql without connection") << h + "tasks:\n  a: {type: sql, sql: select 1}\n"
                                            << 4 << 3 << "a sql task needs a 'connection'";
    QTest::newRow("negative retries") << h + "tasks:\n  a: {type: noop, retries: -1}\n"
                                      << 4 << 3 << "task 'a': retries must not be negative";
    QTest::newRow("negative timeout") << h + "tasks:\n  a: {type: noop, timeout: -5m}\n"
                                      << 4 << 3 << "task 'a': timeout must be positive";
    QTest::newRow("bad retry_on") << h + "tasks:\n  a: {type: noop, retry_on: [exit:0]}\n"
                                  << 4 << 3 << "invalid retry_on entry 'exit:0'";
    QTest::newRow("bad retry_on in defaults") << h + "defaults: {retry_on: [oom]}\n"
                                              << 3 << 1 << "defaults: invalid retry_on entry 'oom'";
    QTest::newRow("pool with zero slots")
        << h + "limits: {pools: {warehouse: 0}}\n"
        << 3 << 1 << "limits: pool 'warehouse' must have at least 1 slot";
    QTest::newRow("max_parallel zero") << h + "limits: {max_parallel: 0}\n"
                                       << 3 << 1 << "limits: max_parallel must be at least 1";
    QTest::newRow("choice without values") << h + "params:\n  r: {type: choice}\n"
                                           << 4 << 3 << "parameter 'r': a choice needs 'values'";
    QTest::newRow("choice default not in values")
        << h + "params:\n  r: {type: choice, values: [kr, jp], default: us}\n"
        << 4 << 3 << "parameter 'r': invalid default: expected one of: kr, jp, got 'us'";
    QTest::newRow("bad date default")
        << h + "params:\n  d: {type: date, default: tomorrow}\n"
        << 4 << 3 << "invalid default: expected a date YYYY-MM-DD or 'today'";
    QTest::newRow("values on non-choice") << h + "params:\n  d: {type: int, values: [1]}\n"
                                          << 4 << 3 << "'values' only apply to choice parameters";
    QTest::newRow("reserved param name") << h + "params:\n  task: {type: string}\n"
                                         << 4 << 3 << "parameter name 'task' is reserved";
    QTest::newRow("bad param name") << h + "params:\n  my-date: {type: date}\n"
                                    << 4 << 3 << "invalid parameter name 'my-date'";
    QTest::newRow("schedule param undeclared + hint")
        << h
            + "params:\n  date: {type: date, default: today}\nschedule: {cron: \"0 3 * * *\", "
              "param: dat}\n"
        << 5 << 1 << "schedule: parameter 'dat' is not declared (did you mean 'date'?)";
    QTest::newRow("schedule param not a date")
        << h + "params:\n  n: {type: int, default: 1}\nschedule: {cron: \"0 3 * * *\", param: n}\n"
        << 5 << 1 << "schedule: parameter 'n' must be a date or datetime (it is int)";
    QTest::newRow("schedule bad timezone + hint")
        << h + "schedule: {cron: \"0 3 * * *\", timezone: Asia/Seol}\n"
        << 3 << 1
        << "schedule: unknown time zone 'Asia/Seol' (use an IANA name like Asia/Seoul) (did you "
           "mean 'Asia/Seoul'?)";
    QTest::newRow("schedule bad cron") << h + "schedule: {cron: \"0 3 * * FOO\"}\n"
                                       << 3 << 1
                                       << "schedule: cron: day-of-week: bad token 'FOO'";
    QTest::newRow("schedule cron with 4 fields") << h + "schedule: {cron: \"0 3 * *\"}\n"
                                                 << 3 << 1 << "schedule: cron: expected 5 fields";
    QTest::newRow("schedule hourly into a date")
        << h
            + "params:\n  day: {type: date}\nschedule: {cron: \"0 * * * *\", param: day}\n"
        << 5 << 1 << "schedule: '0 * * * *' fires more than once a day";
    QTest::newRow("schedule without cron") << h + "schedule: {timezone: UTC}\n"
                                           << 3 << 1 << "schedule: needs a 'cron' expression";
    QTest::newRow("schedule needs defaults")
        << h + "params:\n  r: {type: string}\nschedule: {cron: \"0 3 * * *\"}\n"
        << 4 << 3 << "schedule: parameter 'r' has no default";
    QTest::newRow("notify unknown event + hint") << h + "notify: {on: [falure], command: x}\n"
                                                 << 3 << 1 << "(did you mean 'failure'?)";
    QTest::newRow("notify bad webhook")
        << h + "notify: {on: [failure], webhook: \"ftp://x\"}\n"
        << 3 << 1 << "notify: webhook 'ftp://x' is not an http(s) URL";
    QTest::newRow("sla bad time") << h + "sla: {time: \"25:00\"}\n"
                                  << 3 << 1 << "sla: time '25:00' is not a local time HH:MM";
    QTest::newRow("env bad name") << h + "tasks:\n  a: {type: noop, env: {A-B: x}}\n"
                                  << 4 << 3 << "invalid environment variable name 'A-B'";
    QTest::newRow("after twice") << h
            + "tasks:\n  a: {type: noop}\n  b: {type: noop, after: [a, a]}\n"
                                 << 5 << 3 << "'after' lists 'a' twice";
    QTest::newRow("invalid pool name") << h + "tasks:\n  a: {type: noop, pool: \"my pool\"}\n"
                                       << 4 << 3 << "invalid pool name 'my pool'";
    QTest::newRow("slurm zero cpus") << h + "tasks:\n  a: {type: noop, slurm: {cpus: 0}}\n"
                                     << 4 << 3 << "slurm cpus must be at least 1";
}
// clang-format on

void TestFlowLoader::malformed()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    const auto r = FlowLoader::loadData(yaml, QStringLiteral("bad.flow.yaml"));
    QVERIFY2(!r.has_value(), "loaded a malformed file");
    const Errors &errors = r.error();
    QVERIFY2(findError(errors, line, column, message),
        qPrintable(QStringLiteral("expected %1:%2: ...%3...\ngot:\n%4")
                       .arg(line)
                       .arg(column)
                       .arg(message, dump(errors))));
    for (const Error &e : errors) {
        QCOMPARE(e.file, QStringLiteral("bad.flow.yaml"));
        QVERIFY(!e.message.isEmpty());
    }
}

// clang-format off
void TestFlowLoader::jsonErrors_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key") << "bad_keys.flow.json" << 7 << 7
                                 << "unknown key 'comand' in task 'a' (did you mean 'command'?)";
    QTest::newRow("string where int")
        << "bad_keys.flow.json" << 11 << 18 << "'retries' must be an integer (got '3')";
    QTest::newRow("missing comma") << "bad_syntax.flow.json" << 6 << 5 << "syntax error";
    QTest::newRow("trailing comma") << "trailing_comma.flow.json" << 5 << 26
                                    << "syntax error: trailing comma";
}
// clang-format on

void TestFlowLoader::jsonErrors()
{
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    const QString path = kData + QLatin1Char('/') + file;
    const auto r = FlowLoader::loadFile(path);
    QVERIFY(!r.has_value());
    QVERIFY2(findError(r.error(), line, column, message), qPrintable(dump(r.error())));
    QCOMPARE(r.error().first().file, path);
    QVERIFY(r.error().first().toString().startsWith(
        path + QLatin1Char(':') + QString::number(r.error().first().line)));
}

// A .flow.json is strict JSON (RFC 8259, DESIGN §4): each of these is refused with exactly one
// error at the offending character (1-based line and column, columns in characters), whichever
// loader entry point reads it. Duplicate keys are refused like in YAML, by the same check.
// clang-format off
void TestFlowLoader::strictJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    const QByteArray h = "{\n  \"pipewright\": 1,\n  \"flow\": \"f\",\n"; // lines 1-3

    QTest::newRow("trailing comma in object")
        << h + "  \"tasks\": {\"a\": {\"type\": \"noop\"},}\n}\n" << 4 << 34
        << "syntax error: trailing comma before '}'";
    QTest::newRow("trailing comma in array")
        << h + "  \"tasks\": {\"a\": {\"type\": \"noop\"}, \"b\": {\"type\": \"noop\", \"after\": [\"a\",]}}\n}\n"
        << 4 << 71 << "syntax error: trailing comma before ']'";
    QTest::newRow("trailing comma at the end")
        << QByteArray("{\"pipewright\": 1, \"flow\": \"f\",}") << 1 << 30 << "trailing comma";
    QTest::newRow("// comment")
        << h + "  // the tasks\n  \"tasks\": {\"a\": {\"type\": \"noop\"}}\n}\n" << 4 << 3
        << "syntax error: comments are not allowed in JSON";
    QTest::newRow("/* */ comment")
        << h + "  \"tasks\": /* one */ {\"a\": {\"type\": \"noop\"}}\n}\n" << 4 << 12
        << "syntax error: comments are not allowed in JSON";
    QTest::newRow("# comment")
        << QByteArray("{\"flow\": \"f\"} # end\n") << 1 << 15 << "comments are not allowed";
    QTest::newRow("single-quoted key")
        << h + "  'tasks': {\"a\": {\"type\": \"noop\"}}\n}\n" << 4 << 3
        << "syntax error: JSON strings need double quotes";
    QTest::newRow("single-quoted value")
        << QByteArray("{\"flow\": 'f'}") << 1 << 10 << "JSON strings need double quotes";
    QTest::newRow("unquoted key")
        << h + "  tasks: {\"a\": {\"type\": \"noop\"}}\n}\n" << 4 << 3
        << "syntax error: object keys must be strings in double quotes (got 'tasks')";
    QTest::newRow("unquoted value")
        << QByteArray("{\"flow\": f}") << 1 << 10 << "syntax error: unexpected 'f'";
    QTest::newRow("YAML document")
        << QByteArray("pipewright: 1\nflow: f\ntasks:\n  a: {type: noop}\n") << 1 << 1
        << "syntax error: this is not JSON";
    QTest::newRow("YAML anchor")
        << h + "  \"defaults\": &d {\"retries\": 1},\n  \"tasks\": {\"a\": {\"type\": \"noop\"}}\n}\n"
        << 4 << 15 << "YAML anchors, aliases and tags are not JSON";
    QTest::newRow("YAML block list")
        << h + "  \"tasks\": {\"a\": {\"type\": \"noop\", \"after\":\n    - b\n}}}\n" << 5 << 5
        << "syntax error: unexpected '-'";
    QTest::newRow("duplicate key")
        << h + "  \"flow\": \"g\",\n  \"tasks\": {\"a\": {\"type\": \"noop\"}}\n}\n" << 4 << 3
        << "duplicate key 'flow' (first at line 3)";
    QTest::newRow("duplicate task id")
        << h + "  \"tasks\": {\"a\": {\"type\": \"noop\"},\n            \"a\": {\"type\": \"noop\"}}\n}\n"
        << 5 << 13 << "duplicate task id 'a'";
    QTest::newRow("missing comma")
        << h + "  \"tasks\": {\"a\": {\"type\": \"noop\"}}\n  \"title\": \"t\"\n}\n" << 5 << 3
        << "syntax error: expected ',' or '}'";
    QTest::newRow("missing colon")
        << QByteArray("{\"flow\" \"f\"}") << 1 << 9 << "syntax error: expected ':'";
    QTest::newRow("truncated")
        << h + "  \"tasks\": {\"a\": {\"type\": \"noop\"}}\n" << 5 << 1
        << "syntax error: unexpected end of file: the object opened at line 1, column 1 is not closed";
    QTest::newRow("truncated in a string")
        << QByteArray("{\"flow\": \"f") << 1 << 10 << "syntax error: unterminated string";
    QTest::newRow("string over two lines")
        << QByteArray("{\"flow\": \"f\n\"}") << 1 << 10 << "syntax error: unterminated string";
    QTest::newRow("empty file") << QByteArray() << 1 << 1 << "syntax error: empty file";
    QTest::newRow("only whitespace") << QByteArray("\n  \n") << 3 << 1 << "syntax error: empty file";
    QTest::newRow("bare array") << QByteArray("  [1, 2]\n") << 1 << 3
                                << "a .flow.json file must hold one JSON object";
    QTest::newRow("bare string") << QByteArray("\"f\"") << 1 << 1
                                 << "a .flow.json file must hold one JSON object";
    QTest::newRow("bare null") << QByteArray("\nnull\n") << 2 << 1
                               << "a .flow.json file must hold one JSON object";
    QTest::newRow("a second value") << QByteArray("{\"flow\": \"f\"}\n{}\n") << 2 << 1
                                    << "syntax error: unexpected '{' after the end of the JSON value";
    QTest::newRow("invalid UTF-8") << QByteArray("{\"flow\": \"f\xff\"}") << 1 << 12
                                   << "not a text file: invalid UTF-8";
    QTest::newRow("invalid UTF-8 after é")
        << QByteArray("{\"title\": \"\xc3\xa9\xff\"}") << 1 << 13 << "not a text file";
    QTest::newRow("invalid escape")
        << QByteArray("{\"flow\": \"a\\x\"}") << 1 << 12 << "syntax error: invalid escape '\\x'";
    QTest::newRow("short \\u escape")
        << QByteArray("{\"flow\": \"a\\u12\"}") << 1 << 12 << "syntax error: invalid escape '\\u12'";
    QTest::newRow("lone surrogate")
        << QByteArray("{\"title\": \"\\ud83d\"}") << 1 << 12 << "syntax error: unpaired surrogate";
    QTest::newRow("raw tab in a string")
        << QByteArray("{\"flow\": \"a\tb\"}") << 1 << 12
        << "syntax error: control character U+0009 in a string";
    QTest::newRow("leading zero")
        << QByteArray("{\"pipewright\": 01}") << 1 << 16 << "syntax error: invalid number '01'";
    QTest::newRow("NaN")
        << QByteArray("{\"pipewright\": NaN}") << 1 << 16 << "syntax error: unexpected 'NaN'";
    QTest::newRow("True") << QByteArray("{\"pipewright\": True}") << 1 << 16
                          << "syntax error: unexpected 'True'";
    QTest::newRow("form feed") << QByteArray("{\f\"flow\": \"f\"}") << 1 << 2
                               << "syntax error: unexpected character U+000C";
    QTest::newRow("column counts characters")
        << QByteArray("{\"title\": \"h\xc3\xa9llo w\xc3\xb6rld\", \"flow\": \"f\",}") << 1 << 37
        << "trailing comma";
    QTest::newRow("column counts an emoji as one")
        << QByteArray("{\"title\": \"\xf0\x9f\x98\x80\", \"flow\": \"f\",}") << 1 << 27
        << "trailing comma";
    QTest::newRow("too deep") << QByteArray(5000, '[') << 1 << 1001
                              << "the document is nested too deeply";
}
// clang-format on

void TestFlowLoader::strictJson()
{
    QFETCH(QByteArray, json);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    const QString file = QStringLiteral("f.flow.json");
    const auto r = FlowLoader::loadData(json, file);
    QVERIFY(!r.has_value());
    QVERIFY2(r.error().size() == 1, qPrintable(dump(r.error())));
    const Error &e = r.error().first();
    QVERIFY2(e.line == line && e.column == column && e.message.contains(message),
        qPrintable(dump(r.error())));
    QVERIFY(e.toString().startsWith(QStringLiteral("f.flow.json:%1:%2: ").arg(line).arg(column)));
    // The same through the designer's loader and through a file (any case of ".json").
    const auto edit = FlowLoader::loadDataForEditing(json, file);
    QVERIFY(!edit.has_value() || !edit->problems.isEmpty());
    const Errors editErrors = edit ? edit->problems : edit.error();
    QCOMPARE(editErrors, r.error());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("F.FLOW.JSON"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(json);
    f.close();
    const auto fromFile = FlowLoader::loadFile(path);
    QVERIFY(!fromFile.has_value());
    QCOMPARE(fromFile.error().size(), 1);
    QCOMPARE(fromFile.error().first().file, path);
    QCOMPARE(fromFile.error().first().line, line);
    QCOMPARE(fromFile.error().first().column, column);
}

// Valid JSON loads as before, including forms yaml-cpp alone does not read as JSON: escapes
// (\/, \u, surrogate pairs), a colon on the line after its key, tabs, CRLF, a BOM, big numbers.
void TestFlowLoader::strictJsonValid()
{
    const QByteArray json
        = "\xef\xbb\xbf{\r\n"
          "\t\"pipewright\": 1,\r\n"
          "\t\"flow\"\r\n"
          "\t\t: \"f\",\r\n"
          "\t\"title\": \"a\\/b \\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\b\\f\\n\\r\\t\",\r\n"
          "\t\"description\": \"\xed\x95\x9c \xf0\x9f\x9a\x80 \xc2\x85 \xe2\x80\xa8 \x7f\",\r\n"
          "\t\"tasks\": {\"a\": {\"type\": \"noop\"}, \"\\u0062\": {\"type\": \"noop\"}},\r\n"
          "\t\"layout\": {\"a\": [1e2, -0.5], \"b\": [12345678901234567890, 1E-300]}\r\n"
          "}\r\n";
    const auto r = FlowLoader::loadData(json, QStringLiteral("v.flow.json"));
    QVERIFY2(r.has_value(), qPrintable(r ? QString() : dump(r.error())));
    QCOMPARE(r->id, QStringLiteral("f"));
    QCOMPARE(r->title, QStringLiteral("a/b \u00e9 \U0001F600 \"q\" \\ \b\f\n\r\t"));
    QCOMPARE(r->description, QStringLiteral("\ud55c \U0001F680 \u0085 \u2028 \x7f"));
    QCOMPARE(r->tasks.size(), 2);
    QCOMPARE(r->tasks[1].id, QStringLiteral("b"));
    QCOMPARE(r->tasks[1].line, 7);
    QCOMPARE(r->tasks[1].column, 35);
    QCOMPARE(r->layout.value(QStringLiteral("a")), QPointF(100, -0.5));
    QCOMPARE(r->layout.value(QStringLiteral("b")), QPointF(12345678901234567890.0, 1e-300));

    // Compact, as in stored definitions; and what the writer saves loads strictly again.
    const QByteArray compact
        = "{\"pipewright\":1,\"flow\":\"f\",\"tasks\":{\"a\":{\"type\":\"noop\"}}}";
    QVERIFY(FlowLoader::loadData(compact, QStringLiteral("c.flow.json")).has_value());
    const auto maximal = FlowLoader::loadFile(kData + QStringLiteral("/maximal.flow.yaml"));
    QVERIFY(maximal.has_value());
    const auto again
        = FlowLoader::loadData(FlowWriter::toJson(*maximal), QStringLiteral("m.flow.json"));
    QVERIFY2(again.has_value(), qPrintable(again ? QString() : dump(again.error())));
    QVERIFY(*again == *maximal);

    // Numbers are checked by the schema, not by JSON: a huge retries is a type error.
    const auto big = FlowLoader::loadData("{\"pipewright\": 1, \"flow\": \"f\", \"tasks\": {\"a\": "
                                          "{\"type\": \"noop\", \"retries\": 1e400}}}",
        QStringLiteral("b.flow.json"));
    QVERIFY(!big.has_value());
    QVERIFY2(findError(big.error(), 1, 75, QStringLiteral("'retries' must be an integer")),
        qPrintable(dump(big.error())));

    // A key of 1022 bytes is read (an unknown key), even with spaces before its ':'; a longer
    // one is refused clearly (yaml-cpp, which builds the flow, reads no longer keys).
    const QByteArray k1022 = "{\"" + QByteArray(1022, 'k') + "\"   : 1}";
    const auto longKey = FlowLoader::loadData(k1022, QStringLiteral("k.flow.json"));
    QVERIFY(!longKey.has_value());
    QVERIFY2(findError(longKey.error(), 1, 2, QStringLiteral("unknown key")),
        qPrintable(dump(longKey.error())));
    const auto tooLong = FlowLoader::loadData(
        "{\"" + QByteArray(1023, 'k') + "\": 1}", QStringLiteral("k.flow.json"));
    QVERIFY(!tooLong.has_value());
    QCOMPARE(tooLong.error().size(), 1);
    QVERIFY2(findError(tooLong.error(), 1, 2, QStringLiteral("key is too long")),
        qPrintable(dump(tooLong.error())));

    // Other names still read YAML (the designer's clipboard, stored definitions).
    QVERIFY(FlowLoader::loadData(
        "{\"pipewright\": 1, \"flow\": \"f\", \"tasks\": {\"a\": {\"type\": \"noop\"},}}",
        QStringLiteral("clipboard"))
                .has_value());
}

// Semantic errors in valid JSON keep their positions, in characters, after non-ASCII text,
// escapes and a colon moved for yaml-cpp.
// clang-format off
void TestFlowLoader::jsonSemanticPositions_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    const QByteArray tail = "\"pipewright\": 1, \"flow\": \"f\", \"tasks\": {\"a\": {\"type\": \"noop\", \"comand\": \"x\"}}}";
    QTest::newRow("ASCII") << "{\"title\": \"hello\", " + tail << 1 << 82 << "unknown key 'comand'";
    QTest::newRow("after é") << "{\"title\": \"h\xc3\xa9llo\", " + tail << 1 << 82 << "unknown key 'comand'";
    QTest::newRow("after a surrogate pair escape")
        << "{\"title\": \"\\ud83d\\ude00\", " + tail << 1 << 89 << "unknown key 'comand'";
    QTest::newRow("after a moved colon")
        << QByteArray("{\n  \"pipewright\"\n: 1, \"flow\": \"f\", \"tasks\": {\"a\": {\"type\": \"noop\", \"comand\": \"x\"}}\n}")
        << 3 << 51 << "unknown key 'comand'";
    QTest::newRow("task problem")
        << QByteArray("{\"pipewright\": 1, \"flow\": \"f\", \"tasks\": {\n"
                      "  \"a\": {\"type\": \"noop\", \"description\": \"\xc3\xa9t\xc3\xa9\"}, "
                      "\"b\": {\"type\": \"noop\", \"after\": [\"zz\"]}}}")
        << 2 << 48 << "unknown task 'zz' in 'after'";
}
// clang-format on

void TestFlowLoader::jsonSemanticPositions()
{
    QFETCH(QByteArray, json);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    const auto r = FlowLoader::loadData(json, QStringLiteral("s.flow.json"));
    QVERIFY(!r.has_value());
    QVERIFY2(findError(r.error(), line, column, message), qPrintable(dump(r.error())));
}

// Random edits of valid JSON: never a crash; what the checker accepts QJsonDocument accepts too
// (it is laxer), and yaml-cpp reads it (no "syntax error" once the checker said yes).
void TestFlowLoader::jsonMutations()
{
    const QByteArray seed
        = "{\n  \"pipewright\": 1,\n  \"flow\": \"f\",\n"
          "  \"title\": \"\\u00e9 \\ud83d\\ude00 \\/ x\",\n"
          "  \"tasks\": {\"a\": {\"type\": \"noop\", \"after\": [], \"retries\": -0.5e+3},\n"
          "            \"b\": {\"type\": \"noop\", \"after\": [\"a\"]}},\n"
          "  \"layout\": {\"a\": [1, 2.5E-3], \"b\": [true, null]}\n}\n";
    const QByteArray alphabet = "{}[]\",:0123456789-+.eE \t\r\n\\/'#*&truefalsenul\x7f\x01";
    QRandomGenerator rng(8);
    int accepted = 0;
    for (int round = 0; round < 3000; ++round) {
        QByteArray json = seed;
        const int edits = int(rng.bounded(1, 4));
        for (int k = 0; k < edits; ++k) {
            const int at = int(rng.bounded(int(json.size())));
            const char c = alphabet[int(rng.bounded(int(alphabet.size())))];
            switch (rng.bounded(3)) {
            case 0:
                json.insert(at, c);
                break;
            case 1:
                json.remove(at, 1);
                break;
            default:
                json[at] = c;
                break;
            }
        }
        const auto r = FlowLoader::loadData(json, QStringLiteral("m.flow.json"));
        const bool syntaxError
            = !r && r.error().first().message.startsWith(QLatin1String("syntax error"));
        if (syntaxError) {
            QCOMPARE(r.error().size(), 1);
            continue;
        }
        ++accepted;
        QJsonParseError pe;
        QJsonDocument::fromJson(json, &pe);
        QVERIFY2(pe.error == QJsonParseError::NoError, json.constData());
        if (!r) {
            for (const Error &e : r.error())
                QVERIFY2(!e.message.contains(QLatin1String("syntax error")),
                    qPrintable(dump(r.error()) + "\n" + json));
        }
    }
    QVERIFY(accepted > 100);
}

void TestFlowLoader::collectsAllErrors()
{
    const QString path = kData + QStringLiteral("/many_errors.flow.yaml");
    const auto r = FlowLoader::loadFile(path);
    QVERIFY(!r.has_value());
    const Errors &e = r.error();
    QVERIFY2(findError(e, 7, 11, QStringLiteral("invalid type 'shel'")), qPrintable(dump(e)));
    QVERIFY2(findError(e, 14, 5,
                 QStringLiteral("unknown key 'timout' in task 'load' (did you mean 'timeout'?)")),
        qPrintable(dump(e)));
    QVERIFY2(findError(e, 4, 3, QStringLiteral("invalid default")), qPrintable(dump(e)));
    QVERIFY2(findError(e, 6, 3, QStringLiteral("unknown name 'dat'")), qPrintable(dump(e)));
    QVERIFY2(findError(e, 9, 3,
                 QStringLiteral("unknown task 'extrac' in 'after' (did you mean 'extract'?)")),
        qPrintable(dump(e)));
    QVERIFY2(
        findError(e, 9, 3, QStringLiteral("retries must not be negative")), qPrintable(dump(e)));
    QCOMPARE(e.size(), 6);
    // Loader errors come first, in document order.
    QCOMPARE(e.at(0).line, 7);
}

void TestFlowLoader::maximalFields()
{
    const auto r = FlowLoader::loadFile(kData + QStringLiteral("/maximal.flow.yaml"));
    QVERIFY2(r.has_value(), qPrintable(r ? QString() : dump(r.error())));
    const Flow &f = *r;
    QCOMPARE(f.title, QStringLiteral("Maximal: every key"));
    QVERIFY(f.description.endsWith(QLatin1String("a # hash.\n")));
    QCOMPARE(f.params.size(), 7);
    QCOMPARE(f.params[2].values, (QStringList{"kr", "jp", "us east"}));
    QVERIFY(f.params[3].type == ParamType::Int);
    QCOMPARE(f.params[3].defaultValue, std::optional<QString>(QStringLiteral("10")));
    QCOMPARE(f.params[5].defaultValue, std::optional<QString>(QStringLiteral("null")));
    QCOMPARE(f.params[6].defaultValue, std::optional<QString>(QString()));
    QCOMPARE(f.schedule.cron, QStringLiteral("*/15 * * * *"));
    QCOMPARE(f.schedule.timezone, QStringLiteral("Europe/Berlin"));
    QVERIFY(f.schedule.catchup);
    QCOMPARE(f.schedule.start, std::optional<QDate>(QDate(2026, 11, 1)));
    QCOMPARE(f.schedule.offsetMs, std::optional<qint64>(-5400000));
    QCOMPARE(f.limits.maxParallel, std::optional<int>(8));
    QCOMPARE(f.limits.pools.value(QStringLiteral("warehouse")), 2);
    QCOMPARE(f.defaults.backoff, std::optional<Backoff>(Backoff::Exponential));
    QCOMPARE(f.defaults.jitter, std::optional<bool>(false));
    QCOMPARE(f.defaults.retryOn, std::optional<QStringList>(QStringList{"exit", "timeout"}));
    QCOMPARE(f.notify.on.size(), 4);
    QCOMPARE(f.sla.durationMs, std::optional<qint64>(2 * 3600000));
    QCOMPARE(f.sla.time, QStringLiteral("06:30"));

    const TaskSpec *x = f.task(QStringLiteral("extract"));
    QVERIFY(x);
    QCOMPARE(x->priority, 5);
    QCOMPARE(x->pool, QStringLiteral("api"));
    QVERIFY(x->command.startsWith(QLatin1String("set -e\n./extract.sh")));
    QVERIFY(x->command.contains(QLatin1String("\n\necho \"done: {{task}} #{{attempt}}\"\n")));
    QCOMPARE(x->outputs.size(), 2);
    QCOMPARE(x->env.value(QStringLiteral("EMPTY")), QString());
    QCOMPARE(x->env.value(QStringLiteral("REGION")), QStringLiteral("{{region|raw}}"));
    QCOMPARE(x->retry.retries, std::optional<int>(3));
    QCOMPARE(x->retry.retryDelayMs, std::optional<qint64>(60000));
    QCOMPARE(x->retry.timeoutMs, std::optional<qint64>(45 * 60000));
    QCOMPARE(
        x->retry.retryOn, std::optional<QStringList>(QStringList{"exit:75", "signal", "spawn"}));
    QCOMPARE(f.retryPolicy(*x).maxRetryDelayMs, qint64(5 * 60000));

    const TaskSpec *w = f.task(QStringLiteral("wait"));
    QVERIFY(w->type == TaskType::WaitFile);
    QCOMPARE(w->waitFile.path, QStringLiteral("/data/in/{{date}}/_SUCCESS"));
    QCOMPARE(w->waitFile.pokeIntervalMs, std::optional<qint64>(60000));
    QCOMPARE(w->waitFile.stableForMs, std::optional<qint64>(120000));
    QVERIFY(w->idempotent);

    const TaskSpec *l = f.task(QStringLiteral("load"));
    QVERIFY(l->type == TaskType::Sql);
    QVERIFY(l->trigger == TriggerRule::AllDone);
    QCOMPARE(l->partition.column, QStringLiteral("day"));
    QVERIFY(!l->idempotent);
    QVERIFY(l->check.startsWith(QLatin1String("SELECT count(*) FROM sales")));
    QCOMPARE(f.retryPolicy(*l).retries, 0); // defaults.retries does not apply to it
    QVERIFY(l->sql.endsWith(QLatin1String("FROM staging")));
    QCOMPARE(l->retry.retryOn, std::optional<QStringList>(QStringList()));

    const TaskSpec *s = f.task(QStringLiteral("simulate"));
    QVERIFY(s->executor == Executor::Slurm);
    QVERIFY(s->trigger == TriggerRule::OneFailed);
    QCOMPARE(s->priority, -2);
    QCOMPARE(s->command, QStringLiteral("echo \"tab\there\" && printf '%s\\n' {{label}}"));
    QCOMPARE(s->slurm.cpus, std::optional<int>(4));
    QCOMPARE(s->slurm.time, QStringLiteral("01:00:00"));
    QCOMPARE(s->slurm.extraArgs, (QStringList{"--exclusive", "--constraint=ssd"}));

    QCOMPARE(
        f.task(QStringLiteral("done"))->description, QStringLiteral("multi\nline: description "));
    QCOMPARE(f.layout.value(QStringLiteral("wait")), QPointF(220, -80.5));
    QCOMPARE(f.layout.value(QStringLiteral("done")).y(), 1e20);
}

void TestFlowLoader::positions()
{
    const QByteArray yaml
        = "pipewright: 1\nflow: p\nparams:\n  date: {type: date, default: today}\n"
          "  region: {type: string, default: kr}\ntasks:\n  a:\n    type: noop\n"
          "  b: {type: noop, after: [a]}\n";
    const auto r = FlowLoader::loadData(yaml);
    QVERIFY2(r.has_value(), qPrintable(r ? QString() : dump(r.error())));
    QCOMPARE(r->params[0].line, 4);
    QCOMPARE(r->params[0].column, 3);
    QCOMPARE(r->params[1].line, 5);
    QCOMPARE(r->tasks[0].line, 7);
    QCOMPARE(r->tasks[0].column, 3);
    QCOMPARE(r->tasks[1].line, 9);
    QCOMPARE(r->tasks[1].after, QStringList{"a"});
}

void TestFlowLoader::unimplementedTypesLoad()
{
    const QByteArray yaml
        = "pipewright: 1\nflow: later\ntasks:\n"
          "  q: {type: sql, connection: dw, sql: \"select :x\"}\n"
          "  w: {type: wait_file, wait_file: {path: /tmp/x}}\n"
          "  s: {type: shell, executor: slurm, command: hostname, slurm: {partition: p}}\n";
    const auto r = FlowLoader::loadData(yaml, QStringLiteral("later.flow.yaml"));
    QVERIFY2(r.has_value(), qPrintable(r ? QString() : dump(r.error())));
    QCOMPARE(r->tasks.size(), 3);
    QVERIFY(r->tasks[2].executor == Executor::Slurm);
    QCOMPARE(r->sourcePath, QStringLiteral("later.flow.yaml"));
}

void TestFlowLoader::jsonEqualsYaml()
{
    const auto y = FlowLoader::loadFile(kExamples + QStringLiteral("/hello.flow.yaml"));
    const auto j = FlowLoader::loadFile(kData + QStringLiteral("/valid.flow.json"));
    QVERIFY(y.has_value() && j.has_value());
    QVERIFY(*y == *j);
    QCOMPARE(j->tasks[2].line, 11);
    QCOMPARE(j->tasks[2].column, 5);
}

void TestFlowLoader::sourcePathIsAbsolute()
{
    const QString old = QDir::currentPath();
    QVERIFY(QDir::setCurrent(kExamples));
    const auto r = FlowLoader::loadFile(QStringLiteral("hello.flow.yaml"));
    QDir::setCurrent(old);
    QVERIFY(r.has_value());
    QCOMPARE(r->sourcePath, QDir(kExamples).absoluteFilePath(QStringLiteral("hello.flow.yaml")));
    QVERIFY(QFileInfo(r->sourcePath).isAbsolute());
}

void TestFlowLoader::missingFile()
{
    const auto r = FlowLoader::loadFile(QStringLiteral("/nonexistent/x.flow.yaml"));
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().size(), 1);
    QCOMPARE(r.error().first().file, QStringLiteral("/nonexistent/x.flow.yaml"));
    QVERIFY(r.error().first().message.startsWith(QLatin1String("cannot open")));
}

void TestFlowLoader::aliasesAreFine()
{
    const QByteArray yaml = "pipewright: 1\nflow: al\n"
                            "defaults: &d {retries: 2}\n"
                            "tasks:\n"
                            "  a: {type: noop}\n"
                            "  b: {type: noop, after: &deps [a]}\n"
                            "  c: {type: noop, after: *deps}\n";
    const auto r = FlowLoader::loadData(yaml);
    QVERIFY2(r.has_value(), qPrintable(r ? QString() : dump(r.error())));
    QCOMPARE(r->tasks[2].after, QStringList{"a"});
    QCOMPARE(r->defaults.retries, std::optional<int>(2));
}

// clang-format off
void TestFlowLoader::hostile_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("message");
    QTest::newRow("deep flow nesting") << QByteArray(200000, '[') << "nested too deeply";
    QByteArray deepMap;
    for (int i = 0; i < 5000; ++i)
        deepMap += QByteArray(i, ' ') + "k:\n";
    QTest::newRow("deep block nesting") << deepMap << "nested too deeply";
    QByteArray closed = QByteArray(100000, '[') + QByteArray(100000, ']');
    QTest::newRow("deep closed nesting") << closed << "nested too deeply";
    // "Billion laughs": aliases share nodes in yaml-cpp; nothing may expand them.
    QByteArray laughs = "pipewright: 1\nflow: lol\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 30; ++i)
        laughs += QStringLiteral(
            "a%1: &a%1 [*a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2]\n")
                      .arg(i)
                      .arg(i - 1)
                      .toUtf8();
    QTest::newRow("billion laughs keys") << laughs << "unknown key 'a0'";
    QByteArray laughTasks = "pipewright: 1\nflow: lol\nx: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 30; ++i)
        laughTasks += QStringLiteral(
            "x%1: &a%1 [*a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2]\n")
                          .arg(i)
                          .arg(i - 1)
                          .toUtf8();
    laughTasks += "tasks: {t: {type: noop, after: *a29, outputs: *a29, env: *a29}}\n";
    QTest::newRow("billion laughs values") << laughTasks << "must be a list of strings";
    QTest::newRow("NUL byte") << QByteArray("pipewright: 1\nflow: f\0x\n", 21) << "not a text file";
    QTest::newRow("invalid UTF-8")
        << QByteArray("pipewright: 1\nflow: \xff\xfe\n") << "not a text file";
    QTest::newRow("UTF-16") << QByteArray("\xff\xfep\0i\0p\0", 8) << "not a text file";
    QTest::newRow("huge") << QByteArray(17 * 1024 * 1024, 'a') << "too large";
    QTest::newRow("long line") << QByteArray("pipewright: 1\nflow: ") + QByteArray(1000000, 'a')
            + "\n"
                               << "";
    // Regression: YAML::LoadAll never returns on these (and eats all memory).
    QTest::newRow("stray comma") << QByteArray(",") << "";
    QTest::newRow("junk then comma") << QByteArray(",GF\x13\x46Z)cJR") << "";
    QTest::newRow("only a colon") << QByteArray(":") << "";
    QTest::newRow("lone quote") << QByteArray("\"") << "never closed";
    QTest::newRow("directive junk") << QByteArray("%YAML 9.9\n---\na: 1\n") << "";
    QTest::newRow("tag junk") << QByteArray("pipewright: !!binary 1\nflow: !x f\n") << "";
    QTest::newRow("anchor loop-ish")
        << QByteArray("pipewright: 1\nflow: &a f\ntasks: {*a : {type: noop}}\n") << "";
    QTest::newRow("map in key") << QByteArray("{a: 1}: 2\n") << "";
}
// clang-format on

void TestFlowLoader::hostile()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, message);
    QElapsedTimer timer;
    timer.start();
    const auto r = FlowLoader::loadData(data, QStringLiteral("hostile"));
    QVERIFY(timer.elapsed() < 10000);
    if (r.has_value())
        return; // e.g. tags are ignored; what matters is no crash and no hang
    QVERIFY(!r.error().isEmpty());
    QVERIFY(r.error().size() <= 101);
    if (!message.isEmpty()) {
        bool found = false;
        for (const Error &e : r.error())
            found = found || e.message.contains(message);
        QVERIFY2(found, qPrintable(dump(r.error())));
    }
    for (const Error &e : r.error())
        QVERIFY(!e.message.isEmpty());
}

void TestFlowLoader::errorFlood()
{
    QByteArray yaml = "pipewright: 1\nflow: flood\ntasks:\n";
    for (int i = 0; i < 2000; ++i)
        yaml += "  t" + QByteArray::number(i) + ": {type: shel, after: [nope]}\n";
    const auto r = FlowLoader::loadData(yaml);
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().size(), 101);
    QVERIFY(r.error().last().message.contains(QLatin1String("too many errors")));

    // Random binary junk never crashes.
    QRandomGenerator rng(42);
    for (int round = 0; round < 200; ++round) {
        QByteArray junk(int(rng.bounded(1, 400)), Qt::Uninitialized);
        for (char &c : junk)
            c = char(rng.bounded(1, 128)); // ASCII: gets past the UTF-8 check into yaml-cpp
        const auto j = FlowLoader::loadData(junk);
        QVERIFY(!j.has_value());
    }
}

void TestFlowLoader::largeFlow()
{
    QByteArray yaml = "pipewright: 1\nflow: big\ntasks:\n  t0: {type: noop}\n";
    for (int i = 1; i < 5000; ++i)
        yaml += "  t" + QByteArray::number(i) + ": {type: noop, after: [t"
            + QByteArray::number(i - 1) + "]}\n";
    QElapsedTimer timer;
    timer.start();
    const auto r = FlowLoader::loadData(yaml);
    QVERIFY2(r.has_value(), qPrintable(r ? QString() : dump(r.error())));
    QCOMPARE(r->tasks.size(), 5000);
    QVERIFY(timer.elapsed() < 10000);
    // The same as minified JSON (one long line): positions cost linear time, not quadratic.
    const QByteArray minified = FlowWriter::canonicalDefinition(*r);
    QVERIFY(!minified.contains('\n'));
    timer.restart();
    const auto j = FlowLoader::loadData(minified, QStringLiteral("big.flow.json"));
    QVERIFY2(j.has_value(), qPrintable(j ? QString() : dump(j.error())));
    QCOMPARE(j->tasks.size(), 5000);
    QCOMPARE(j->tasks.last().line, 1);
    QCOMPARE(j->tasks.last().column, int(minified.indexOf("\"t4999\"")) + 1);
    QVERIFY(timer.elapsed() < 10000);
    // A long chain closed into a cycle is found without recursion.
    yaml.replace("t0: {type: noop}", "t0: {type: noop, after: [t4999]}");
    const auto c = FlowLoader::loadData(yaml);
    QVERIFY(!c.has_value());
    QVERIFY(c.error().first().message.startsWith(QLatin1String("cycle: t0 -> t1 -> t2 -> ")));
    QVERIFY(c.error().first().message.endsWith(QLatin1String("t4999 -> t0")));
}

QTEST_GUILESS_MAIN(TestFlowLoader)
#include "tst_flowloader.moc"
