#include "format/flowloader.h"
#include "format/flowwriter.h"
#include "format/runplanner.h"

#include <QCryptographicHash>
#include <QDir>
#include <QTimeZone>
#include <QtTest>

using namespace pw;

namespace {

const QString kExamples = QStringLiteral(PW_SOURCE_DIR "/resources/examples");
const QString kData = QStringLiteral(PW_TEST_DATA_DIR);

Flow dailySales()
{
    auto r = FlowLoader::loadFile(kExamples + QStringLiteral("/daily_sales.flow.yaml"));
    if (!r)
        qFatal("cannot load daily_sales example");
    return *r;
}

// 2026-11-24 10:00 in Seoul (01:00 UTC).
QDateTime seoulMorning()
{
    return QDateTime(QDate(2026, 11, 24), QTime(10, 0, 30), QTimeZone("Asia/Seoul"));
}

using Params = QMap<QString, QString>;

} // namespace

class TestRunPlanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sameInputsSameHash();
    void paramsMakeTheKey_data();
    void paramsMakeTheKey();
    void todayResolution_data();
    void todayResolution();
    void badParams_data();
    void badParams();
    void hashesAreDocumented();
    void presentationDoesNotChangeHashes();
    void taskHashesChangePerTask();
    void workdir();
    void invalidFlowIsRefused();
    void fromSnapshot_data();
    void fromSnapshot();
    void fromSnapshotErrors();
};

void TestRunPlanner::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestRunPlanner::sameInputsSameHash()
{
    const Flow f = dailySales();
    const Params given{{QStringLiteral("date"), QStringLiteral("2026-11-24")}};
    const auto a = RunPlanner::plan(f, given, seoulMorning());
    const auto b = RunPlanner::plan(f, given, seoulMorning().addDays(3)); // clock unused
    QVERIFY2(a.has_value(), qPrintable(a ? QString() : a.error().message));
    QVERIFY(b.has_value());
    QCOMPARE(a->hash, b->hash);
    QCOMPARE(a->definitionHash, b->definitionHash);
    QCOMPARE(a->definition, b->definition);
    QCOMPARE(a->taskHashes, b->taskHashes);
    QCOMPARE(a->key(), b->key());
    QCOMPARE(a->key(), QStringLiteral("daily_sales{\"date\":\"2026-11-24\",\"region\":\"kr\"}"));
    QCOMPARE(a->params.value(QStringLiteral("region")), QStringLiteral("kr")); // default filled in
    QCOMPARE(a->taskHashes.size(), f.tasks.size());
    QCOMPARE(a->sourcePath, f.sourcePath);
    QVERIFY(a->flow == f);
}

// clang-format off
void TestRunPlanner::paramsMakeTheKey_data()
{
    QTest::addColumn<Params>("a");
    QTest::addColumn<Params>("b");
    QTest::addColumn<bool>("same");
    const QString d = QStringLiteral("date"), r = QStringLiteral("region");
    QTest::newRow("same date") << Params { { d, "2026-11-24" } } << Params { { d, "2026-11-24" } }
                               << true;
    QTest::newRow("other date") << Params { { d, "2026-11-24" } } << Params { { d, "2026-11-25" } }
                                << false;
    QTest::newRow("today equals its date")
        << Params { { d, "today" } } << Params { { d, "2026-11-24" } } << true;
    QTest::newRow("default equals explicit")
        << Params { { d, "2026-11-24" } } << Params { { d, "2026-11-24" }, { r, "kr" } } << true;
    QTest::newRow("other region") << Params { { d, "2026-11-24" } }
                                  << Params { { d, "2026-11-24" }, { r, "jp" } } << false;
    QTest::newRow("spaces trimmed")
        << Params { { d, " 2026-11-24 " } } << Params { { d, "2026-11-24" } } << true;
}
// clang-format on

void TestRunPlanner::paramsMakeTheKey()
{
    QFETCH(Params, a);
    QFETCH(Params, b);
    QFETCH(bool, same);
    const Flow f = dailySales();
    const auto pa = RunPlanner::plan(f, a, seoulMorning());
    const auto pb = RunPlanner::plan(f, b, seoulMorning());
    QVERIFY(pa.has_value() && pb.has_value());
    QCOMPARE(pa->key() == pb->key(), same);
    QCOMPARE(pa->hash == pb->hash, same);
    QCOMPARE(pa->definitionHash, pb->definitionHash); // the definition never depends on params
}

// clang-format off
void TestRunPlanner::todayResolution_data()
{
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QString>("date");
    QTest::addColumn<QString>("at");
    QTest::newRow("Seoul morning") << seoulMorning() << "2026-11-24"
                                   << "2026-11-24T01:00:30Z";
    // 23:30 UTC on the 24th is already the 25th in Seoul: the run takes the clock's local date.
    const QDateTime lateUtc(QDate(2026, 11, 24), QTime(23, 30), QTimeZone::utc());
    QTest::newRow("UTC clock") << lateUtc << "2026-11-24"
                               << "2026-11-24T23:30:00Z";
    QTest::newRow("same instant in Seoul")
        << lateUtc.toTimeZone(QTimeZone("Asia/Seoul")) << "2026-11-25"
        << "2026-11-24T23:30:00Z";
    QTest::newRow("New York evening")
        << QDateTime(QDate(2026, 12, 31), QTime(21, 0), QTimeZone("America/New_York"))
        << "2026-12-31"
        << "2027-01-01T02:00:00Z";
}
// clang-format on

