#include "engine/home.h"
#include "engine/truststore.h"
#include "enginetestharness.h"
#include "format/flowloader.h"
#include "history/historystore.h"
#include "notify/notifier.h"
#include "schedule/scheduler.h"

#include <QJsonArray>

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>
#include <algorithm>

using namespace pw;
using pw::test::EngineHarness;

namespace {

// A real HTTP/1.1 server on 127.0.0.1 that records each request and answers with `status`
// (or never answers when status is 0).
class HookServer : public QObject
{
public:
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QByteArray contentType;
        QByteArray body;
    };

    explicit HookServer(int status) : m_status(status)
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                connect(s, &QTcpSocket::readyRead, s, [this, s, buffer] {
                    buffer->append(s->readAll());
                    const int headerEnd = int(buffer->indexOf("\r\n\r\n"));
                    if (headerEnd < 0)
                        return;
                    const QList<QByteArray> lines = buffer->left(headerEnd).split('\n');
                    Request r;
                    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
                    r.method = first.value(0);
                    r.path = first.value(1);
                    qsizetype length = 0;
                    for (const QByteArray &l : lines) {
                        const QByteArray lower = l.trimmed().toLower();
                        if (lower.startsWith("content-length:"))
                            length = lower.mid(15).trimmed().toLongLong();
                        if (lower.startsWith("content-type:"))
                            r.contentType = l.trimmed().mid(13).trimmed();
                    }
                    if (buffer->size() < headerEnd + 4 + length)
                        return;
                    r.body = buffer->mid(headerEnd + 4, length);
                    m_requests << r;
                    if (m_status == 0)
                        return; // hang
                    s->write("HTTP/1.1 " + QByteArray::number(m_status)
                        + " X\r\nContent-Length: 2\r\n"
                          "Connection: close\r\n\r\nok");
                    s->disconnectFromHost();
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    QString url() const
    {
        return QStringLiteral("http://127.0.0.1:%1/hook").arg(m_server.serverPort());
    }
    const QList<Request> &requests() const { return m_requests; }

private:
    QTcpServer m_server;
    int m_status;
    QList<Request> m_requests;
};

struct Delivery
{
    qint64 runId;
    QString event;
    QString channel;
    bool ok;
    QString detail;
};

} // namespace

class TestNotifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void webhook_data();
    void webhook();
    void webhookTimeout();
    void webhookRefused();
    void commandHook();
    void commandFailureIsRecorded();
    void retryThenFailure();
    void onlyRequestedEvents();
    void slaDuration();
    void slaDeadline_data();
    void slaDeadline();
    void hangingHookDoesNotBlockTheEngine();
    void pausedScheduleNotifiesThroughTheTrustedHooks();

private:
    static QList<EventRecord> notifyEvents(EngineHarness &h, qint64 runId)
    {
        HistoryStore::Options o;
        o.path = h.home() + QStringLiteral("/history.sqlite");
        auto store = HistoryStore::open(o);
        QList<EventRecord> out;
        if (!store)
            return out;
        const auto events = (*store)->events(runId);
        if (!events)
            return out;
        for (const EventRecord &e : *events) {
            if (e.kind == QLatin1String("notify"))
                out << e;
        }
        return out;
    }
    static void collect(Notifier &n, QList<Delivery> *out)
    {
        QObject::connect(&n, &Notifier::delivered, &n,
            [out](qint64 id, const QString &ev, const QString &ch, bool ok, const QString &d) {
                out->append({id, ev, ch, ok, d});
            });
    }
};

// clang-format off
void TestNotifier::webhook_data()
{
    QTest::addColumn<QString>("command");   // the task's command
    QTest::addColumn<QString>("on");
    QTest::addColumn<int>("status");        // what the server answers
    QTest::addColumn<QString>("event");     // expected notification
    QTest::addColumn<QString>("runState");
    QTest::addColumn<bool>("ok");
    QTest::newRow("failure, 200") << "exit 3" << "[failure]" << 200 << "failure" << "failed" << true;
    QTest::newRow("failure, 204") << "exit 3" << "[failure, success]" << 204 << "failure" << "failed" << true;
    QTest::newRow("success, 200") << "true" << "[success]" << 200 << "success" << "succeeded" << true;
    QTest::newRow("success, 500 never fails the run") << "true" << "[success]" << 500 << "success" << "succeeded" << false;
    QTest::newRow("failure, 404") << "exit 1" << "[failure]" << 404 << "failure" << "failed" << false;
}
// clang-format on

