#include "history/historystore.h"
#include "history/rundocument.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace pw;

#define CHECK_OK(expr)                                                                             \
    do {                                                                                           \
        const auto &checkOk_ = (expr);                                                             \
        QVERIFY2(checkOk_.has_value(),                                                             \
            checkOk_.has_value() ? "" : qPrintable(checkOk_.error().message));                     \
    } while (false)

#define TAKE(var, expr)                                                                            \
    auto var##Result_ = (expr);                                                                    \
    CHECK_OK(var##Result_);                                                                        \
    auto var = std::move(*var##Result_)

namespace {

constexpr qint64 kT0 = 1795489200123; // 2026-11-24T03:00:00.123Z

QJsonObject parse(const char *json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad expected JSON: %s", qPrintable(error.errorString()));
    return doc.object();
}

QByteArray pretty(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace

class TestRunDocument : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void isoTime_data();
    void isoTime();
    void runObjectBeforeFirstTry();
    void runDocument();
    void runsDocument();
    void sqlRows();
    void missingRun();

private:
    std::unique_ptr<HistoryStore> m_store;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRunDocument::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestRunDocument::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    HistoryStore::Options o;
    o.path = m_dir->filePath(QStringLiteral("history.sqlite"));
    TAKE(store, HistoryStore::open(o));
    m_store = std::move(store);
}

// clang-format off
void TestRunDocument::isoTime_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("iso");
    QTest::newRow("epoch") << qint64(0) << QStringLiteral("1970-01-01T00:00:00.000Z");
    QTest::newRow("with ms") << kT0 << QStringLiteral("2026-11-24T03:00:00.123Z");
    QTest::newRow("whole second keeps .000") << qint64(1795489205000) << QStringLiteral("2026-11-24T03:00:05.000Z");
    QTest::newRow("leap day") << qint64(951868799999) << QStringLiteral("2000-02-29T23:59:59.999Z");
}
// clang-format on

void TestRunDocument::isoTime()
{
    QFETCH(qint64, ms);
    QFETCH(QString, iso);
    QCOMPARE(RunDocument::isoTime(ms), iso);
    if (ms != 0)
        QCOMPARE(RunDocument::timeValue(ms), QJsonValue(iso));
    else
        QVERIFY(RunDocument::timeValue(ms).isNull()); // 0 = absent
}

void TestRunDocument::runObjectBeforeFirstTry()
{
    RunRecord r;
    r.id = 7;
    r.flowId = QStringLiteral("daily");
    r.paramsJson = "{\"date\":\"2026-11-24\",\"n\":3}";
    r.created = kT0;
    const QJsonObject expected = parse(R"({"id": 7, "flow": "daily",
        "params": {"date": "2026-11-24", "n": 3}, "state": "queued", "trigger": null,
        "try": null, "created": "2026-11-24T03:00:00.123Z", "started": null, "ended": null})");
    const QJsonObject got = RunDocument::runObject(r);
    QVERIFY2(got == expected, pretty(got).constData());
    QCOMPARE(got.keys().size(), 9);
}

void TestRunDocument::runDocument()
{
    HistoryStore::NewRun n;
    n.flowId = QStringLiteral("daily_sales");
    n.key = QStringLiteral("daily_sales{\"date\":\"2026-11-24\"}");
    n.paramsJson = "{\"date\":\"2026-11-24\"}";
    n.created = kT0;
    TAKE(id, m_store->createRun(n));
    TryRecord t;
    t.runId = id;
    t.tryNo = 1;
    t.trigger = TryTrigger::Schedule;
    t.state = RunState::Running;
    t.started = kT0 + 1000;
    CHECK_OK(m_store->startTry(t));
    // Inserted in this order: the document keeps it.
    for (const char *task : {"extract", "load", "report"})
        CHECK_OK(m_store->setTaskState(id, QString::fromLatin1(task), TaskState::Waiting, 1, kT0));

    AttemptRecord a;
    a.runId = id;
    a.task = QStringLiteral("extract");
    a.attempt = 1;
    a.tryNo = 1;
    a.started = kT0 + 2000;
    a.logPath = QStringLiteral("/home/pw/logs/1/extract/attempt-1.log");
    CHECK_OK(m_store->insertAttempt(a));
    CHECK_OK(m_store->finishAttempt(id, a.task, 1, AttemptState::Succeeded, kT0 + 3000, 0, {}));
    CHECK_OK(
        m_store->setTaskState(id, QStringLiteral("extract"), TaskState::Succeeded, 1, kT0 + 3000));
    // load: failed attempt 1 with exit code, then a running attempt 2 (no end, no exit code).
    a.task = QStringLiteral("load");
    a.started = kT0 + 4000;
    a.logPath = QStringLiteral("/home/pw/logs/1/load/attempt-1.log");
    CHECK_OK(m_store->insertAttempt(a));
    CHECK_OK(m_store->finishAttempt(
        id, a.task, 1, AttemptState::Failed, kT0 + 5000, 75, QStringLiteral("exit:75")));
    a.attempt = 2;
    a.started = kT0 + 6000;
    a.logPath = QStringLiteral("/home/pw/logs/1/load/attempt-2.log");
    CHECK_OK(m_store->insertAttempt(a));
    CHECK_OK(m_store->setTaskState(id, QStringLiteral("load"), TaskState::Running, 1, kT0 + 6000));

    const QJsonObject expected = parse(R"({
      "run": {"id": 1, "flow": "daily_sales", "params": {"date": "2026-11-24"},
              "state": "running", "trigger": "schedule", "try": 1,
              "created": "2026-11-24T03:00:00.123Z", "started": "2026-11-24T03:00:01.123Z",
              "ended": null},
      "tasks": [
        {"task": "extract", "state": "succeeded", "attempts": [
          {"attempt": 1, "try": 1, "state": "succeeded", "started": "2026-11-24T03:00:02.123Z",
           "ended": "2026-11-24T03:00:03.123Z", "exit_code": 0, "error": null,
           "log": "/home/pw/logs/1/extract/attempt-1.log", "rows": null}]},
        {"task": "load", "state": "running", "attempts": [
          {"attempt": 1, "try": 1, "state": "failed", "started": "2026-11-24T03:00:04.123Z",
           "ended": "2026-11-24T03:00:05.123Z", "exit_code": 75, "error": "exit:75",
           "log": "/home/pw/logs/1/load/attempt-1.log", "rows": null},
          {"attempt": 2, "try": 1, "state": "running", "started": "2026-11-24T03:00:06.123Z",
           "ended": null, "exit_code": null, "error": null,
           "log": "/home/pw/logs/1/load/attempt-2.log", "rows": null}]},
        {"task": "report", "state": "waiting", "attempts": []}
      ]})");
    QCOMPARE(id, qint64(1));
    TAKE(doc, RunDocument::runDocument(*m_store, id));
    QVERIFY2(doc == expected, pretty(doc).constData());

    // Finishing the run fills "ended"; a noop attempt has no log.
    a.task = QStringLiteral("report");
    a.attempt = 1;
    a.started = kT0 + 7000;
    a.logPath.clear();
    CHECK_OK(m_store->insertAttempt(a));
    CHECK_OK(m_store->finishAttempt(
        id, a.task, 1, AttemptState::Succeeded, kT0 + 7000, std::nullopt, {}));
    CHECK_OK(m_store->setRunState(id, RunState::Failed, kT0 + 8000));
    TAKE(done, RunDocument::runDocument(*m_store, id));
    QCOMPARE(done.value(QLatin1String("run")).toObject().value(QLatin1String("ended")),
        QJsonValue(QStringLiteral("2026-11-24T03:00:08.123Z")));
    const QJsonObject report = done.value(QLatin1String("tasks")).toArray().at(2).toObject();
    const QJsonObject noop = report.value(QLatin1String("attempts")).toArray().at(0).toObject();
    QVERIFY(noop.value(QLatin1String("log")).isNull());
    QVERIFY(noop.value(QLatin1String("exit_code")).isNull());
    QCOMPARE(noop.keys().size(), 9);
    QVERIFY(noop.value(QLatin1String("rows")).isNull());
}