void TestRunPlanner::todayResolution()
{
    QFETCH(QDateTime, now);
    QFETCH(QString, date);
    QFETCH(QString, at);
    auto flow = FlowLoader::loadData(
        "pipewright: 1\nflow: t\nparams:\n  d: {type: date, default: today}\n"
        "  at: {type: datetime, default: now}\ntasks: {a: {type: noop}}\n");
    QVERIFY(flow.has_value());
    const auto p = RunPlanner::plan(*flow, {}, now);
    QVERIFY2(p.has_value(), qPrintable(p ? QString() : p.error().message));
    QCOMPARE(p->params.value(QStringLiteral("d")), date);
    QCOMPARE(p->params.value(QStringLiteral("at")), at);
}

// clang-format off
void TestRunPlanner::badParams_data()
{
    QTest::addColumn<QByteArray>("flow");
    QTest::addColumn<Params>("given");
    QTest::addColumn<QString>("message");
    const QByteArray daily
        = "pipewright: 1\nflow: d\nparams:\n  date: {type: date, default: today}\n"
          "  region: {type: choice, values: [kr, jp], default: kr}\n"
          "  limit: {type: int}\ntasks: {a: {type: noop}}\n";
    QTest::newRow("undeclared") << daily << Params { { "dat", "2026-11-24" }, { "limit", "1" } }
                                << "unknown parameter 'dat' (declared: date, region, limit)";
    QTest::newRow("no params declared")
        << QByteArray("pipewright: 1\nflow: np\ntasks: {a: {type: noop}}\n")
        << Params { { "x", "1" } } << "unknown parameter 'x' (flow 'np' declares no parameters)";
    QTest::newRow("ill-typed date")
        << daily << Params { { "date", "24.11.2026" }, { "limit", "1" } }
        << "parameter 'date': expected a date YYYY-MM-DD or 'today', got '24.11.2026'";
    QTest::newRow("ill-typed int") << daily << Params { { "limit", "ten" } }
                                   << "parameter 'limit': expected an integer, got 'ten'";
    QTest::newRow("not a choice") << daily << Params { { "region", "us" }, { "limit", "1" } }
                                  << "parameter 'region': expected one of: kr, jp, got 'us'";
    QTest::newRow("missing required")
        << daily << Params {} << "missing required parameter 'limit' (int); pass -p limit=VALUE";
}
// clang-format on

void TestRunPlanner::badParams()
{
    QFETCH(QByteArray, flow);
    QFETCH(Params, given);
    QFETCH(QString, message);
    const auto f = FlowLoader::loadData(flow);
    QVERIFY(f.has_value());
    const auto p = RunPlanner::plan(*f, given, seoulMorning());
    QVERIFY(!p.has_value());
    QCOMPARE(p.error().message, message);
}

void TestRunPlanner::hashesAreDocumented()
{
    const Flow f = dailySales();
    const auto p = RunPlanner::plan(
        f, {{QStringLiteral("date"), QStringLiteral("2026-11-24")}}, seoulMorning());
    QVERIFY(p.has_value());
    auto sha = [](const QByteArray &b) {
        return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex());
    };
    QCOMPARE(p->definition, FlowWriter::canonicalDefinition(f));
    QCOMPARE(p->definitionHash, sha(p->definition));
    QCOMPARE(p->hash,
        sha("{\"definition\":\"" + p->definitionHash.toLatin1()
            + "\",\"params\":{\"date\":\"2026-11-24\",\"region\":\"kr\"}}"));
    for (const TaskSpec &t : f.tasks)
        QCOMPARE(p->taskHashes.value(t.id), sha(FlowWriter::canonicalTask(f, t)));
    QCOMPARE(p->hash.size(), 64);
}

void TestRunPlanner::presentationDoesNotChangeHashes()
{
    Flow f = dailySales();
    const Params given{{QStringLiteral("date"), QStringLiteral("2026-11-24")}};
    const auto before = RunPlanner::plan(f, given, seoulMorning());
    f.title = QStringLiteral("Renamed");
    f.description.clear();
    f.layout.clear();
    f.tasks[0].description = QStringLiteral("new words");
    const auto after = RunPlanner::plan(f, given, seoulMorning());
    QVERIFY(before.has_value() && after.has_value());
    QCOMPARE(after->hash, before->hash);
    QCOMPARE(after->taskHashes, before->taskHashes);
}