void TestNotifier::webhook()
{
    QFETCH(QString, command);
    QFETCH(QString, on);
    QFETCH(int, status);
    QFETCH(QString, event);
    QFETCH(QString, runState);
    QFETCH(bool, ok);
    HookServer server(status);
    EngineHarness h(2);
    const Flow flow = h.flow(QStringLiteral(
        "pipewright: 1\nflow: hooked\nparams:\n  day: {type: date}\n"
        "notify: {on: %1, webhook: \"%2\"}\ntasks:\n  a: {type: shell, command: \"%3\"}\n")
                                 .arg(on, server.url(), command));
    Notifier n(&h.engine(), {{}, 5000, 5000, 0, {}});
    QList<Delivery> got;
    collect(n, &got);
    QVERIFY(n.start().has_value());
    qint64 runId = 0;
    QCOMPARE(
        toString(h.runToEnd(flow, {{QStringLiteral("day"), QStringLiteral("2026-11-24")}}, &runId)),
        runState);
    QTRY_COMPARE_WITH_TIMEOUT(got.size(), 1, 10000);
    QCOMPARE(got[0].runId, runId);
    QCOMPARE(got[0].event, event);
    QCOMPARE(got[0].channel, QStringLiteral("webhook"));
    QCOMPARE(got[0].ok, ok);
    QVERIFY2(
        got[0].detail.contains(QStringLiteral("HTTP %1").arg(status)), qPrintable(got[0].detail));
    QCOMPARE(server.requests().size(), 1);
    const auto &req = server.requests().first();
    QCOMPARE(req.method, QByteArray("POST"));
    QCOMPARE(req.path, QByteArray("/hook"));
    QCOMPARE(req.contentType, QByteArray("application/json"));
    const QJsonObject doc = QJsonDocument::fromJson(req.body).object();
    QCOMPARE(
        doc.value(QStringLiteral("run")).toObject().value(QStringLiteral("id")).toInteger(), runId);
    QCOMPARE(doc.value(QStringLiteral("run")).toObject().value(QStringLiteral("state")).toString(),
        runState);
    QCOMPARE(doc.value(QStringLiteral("run"))
                 .toObject()
                 .value(QStringLiteral("params"))
                 .toObject()
                 .value(QStringLiteral("day"))
                 .toString(),
        QStringLiteral("2026-11-24"));
    QCOMPARE(doc.value(QStringLiteral("tasks")).toArray().size(), 1);
    QCOMPARE(doc.value(QStringLiteral("notification"))
                 .toObject()
                 .value(QStringLiteral("event"))
                 .toString(),
        event);
    // Recorded in the store, and the run's state is what the tasks made it.
    const auto events = notifyEvents(h, runId);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].state, ok ? QStringLiteral("sent") : QStringLiteral("failed"));
    QVERIFY(events[0].detail.startsWith(event + QStringLiteral(" webhook: ")));
}

void TestNotifier::webhookTimeout()
{
    HookServer server(0); // never answers
    EngineHarness h(2);
    const Flow flow = h.flow(QStringLiteral("pipewright: 1\nflow: slowhook\n"
                                            "notify: {on: [failure], webhook: \"%1\"}\ntasks:\n  "
                                            "a: {type: shell, command: \"exit 1\"}\n")
                                 .arg(server.url()));
    Notifier n(&h.engine(), {{}, 300, 5000, 0, {}});
    QList<Delivery> got;
    collect(n, &got);
    QVERIFY(n.start().has_value());
    qint64 runId = 0;
    QVERIFY(h.runToEnd(flow, {}, &runId) == RunState::Failed);
    QTRY_COMPARE_WITH_TIMEOUT(got.size(), 1, 10000);
    QVERIFY(!got[0].ok);
    QVERIFY2(
        got[0].detail.contains(QLatin1String("timed out after 300 ms")), qPrintable(got[0].detail));
    QCOMPARE(notifyEvents(h, runId).size(), 1);
}

void TestNotifier::webhookRefused()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    } // closed: connections are refused
    EngineHarness h(2);
    const Flow flow = h.flow(
        QStringLiteral("pipewright: 1\nflow: nohook\n"
                       "notify: {on: [failure], webhook: \"http://127.0.0.1:%1/x\"}\ntasks:\n  a: "
                       "{type: shell, command: \"exit 1\"}\n")
            .arg(port));
    Notifier n(&h.engine(), {{}, 3000, 5000, 0, {}});
    QList<Delivery> got;
    collect(n, &got);
    QVERIFY(n.start().has_value());
    qint64 runId = 0;
    QVERIFY(h.runToEnd(flow, {}, &runId) == RunState::Failed);
    QTRY_COMPARE_WITH_TIMEOUT(got.size(), 1, 10000);
    QVERIFY(!got[0].ok);
    QVERIFY2(got[0].detail.contains(QLatin1String("refused"), Qt::CaseInsensitive),
        qPrintable(got[0].detail));
    const auto events = notifyEvents(h, runId);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].state, QStringLiteral("failed"));
}

