#include "notifier.h"

#include "engine/engine.h"
#include "engine/secrets.h"
#include "format/flowloader.h"
#include "format/runplanner.h"
#include "history/historystore.h"
#include "history/rundocument.h"
#include "model/cronexpression.h"
#include "model/secretmask.h"
#include "model/template.h"
#include "platform/childenvironment.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSet>
#include <QTimeZone>
#include <QUrl>

namespace pw {

namespace {

Q_LOGGING_CATEGORY(lcNotify, "pw.core.notify")

// `v` with secret values masked in each of its strings. Masking the serialized text instead
// could break its syntax: a secret may equal a key or a literal such as `null`.
QJsonValue masked(const QJsonValue &v)
{
    if (v.isString())
        return SecretMask::apply(v.toString());
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : v.toArray())
            out.append(masked(item));
        return out;
    }
    if (v.isObject()) {
        QJsonObject out;
        const QJsonObject in = v.toObject();
        for (auto it = in.begin(); it != in.end(); ++it)
            out.insert(it.key(), masked(it.value()));
        return out;
    }
    return v;
}

QStringList effectiveEvents(const Flow &flow)
{
    QStringList on = flow.notify.on;
    if (on.isEmpty())
        on << QStringLiteral("failure");
    if (flow.sla.isSet() && !on.contains(QLatin1String("sla")))
        on << QStringLiteral("sla");
    return on;
}

// Whether a stored definition may set `notify` or `sla`. It is canonical JSON (FlowWriter:
// compact, only set keys), so a flow with either has the key `"notify":` or `"sla":` in it as
// written here; inside a JSON string its quotes would be escaped. A task's map that happens to
// have such a key only costs the full parse. Saves parsing a large definition (100,000 tasks:
// ~0.4 s) twice per run for flows without hooks, the common case.
bool mayHaveHooks(const QByteArray &definition)
{
    return definition.contains("\"notify\":") || definition.contains("\"sla\":");
}

QString shorten(QString s, int max = 300)
{
    s = s.trimmed();
    if (s.size() > max)
        s = s.left(max) + QStringLiteral("…");
    return s;
}

} // namespace

Notifier::Notifier(Engine *engine, Options options, QObject *parent)
    : QObject(parent), m_engine(engine), m_options(std::move(options))
{
    m_slaTimer.setParent(this); // moves with the notifier in moveToThread()
    connect(&m_slaTimer, &QTimer::timeout, this, [this] { checkSla(); });
}

Notifier::~Notifier()
{
    stop();
    // Hooks still in flight are abandoned: their handlers must not run against a half-destroyed
    // notifier (they would record into m_store).
    const auto procs = findChildren<QProcess *>(Qt::FindDirectChildrenOnly);
    for (QProcess *p : procs) {
        p->disconnect();
        p->kill();
        p->waitForFinished(2000);
        delete p;
    }
    if (m_network) {
        const auto replies = m_network->findChildren<QNetworkReply *>();
        for (QNetworkReply *r : replies)
            r->disconnect(this);
        delete m_network;
        m_network = nullptr;
    }
}

QDateTime Notifier::now() const
{
    return m_options.clock ? m_options.clock().toUTC() : QDateTime::currentDateTimeUtc();
}

Result<void> Notifier::start()
{
    if (m_running)
        return {};
    if (!m_engine)
        return fail(QStringLiteral("notifier: no engine"));
    PW_TRY_ASSIGN(store, m_engine->openStore(m_options.historyPath));
    m_store = std::move(store);
    m_network = new QNetworkAccessManager(this);
    connect(m_engine, &Engine::events, this, &Notifier::onEvents);
    connect(m_engine, &Engine::runFinished, this, &Notifier::onRunFinished);
    if (m_options.slaCheckMs > 0)
        m_slaTimer.start(int(m_options.slaCheckMs));
    m_running = true;
    return {};
}

