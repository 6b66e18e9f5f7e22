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

Flow load(const QByteArray &data, const QString &name = QStringLiteral("mem"))
{
    auto r = FlowLoader::loadData(data, name);
    if (!r) {
        qWarning().noquote() << dump(r.error()) << "\n--- in ---\n" << QString::fromUtf8(data);
        return {};
    }
    return *r;
}

TaskSpec task(const QString &id, TaskType type = TaskType::Noop)
{
    TaskSpec t;
    t.id = id;
    t.type = type;
    return t;
}

} // namespace

class TestFlowWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void roundTrip_data();
    void roundTrip();
    void minimalOutput();
    void goldenYaml();
    void goldenJson();
    void keyOrder();
    void onlySetFields();
    void awkwardStrings_data();
    void awkwardStrings();
    void randomStrings();
    void canonicalDefinition();
    void canonicalTask();
    void saveFile();
};

void TestFlowWriter::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

// clang-format off
void TestFlowWriter::roundTrip_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("hello") << kExamples + "/hello.flow.yaml";
    QTest::newRow("daily_sales") << kExamples + "/daily_sales.flow.yaml";
    QTest::newRow("design example") << kData + "/design_example.flow.yaml";
    QTest::newRow("maximal") << kData + "/maximal.flow.yaml";
    QTest::newRow("json") << kData + "/valid.flow.json";
    // Regressions: flows that once failed to load again after saving (fuzzing, by hand).
    const QDir regressions(kData + "/roundtrip");
    const QStringList files = regressions.entryList(
        { QStringLiteral("*.flow.yaml"), QStringLiteral("*.flow.json") }, QDir::Files, QDir::Name);
    QVERIFY(!files.isEmpty());
    for (const QString &file : files)
        QTest::newRow(qPrintable(QStringLiteral("roundtrip/") + file)) << regressions.filePath(file);
}
// clang-format on

void TestFlowWriter::roundTrip()
{
    QFETCH(QString, path);
    const auto loaded = FlowLoader::loadFile(path);
    QVERIFY2(loaded.has_value(), qPrintable(loaded ? QString() : dump(loaded.error())));
    const Flow &f = *loaded;

    const QByteArray yaml = FlowWriter::toYaml(f);
    const auto y = FlowLoader::loadData(yaml, QStringLiteral("saved.flow.yaml"));
    QVERIFY2(y.has_value(),
        qPrintable(y ? QString() : dump(y.error()) + "\n" + QString::fromUtf8(yaml)));
    QVERIFY(*y == f);
    QCOMPARE(FlowWriter::toYaml(*y), yaml); // byte-stable

    const QByteArray json = FlowWriter::toJson(f);
    const auto j = FlowLoader::loadData(json, QStringLiteral("saved.flow.json"));
    QVERIFY2(j.has_value(), qPrintable(j ? QString() : dump(j.error())));
    QVERIFY(*j == f);
    QCOMPARE(FlowWriter::toJson(*j), json);
    QCOMPARE(FlowWriter::toYaml(*j), yaml);

    const QByteArray canonical = FlowWriter::canonicalDefinition(f);
    QVERIFY(!canonical.contains('\n'));
    const auto c = FlowLoader::loadData(canonical, QStringLiteral("definition"));
    QVERIFY2(c.has_value(), qPrintable(c ? QString() : dump(c.error())));
    QCOMPARE(FlowWriter::canonicalDefinition(*c), canonical);
    QCOMPARE(c->tasks.size(), f.tasks.size());
    for (const TaskSpec &t : f.tasks)
        QCOMPARE(FlowWriter::canonicalTask(*c, *c->task(t.id)), FlowWriter::canonicalTask(f, t));
}

void TestFlowWriter::minimalOutput()
{
    Flow f;
    f.id = QStringLiteral("m");
    f.tasks.append(task(QStringLiteral("a")));
    QCOMPARE(FlowWriter::toYaml(f),
        QByteArray("pipewright: 1\nflow: m\ntasks:\n  a:\n    type: noop\n"));
    QCOMPARE(FlowWriter::toJson(f),
        QByteArray("{\n  \"pipewright\": 1,\n  \"flow\": \"m\",\n  \"tasks\": {\n    \"a\": {\n"
                   "      \"type\": \"noop\"\n    }\n  }\n}\n"));
    QCOMPARE(FlowWriter::canonicalDefinition(f),
        QByteArray("{\"pipewright\":1,\"flow\":\"m\",\"tasks\":{\"a\":{\"type\":\"noop\"}}}"));
    Flow empty;
    empty.id = QStringLiteral("e");
    QCOMPARE(FlowWriter::toYaml(empty), QByteArray("pipewright: 1\nflow: e\n"));
    QVERIFY(load(FlowWriter::toYaml(empty)) == empty);
}