void TestNotifier::commandHook()
{
    EngineHarness h(2);
    const Flow flow
        = h.flow(QStringLiteral("pipewright: 1\nflow: cmd\nparams:\n  who: {type: string}\n"
                                "notify: {on: [success], command: \"cat > payload.json; printf "
                                "'%s|' {{flow}} {{state}} {{run_id}} {{who}} > args.txt; "
                                "echo $PW_NOTIFY_EVENT > env.txt\"}\n"
                                "tasks:\n  a: {type: noop}\n"));
    Notifier n(&h.engine(), {{}, 5000, 5000, 0, {}});
    QList<Delivery> got;
    collect(n, &got);
    QVERIFY(n.start().has_value());
    qint64 runId = 0;
    QVERIFY(h.runToEnd(flow, {{QStringLiteral("who"), QStringLiteral("it's me; rm -rf /")}}, &runId)
        == RunState::Succeeded);
    QTRY_COMPARE_WITH_TIMEOUT(got.size(), 1, 10000);
    QVERIFY2(got[0].ok, qPrintable(got[0].detail));
    QCOMPARE(got[0].channel, QStringLiteral("command"));
    QFile args(h.dir() + QStringLiteral("/args.txt"));
    QVERIFY(args.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(args.readAll()),
        QStringLiteral("cmd|succeeded|%1|it's me; rm -rf /|").arg(runId));
    QFile payload(h.dir() + QStringLiteral("/payload.json"));
    QVERIFY(payload.open(QIODevice::ReadOnly));
    const QJsonObject doc = QJsonDocument::fromJson(payload.readAll()).object();
    QCOMPARE(
        doc.value(QStringLiteral("run")).toObject().value(QStringLiteral("id")).toInteger(), runId);
    QCOMPARE(doc.value(QStringLiteral("notification"))
                 .toObject()
                 .value(QStringLiteral("state"))
                 .toString(),
        QStringLiteral("succeeded"));
    QFile env(h.dir() + QStringLiteral("/env.txt"));
    QVERIFY(env.open(QIODevice::ReadOnly));
    QCOMPARE(env.readAll().trimmed(), QByteArray("success"));
}

void TestNotifier::commandFailureIsRecorded()
{
    EngineHarness h(2);
    const Flow flow = h.flow(QStringLiteral("pipewright: 1\nflow: badcmd\nnotify: {on: [success], "
                                            "command: \"echo broken hook; exit 7\"}\n"
                                            "tasks:\n  a: {type: noop}\n"));
    Notifier n(&h.engine(), {{}, 5000, 5000, 0, {}});
    QList<Delivery> got;
    collect(n, &got);
    QVERIFY(n.start().has_value());
    qint64 runId = 0;
    QVERIFY(h.runToEnd(flow, {}, &runId) == RunState::Succeeded);
    QTRY_COMPARE_WITH_TIMEOUT(got.size(), 1, 10000);
    QVERIFY(!got[0].ok);
    QCOMPARE(got[0].detail, QStringLiteral("exit:7: broken hook"));
    const auto events = notifyEvents(h, runId);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].state, QStringLiteral("failed"));
    QCOMPARE(events[0].detail, QStringLiteral("success command: exit:7: broken hook"));
}