void Notifier::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_slaTimer.stop();
    if (m_engine) {
        disconnect(m_engine, &Engine::events, this, &Notifier::onEvents);
        disconnect(m_engine, &Engine::runFinished, this, &Notifier::onRunFinished);
    }
}

std::optional<Notifier::RunInfo> Notifier::runInfo(qint64 runId)
{
    if (!m_store)
        return std::nullopt;
    auto run = m_store->run(runId);
    if (!run || !*run) {
        qCWarning(lcNotify) << "run" << runId << "not readable:"
                            << (run ? QStringLiteral("no such run") : run.error().toString());
        return std::nullopt;
    }
    return runInfo(**run);
}

// A run's record is read once per use: it counts the run's tasks (a large run: many rows).
std::optional<Notifier::RunInfo> Notifier::runInfo(const RunRecord &r)
{
    const qint64 runId = r.id;
    auto def = m_store->definition(r.definitionHash);
    if (!def) {
        qCWarning(lcNotify) << "run" << runId
                            << "definition not readable:" << def.error().toString();
        return std::nullopt;
    }
    RunInfo info;
    info.tryNo = r.tryNo;
    if (!mayHaveHooks(*def)) {
        // Nothing to notify and no SLA: the rest of the flow is not needed.
        info.flow.id = r.flowId;
        info.workdir = r.workdir;
        return info;
    }
    auto plan = RunPlanner::fromSnapshot(
        *def, r.paramsJson, r.sourcePath, r.workdir, RunPlanner::TaskHashes::Skip);
    if (!plan) {
        qCWarning(lcNotify) << "run" << runId << "plan not readable:" << plan.error().toString();
        return std::nullopt;
    }
    info.flow = plan->flow;
    for (auto it = plan->params.constBegin(); it != plan->params.constEnd(); ++it)
        info.params.insert(it.key(), it.value());
    info.workdir = plan->workdir;
    return info;
}

QDateTime Notifier::slaDeadline(const Flow &flow, const QDateTime &created)
{
    if (flow.sla.durationMs)
        return created.toUTC().addMSecs(*flow.sla.durationMs);
    if (flow.sla.time.isEmpty())
        return {};
    const QTime at = QTime::fromString(flow.sla.time, QStringLiteral("H:mm"));
    if (!at.isValid())
        return {};
    QTimeZone zone = QTimeZone::systemTimeZone();
    if (!flow.schedule.timezone.isEmpty()) {
        if (auto z = CronExpression::timeZone(flow.schedule.timezone))
            zone = *z;
    }
    const QDate day = CronExpression::utcToLocal(created, zone).date();
    for (int i = 0; i < 3; ++i) {
        const QDateTime t = CronExpression::localToUtc(day.addDays(i), at, zone);
        if (t > created)
            return t;
    }
    return {};
}

void Notifier::track(qint64 runId)
{
    if (m_seen.contains(runId))
        return;
    m_seen.insert(runId);
    auto run = m_store ? m_store->run(runId) : Result<std::optional<RunRecord>>(std::nullopt);
    if (!run || !*run)
        return;
    auto info = runInfo(**run);
    if (!info || !info->flow.sla.isSet())
        return;
    const QDateTime deadline
        = slaDeadline(info->flow, QDateTime::fromMSecsSinceEpoch((*run)->created, Qt::UTC));
    if (deadline.isValid())
        m_slaDeadlines.insert(runId, deadline);
}

void Notifier::onEvents(const EngineEvents &batch)
{
    for (const EngineEvent &e : batch) {
        if (e.kind == EngineEvent::Kind::RunState && !isFinal(e.runState)) {
            track(e.runId);
            Q_EMIT considered(e.runId, toString(e.runState), 0);
        } else if (e.kind == EngineEvent::Kind::TaskState && e.taskState == TaskState::RetryWait) {
            Q_EMIT considered(e.runId, QStringLiteral("retry"),
                notify(e.runId, QStringLiteral("retry"), e.task, e.attempt));
        }
    }
}