void TestFlowWriter::goldenYaml()
{
    Flow f;
    f.id = QStringLiteral("daily_sales");
    f.title = QStringLiteral("Daily sales load");
    ParamSpec date;
    date.name = QStringLiteral("date");
    date.type = ParamType::Date;
    date.defaultValue = QStringLiteral("today");
    ParamSpec region;
    region.name = QStringLiteral("region");
    region.type = ParamType::Choice;
    region.values = QStringList{"kr", "jp"};
    region.defaultValue = QStringLiteral("kr");
    f.params = {date, region};
    f.schedule.cron = QStringLiteral("0 3 * * *");
    f.schedule.timezone = QStringLiteral("Asia/Seoul");
    f.schedule.param = QStringLiteral("date");
    f.schedule.offsetMs = -86400000;
    f.limits.maxParallel = 4;
    f.limits.pools.insert(QStringLiteral("warehouse"), 2);
    f.notify.on = QStringList{"failure"};
    f.notify.command = QStringLiteral("notify-send {{flow}} {{state}}");
    TaskSpec extract = task(QStringLiteral("extract"), TaskType::Shell);
    extract.command = QStringLiteral("./extract.sh --date {{date}}\n./check.sh\n");
    TaskSpec loadTask = task(QStringLiteral("load"), TaskType::Sql);
    loadTask.after = QStringList{"extract"};
    loadTask.pool = QStringLiteral("warehouse");
    loadTask.connection = QStringLiteral("warehouse");
    loadTask.sql = QStringLiteral("INSERT INTO sales SELECT :date, amount FROM staging");
    loadTask.partition
        = {QStringLiteral("sales"), QStringLiteral("day"), QStringLiteral("{{date}}")};
    loadTask.retry.retries = 2;
    loadTask.retry.retryOn = QStringList{"exit:75", "timeout"};
    TaskSpec report = task(QStringLiteral("report"), TaskType::Shell);
    report.after = QStringList{"load"};
    report.trigger = TriggerRule::AllDone;
    report.command = QStringLiteral("./report.sh {{date}}");
    f.tasks = {extract, loadTask, report};
    f.layout.insert(QStringLiteral("extract"), QPointF(0, 0));
    f.layout.insert(QStringLiteral("load"), QPointF(220, 0.5));

    const QByteArray expected = R"(pipewright: 1
flow: daily_sales
title: Daily sales load
params:
  date: {type: date, default: today}
  region: {type: choice, values: [kr, jp], default: kr}
schedule: {cron: "0 3 * * *", timezone: Asia/Seoul, param: date, offset: -1d}
limits: {max_parallel: 4, pools: {warehouse: 2}}
notify: {on: [failure], command: "notify-send {{flow}} {{state}}"}
tasks:
  extract:
    type: shell
    command: |
      ./extract.sh --date {{date}}
      ./check.sh
  load:
    type: sql
    after: [extract]
    pool: warehouse
    sql: INSERT INTO sales SELECT :date, amount FROM staging
    connection: warehouse
    partition: {table: sales, column: day, value: "{{date}}"}
    retries: 2
    retry_on: [exit:75, timeout]
  report:
    type: shell
    after: [load]
    trigger: all_done
    command: ./report.sh {{date}}
layout:
  extract: [0, 0]
  load: [220, 0.5]
)";
    QCOMPARE(QString::fromUtf8(FlowWriter::toYaml(f)), QString::fromUtf8(expected));
    QVERIFY(FlowLoader::loadData(expected).has_value());
    QVERIFY(load(expected) == f);
}

