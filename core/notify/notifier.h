#pragma once

#include "engine/engineevent.h"
#include "model/flow.h"
#include "model/result.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace pw {

class Engine;
class HistoryStore;
struct RunRecord;

// Flow notifications (DESIGN §4 `notify:` and `sla:`, issue 5) for the runs of one Engine.
//
// Events: `failure` (a try ended failed or interrupted; a cancel is an operator's act and
// notifies nothing), `success`, `retry` (a task went to retry_wait), `sla` (a run not finished
// by `sla.duration` after it was created, or by the next local `sla.time` (HH:MM, in the
// schedule's time zone, else the system's) after it was created; once per run). `notify.on`
// empty means [failure]; `sla` is notified whenever the flow sets `sla:`.
//
// Channels, each independent and asynchronous:
//   command: /bin/sh -c COMMAND in the run's working directory, rendered with
//            Template::Quoting::Shell from the run's params and {{flow}} {{run_id}} {{state}}
//            {{task}} {{attempt}} and {{secret:NAME}} (the engine's home's Secrets); the
//            payload JSON on stdin; environment (ChildEnvironment: no PIPEWRIGHT_SECRET_ or
//            PIPEWRIGHT_CONNECTION_ variables) + PW_NOTIFY_EVENT, PW_FLOW, PW_RUN_ID. Killed
//            after `commandTimeoutMs`.
//   webhook: HTTP POST of the payload JSON (Content-Type: application/json) to the URL, its
//            {{secret:NAME}} resolved; transfer timeout `webhookTimeoutMs`; any non-2xx reply
//            or network error is a failed delivery.
// Payload: the run document (RunDocument::runDocument) plus
//   "notification": {"event", "state", "task", "attempt", "time"}.
// {{state}} is the run's final state for failure/success, "retry_wait" for retry and
// "sla_missed" for sla.
// Secret values (SecretMask) are masked in the payload and in every outcome's detail.
// A delivery never affects the run: its outcome is logged (pw.core.notify), appended to the
// run's event log (kind "notify", state "sent" or "failed", detail = channel and reason) and
// emitted as delivered().
//
// Thread rules: lives on one thread (not the engine's) with an event loop; opens its own
// HistoryStore connection there in start(). Engine signals arrive queued; nothing here blocks
// the engine or waits for a hook.
class Notifier : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString historyPath; // default: the engine's store
        qint64 webhookTimeoutMs = 10000;
        qint64 commandTimeoutMs = 60000;
        qint64 slaCheckMs = 1000;         // real-time SLA polling; 0 = only checkSla()
        std::function<QDateTime()> clock; // injectable; empty = the wall clock
    };

    Notifier(Engine *engine, Options options, QObject *parent = nullptr);
    ~Notifier() override;

    Result<void> start();
    void stop();

    // Notifies `event` (failure, success, retry, sla) for a run now, if its flow asks for it.
    // `task`/`attempt` for retry. Returns the number of deliveries started.
    int notify(qint64 runId, const QString &event, const QString &task = {}, int attempt = 0);

    // The scheduler paused flow `flowId` (file `path`) because its content is not trusted
    // (Scheduler::flowPaused). Notifies event `paused` ({{state}} "paused") through the notify
    // settings of `trustedDefinition` — the content this user trusted before, never the
    // untrusted file's — when they ask for `failure` (the default). Its parameters' defaults
    // fill the templates; {{run_id}} is empty. Payload: {"flow": {"id", "path"},
    // "notification": {"event", "state", "detail", "time"}}. Outcomes are events of no run.
    // Returns the number of deliveries started (0 when the file was never trusted).
    int notifyPaused(const QString &path, const QString &flowId, const QString &message,
        const QByteArray &trustedDefinition);

    // Notifies `sla` for every tracked active run whose deadline has passed. Returns how many.
    int checkSla();
    // SLA deadline of a run (UTC) from its flow and creation time; invalid when none.
    static QDateTime slaDeadline(const Flow &flow, const QDateTime &created);

    int pendingDeliveries() const { return m_pending; }

Q_SIGNALS:
    // The notifier has handled an engine event of a run: a run state (`what` = the state's
    // name; running/queued start its SLA watch) or a task's `retry`, and started `deliveries`
    // hook deliveries for it (0 when its flow asks for none). Tests wait for this instead of
    // sleeping to see that nothing was sent.
    void considered(qint64 runId, const QString &what, int deliveries);
    void delivered(
        qint64 runId, const QString &event, const QString &channel, bool ok, const QString &detail);

private:
    struct RunInfo
    {
        Flow flow;
        QHash<QString, QString> params;
        QString workdir;
        int tryNo = 0;
    };
    void onEvents(const EngineEvents &batch);
    void onRunFinished(qint64 runId, RunState state);
    std::optional<RunInfo> runInfo(qint64 runId);
    std::optional<RunInfo> runInfo(const RunRecord &run);
    void track(qint64 runId);
    void runCommand(qint64 runId, const RunInfo &info, const QString &event,
        const QHash<QString, QString> &values, const QByteArray &payload);
    void postWebhook(
        qint64 runId, const RunInfo &info, const QString &event, const QByteArray &payload);
    void record(qint64 runId, int tryNo, const QString &event, const QString &channel, bool ok,
        const QString &detail);
    QDateTime now() const;

    Engine *m_engine;
    Options m_options;
    std::unique_ptr<HistoryStore> m_store;
    QNetworkAccessManager *m_network = nullptr;
    QTimer m_slaTimer;
    QHash<qint64, QDateTime> m_slaDeadlines; // active runs with an SLA not yet notified
    QSet<qint64> m_seen;                     // runs whose SLA was considered
    int m_pending = 0;
    bool m_running = false;
};

} // namespace pw