void Notifier::onRunFinished(qint64 runId, RunState state)
{
    m_slaDeadlines.remove(runId);
    m_seen.remove(runId); // a later try (recovery) is tracked afresh; its SLA is already past
    int started = 0;
    if (state == RunState::Succeeded)
        started = notify(runId, QStringLiteral("success"));
    else if (state == RunState::Failed || state == RunState::Interrupted)
        started = notify(runId, QStringLiteral("failure"));
    Q_EMIT considered(runId, toString(state), started);
}

int Notifier::checkSla()
{
    const QDateTime t = now();
    QList<qint64> due;
    for (auto it = m_slaDeadlines.constBegin(); it != m_slaDeadlines.constEnd(); ++it) {
        if (it.value() <= t)
            due << it.key();
    }
    int n = 0;
    for (qint64 runId : due) {
        m_slaDeadlines.remove(runId);
        if (auto run = m_store->run(runId); run && *run && isFinal((*run)->state))
            continue; // finished meanwhile
        notify(runId, QStringLiteral("sla"));
        ++n;
    }
    return n;
}

int Notifier::notify(qint64 runId, const QString &event, const QString &task, int attempt)
{
    if (!m_store)
        return 0;
    auto info = runInfo(runId);
    if (!info)
        return 0;
    const NotifySpec &spec = info->flow.notify;
    if (spec.command.isEmpty() && spec.webhook.isEmpty())
        return 0;
    if (!effectiveEvents(info->flow).contains(event))
        return 0;

    auto doc = RunDocument::runDocument(*m_store, runId);
    if (!doc) {
        qCWarning(lcNotify) << "run" << runId << "document not readable:" << doc.error().toString();
        return 0;
    }
    QString state;
    if (event == QLatin1String("retry"))
        state = QStringLiteral("retry_wait");
    else if (event == QLatin1String("sla"))
        state = QStringLiteral("sla_missed");
    else
        state = doc->value(QStringLiteral("run"))
                    .toObject()
                    .value(QStringLiteral("state"))
                    .toString();
    QJsonObject n;
    n.insert(QStringLiteral("event"), event);
    n.insert(QStringLiteral("state"), state);
    n.insert(QStringLiteral("task"), task.isEmpty() ? QJsonValue() : QJsonValue(task));
    n.insert(QStringLiteral("attempt"), attempt > 0 ? QJsonValue(attempt) : QJsonValue());
    n.insert(QStringLiteral("time"), RunDocument::isoTime(now().toMSecsSinceEpoch()));
    QJsonObject payloadObj = *doc;
    payloadObj.insert(QStringLiteral("notification"), n);
    // What the store holds is masked already; this covers whatever else made it in.
    const QByteArray payload
        = QJsonDocument(masked(payloadObj).toObject()).toJson(QJsonDocument::Compact);

    QHash<QString, QString> values = info->params;
    values.insert(QStringLiteral("flow"), info->flow.id);
    values.insert(QStringLiteral("run_id"), QString::number(runId));
    values.insert(QStringLiteral("state"), state);
    values.insert(QStringLiteral("task"), task);
    values.insert(QStringLiteral("attempt"), attempt > 0 ? QString::number(attempt) : QString());

    int started = 0;
    if (!spec.command.isEmpty()) {
        runCommand(runId, *info, event, values, payload);
        ++started;
    }
    if (!spec.webhook.isEmpty()) {
        postWebhook(runId, *info, event, payload);
        ++started;
    }
    return started;
}