void TestNotifier::retryThenFailure()
{
    HookServer server(200);
    EngineHarness h(2);
    const Flow flow = h.flow(
        QStringLiteral("pipewright: 1\nflow: retrying\nnotify: {on: [retry, failure], webhook: "
                       "\"%1\", command: \"echo {{task}} {{attempt}} {{state}} >> retries.txt\"}\n"
                       "tasks:\n  flaky: {type: shell, command: \"exit 1\", retries: 1, "
                       "retry_delay: 100ms, jitter: false}\n")
            .arg(server.url()));
    Notifier n(&h.engine(), {{}, 5000, 5000, 0, {}});
    QList<Delivery> got;
    collect(n, &got);
    QVERIFY(n.start().has_value());
    qint64 runId = 0;
    QVERIFY(h.runToEnd(flow, {}, &runId) == RunState::Failed);
    QTRY_COMPARE_WITH_TIMEOUT(got.size(), 4, 10000);
    QStringList events;
    for (const Delivery &d : got)
        events << d.event + QLatin1Char('/') + d.channel;
    events.sort();
    QCOMPARE(events,
        (QStringList{"failure/command", "failure/webhook", "retry/command", "retry/webhook"}));
    QFile f(h.dir() + QStringLiteral("/retries.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList lines
        = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(lines.contains(QStringLiteral("flaky 1 retry_wait")));
    QVERIFY2(lines.contains(QStringLiteral("  failed")),
        qPrintable(lines.join(QLatin1Char('|')))); // no task for a run failure
    QCOMPARE(server.requests().size(), 2);
}

void TestNotifier::onlyRequestedEvents()
{
    HookServer server(200);
    EngineHarness h(2);
    // `on` defaults to [failure]: a success notifies nothing.
    const Flow flow = h.flow(QStringLiteral(
        "pipewright: 1\nflow: quiet\nnotify: {webhook: \"%1\"}\ntasks:\n  a: {type: noop}\n")
                                 .arg(server.url()));
    Notifier n(&h.engine(), {{}, 5000, 5000, 0, {}});
    QSignalSpy considered(&n, &Notifier::considered);
    QVERIFY(n.start().has_value());
    qint64 runId = 0;
    QVERIFY(h.runToEnd(flow, {}, &runId) == RunState::Succeeded);
    // The notifier's decision on the run's end: nothing to send.
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(considered.cbegin(), considered.cend(),
                                 [&](const QList<QVariant> &c) {
                                     return c[0].toLongLong() == runId
                                         && c[1].toString() == QLatin1String("succeeded");
                                 }),
        10000);
    for (const QList<QVariant> &c : std::as_const(considered))
        QCOMPARE(c[2].toInt(), 0);
    QCOMPARE(n.pendingDeliveries(), 0);
    QCOMPARE(server.requests().size(), 0);
    QCOMPARE(notifyEvents(h, runId).size(), 0);
}

void TestNotifier::slaDuration()
{
    HookServer server(200);
    EngineHarness h(2);
    const Flow flow = h.flow(
        QStringLiteral("pipewright: 1\nflow: late\nnotify: {on: [failure], webhook: \"%1\"}\n"
                       "sla: {duration: 2h}\ntasks:\n  a: {type: shell, command: \"sleep 20\"}\n")
            .arg(server.url()));
    qint64 skewMs = 0;
    Notifier n(&h.engine(), {{}, 5000, 5000, 0, [&skewMs] {
                                 return QDateTime::currentDateTimeUtc().addMSecs(skewMs);
                             }});
    QList<Delivery> got;
    collect(n, &got);
    QSignalSpy considered(&n, &Notifier::considered);
    QVERIFY(n.start().has_value());
    auto id = h.start(flow);
    QVERIFY(id.has_value());
    // The notifier saw the run start (its SLA watch begins then).
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(considered.cbegin(), considered.cend(),
                                 [&](const QList<QVariant> &c) {
                                     return c[0].toLongLong() == *id
                                         && c[1].toString() == QLatin1String("running");
                                 }),
        10000);
    QCOMPARE(n.checkSla(), 0);
    skewMs = 2 * 3600 * 1000 - 60000; // 1h59m later: not yet
    QCOMPARE(n.checkSla(), 0);
    skewMs = 2 * 3600 * 1000 + 1000;
    QCOMPARE(n.checkSla(), 1);
    QCOMPARE(n.checkSla(), 0); // once per run
    QTRY_COMPARE_WITH_TIMEOUT(got.size(), 1, 10000);
    QCOMPARE(got[0].event, QStringLiteral("sla"));
    QVERIFY(got[0].ok);
    const QJsonObject doc = QJsonDocument::fromJson(server.requests().first().body).object();
    QCOMPARE(doc.value(QStringLiteral("run")).toObject().value(QStringLiteral("state")).toString(),
        QStringLiteral("running"));
    QCOMPARE(doc.value(QStringLiteral("notification"))
                 .toObject()
                 .value(QStringLiteral("state"))
                 .toString(),
        QStringLiteral("sla_missed"));
    considered.clear();
    auto cancelled = h.engine().cancel(*id);
    cancelled.waitForFinished();
    QVERIFY(h.wait(*id) == RunState::Cancelled);
    // A cancel notifies nothing: the notifier's decision on the cancelled run started no delivery.
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(considered.cbegin(), considered.cend(),
                                 [&](const QList<QVariant> &c) {
                                     return c[0].toLongLong() == *id
                                         && c[1].toString() == QLatin1String("cancelled");
                                 }),
        10000);
    for (const QList<QVariant> &c : std::as_const(considered))
        QCOMPARE(c[2].toInt(), 0);
    QCOMPARE(n.pendingDeliveries(), 0);
    QCOMPARE(got.size(), 1);
}