void TestFlowWriter::goldenJson()
{
    Flow f;
    f.id = QStringLiteral("j");
    ParamSpec n;
    n.name = QStringLiteral("n");
    n.type = ParamType::Int;
    n.defaultValue = QStringLiteral("3");
    f.params = {n};
    TaskSpec a = task(QStringLiteral("a"), TaskType::Shell);
    a.command = QStringLiteral("echo \"{{n}}\"\tdone");
    a.after = {};
    TaskSpec b = task(QStringLiteral("b"));
    b.after = QStringList{"a"};
    b.retry.jitter = false;
    f.tasks = {a, b};
    const QByteArray expected = R"({
  "pipewright": 1,
  "flow": "j",
  "params": {
    "n": {
      "type": "int",
      "default": 3
    }
  },
  "tasks": {
    "a": {
      "type": "shell",
      "command": "echo \"{{n}}\"\tdone"
    },
    "b": {
      "type": "noop",
      "after": ["a"],
      "jitter": false
    }
  }
}
)";
    QCOMPARE(QString::fromUtf8(FlowWriter::toJson(f)), QString::fromUtf8(expected));
    QVERIFY(load(expected) == f);
}

void TestFlowWriter::keyOrder()
{
    const auto f = FlowLoader::loadFile(kData + QStringLiteral("/maximal.flow.yaml"));
    QVERIFY(f.has_value());
    const QString yaml = QString::fromUtf8(FlowWriter::toYaml(*f));
    const QStringList top{"pipewright:", "flow:", "title:", "description:", "params:", "schedule:",
        "limits:", "defaults:", "notify:", "sla:", "tasks:", "layout:"};
    qsizetype last = -1;
    for (const QString &k : top) {
        const qsizetype at = yaml.indexOf(QLatin1Char('\n') + k);
        const qsizetype pos = k == top.first() ? (yaml.startsWith(k) ? 0 : -1) : at;
        QVERIFY2(pos > last, qPrintable(k));
        last = pos;
    }
    const QStringList taskKeys{"type:", "description:", "priority:", "pool:", "command:",
        "outputs:", "env:", "workdir:", "retries:", "retry_delay:", "backoff:", "max_retry_delay:",
        "jitter:", "retry_on:", "timeout:"};
    const qsizetype start = yaml.indexOf(QLatin1String("\n  extract:\n"));
    const qsizetype end = yaml.indexOf(QLatin1String("\n  wait:\n"));
    last = start;
    for (const QString &k : taskKeys) {
        const qsizetype pos = yaml.indexOf(QStringLiteral("\n    ") + k, start);
        QVERIFY2(pos > last && pos < end, qPrintable(k));
        last = pos;
    }
}

void TestFlowWriter::onlySetFields()
{
    Flow f;
    f.id = QStringLiteral("o");
    TaskSpec t = task(QStringLiteral("a"), TaskType::Shell);
    t.command = QStringLiteral("true");
    f.tasks = {t};
    const QByteArray yaml = FlowWriter::toYaml(f);
    for (const char *absent : {"title", "params", "schedule", "limits", "defaults", "notify", "sla",
             "layout", "after", "trigger", "priority", "retries", "env", "executor"})
        QVERIFY2(!yaml.contains(absent), absent);
    // An explicitly empty retry_on (retry every failure) survives.
    f.tasks[0].retry.retryOn = QStringList();
    QVERIFY(FlowWriter::toYaml(f).contains("retry_on: []"));
    QVERIFY(load(FlowWriter::toYaml(f)) == f);
}

// clang-format off
void TestFlowWriter::awkwardStrings_data()
{
    QTest::addColumn<QString>("value");
    const char *values[] = { "", " leading", "trailing ", "null", "~", "true", "no", "Yes", "123",
        "1.5", "-1", "-", "- x", "---", "...", "a: b", "a:b", "a #b", "a#b", "#x", "!tag",
        "&anchor", "*alias", "@at", "`tick", "%pct", "|pipe", ">gt", "'single'", "\"double\"",
        "it's", "{{flow}}", "[x]", "{x}", "a,b", "x?y", "?x", ":x", "x:", "back\\slash", "tab\tin",
        "new\nline", "trailing newline\n", "two trailing\n\n", "\nleading newline",
        "  indented\nsecond", "a\n  b\n", "ws only line\n   \nend", "cr\r\nlf", "bell\a",
        "nul-free \x1b esc", "unicode é 한국어 🚀", "\xc2\x85next line", "\xe2\x80\xa8line sep",
        "\xef\xbb\xbf"
        "bom",
        "http://h:1/p?q=1#f", "exit:75", "0x1F", "1e3", "2026-11-24", "01:00:00", "=", "<<" };
    for (const char *v : values)
        QTest::addRow("%s", QByteArray(v).toPercentEncoding(" :#-'\"").constData())
            << QString::fromUtf8(v);
}
// clang-format on