void TestRunPlanner::taskHashesChangePerTask()
{
    Flow f = dailySales();
    const Params given{{QStringLiteral("date"), QStringLiteral("2026-11-24")}};
    const auto before = RunPlanner::plan(f, given, seoulMorning());
    f.task(QStringLiteral("load"))->command += QStringLiteral("\necho more");
    const auto after = RunPlanner::plan(f, given, seoulMorning());
    QVERIFY(before.has_value() && after.has_value());
    QVERIFY(after->hash != before->hash);
    QVERIFY(after->definitionHash != before->definitionHash);
    for (const TaskSpec &t : f.tasks) {
        const bool changed = after->taskHashes.value(t.id) != before->taskHashes.value(t.id);
        QCOMPARE(changed, t.id == QLatin1String("load"));
    }
    // A flow-wide default reaches every task that does not override it.
    f.defaults.timeoutMs = 3600000;
    const auto third = RunPlanner::plan(f, given, seoulMorning());
    QVERIFY(third.has_value());
    QCOMPARE(third->taskHashes.value(QStringLiteral("load")),
        after->taskHashes.value(QStringLiteral("load")));
    QVERIFY(third->taskHashes.value(QStringLiteral("report"))
        != after->taskHashes.value(QStringLiteral("report")));
}

void TestRunPlanner::workdir()
{
    Flow f = dailySales();
    const auto p = RunPlanner::plan(f, {}, seoulMorning());
    QVERIFY(p.has_value());
    QCOMPARE(p->workdir, QDir(kExamples).absolutePath());
    f.sourcePath.clear();
    const auto q = RunPlanner::plan(f, {}, seoulMorning());
    QVERIFY(q.has_value());
    QCOMPARE(q->workdir, QDir::currentPath());
    QCOMPARE(q->hash, p->hash); // where the file lives is not part of the definition
}

void TestRunPlanner::invalidFlowIsRefused()
{
    Flow f = dailySales();
    f.tasks[0].after = {QStringLiteral("report")};
    const auto p = RunPlanner::plan(f, {}, seoulMorning());
    QVERIFY(!p.has_value());
    QVERIFY2(p.error().message.startsWith(QLatin1String("invalid flow: cycle: ")),
        qPrintable(p.error().message));
}

// clang-format off
void TestRunPlanner::fromSnapshot_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<Params>("given");
    QTest::newRow("daily_sales") << kExamples + "/daily_sales.flow.yaml"
                                 << Params { { "region", "jp" } };
    QTest::newRow("hello") << kExamples + "/hello.flow.yaml" << Params {};
    QTest::newRow("maximal") << kData + "/maximal.flow.yaml"
                             << Params { { "limit", "7" }, { "dry", "yes" } };
}
// clang-format on

void TestRunPlanner::fromSnapshot()
{
    QFETCH(QString, path);
    QFETCH(Params, given);
    const auto f = FlowLoader::loadFile(path);
    QVERIFY(f.has_value());
    const auto p = RunPlanner::plan(*f, given, seoulMorning());
    QVERIFY2(p.has_value(), qPrintable(p ? QString() : p.error().message));
    const auto s
        = RunPlanner::fromSnapshot(p->definition, p->paramsJson(), p->sourcePath, p->workdir);
    QVERIFY2(s.has_value(), qPrintable(s ? QString() : s.error().message));
    QCOMPARE(s->hash, p->hash);
    QCOMPARE(s->definitionHash, p->definitionHash);
    QCOMPARE(s->definition, p->definition);
    QCOMPARE(s->taskHashes, p->taskHashes);
    QCOMPARE(s->params, p->params);
    QCOMPARE(s->key(), p->key());
    QCOMPARE(s->workdir, p->workdir);
    QCOMPARE(s->sourcePath, p->sourcePath);
    QCOMPARE(s->flow.sourcePath, p->sourcePath);
    QCOMPARE(s->flow.tasks.size(), f->tasks.size());
    for (const TaskSpec &t : f->tasks) {
        const TaskSpec *st = s->flow.task(t.id);
        QVERIFY(st);
        QCOMPARE(st->command, t.command);
        QCOMPARE(st->after, t.after);
        QVERIFY(st->retry == t.retry);
    }
    // Editing the file afterwards does not touch the snapshot.
    const auto again
        = RunPlanner::fromSnapshot(p->definition, p->paramsJson(), p->sourcePath, QString());
    QVERIFY(again.has_value());
    QCOMPARE(again->workdir, QFileInfo(path).absolutePath());
}

void TestRunPlanner::fromSnapshotErrors()
{
    const auto bad = RunPlanner::fromSnapshot("{\"pipewright\":1", "{}", QString(), QString());
    QVERIFY(!bad.has_value());
    QVERIFY(bad.error().message.startsWith(QLatin1String("stored definition is unreadable")));
    const auto badParams = RunPlanner::fromSnapshot(
        "{\"pipewright\":1,\"flow\":\"x\",\"tasks\":{\"a\":{\"type\":\"noop\"}}}", "[1]", QString(),
        QString());
    QVERIFY(!badParams.has_value());
    QVERIFY(badParams.error().message.startsWith(QLatin1String("stored parameters")));
}

QTEST_GUILESS_MAIN(TestRunPlanner)
#include "tst_runplanner.moc"