// clang-format off
void TestNotifier::slaDeadline_data()
{
    QTest::addColumn<QString>("sla");
    QTest::addColumn<QString>("tz");
    QTest::addColumn<QString>("created");
    QTest::addColumn<QString>("deadline");
    QTest::newRow("duration") << "{duration: 2h}" << "" << "2026-11-24T03:00:00Z" << "2026-11-24T05:00:00Z";
    QTest::newRow("time later today") << "{time: \"06:00\"}" << "Asia/Seoul" << "2026-11-24T18:00:00Z" << "2026-11-24T21:00:00Z";
    QTest::newRow("time tomorrow") << "{time: \"06:00\"}" << "Asia/Seoul" << "2026-11-24T22:00:00Z" << "2026-11-25T21:00:00Z";
    QTest::newRow("time on a dst day") << "{time: \"06:00\"}" << "Europe/Berlin" << "2026-03-29T00:30:00Z" << "2026-03-29T04:00:00Z";
}
// clang-format on

void TestNotifier::slaDeadline()
{
    QFETCH(QString, sla);
    QFETCH(QString, tz);
    QFETCH(QString, created);
    QFETCH(QString, deadline);
    EngineHarness h(1);
    const QString schedule = tz.isEmpty()
        ? QString()
        : QStringLiteral("schedule: {cron: \"0 3 * * *\", timezone: %1}\n").arg(tz);
    const Flow flow
        = h.flow(QStringLiteral("pipewright: 1\nflow: s\n%1sla: %2\ntasks:\n  a: {type: noop}\n")
                     .arg(schedule, sla));
    QCOMPARE(Notifier::slaDeadline(flow, QDateTime::fromString(created, Qt::ISODate)),
        QDateTime::fromString(deadline, Qt::ISODate));
}

void TestNotifier::hangingHookDoesNotBlockTheEngine()
{
    HookServer server(0);
    EngineHarness h(2);
    const Flow flow = h.flow(QStringLiteral("pipewright: 1\nflow: hang\nparams:\n  n: {type: int}\n"
                                            "notify: {on: [success], webhook: \"%1\", command: "
                                            "\"sleep 5\"}\ntasks:\n  a: {type: noop}\n")
                                 .arg(server.url()));
    Notifier n(&h.engine(), {{}, 20000, 20000, 0, {}});
    QVERIFY(n.start().has_value());
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < 5; ++i)
        QVERIFY(
            h.runToEnd(flow, {{QStringLiteral("n"), QString::number(i)}}) == RunState::Succeeded);
    QVERIFY2(t.elapsed() < 4000, "runs waited for hanging hooks");
    QTRY_COMPARE_WITH_TIMEOUT(int(server.requests().size()), 5, 5000);
    QVERIFY(n.pendingDeliveries() > 0);
}