void TestFlowWriter::awkwardStrings()
{
    QFETCH(QString, value);
    Flow f;
    f.id = QStringLiteral("s");
    f.title = value;
    f.description = value;
    ParamSpec p;
    p.name = QStringLiteral("p");
    p.defaultValue = value;
    p.description = value;
    f.params = {p};
    f.notify.on = QStringList{"failure"};
    f.notify.command = QStringLiteral("x ") + value;
    f.notify.webhook = QStringLiteral("http://h/");
    TaskSpec t = task(QStringLiteral("a"), TaskType::Shell);
    t.command = QStringLiteral("x") + value;
    t.description = value;
    t.outputs = QStringList{QStringLiteral("o") + value, QStringLiteral("p")};
    t.env.insert(QStringLiteral("V"), value);
    t.connection = QStringLiteral("c") + value;
    t.slurm.extraArgs = QStringList{value};
    t.slurm.mem = QStringLiteral("m") + value;
    f.tasks = {t};
    if (value.contains(QLatin1String("{{")))
        f.tasks[0].outputs[0] = QStringLiteral("o");

    const QByteArray yaml = FlowWriter::toYaml(f);
    const auto y = FlowLoader::loadData(yaml);
    QVERIFY2(y.has_value(),
        qPrintable(y ? QString() : dump(y.error()) + "\n" + QString::fromUtf8(yaml)));
    QVERIFY2(*y == f, yaml.constData());
    QCOMPARE(FlowWriter::toYaml(*y), yaml);
    const QByteArray json = FlowWriter::toJson(f);
    const auto j = FlowLoader::loadData(json, QStringLiteral("saved.flow.json")); // strict JSON
    QVERIFY2(j.has_value(),
        qPrintable(j ? QString() : dump(j.error()) + "\n" + QString::fromUtf8(json)));
    QVERIFY2(*j == f, json.constData());
}

void TestFlowWriter::randomStrings()
{
    // Random text from an alphabet rich in YAML syntax, in block and flow positions.
    const QString alphabet = QStringLiteral("ab -:#?,[]{}'\"\\!&*|>%@`\n\t \x01\x7fé한🚀.~=");
    QRandomGenerator rng(1234);
    for (int round = 0; round < 400; ++round) {
        QString s;
        const int len = int(rng.bounded(0, 24));
        for (int i = 0; i < len; ++i) {
            const int at = int(rng.bounded(int(alphabet.size())));
            s += alphabet[at];
            if (alphabet[at].isHighSurrogate())
                s += alphabet[at + 1];
            else if (alphabet[at].isLowSurrogate())
                s.chop(1);
        }
        s.replace(QLatin1String("{{"), QLatin1String("{"));
        Flow f;
        f.id = QStringLiteral("r");
        f.description = s;
        f.notify.command = QStringLiteral("n") + s;
        TaskSpec t = task(QStringLiteral("a"), TaskType::Shell);
        t.command = QStringLiteral("c") + s;
        t.outputs = QStringList{s + QStringLiteral("o")};
        t.env.insert(QStringLiteral("E"), s);
        f.tasks = {t};
        f.layout.insert(
            QStringLiteral("a"), QPointF(rng.bounded(1000.0) - 500.0, rng.bounded(1e6)));
        const QByteArray yaml = FlowWriter::toYaml(f);
        const auto y = FlowLoader::loadData(yaml);
        QVERIFY2(y.has_value(),
            qPrintable(y ? QString() : dump(y.error()) + "\n" + QString::fromUtf8(yaml)));
        QVERIFY2(*y == f, yaml.constData());
        QCOMPARE(FlowWriter::toYaml(*y), yaml);
        const auto j = FlowLoader::loadData(FlowWriter::toJson(f), QStringLiteral("r.flow.json"));
        QVERIFY2(j.has_value() && *j == f, FlowWriter::toJson(f).constData());
    }
}