int Notifier::notifyPaused(const QString &path, const QString &flowId, const QString &message,
    const QByteArray &trustedDefinition)
{
    if (!m_store)
        return 0;
    if (!mayHaveHooks(trustedDefinition)) {
        qCWarning(lcNotify) << flowId
                            << "paused; no trusted notify settings to tell anyone:" << message;
        return 0;
    }
    auto flow = FlowLoader::loadData(trustedDefinition, QStringLiteral("<definition>"));
    if (!flow) {
        qCWarning(lcNotify) << flowId << "paused; the trusted definition is unreadable:"
                            << flow.error().first().toString();
        return 0;
    }
    RunInfo info;
    info.flow = std::move(*flow);
    info.workdir = QFileInfo(path).absolutePath();
    const NotifySpec &spec = info.flow.notify;
    if ((spec.command.isEmpty() && spec.webhook.isEmpty())
        || !effectiveEvents(info.flow).contains(QLatin1String("failure")))
        return 0;
    const QString event = QStringLiteral("paused");
    const QDateTime local = now().toLocalTime();
    for (const ParamSpec &p : std::as_const(info.flow.params)) {
        if (!p.defaultValue)
            continue;
        if (auto v = p.canonicalize(*p.defaultValue, local))
            info.params.insert(p.name, *v);
    }
    QJsonObject n;
    n.insert(QStringLiteral("event"), event);
    n.insert(QStringLiteral("state"), event);
    n.insert(QStringLiteral("detail"), message);
    n.insert(QStringLiteral("time"), RunDocument::isoTime(now().toMSecsSinceEpoch()));
    const QJsonObject payloadObj{
        {QStringLiteral("flow"),
            QJsonObject{{QStringLiteral("id"), flowId}, {QStringLiteral("path"), path}}},
        {QStringLiteral("notification"), n}};
    const QByteArray payload
        = QJsonDocument(masked(payloadObj).toObject()).toJson(QJsonDocument::Compact);
    QHash<QString, QString> values = info.params;
    values.insert(QStringLiteral("flow"), flowId);
    values.insert(QStringLiteral("state"), event);
    int started = 0;
    if (!spec.command.isEmpty()) {
        runCommand(0, info, event, values, payload);
        ++started;
    }
    if (!spec.webhook.isEmpty()) {
        postWebhook(0, info, event, payload);
        ++started;
    }
    return started;
}

void Notifier::runCommand(qint64 runId, const RunInfo &info, const QString &event,
    const QHash<QString, QString> &values, const QByteArray &payload)
{
    auto tmpl = Template::parse(info.flow.notify.command);
    if (!tmpl) {
        record(runId, info.tryNo, event, QStringLiteral("command"), false,
            QStringLiteral("bad template: ") + tmpl.error().message);
        return;
    }
    auto secrets = Secrets(Home(m_engine->config().home)).values(*tmpl);
    if (!secrets) {
        record(runId, info.tryNo, event, QStringLiteral("command"), false, secrets.error().message);
        return;
    }
    secrets->insert(values);
    const QString command = tmpl->render(*secrets, Template::Quoting::Shell);
    auto *proc = new QProcess(this);
    QProcessEnvironment env = ChildEnvironment::make();
    env.insert(QStringLiteral("PW_NOTIFY_EVENT"), event);
    env.insert(QStringLiteral("PW_FLOW"), info.flow.id);
    env.insert(QStringLiteral("PW_RUN_ID"), runId > 0 ? QString::number(runId) : QString());
    proc->setProcessEnvironment(env);
    if (!info.workdir.isEmpty() && QFileInfo(info.workdir).isDir())
        proc->setWorkingDirectory(info.workdir);
    proc->setProcessChannelMode(QProcess::MergedChannels);
    auto *timer = new QTimer(proc);
    timer->setSingleShot(true);
    const int tryNo = info.tryNo;
    ++m_pending;
    auto done = std::make_shared<bool>(false);
    auto finish = [this, proc, runId, tryNo, event, done](bool ok, const QString &detail) {
        if (*done)
            return;
        *done = true;
        --m_pending;
        record(runId, tryNo, event, QStringLiteral("command"), ok, detail);
        proc->deleteLater();
    };
    connect(timer, &QTimer::timeout, proc, [proc, finish, this] {
        proc->kill();
        finish(false, QStringLiteral("timed out after %1 ms").arg(m_options.commandTimeoutMs));
    });
    connect(proc, &QProcess::errorOccurred, proc, [proc, finish](QProcess::ProcessError err) {
        if (err == QProcess::FailedToStart)
            finish(false, QStringLiteral("cannot start: ") + proc->errorString());
    });
    connect(proc, &QProcess::finished, proc, [proc, finish](int code, QProcess::ExitStatus status) {
        const QString out = shorten(QString::fromUtf8(proc->readAll()));
        if (status != QProcess::NormalExit)
            finish(false,
                QStringLiteral("crashed")
                    + (out.isEmpty() ? QString() : QStringLiteral(": ") + out));
        else if (code != 0)
            finish(false,
                QStringLiteral("exit:%1").arg(code)
                    + (out.isEmpty() ? QString() : QStringLiteral(": ") + out));
        else
            finish(true, QStringLiteral("exit:0"));
    });
    timer->start(int(m_options.commandTimeoutMs));
    proc->start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command});
    proc->write(payload);
    proc->closeWriteChannel();
}