// An untrusted change pauses a scheduled flow (issue 12): the pause and the later resume are
// events of no run in the history, and the hooks of the content trusted before — not the
// changed file's, which could run anything — are told, with event and state `paused`.
void TestNotifier::pausedScheduleNotifiesThroughTheTrustedHooks()
{
    EngineHarness h(2);
    const QString yaml = QStringLiteral(
        "pipewright: 1\nflow: tp\nparams:\n  day: {type: date, default: 2026-01-01}\n"
        "schedule: {cron: \"0 3 * * *\", param: day}\n"
        "notify: {command: \"cat > paused.json; printf '%s|' {{flow}} {{state}} {{run_id}} "
        "{{day}} > args.txt; echo $PW_NOTIFY_EVENT > env.txt\"}\n"
        "tasks:\n  a: {type: %1}\n");
    h.flow(yaml.arg(QStringLiteral("noop")), QStringLiteral("tp"));
    const QString file = h.dir() + QStringLiteral("/tp.flow.yaml");
    const QString trustHome = h.dir() + QStringLiteral("/trusting-home");
    TrustStore trust{Home(trustHome)};
    QVERIFY(trust.trust(*FlowLoader::loadFile(file)).has_value());

    Notifier n(&h.engine(), {{}, 5000, 5000, 0, {}});
    QList<Delivery> got;
    collect(n, &got);
    QVERIFY(n.start().has_value());
    Scheduler::Options so;
    so.paths = {file};
    so.tickMs = 0;
    QDateTime clock(QDate(2026, 2, 3), QTime(12, 0), Qt::UTC);
    so.clock = [&clock] { return clock; };
    so.trustHome = trustHome;
    Scheduler s(&h.engine(), so);
    connect(&s, &Scheduler::flowPaused, &n, &Notifier::notifyPaused);
    QSignalSpy resumed(&s, &Scheduler::flowResumed);
    QSignalSpy submitted(&s, &Scheduler::runSubmitted);
    QVERIFY(s.start().has_value());
    QCOMPARE(*s.tick(), 0);
    QVERIFY(got.isEmpty());

    // The change brings its own hook; it must not be the one that runs.
    QTest::qWait(20); // a different mtime
    h.flow(QString(yaml)
               .replace(QStringLiteral("cat > paused.json"), QStringLiteral("touch untrusted-ran"))
               .arg(QStringLiteral("shell, command: \"echo changed\"")),
        QStringLiteral("tp"));
    clock = QDateTime(QDate(2026, 2, 4), QTime(3, 0), Qt::UTC);
    QCOMPARE(*s.tick(), 0); // due, but paused
    QTRY_COMPARE_WITH_TIMEOUT(got.size(), 1, 10000);
    QVERIFY2(got[0].ok, qPrintable(got[0].detail));
    QCOMPARE(got[0].runId, qint64(0));
    QCOMPARE(got[0].event, QStringLiteral("paused"));
    QVERIFY(!QFileInfo::exists(h.dir() + QStringLiteral("/untrusted-ran")));
    QFile args(h.dir() + QStringLiteral("/args.txt"));
    QVERIFY(args.open(QIODevice::ReadOnly));
    QCOMPARE(args.readAll(), QByteArray("tp|paused||2026-01-01|"));
    QFile env(h.dir() + QStringLiteral("/env.txt"));
    QVERIFY(env.open(QIODevice::ReadOnly));
    QCOMPARE(env.readAll().trimmed(), QByteArray("paused"));
    QFile payload(h.dir() + QStringLiteral("/paused.json"));
    QVERIFY(payload.open(QIODevice::ReadOnly));
    const QJsonObject doc = QJsonDocument::fromJson(payload.readAll()).object();
    QCOMPARE(doc[QLatin1String("flow")][QLatin1String("id")].toString(), QStringLiteral("tp"));
    QCOMPARE(doc[QLatin1String("flow")][QLatin1String("path")].toString(), file);
    QCOMPARE(doc[QLatin1String("notification")][QLatin1String("event")].toString(),
        QStringLiteral("paused"));
    QVERIFY(doc[QLatin1String("notification")][QLatin1String("detail")].toString().contains(
        QLatin1String("changed since it was trusted (changed task a, changed flow settings")));

    QVERIFY(trust.trust(*FlowLoader::loadFile(file)).has_value());
    QCOMPARE(*s.tick(), 1); // resumed: the due 02-04 03:00 fire
    QCOMPARE(resumed.size(), 1);
    QCOMPARE(got.size(), 1);

    // The history has the pause, its notification and the resume, as events of no run.
    QStringList rows;
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("ev"));
        db.setDatabaseName(h.home() + QStringLiteral("/history.sqlite"));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT kind, state, detail FROM events WHERE run_id IS NULL"
                                      " AND kind IN ('schedule', 'notify') ORDER BY id")));
        while (q.next())
            rows << q.value(0).toString() + QLatin1Char(' ') + q.value(1).toString()
                    + QLatin1Char(' ') + q.value(2).toString();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("ev"));
    QCOMPARE(rows.size(), 3);
    QVERIFY2(rows[0].startsWith(QStringLiteral("schedule paused tp: ") + file
                 + QStringLiteral(": changed since it was trusted")),
        qPrintable(rows[0]));
    QCOMPARE(rows[1], QStringLiteral("notify sent paused command: exit:0"));
    QCOMPARE(rows[2], QStringLiteral("schedule resumed tp (%1): trusted again").arg(file));
    QCOMPARE(submitted.size(), 1);
    h.wait(submitted.at(0).at(2).toLongLong());
}

QTEST_GUILESS_MAIN(TestNotifier)
#include "tst_notifier.moc"
