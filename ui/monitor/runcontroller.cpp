#include "runcontroller.h"

#include "engine/engine.h"
#include "engine/runrequest.h"
#include "historyreader.h"
#include "host/enginehost.h"
#include "monitorlogging.h"

namespace pw {

RunController::RunController(QObject *parent)
    : QObject(parent), m_reader(new HistoryReader({}, this))
{ }

RunController::~RunController()
{
    shutdown();
    delete m_reader; // ends the reader thread (and its connection)
    m_reader = nullptr;
}

Result<void> RunController::start(const QString &homeDir, int maxParallel)
{
    shutdown();
    EngineHost::Options options;
    options.home = homeDir;
    options.maxParallel = maxParallel;
    PW_TRY_ASSIGN(location, EngineHost::locate(options));
    m_location = std::move(location);
    m_readOnlyReason.clear();
    if (auto why = m_location.readOnlyReason()) {
        m_readOnlyReason = *why;
        qCInfo(lcMonitor) << "history is read-only:" << *why << "- runs can be viewed, not started";
        m_reader->setBusyTimeoutMs(m_location.busyTimeoutMs());
        m_reader->setHistoryPath(m_location.historyPath);
        return {};
    }
    m_host = std::make_unique<EngineHost>(options);
    connect(m_host.get(), &EngineHost::fatalError, this, &RunController::fatalError);
    connect(m_host.get(), &EngineHost::notificationsOff, this, &RunController::notificationsOff);
    if (auto ok = m_host->start(); !ok) {
        qCWarning(lcMonitor) << "engine did not start:" << ok.error().message;
        m_host.reset();
        return ok;
    }
    Engine *engine = m_host->engine();
    connect(engine, &Engine::events, this, &RunController::events);
    connect(engine, &Engine::runFinished, this, [this](qint64 runId, RunState state) {
        if (!m_active.remove(runId))
            m_endedUnclaimed.insert(runId);
        Q_EMIT runFinished(runId, state);
        if (m_ours.contains(runId))
            Q_EMIT guiRunFinished(runId, state);
    });
    qCInfo(lcMonitor) << "engine started, home" << m_location.home << "owner" << engine->ownerId();
    m_reader->setBusyTimeoutMs(engine->busyTimeoutMs());
    m_reader->setHistoryPath(m_location.historyPath);
    return {};
}

void RunController::shutdown()
{
    if (m_host) {
        m_host->shutdown();
        m_host.reset();
    }
}

bool RunController::isRunning() const
{
    return m_host && m_host->isRunning();
}

QString RunController::readOnlyMessage() const
{
    return tr("History at %1 is read-only: runs can be viewed but not started").arg(historyPath());
}

Engine *RunController::engine() const
{
    return m_host ? m_host->engine() : nullptr;
}

QString RunController::logsDir() const
{
    return m_location.homeDir().logsDir();
}

void RunController::submit(const RunRequest &request, const QString &tag)
{
    if (!engine()) {
        Q_EMIT actionFailed(isReadOnly() ? readOnlyMessage() : tr("The engine is not running."));
        return;
    }
    engine()->submit(request).then(this, [this, tag](const Result<qint64> &r) {
        if (!r) {
            Q_EMIT actionFailed(r.error().message);
            return;
        }
        m_ours.insert(*r);
        if (!m_endedUnclaimed.remove(*r))
            m_active.insert(*r);
        Q_EMIT runSubmitted(*r, tag);
    });
}

void RunController::run(const RunPlan &plan, bool force)
{
    RunRequest req;
    req.kind = RunRequest::Kind::Run;
    req.plan = plan;
    req.force = force;
    submit(req);
}

void RunController::rerun(qint64 runId, RerunMode mode, const QString &task, bool currentDefinition,
    const RunPlan *currentPlan)
{
    RunRequest req;
    req.kind = RunRequest::Kind::Rerun;
    req.runId = runId;
    req.mode = mode;
    req.task = task;
    req.currentDefinition = currentDefinition;
    if (currentPlan)
        req.plan = *currentPlan;
    submit(req);
}

void RunController::cancel(qint64 runId, const QString &task)
{
    if (!engine()) {
        Q_EMIT actionFailed(isReadOnly() ? readOnlyMessage() : tr("The engine is not running."));
        return;
    }
    engine()->cancel(runId, task).then(this, [this, runId, task](const Result<void> &r) {
        if (!r)
            Q_EMIT actionFailed(r.error().message);
        else
            Q_EMIT actionDone(task.isEmpty()
                    ? tr("Cancel of run %1 requested").arg(runId)
                    : tr("Cancel of %1 in run %2 requested").arg(task).arg(runId));
    });
}

void RunController::mark(qint64 runId, const QString &task, TaskState state)
{
    if (!engine()) {
        Q_EMIT actionFailed(isReadOnly() ? readOnlyMessage() : tr("The engine is not running."));
        return;
    }
    engine()
        ->mark(runId, task, state)
        .then(this, [this, runId, task, state](const Result<void> &r) {
            if (!r)
                Q_EMIT actionFailed(r.error().message);
            else
                Q_EMIT actionDone(task.isEmpty()
                        ? tr("Run %1 marked %2").arg(runId).arg(toString(state))
                        : tr("%1 in run %2 marked %3").arg(task).arg(runId).arg(toString(state)));
        });
}

} // namespace pw