void Notifier::postWebhook(
    qint64 runId, const RunInfo &info, const QString &event, const QByteArray &payload)
{
    // The URL may hold a token ({{secret:NAME}}); messages show it as written.
    const auto resolved = Secrets(Home(m_engine->config().home)).render(info.flow.notify.webhook);
    if (!resolved) {
        record(runId, info.tryNo, event, QStringLiteral("webhook"), false,
            info.flow.notify.webhook + QStringLiteral(": ") + resolved.error().message);
        return;
    }
    QNetworkRequest request{QUrl(*resolved)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("pipewright"));
    request.setTransferTimeout(int(m_options.webhookTimeoutMs));
    QNetworkReply *reply = m_network->post(request, payload);
    ++m_pending;
    const int tryNo = info.tryNo;
    const QString url = info.flow.notify.webhook;
    connect(reply, &QNetworkReply::finished, this, [this, reply, runId, tryNo, event, url] {
        --m_pending;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        bool ok = reply->error() == QNetworkReply::NoError && status >= 200 && status < 300;
        QString detail = url + QStringLiteral(": ");
        if (reply->error() == QNetworkReply::OperationCanceledError
            || reply->error() == QNetworkReply::TimeoutError)
            detail += QStringLiteral("timed out after %1 ms").arg(m_options.webhookTimeoutMs);
        else if (status > 0)
            detail += QStringLiteral("HTTP %1").arg(status);
        else
            detail += reply->errorString();
        ok = ok && status > 0;
        record(runId, tryNo, event, QStringLiteral("webhook"), ok, detail);
        reply->deleteLater();
    });
}

void Notifier::record(qint64 runId, int tryNo, const QString &event, const QString &channel,
    bool ok, const QString &message)
{
    const QString detail = SecretMask::apply(message);
    const QString about = runId > 0 ? QStringLiteral("run %1").arg(runId) : QStringLiteral("flow");
    if (ok)
        qCInfo(lcNotify).noquote() << about << event << channel << "sent:" << detail;
    else
        qCWarning(lcNotify).noquote() << about << event << channel << "failed:" << detail;
    if (m_store) {
        EventRecord e;
        e.time = QDateTime::currentMSecsSinceEpoch();
        e.runId = runId;
        e.tryNo = tryNo;
        e.kind = QStringLiteral("notify");
        e.state = ok ? QStringLiteral("sent") : QStringLiteral("failed");
        e.detail = event + QLatin1Char(' ') + channel + QStringLiteral(": ") + detail;
        if (auto r = m_store->appendEvent(e); !r)
            qCWarning(lcNotify) << "cannot record the notification:" << r.error().toString();
    }
    Q_EMIT delivered(runId, event, channel, ok, detail);
}

} // namespace pw