// A sql attempt records the rows each statement affected (history migration 4), written by
// finishAttempt or by the batch insert of an attempt that started and ended in one batch.
void TestRunDocument::sqlRows()
{
    HistoryStore::NewRun n;
    n.flowId = QStringLiteral("f");
    n.key = QStringLiteral("f{}");
    n.paramsJson = "{}";
    n.created = kT0;
    TAKE(id, m_store->createRun(n));
    CHECK_OK(m_store->setTaskState(id, QStringLiteral("load"), TaskState::Succeeded, 1, kT0));
    AttemptRecord a;
    a.runId = id;
    a.task = QStringLiteral("load");
    a.attempt = 1;
    a.tryNo = 1;
    a.started = kT0;
    CHECK_OK(m_store->insertAttempt(a));
    CHECK_OK(m_store->finishAttempt(
        id, a.task, 1, AttemptState::Succeeded, kT0 + 1, 0, {}, QList<qint64>{3, 0}));
    a.attempt = 2;
    a.state = AttemptState::Succeeded;
    a.rows = QList<qint64>{};
    AttemptRecord b = a;
    b.attempt = 3;
    b.rows = QList<qint64>{1234567890123, 1};
    CHECK_OK(m_store->insertAttempts({a, b}));
    TAKE(list, m_store->attempts(id, QStringLiteral("load")));
    QCOMPARE(list.size(), 3);
    QCOMPARE(list[0].rows, std::optional<QList<qint64>>(QList<qint64>{3, 0}));
    QCOMPARE(list[1].rows, std::optional<QList<qint64>>(QList<qint64>{}));
    QCOMPARE(list[2].rows, std::optional<QList<qint64>>(QList<qint64>{1234567890123, 1}));
    TAKE(doc, RunDocument::runDocument(*m_store, id));
    const QJsonArray attempts = doc.value(QLatin1String("tasks"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QLatin1String("attempts"))
                                    .toArray();
    QCOMPARE(attempts.at(0).toObject().value(QLatin1String("rows")), QJsonValue(QJsonArray{3, 0}));
    QCOMPARE(attempts.at(1).toObject().value(QLatin1String("rows")), QJsonValue(QJsonArray{}));
}

void TestRunDocument::runsDocument()
{
    for (int i = 1; i <= 3; ++i) {
        HistoryStore::NewRun n;
        n.flowId = QStringLiteral("f");
        n.key = QStringLiteral("f{\"i\":%1}").arg(i);
        n.paramsJson = QStringLiteral("{\"i\":%1}").arg(i).toUtf8();
        n.created = kT0 + i;
        CHECK_OK(m_store->createRun(n));
    }
    RunFilter filter;
    filter.limit = 2;
    TAKE(doc, RunDocument::runsDocument(*m_store, filter));
    QCOMPARE(doc.keys(), QStringList{QStringLiteral("runs")});
    const QJsonArray runs = doc.value(QLatin1String("runs")).toArray();
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs.at(0).toObject().value(QLatin1String("id")).toInteger(), 3); // newest first
    QCOMPARE(runs.at(1).toObject().value(QLatin1String("id")).toInteger(), 2);
    QCOMPARE(runs.at(0).toObject().value(QLatin1String("created")),
        QJsonValue(QStringLiteral("2026-11-24T03:00:00.126Z")));
    QCOMPARE(runs.at(0)
                 .toObject()
                 .value(QLatin1String("params"))
                 .toObject()
                 .value(QLatin1String("i"))
                 .toInt(),
        3);

    RunFilter none;
    none.flowId = QStringLiteral("nothing");
    TAKE(empty, RunDocument::runsDocument(*m_store, none));
    QVERIFY(empty == parse(R"({"runs": []})"));
}

void TestRunDocument::missingRun()
{
    auto r = RunDocument::runDocument(*m_store, 42);
    QVERIFY(!r);
    QCOMPARE(r.error().message, QStringLiteral("no run 42"));
}

QTEST_GUILESS_MAIN(TestRunDocument)
#include "tst_rundocument.moc"