void TestFlowWriter::canonicalDefinition()
{
    const auto loaded = FlowLoader::loadFile(kData + QStringLiteral("/maximal.flow.yaml"));
    QVERIFY(loaded.has_value());
    Flow f = *loaded;
    const QByteArray c = FlowWriter::canonicalDefinition(f);
    QVERIFY(c.startsWith("{\"pipewright\":1,\"flow\":\"maximal.flow-1\","));
    QVERIFY(!c.contains("layout"));
    QVERIFY(!c.contains("title"));
    QVERIFY(!c.contains("description"));
    // Presentation does not change the definition ...
    f.title = QStringLiteral("Other");
    f.description = QStringLiteral("Other");
    f.layout.clear();
    f.tasks[0].description = QStringLiteral("Other");
    f.params[0].description = QStringLiteral("Other");
    f.sourcePath = QStringLiteral("/elsewhere.flow.yaml");
    f.tasks[0].line = 99;
    QCOMPARE(FlowWriter::canonicalDefinition(f), c);
    // ... what runs does.
    f.tasks[0].command += QLatin1Char(' ');
    QVERIFY(FlowWriter::canonicalDefinition(f) != c);
}

void TestFlowWriter::canonicalTask()
{
    Flow f;
    f.id = QStringLiteral("t");
    TaskSpec a = task(QStringLiteral("a"), TaskType::Shell);
    a.command = QStringLiteral("echo");
    a.retry.retries = 2;
    a.retry.timeoutMs = 60000;
    f.tasks = {a, task(QStringLiteral("b"))};
    const QByteArray before = FlowWriter::canonicalTask(f, f.tasks[0]);
    QCOMPARE(before,
        QByteArray("{\"id\":\"a\",\"task\":{\"type\":\"shell\",\"command\":\"echo\"},\"effective\":"
                   "{\"retries\":2,\"retry_delay\":\"5m\",\"backoff\":\"fixed\",\"max_retry_"
                   "delay\":\"1h\","
                   "\"jitter\":true,\"retry_on\":[],\"timeout\":\"1m\"}}"));
    // The same effective settings from the flow's defaults: the same task definition.
    Flow g = f;
    g.tasks[0].retry = {};
    g.defaults.retries = 2;
    g.defaults.timeoutMs = 60000;
    QCOMPARE(FlowWriter::canonicalTask(g, g.tasks[0]), before);
    g.tasks[0].description = QStringLiteral("docs only");
    QCOMPARE(FlowWriter::canonicalTask(g, g.tasks[0]), before);
    g.defaults.retries = 3;
    QVERIFY(FlowWriter::canonicalTask(g, g.tasks[0]) != before);
    QVERIFY(FlowWriter::canonicalTask(f, f.tasks[1]) != before);
    // The noop task has no timeout: the key is absent.
    QVERIFY(!FlowWriter::canonicalTask(f, f.tasks[1]).contains("timeout"));
}

void TestFlowWriter::saveFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto f = FlowLoader::loadFile(kData + QStringLiteral("/maximal.flow.yaml"));
    QVERIFY(f.has_value());
    for (const QString &name : {QStringLiteral("out.flow.yaml"), QStringLiteral("out.flow.json")}) {
        const QString path = dir.filePath(name);
        const auto saved = FlowWriter::saveFile(*f, path);
        QVERIFY2(saved.has_value(), qPrintable(saved ? QString() : saved.error().message));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QCOMPARE(bytes,
            name.endsWith(QLatin1String(".json")) ? FlowWriter::toJson(*f)
                                                  : FlowWriter::toYaml(*f));
        const auto back = FlowLoader::loadFile(path);
        QVERIFY(back.has_value());
        QVERIFY(*back == *f);
        QCOMPARE(back->sourcePath, path);
    }
    const auto bad
        = FlowWriter::saveFile(*f, dir.filePath(QStringLiteral("no/such/dir/x.flow.yaml")));
    QVERIFY(!bad.has_value());
    QVERIFY(bad.error().message.startsWith(QLatin1String("cannot write")));
}

QTEST_GUILESS_MAIN(TestFlowWriter)
#include "tst_flowwriter.moc"
