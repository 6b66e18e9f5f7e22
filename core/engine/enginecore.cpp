#include "enginecore.h"

#include "format/runplanner.h"
#include "history/ownerregistry.h"
#include "model/template.h"
#include "runners/inlinerunner.h"
#include "runners/processinfo.h"
#include "runners/shellrunner.h"

#include <QCoreApplication>

#include <algorithm>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QThread>

Q_LOGGING_CATEGORY(lcEngine, "pw.core.engine")

namespace pw {

namespace {

QString attemptKey(qint64 runId, const QString &task, int attempt)
{
    return QString::number(runId) + QLatin1Char('/') + task + QLatin1Char('/') + QString::number(attempt);
}

// PW_PARAM_<NAME>: upper case, anything but [A-Z0-9_] becomes '_'.
QString envName(const QString &param)
{
    QString out = QStringLiteral("PW_PARAM_");
    for (QChar c : param.toUpper())
        out += (c.isLetterOrNumber() && c.unicode() < 128) || c == QLatin1Char('_') ? c : QLatin1Char('_');
    return out;
}

constexpr int kDispatchBudget = 4096; // attempts started per flush round at most

} // namespace

EngineCore::EngineCore(EngineConfig config)
    : m_config(std::move(config)), m_home(m_config.home)
{
    m_requestTimer.setParent(this);
    m_takeoverTimer.setParent(this);
    m_pendingTimer.setParent(this);
    m_awaitTimer.setParent(this);
    connect(&m_awaitTimer, &QTimer::timeout, this, &EngineCore::pollAwaited);
}

EngineCore::~EngineCore()
{
    shutdown();
}

qint64 EngineCore::now() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

Result<qint64> EngineCore::init()
{
    const QString historyPath = m_config.location().historyPath;
    // An engine writes (owner row, takeovers, runs, logs): a read-only home is for readers.
    if (auto why = m_home.readOnlyReason(historyPath)) {
        return fail(QStringLiteral("history %1 is read-only: %2; runs cannot be started or changed")
                        .arg(historyPath, *why));
    }
    if (auto ok = m_home.ensureExists(); !ok)
        return Unexpected(ok.error());
    auto cfg = m_home.loadConfig();
    if (!cfg)
        return Unexpected(cfg.error());
    m_homeConfig = *cfg;

    HistoryStore::Options opts;
    opts.path = historyPath;
    opts.synchronousFull = m_homeConfig.synchronousFull;
    // EngineConfig values win; 0 = the home's config.yaml (defaults 30 s, 2 s, 10 s).
    if (m_config.busyTimeoutMs <= 0)
        m_config.busyTimeoutMs = m_homeConfig.busyTimeoutMs;
    if (m_config.heartbeatMs <= 0)
        m_config.heartbeatMs = m_homeConfig.heartbeatMs;
    if (m_config.ownerStaleMs <= 0)
        m_config.ownerStaleMs = m_homeConfig.staleLimitMs;
    opts.busyTimeoutMs = m_config.busyTimeoutMs;
    auto store = HistoryStore::open(opts);
    if (!store)
        return Unexpected(store.error());
    m_store = std::move(*store);

    int maxParallel = m_config.maxParallel > 0 ? m_config.maxParallel : m_homeConfig.maxParallel;
    if (maxParallel <= 0)
        maxParallel = std::max(1, QThread::idealThreadCount());
    m_config.maxParallel = maxParallel;
    m_queue.setGlobalLimit(maxParallel);
    m_pool.setMaxThreadCount(maxParallel);
    m_pool.setExpiryTimeout(-1);
    for (auto it = m_homeConfig.pools.cbegin(); it != m_homeConfig.pools.cend(); ++it)
        m_queue.setPoolSlots(it.key(), it.value());
    for (auto it = m_config.pools.cbegin(); it != m_config.pools.cend(); ++it)
        m_queue.setPoolSlots(it.key(), it.value());

    m_shell = new ShellRunner(&m_pool, this);
    m_noop = std::make_unique<InlineRunner>(InlineRunner::Mode::Succeed);
    m_unsupported = std::make_unique<InlineRunner>(InlineRunner::Mode::Unsupported);
    m_retries = new RetryScheduler(this);
    connect(m_retries, &RetryScheduler::due, this, &EngineCore::onRetryDue);

    m_host = ProcessInfo::hostName();
    OwnerRegistry::Options ownerOpts;
    ownerOpts.heartbeatMs = m_config.heartbeatMs;
    ownerOpts.staleMs = m_config.ownerStaleMs;
    ownerOpts.killGraceMs = m_config.killGraceMs;
    m_owners = new OwnerRegistry(m_store.get(), ownerOpts, this);
    auto id = m_owners->registerSelf();
    if (!id)
        return Unexpected(id.error());
    m_ownerId = *id;
    // Another process decided this one was dead (e.g. it was stopped for longer than the
    // stale limit) and interrupted its runs: they are no longer ours to write.
    connect(m_owners, &OwnerRegistry::ownershipLost, this,
            [this](const QString &message) {
                Error e(message);
                e.kind = Error::Kind::OwnershipLost;
                failStore(e);
            });
    checkDeadOwners();

    connect(&m_requestTimer, &QTimer::timeout, this, &EngineCore::pollRequests);
    m_requestTimer.start(int(m_config.requestPollMs));
    connect(&m_takeoverTimer, &QTimer::timeout, this, &EngineCore::checkDeadOwners);
    m_takeoverTimer.start(int(m_config.takeoverCheckMs));
    // Runs waiting for a max_active_runs slot that another process may free.
    connect(&m_pendingTimer, &QTimer::timeout, this, &EngineCore::startPendingRunsOfAllFlows);
    m_pendingTimer.start(int(m_config.requestPollMs));
    qCDebug(lcEngine) << "engine ready, owner" << m_ownerId << "max_parallel" << maxParallel;
    return m_ownerId;
}

void EngineCore::shutdown()
{
    if (m_shuttingDown || !m_store)
        return;
    m_requestTimer.stop();
    m_takeoverTimer.stop();
    m_pendingTimer.stop();
    // Cancel what is active and let the attempts report back.
    std::vector<qint64> ids;
    for (const auto &[id, run] : m_runs)
        ids.push_back(id);
    for (qint64 id : ids)
        (void)cancel(id, {});
    flush();
    m_shuttingDown = true;
    QDeadlineTimer deadline(m_config.killGraceMs + 10000);
    while (m_shell && m_shell->activeCount() > 0 && !deadline.hasExpired()) {
        m_pool.waitForDone(50);
        QCoreApplication::sendPostedEvents(this);
        QCoreApplication::sendPostedEvents(m_shell);
    }
    m_shuttingDown = false;
    flush();
    m_shuttingDown = true;
    finishFatal();
    delete m_shell;
    m_shell = nullptr;
    if (m_owners)
        (void)m_owners->release();
    m_store.reset();
}

// --- buffered writes ------------------------------------------------------------------------

void EngineCore::ensureTransaction()
{
    if (m_inTransaction || m_fatal)
        return;
    if (auto ok = m_store->begin(); !ok) {
        failStore(ok.error());
        return;
    }
    m_inTransaction = true;
    // The ownership fence (DESIGN §6): BEGIN IMMEDIATE holds the write lock until the commit,
    // and a takeover must claim this owner's row before touching its runs, so if the row is
    // alive now, everything this batch writes is still ours when it commits.
    if (auto ok = m_store->checkOwner(m_ownerId); !ok) {
        failStore(ok.error());
        return;
    }
    scheduleFlush();
}

void EngineCore::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    QTimer::singleShot(int(m_config.flushDelayMs), this, &EngineCore::flush);
}

void EngineCore::failStore(const Error &error)
{
    if (m_fatal)
        return;
    m_fatal = true;
    m_ownershipLost = error.kind == Error::Kind::OwnershipLost;
    m_fatalMessage = error.message;
    qCWarning(lcEngine) << (m_ownershipLost ? "ownership lost:" : "history store failed:") << error.message;
    if (m_inTransaction)
        m_store->rollback();
    m_inTransaction = false;
    m_requestTimer.stop();
    m_takeoverTimer.stop();
    m_pendingTimer.stop();
    if (m_ownershipLost && m_owners)
        m_owners->abandon(); // the row is someone else's now: not even a heartbeat
    // Nothing more may start without a record; stop what runs. Held children never run.
    for (const auto &gate : std::as_const(m_gates))
        gate->refuse();
    m_gates.clear();
    for (auto &[id, run] : m_runs) {
        for (size_t i = 0; i < run->tasks.size(); ++i) {
            TaskRt &t = run->tasks[i];
            if (t.running && t.runner)
                t.runner->cancel({id, t.spec->id, t.lastAttempt});
        }
    }
    Q_EMIT fatalError(error.message);
    finishFatal();
}

// After a fatal error, once no attempt of this process runs any more: end this owner's runs
// in the store (attempts, tasks, tries and runs `interrupted`, saying why) so that nothing is
// left `running` — or, when even that cannot be written, stop heartbeating so that the next
// process takes the runs over and does it. After a lost ownership nothing is written at all.
void EngineCore::finishFatal()
{
    if (!m_fatal || m_fatalFinished || (m_shell && m_shell->activeCount() > 0))
        return;
    m_fatalFinished = true;
    if (m_ownershipLost || !m_owners || !m_owners->isRegistered())
        return;
    auto ended = m_store->endOwner(m_ownerId, now(), QStringLiteral("stopped: ") + m_fatalMessage);
    if (!ended) {
        qCWarning(lcEngine) << "cannot end this process's runs (" << ended.error().message
                            << "); they are left to a takeover";
        m_owners->abandon();
        return;
    }
    m_owners->abandon(); // endOwner retired the owner row
    for (qint64 id : std::as_const(*ended))
        Q_EMIT runFinished(id, RunState::Interrupted);
}

bool EngineCore::writePending()
{
    if (m_fatal)
        return false;
    ensureTransaction();
    if (m_fatal)
        return false;
    auto check = [this](const Result<void> &r) {
        if (!r) {
            failStore(r.error());
            return false;
        }
        return true;
    };
    if (!m_pendingTasks.empty()) {
        QList<HistoryStore::TaskStateWrite> states;
        states.reserve(qsizetype(m_pendingTasks.size()));
        for (const PendingTask &t : m_pendingTasks)
            states.append({t.runId, t.task, t.state, t.tryNo, t.time, t.dueAt});
        if (!check(m_store->setTaskStates(states)))
            return false;
    }
    QList<AttemptRecord> newAttempts;
    for (const PendingAttempt &a : m_pendingAttempts) {
        if (a.isNew)
            newAttempts.append(a.rec);
    }
    if (!newAttempts.isEmpty() && !check(m_store->insertAttempts(newAttempts)))
        return false;
    for (const PendingAttempt &a : m_pendingAttempts) {
        if (a.isNew)
            continue;
        if (a.processChanged
            && !check(m_store->setAttemptProcess(a.rec.runId, a.rec.task, a.rec.attempt, a.rec.pgid, a.rec.procStart)))
            return false;
        if (a.finished
            && !check(m_store->finishAttempt(a.rec.runId, a.rec.task, a.rec.attempt, a.rec.state,
                                             a.rec.ended, a.rec.exitCode, a.rec.error)))
            return false;
    }
    if (!m_pendingEvents.empty()
        && !check(m_store->appendEvents(QList<EventRecord>(m_pendingEvents.begin(), m_pendingEvents.end()))))
        return false;
    if (!check(m_store->commit()))
        return false;
    m_inTransaction = false;
    m_pendingTasks.clear();
    m_pendingTaskIndex.clear();
    m_pendingAttempts.clear();
    m_pendingAttemptIndex.clear();
    m_pendingEvents.clear();
    return true;
}

void EngineCore::flush()
{
    m_flushScheduled = false;
    for (int round = 0; round < 64; ++round) {
        const bool anything = m_inTransaction || !m_afterCommit.empty() || !m_outEvents.isEmpty()
                              || !m_finishedRuns.empty();
        if (!anything || m_fatal)
            return;
        if (!writePending())
            return;
        auto actions = std::move(m_afterCommit);
        m_afterCommit.clear();
        auto out = std::move(m_outEvents);
        m_outEvents.clear();
        auto finished = std::move(m_finishedRuns);
        m_finishedRuns.clear();
        if (!out.isEmpty())
            Q_EMIT events(out);
        for (const auto &f : actions)
            f();
        for (const auto &[id, state] : finished)
            Q_EMIT runFinished(id, state);
        dispatch();
    }
    scheduleFlush(); // more work: let the event loop breathe first
}

bool EngineCore::flushNow()
{
    flush();
    return !m_fatal;
}

void EngineCore::setTaskState(RunRt &run, int task, TaskState state, qint64 dueAt, const QString &detail)
{
    TaskRt &t = run.tasks[size_t(task)];
    t.state = state;
    ensureTransaction();
    const qint64 time = now();
    const auto key = qMakePair(run.id, t.spec->id);
    const auto it = m_pendingTaskIndex.constFind(key);
    if (it != m_pendingTaskIndex.cend()) {
        PendingTask &p = m_pendingTasks[*it];
        p.state = state;
        p.tryNo = run.tryNo;
        p.time = time;
        p.dueAt = dueAt;
    } else {
        m_pendingTaskIndex.insert(key, m_pendingTasks.size());
        m_pendingTasks.push_back({run.id, t.spec->id, state, run.tryNo, time, dueAt});
    }
    EventRecord e;
    e.time = time;
    e.runId = run.id;
    e.tryNo = run.tryNo;
    e.task = t.spec->id;
    e.attempt = t.lastAttempt;
    e.kind = QStringLiteral("task");
    e.state = toString(state);
    e.detail = detail;
    recordEvent(e);

    EngineEvent ev;
    ev.kind = EngineEvent::Kind::TaskState;
    ev.runId = run.id;
    ev.tryNo = run.tryNo;
    ev.task = t.spec->id;
    ev.attempt = t.lastAttempt;
    ev.taskState = state;
    ev.time = time;
    ev.dueAt = dueAt;
    ev.detail = detail;
    m_outEvents.append(ev);
}

void EngineCore::recordEvent(const EventRecord &e)
{
    ensureTransaction();
    m_pendingEvents.push_back(e);
}

// --- runs -----------------------------------------------------------------------------------

Result<RunPlan> EngineCore::storedPlan(const RunRecord &run)
{
    auto def = m_store->definition(run.definitionHash);
    if (!def)
        return Unexpected(def.error());
    auto plan = RunPlanner::fromSnapshot(*def, run.paramsJson, run.sourcePath, run.workdir);
    if (!plan)
        return Unexpected(Error(QStringLiteral("stored plan of run %1 cannot be read: %2")
                                    .arg(run.id).arg(plan.error().message)));
    return plan;
}

Result<void> EngineCore::refuseIfActive(const RunRecord &run)
{
    if (m_runs.count(run.id))
        return fail(QStringLiteral("run %1 is already active in this process (pid %2 on %3, owner %4)")
                        .arg(run.id)
                        .arg(QCoreApplication::applicationPid())
                        .arg(m_host)
                        .arg(m_ownerId));
    if (isFinal(run.state))
        return {};
    // Active elsewhere? submit() took dead owners over first, which interrupted their runs.
    auto fresh = m_store->run(run.id);
    if (!fresh)
        return Unexpected(fresh.error());
    if (*fresh && !isFinal((*fresh)->state)) {
        auto owner = m_store->owner((*fresh)->ownerId);
        if (owner && *owner && (*owner)->alive)
            return fail(QStringLiteral("run %1 is active in another process: pid %2 on %3 (owner %4); "
                                       "cancel it there or wait for it to end")
                            .arg(run.id)
                            .arg((*owner)->pid)
                            .arg((*owner)->host)
                            .arg((*owner)->id));
        // No live owner recorded: it cannot progress; treat it as interrupted.
        ensureTransaction();
        if (auto ok = m_store->setRunState(run.id, RunState::Interrupted, now()); !ok)
            return ok;
    }
    return {};
}

Result<qint64> EngineCore::submit(const RunRequest &req)
{
    if (m_fatal)
        return failEnvironment(QStringLiteral("no new runs are started: ") + m_fatalMessage);
    if (m_shuttingDown)
        return fail(QStringLiteral("the engine is shutting down"));
    // Dead owners first (outside a batch: it waits for their process groups to end), so their
    // runs read as interrupted and can be recovered.
    checkDeadOwners();
    // Everything a submit reads and writes is in one write transaction, so what it checked (no
    // run with this key, the run is not active, its latest try) still holds when it commits.
    ensureTransaction();
    if (m_fatal)
        return failEnvironment(m_fatalMessage);
    auto r = submitLocked(req);
    if (!r && r.error().isEnvironment())
        failStore(r.error());
    return r;
}

Result<qint64> EngineCore::submitLocked(const RunRequest &req)
{
    if (req.kind == RunRequest::Kind::Run) {
        const QString key = req.plan.key();
        auto existing = m_store->runByKey(key);
        if (!existing)
            return Unexpected(existing.error());
        if (!*existing) {
            HistoryStore::NewRun nr;
            nr.flowId = req.plan.flow.id;
            nr.key = key;
            nr.paramsJson = req.plan.paramsJson();
            nr.sourcePath = req.plan.sourcePath;
            nr.workdir = req.plan.workdir;
            nr.ownerId = m_ownerId;
            nr.created = now();
            ensureTransaction();
            auto id = m_store->createRun(nr);
            if (!id)
                return Unexpected(id.error());
            QSet<QString> all;
            for (const TaskSpec &t : req.plan.flow.tasks)
                all.insert(t.id);
            return startTry(*id, 1, req.trigger, req.plan, all, {});
        }
        const RunRecord &run = **existing;
        if (auto ok = refuseIfActive(run); !ok)
            return Unexpected(ok.error());
        auto latest = m_store->run(run.id);
        if (!latest || !*latest)
            return fail(QStringLiteral("run %1 disappeared").arg(run.id));
        const RunRecord &cur = **latest;
        if (cur.state == RunState::Succeeded) {
            if (!req.force)
                return fail(QStringLiteral("run %1 (%2) already succeeded; use --force to run it again")
                                .arg(cur.id)
                                .arg(cur.key));
            QSet<QString> all;
            for (const TaskSpec &t : req.plan.flow.tasks)
                all.insert(t.id);
            return startTry(cur.id, cur.tryNo + 1, TryTrigger::Force, req.plan, all,
                            QStringLiteral("--force"));
        }
        // failed / cancelled / interrupted: recover with the stored plan.
        auto plan = storedPlan(cur);
        if (!plan)
            return Unexpected(plan.error());
        auto tasks = m_store->tasks(cur.id);
        if (!tasks)
            return Unexpected(tasks.error());
        QHash<QString, TaskState> states;
        for (const TaskRecord &t : *tasks)
            states.insert(t.task, t.state);
        const QSet<QString> sel = RerunSelection::select(plan->flow, states, RerunMode::Failed);
        QString note = QStringLiteral("recover");
        if (plan->definitionHash != req.plan.definitionHash)
            note += QStringLiteral("; the flow file changed since this run: using the run's stored definition");
        return startTry(cur.id, cur.tryNo + 1, TryTrigger::Recover, *plan, sel, note);
    }

    // Rerun
    auto existing = m_store->run(req.runId);
    if (!existing)
        return Unexpected(existing.error());
    if (!*existing)
        return fail(QStringLiteral("no run with id %1").arg(req.runId));
    if (auto ok = refuseIfActive(**existing); !ok)
        return Unexpected(ok.error());
    auto latest = m_store->run(req.runId);
    if (!latest || !*latest)
        return fail(QStringLiteral("run %1 disappeared").arg(req.runId));
    const RunRecord &cur = **latest;
    auto stored = storedPlan(cur);
    if (!stored)
        return Unexpected(stored.error());
    const RunPlan &plan = req.currentDefinition ? req.plan : *stored;
    if ((req.mode == RerunMode::From || req.mode == RerunMode::Task) && !plan.flow.task(req.task))
        return fail(QStringLiteral("run %1 has no task '%2'").arg(cur.id).arg(req.task));
    auto tasks = m_store->tasks(cur.id);
    if (!tasks)
        return Unexpected(tasks.error());
    QHash<QString, TaskState> states;
    for (const TaskRecord &t : *tasks)
        states.insert(t.task, t.state);
    QSet<QString> sel;
    QString note;
    switch (req.mode) {
    case RerunMode::Failed: note = QStringLiteral("rerun --failed"); break;
    case RerunMode::All: note = QStringLiteral("rerun --all"); break;
    case RerunMode::From: note = QStringLiteral("rerun --from ") + req.task; break;
    case RerunMode::Task: note = QStringLiteral("rerun --task ") + req.task; break;
    }
    if (req.currentDefinition) {
        note += QStringLiteral(" --current-definition");
        // A task is kept only if it succeeded and its definition is unchanged.
        QSet<QString> changed;
        for (const TaskSpec &t : plan.flow.tasks) {
            const QString oldHash = stored->taskHashes.value(t.id);
            if (oldHash.isEmpty() || oldHash != plan.taskHashes.value(t.id) || !states.contains(t.id))
                changed.insert(t.id);
        }
        QHash<QString, TaskState> effective;
        for (const TaskSpec &t : plan.flow.tasks)
            effective.insert(t.id, changed.contains(t.id) ? TaskState::Waiting : states.value(t.id, TaskState::Waiting));
        sel = RerunSelection::select(plan.flow, effective, req.mode, req.task);
        sel.unite(RerunSelection::withDownstream(plan.flow, changed));
    } else {
        sel = RerunSelection::select(plan.flow, states, req.mode, req.task);
    }
    return startTry(cur.id, cur.tryNo + 1, TryTrigger::Rerun, plan, sel, note);
}

Result<qint64> EngineCore::startTry(qint64 runId, int tryNo, TryTrigger trigger, const RunPlan &plan,
                                    const QSet<QString> &selected, const QString &note)
{
    ensureTransaction();
    if (auto ok = m_store->storeDefinition(plan.definitionHash, plan.flow.id, plan.definition); !ok)
        return Unexpected(ok.error());

    auto run = std::make_unique<RunRt>();
    run->id = runId;
    run->tryNo = tryNo;
    run->plan = plan;
    const Flow &flow = run->plan.flow;

    // Recorded states and attempt numbers of the tasks (a new run has none).
    QHash<QString, TaskRecord> recorded;
    if (tryNo > 1) {
        auto tasks = m_store->tasks(runId);
        if (!tasks)
            return Unexpected(tasks.error());
        for (const TaskRecord &t : *tasks)
            recorded.insert(t.task, t);
    }

    QList<int> unfinishedLeft;
    run->tasks.resize(size_t(flow.tasks.size()));
    for (int i = 0; i < flow.tasks.size(); ++i)
        run->index.insert(flow.tasks[i].id, i);
    for (int i = 0; i < flow.tasks.size(); ++i) {
        TaskRt &t = run->tasks[size_t(i)];
        t.spec = &flow.tasks[i];
        t.policy = flow.retryPolicy(*t.spec);
        t.timeoutMs = flow.timeoutMs(*t.spec);
        t.selected = selected.contains(t.spec->id);
        const TaskRecord rec = recorded.value(t.spec->id);
        t.lastAttempt = rec.attempts;
        t.state = t.selected ? TaskState::Waiting : (recorded.contains(t.spec->id) ? rec.state : TaskState::Waiting);
        // An unselected task that an earlier try left unfinished (that try was interrupted)
        // will not run in this one either: it counts as interrupted, so nothing waits on it.
        if (!t.selected && !isFinal(t.state)) {
            t.state = TaskState::Interrupted;
            unfinishedLeft.append(i);
        }
        for (const QString &up : t.spec->after) {
            const int u = run->index.value(up, -1);
            if (u >= 0) {
                t.up.append(u);
                run->tasks[size_t(u)].down.append(i);
            }
        }
    }
    // Transitive downstream counts (priority tie-breaker), in reverse topological order.
    {
        std::vector<int> order;
        std::vector<int> indeg(run->tasks.size());
        for (size_t i = 0; i < run->tasks.size(); ++i)
            indeg[i] = int(run->tasks[i].up.size());
        for (size_t i = 0; i < run->tasks.size(); ++i)
            if (indeg[i] == 0)
                order.push_back(int(i));
        for (size_t k = 0; k < order.size(); ++k)
            for (int d : run->tasks[size_t(order[k])].down)
                if (--indeg[size_t(d)] == 0)
                    order.push_back(d);
        // Exact counts need set unions; for large graphs an upper bound (sum over children)
        // keeps this linear and still ranks hubs first.
        const bool exact = run->tasks.size() <= 2000;
        std::vector<QSet<int>> reach(exact ? run->tasks.size() : 0);
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            TaskRt &t = run->tasks[size_t(*it)];
            if (exact) {
                QSet<int> &r = reach[size_t(*it)];
                for (int d : t.down) {
                    r.insert(d);
                    r.unite(reach[size_t(d)]);
                }
                t.downstreamCount = int(r.size());
            } else {
                qint64 sum = 0;
                for (int d : t.down)
                    sum += 1 + run->tasks[size_t(d)].downstreamCount;
                t.downstreamCount = int(std::min<qint64>(sum, 1 << 30));
            }
        }
    }

    for (auto it = run->plan.params.cbegin(); it != run->plan.params.cend(); ++it)
        run->values.insert(it.key(), it.value());
    run->values.insert(QStringLiteral("flow"), flow.id);
    run->values.insert(QStringLiteral("run_id"), QString::number(runId));

    applyLimits(run->plan);
    // max_active_runs is counted in the store, across every process (read inside this batch's
    // write transaction, so two processes never both take the last slot).
    const int maxActive = flow.limits.maxActiveRuns.value_or(0);
    QString waitReason;
    if (maxActive > 0) {
        auto holders = m_store->runningRuns(flow.id);
        if (!holders)
            return Unexpected(holders.error());
        if (holders->size() >= maxActive)
            waitReason = slotHoldersText(flow.id, maxActive, *holders);
    }
    const bool canStart = waitReason.isEmpty();

    TryRecord tr;
    tr.runId = runId;
    tr.tryNo = tryNo;
    tr.trigger = trigger;
    tr.planHash = plan.hash;
    tr.definitionHash = plan.definitionHash;
    tr.state = canStart ? RunState::Running : RunState::Queued;
    tr.ownerId = m_ownerId;
    tr.note = note;
    const qint64 created = now();
    tr.started = canStart ? created : 0; // a queued try starts when it gets its slot
    if (auto ok = m_store->startTry(tr); !ok)
        return Unexpected(ok.error());

    EventRecord e;
    e.time = created;
    e.runId = runId;
    e.tryNo = tryNo;
    e.kind = QStringLiteral("try");
    e.state = toString(trigger);
    e.detail = note;
    recordEvent(e);

    // Tasks this plan no longer has (rerun --current-definition) leave the run's task list;
    // their attempts and events stay.
    QStringList removed;
    for (auto it = recorded.cbegin(); it != recorded.cend(); ++it) {
        if (!run->index.contains(it.key()))
            removed << it.key();
    }
    if (!removed.isEmpty()) {
        std::sort(removed.begin(), removed.end());
        if (auto ok = m_store->removeTasks(runId, tryNo, removed, created); !ok)
            return Unexpected(ok.error());
        for (const QString &task : std::as_const(removed)) {
            EventRecord re = e;
            re.kind = QStringLiteral("task");
            re.task = task;
            re.state = QStringLiteral("removed");
            re.detail = QStringLiteral("not in the definition of try %1").arg(tryNo);
            recordEvent(re);
        }
    }

    RunRt &r = *run;
    setRunState(r, tr.state, waitReason);
    if (m_fatal)
        return failEnvironment(m_fatalMessage);
    for (int i : std::as_const(unfinishedLeft))
        setTaskState(r, i, TaskState::Interrupted, 0, QStringLiteral("left unfinished by an earlier try"));
    for (size_t i = 0; i < r.tasks.size(); ++i) {
        if (r.tasks[i].selected) {
            ++r.unfinished;
            setTaskState(r, int(i), TaskState::Waiting);
        }
    }
    m_runs.emplace(runId, std::move(run));
    if (canStart)
        beginRun(r);
    else
        m_pendingRuns[flow.id].append(runId);
    scheduleFlush();
    return runId;
}

QString EngineCore::slotHoldersText(const QString &flowId, int maxActive, const QList<RunRecord> &holders)
{
    QStringList who;
    for (const RunRecord &h : holders) {
        QString owner = QStringLiteral("owner %1").arg(h.ownerId);
        if (h.ownerId == m_ownerId) {
            owner = QStringLiteral("this process");
        } else if (auto o = m_store->owner(h.ownerId); o && *o) {
            owner = QStringLiteral("pid %1 on %2").arg((*o)->pid).arg((*o)->host);
        }
        who << QStringLiteral("run %1 (%2)").arg(h.id).arg(owner);
    }
    return QStringLiteral("waiting for a slot of max_active_runs %1 of flow %2, held by %3")
        .arg(maxActive)
        .arg(flowId, who.join(QStringLiteral(", ")));
}

void EngineCore::applyLimits(const RunPlan &plan)
{
    const LimitsSpec &l = plan.flow.limits;
    if (l.maxParallel)
        m_queue.setFlowLimit(plan.flow.id, *l.maxParallel);
    for (auto it = l.pools.cbegin(); it != l.pools.cend(); ++it) {
        // Home config and engine options win over a flow's declared default.
        if (!m_homeConfig.pools.contains(it.key()) && !m_config.pools.contains(it.key()))
            m_queue.setPoolSlots(it.key(), it.value());
    }
}

void EngineCore::beginRun(RunRt &run)
{
    run.started = true;
    if (run.state != RunState::Running)
        setRunState(run, RunState::Running);
    for (size_t i = 0; i < run.tasks.size(); ++i) {
        if (run.tasks[i].selected && run.tasks[i].state == TaskState::Waiting)
            evaluate(run, int(i));
    }
    checkRunDone(run);
    dispatch();
}

void EngineCore::setRunState(RunRt &run, RunState state, const QString &detail)
{
    run.state = state;
    ensureTransaction();
    if (m_fatal)
        return;
    const qint64 t = now();
    if (auto ok = m_store->setRunState(run.id, state, t, HistoryStore::Fence{m_ownerId, run.tryNo}); !ok) {
        failStore(ok.error());
        return;
    }
    EventRecord e;
    e.time = t;
    e.runId = run.id;
    e.tryNo = run.tryNo;
    e.kind = QStringLiteral("run");
    e.state = toString(state);
    e.detail = detail;
    recordEvent(e);
    EngineEvent ev;
    ev.kind = EngineEvent::Kind::RunState;
    ev.runId = run.id;
    ev.tryNo = run.tryNo;
    ev.runState = state;
    ev.time = t;
    ev.detail = detail;
    m_outEvents.append(ev);
}

// Decides what a waiting task does now that (some of) its upstream tasks are final.
void EngineCore::evaluate(RunRt &run, int task)
{
    TaskRt &t = run.tasks[size_t(task)];
    if (!t.selected || t.state != TaskState::Waiting || run.cancelRequested)
        return;
    bool allFinal = true;
    bool anyFailed = false;
    bool allSuccess = true;
    for (int u : t.up) {
        const TaskState s = run.tasks[size_t(u)].state;
        allFinal = allFinal && isFinal(s);
        anyFailed = anyFailed || isFailureLike(s);
        allSuccess = allSuccess && isSuccessLike(s);
    }
    switch (t.spec->trigger) {
    case TriggerRule::AllSuccess:
        if (anyFailed)
            finishTask(run, task, TaskState::UpstreamFailed);
        else if (allFinal && allSuccess)
            makeReady(run, task);
        break;
    case TriggerRule::AllDone:
        if (allFinal)
            makeReady(run, task);
        break;
    case TriggerRule::OneFailed:
        if (anyFailed)
            makeReady(run, task);
        else if (allFinal)
            finishTask(run, task, TaskState::Skipped);
        break;
    }
}

void EngineCore::makeReady(RunRt &run, int task)
{
    TaskRt &t = run.tasks[size_t(task)];
    setTaskState(run, task, TaskState::Queued);
    TaskQueue::Item item;
    item.runId = run.id;
    item.task = task;
    item.flow = run.plan.flow.id;
    item.pool = t.spec->pool;
    item.priority = t.spec->priority;
    item.downstream = t.downstreamCount;
    m_queue.push(item);
}

void EngineCore::finishTask(RunRt &run, int task, TaskState state, const QString &detail)
{
    TaskRt &t = run.tasks[size_t(task)];
    const bool wasFinal = isFinal(t.state);
    setTaskState(run, task, state, 0, detail);
    if (!wasFinal && t.selected)
        --run.unfinished;
    // Propagate iteratively (long chains must not recurse deeply).
    m_propagate.emplace_back(run.id, task);
    if (m_propagating)
        return;
    m_propagating = true;
    while (!m_propagate.empty()) {
        const auto [runId, idx] = m_propagate.back();
        m_propagate.pop_back();
        const auto it = m_runs.find(runId);
        if (it == m_runs.end())
            continue;
        RunRt &r = *it->second;
        const QList<int> down = r.tasks[size_t(idx)].down;
        for (int d : down)
            evaluate(r, d);
    }
    m_propagating = false;
    checkRunDone(run);
}

void EngineCore::checkRunDone(RunRt &run)
{
    if (run.unfinished > 0 || !run.started || isFinal(run.state))
        return;
    RunState final = RunState::Succeeded;
    if (run.cancelRequested) {
        final = RunState::Cancelled;
    } else {
        for (const TaskRt &t : run.tasks) {
            if (!isSuccessLike(t.state)) {
                final = RunState::Failed;
                break;
            }
        }
    }
    setRunState(run, final);
    const qint64 id = run.id;
    const QString flowId = run.plan.flow.id;
    m_finishedRuns.emplace_back(id, final);
    // The RunRt may be referenced by callers up the stack: free it after the commit.
    m_afterCommit.push_back([this, id, flowId] {
        m_runs.erase(id);
        startPendingRuns(flowId);
    });
    scheduleFlush();
}

void EngineCore::startPendingRuns(const QString &flowId)
{
    auto it = m_pendingRuns.find(flowId);
    if (it == m_pendingRuns.end())
        return;
    ensureTransaction(); // the count and the start are one atomic step across processes
    if (m_fatal)
        return;
    while (!it->isEmpty()) {
        const auto r = m_runs.find(it->first());
        if (r == m_runs.end()) {
            it->removeFirst();
            continue;
        }
        const int maxActive = r->second->plan.flow.limits.maxActiveRuns.value_or(0);
        if (maxActive > 0) {
            auto holders = m_store->runningRuns(flowId);
            if (!holders) {
                failStore(holders.error());
                return;
            }
            if (holders->size() >= maxActive)
                break;
        }
        it->removeFirst();
        beginRun(*r->second);
    }
    if (it->isEmpty())
        m_pendingRuns.erase(it);
    scheduleFlush();
}

void EngineCore::startPendingRunsOfAllFlows()
{
    if (m_fatal || m_shuttingDown || m_pendingRuns.isEmpty())
        return;
    const QStringList flows = m_pendingRuns.keys();
    for (const QString &flowId : flows)
        startPendingRuns(flowId);
}

// --- execution ------------------------------------------------------------------------------

Runner *EngineCore::runnerFor(const TaskSpec &spec)
{
    if (spec.executor != Executor::Local)
        return m_unsupported.get();
    switch (spec.type) {
    case TaskType::Shell: return m_shell;
    case TaskType::Noop: return m_noop.get();
    case TaskType::Sql:
    case TaskType::WaitFile: return m_unsupported.get();
    }
    return m_unsupported.get();
}

void EngineCore::dispatch()
{
    // Inline attempts finish inside startAttempt() and call back into dispatch(): the outer
    // loop picks up what they made ready, so nesting never grows the stack.
    if (m_fatal || m_shuttingDown || m_dispatching)
        return;
    m_dispatching = true;
    int budget = kDispatchBudget;
    while (budget > 0) {
        const std::vector<TaskQueue::Item> items = m_queue.takeRunnable();
        if (items.empty())
            break;
        for (const TaskQueue::Item &item : items) {
            startAttempt(item);
            --budget;
        }
    }
    m_dispatching = false;
    if (budget <= 0)
        scheduleFlush();
}

void EngineCore::startAttempt(const TaskQueue::Item &item)
{
    const auto it = m_runs.find(item.runId);
    if (it == m_runs.end()) {
        m_queue.release(item);
        return;
    }
    RunRt &run = *it->second;
    TaskRt &t = run.tasks[size_t(item.task)];
    t.item = item;
    t.running = true;
    ++t.attemptInTry;
    const int n = ++t.lastAttempt;
    setTaskState(run, item.task, TaskState::Running);

    Runner *runner = runnerFor(*t.spec);
    t.runner = runner;
    AttemptSpec spec;
    spec.key = {run.id, t.spec->id, n};
    spec.tryNo = run.tryNo;
    spec.task = *t.spec;
    spec.timeoutMs = t.timeoutMs;
    spec.killGraceMs = m_config.killGraceMs;

    QHash<QString, QString> values = run.values;
    values.insert(QStringLiteral("task"), t.spec->id);
    values.insert(QStringLiteral("attempt"), QString::number(n));
    if (t.spec->type == TaskType::Shell && t.spec->executor == Executor::Local) {
        auto cmd = Template::parse(t.spec->command);
        spec.command = cmd ? cmd->render(values, Template::Quoting::Shell) : t.spec->command;
        QString wd = run.plan.workdir.isEmpty() ? QDir::currentPath() : run.plan.workdir;
        if (!t.spec->workdir.isEmpty()) {
            auto w = Template::parse(t.spec->workdir);
            const QString rendered = w ? w->render(values, Template::Quoting::None) : t.spec->workdir;
            wd = QDir(wd).absoluteFilePath(rendered);
        }
        spec.workdir = QDir::cleanPath(wd);
        for (auto e = t.spec->env.cbegin(); e != t.spec->env.cend(); ++e) {
            auto v = Template::parse(e.value());
            spec.env.insert(e.key(), v ? v->render(values, Template::Quoting::None) : e.value());
        }
        spec.env.insert(QStringLiteral("PW_FLOW"), run.plan.flow.id);
        spec.env.insert(QStringLiteral("PW_RUN_ID"), QString::number(run.id));
        spec.env.insert(QStringLiteral("PW_TRY"), QString::number(run.tryNo));
        spec.env.insert(QStringLiteral("PW_TASK"), t.spec->id);
        spec.env.insert(QStringLiteral("PW_ATTEMPT"), QString::number(n));
        for (auto p = run.plan.params.cbegin(); p != run.plan.params.cend(); ++p)
            spec.env.insert(envName(p.key()), p.value());
        spec.logPath = m_home.logPath(run.id, t.spec->id, n);
    }

    AttemptRecord rec;
    rec.runId = run.id;
    rec.task = t.spec->id;
    rec.attempt = n;
    rec.tryNo = run.tryNo;
    rec.state = AttemptState::Running;
    rec.started = now();
    rec.logPath = spec.logPath;
    rec.host = m_host;
    rec.ownerId = m_ownerId;
    const QString akey = attemptKey(run.id, rec.task, n);
    m_pendingAttemptIndex.insert(akey, m_pendingAttempts.size());
    m_pendingAttempts.push_back({rec, true, false, false});
    // No separate event row: the task's `running` event carries the attempt number.
    EngineEvent ev;
    ev.kind = EngineEvent::Kind::AttemptStarted;
    ev.runId = run.id;
    ev.tryNo = run.tryNo;
    ev.task = rec.task;
    ev.attempt = n;
    ev.time = rec.started;
    m_outEvents.append(ev);

    const qint64 runId = run.id;
    const int idx = item.task;
    AttemptCallbacks cb;
    cb.started = [this, runId, idx, n](qint64 pgid, qint64 procStart, std::shared_ptr<SpawnGate> gate) {
        onAttemptStarted(runId, idx, n, pgid, procStart, std::move(gate));
    };
    cb.finished = [this, runId, idx, n](const AttemptOutcome &o) { onAttemptFinished(runId, idx, n, o); };
    if (runner->runsInline()) {
        runner->start(spec, cb);
        return;
    }
    // Started once the attempt's row is committed; a cancel that came in between is kept (the
    // runner does not know the attempt yet, so the engine answers for it).
    m_afterCommit.push_back([this, runner, spec, cb, runId, idx] {
        const auto r = m_runs.find(runId);
        const bool cancelled = r == m_runs.end() || r->second->cancelRequested
                               || r->second->tasks[size_t(idx)].cancelRequested;
        if (!cancelled) {
            runner->start(spec, cb);
            return;
        }
        AttemptOutcome o;
        o.state = AttemptState::Cancelled;
        o.error = QStringLiteral("cancelled");
        o.started = o.ended = now();
        cb.finished(o);
    });
}

// The buffered write of an attempt in this batch; an attempt inserted by an earlier batch gets
// an update entry.
EngineCore::PendingAttempt &EngineCore::pendingAttempt(qint64 runId, const QString &task, int attempt)
{
    const QString key = attemptKey(runId, task, attempt);
    const auto p = m_pendingAttemptIndex.constFind(key);
    if (p != m_pendingAttemptIndex.cend())
        return m_pendingAttempts[*p];
    m_pendingAttemptIndex.insert(key, m_pendingAttempts.size());
    AttemptRecord rec;
    rec.runId = runId;
    rec.task = task;
    rec.attempt = attempt;
    m_pendingAttempts.push_back({rec, false, false, false});
    return m_pendingAttempts.back();
}

void EngineCore::onAttemptStarted(qint64 runId, int task, int attempt, qint64 pgid, qint64 procStart,
                                  std::shared_ptr<SpawnGate> gate)
{
    const auto it = m_runs.find(runId);
    ensureTransaction();
    if (it == m_runs.end() || m_fatal || m_shuttingDown) {
        gate->refuse();
        return;
    }
    PendingAttempt *pa = &pendingAttempt(runId, it->second->tasks[size_t(task)].spec->id, attempt);
    pa->rec.pgid = pgid;
    pa->rec.procStart = procStart;
    pa->processChanged = true;
    // The child runs only once its group is committed (SpawnGate).
    m_gates.insert(gate);
    m_afterCommit.push_back([this, gate] {
        m_gates.erase(gate);
        gate->open();
    });
    scheduleFlush();
}

void EngineCore::onAttemptFinished(qint64 runId, int task, int attempt, const AttemptOutcome &o)
{
    const auto it = m_runs.find(runId);
    if (it == m_runs.end())
        return;
    RunRt &run = *it->second;
    TaskRt &t = run.tasks[size_t(task)];
    ensureTransaction();
    PendingAttempt *pa = &pendingAttempt(runId, t.spec->id, attempt);
    pa->rec.state = o.state;
    pa->rec.ended = o.ended;
    pa->rec.exitCode = o.exitCode;
    pa->rec.error = o.error;
    pa->finished = true;

    // The task event that follows (succeeded, failed, retry_wait, cancelled) records the
    // outcome with the attempt's error as its detail.
    EngineEvent ev;
    ev.kind = EngineEvent::Kind::AttemptFinished;
    ev.runId = runId;
    ev.tryNo = run.tryNo;
    ev.task = t.spec->id;
    ev.attempt = attempt;
    ev.attemptState = o.state;
    ev.time = o.ended;
    ev.detail = o.error;
    m_outEvents.append(ev);

    m_queue.release(t.item);
    t.running = false;
    t.runner = nullptr;
    if (m_fatal) {
        finishFatal();
        return;
    }

    // The machine cannot run attempts (log directory unusable): record this one, then stop
    // like for a store failure instead of failing every task in turn.
    if (o.error.startsWith(QLatin1String("environment:"))) {
        const QString message = o.error.mid(12).trimmed();
        m_afterCommit.push_back([this, message] { failStore(Error::environment(message)); });
    }

    switch (o.state) {
    case AttemptState::Succeeded:
        finishTask(run, task, TaskState::Succeeded);
        break;
    case AttemptState::Cancelled:
        finishTask(run, task, TaskState::Cancelled, o.error);
        break;
    case AttemptState::Interrupted:
        finishTask(run, task, TaskState::Interrupted, o.error);
        break;
    case AttemptState::Failed:
    case AttemptState::Running:
        if (!run.cancelRequested && !t.cancelRequested && t.attemptInTry <= t.policy.retries
            && t.policy.isRetryable(o.error)) {
            const qint64 due = now() + t.policy.delayAfterAttempt(t.attemptInTry, runId, t.spec->id);
            setTaskState(run, task, TaskState::RetryWait, due, o.error);
            m_retries->schedule({runId, task}, due);
        } else {
            finishTask(run, task, TaskState::Failed, o.error);
        }
        break;
    }
    dispatch();
    scheduleFlush();
}

void EngineCore::onRetryDue()
{
    for (const auto &[runId, task] : m_retries->takeDue(now())) {
        const auto it = m_runs.find(runId);
        if (it == m_runs.end())
            continue;
        RunRt &run = *it->second;
        if (run.tasks[size_t(task)].state == TaskState::RetryWait)
            makeReady(run, task);
    }
    dispatch();
    scheduleFlush();
}

// --- commands -------------------------------------------------------------------------------

Result<void> EngineCore::cancel(qint64 runId, const QString &task, qint64 *requestId)
{
    const auto it = m_runs.find(runId);
    if (it == m_runs.end()) {
        auto rec = m_store->run(runId);
        if (!rec)
            return Unexpected(rec.error());
        if (!*rec)
            return fail(QStringLiteral("no run with id %1").arg(runId));
        if (isFinal((*rec)->state))
            return fail(QStringLiteral("run %1 is not active (%2)").arg(runId).arg(toString((*rec)->state)));
        auto owner = m_store->owner((*rec)->ownerId);
        if (!owner || !*owner || !(*owner)->alive)
            return fail(QStringLiteral("run %1 has no live owner; it will be marked interrupted").arg(runId));
        RequestRecord req;
        req.runId = runId;
        req.task = task;
        req.kind = QStringLiteral("cancel");
        req.requestedBy = m_config.user;
        req.created = now();
        auto id = m_store->addRequest(req);
        if (!id)
            return Unexpected(id.error());
        if (requestId)
            *requestId = *id;
        return {};
    }
    RunRt &run = *it->second;
    if (!task.isEmpty()) {
        const int idx = run.index.value(task, -1);
        if (idx < 0)
            return fail(QStringLiteral("run %1 has no task '%2'").arg(runId).arg(task));
        TaskRt &t = run.tasks[size_t(idx)];
        if (isFinal(t.state))
            return fail(QStringLiteral("task '%1' is not active (%2)").arg(task).arg(toString(t.state)));
        t.cancelRequested = true;
        if (t.running) {
            t.runner->cancel({runId, task, t.lastAttempt});
        } else {
            m_queue.remove(runId, idx);
            m_retries->cancel({runId, idx});
            finishTask(run, idx, TaskState::Cancelled, QStringLiteral("cancelled by ") + m_config.user);
        }
        dispatch();
        scheduleFlush();
        return {};
    }
    run.cancelRequested = true;
    for (size_t i = 0; i < run.tasks.size(); ++i) {
        TaskRt &t = run.tasks[i];
        if (!t.selected || isFinal(t.state))
            continue;
        if (t.running) {
            t.runner->cancel({runId, t.spec->id, t.lastAttempt});
            continue;
        }
        m_queue.remove(runId, int(i));
        m_retries->cancel({runId, int(i)});
        setTaskState(run, int(i), TaskState::Cancelled, 0, QStringLiteral("cancelled by ") + m_config.user);
        --run.unfinished;
    }
    if (!run.started) {
        run.started = true; // a pending run ends here without ever starting
        m_pendingRuns[run.plan.flow.id].removeAll(runId);
    }
    checkRunDone(run);
    scheduleFlush();
    return {};
}

Result<void> EngineCore::markStored(const RunRecord &run, const QString &task, TaskState state, const QString &who)
{
    const qint64 t = now();
    ensureTransaction();
    if (task.isEmpty()) {
        if (auto ok = m_store->setRunState(run.id, state == TaskState::Succeeded ? RunState::Succeeded : RunState::Failed, t); !ok)
            return ok;
    } else {
        auto tasks = m_store->tasks(run.id);
        if (!tasks)
            return Unexpected(tasks.error());
        bool found = false;
        bool allSuccess = true;
        for (const TaskRecord &r : *tasks) {
            const TaskState s = r.task == task ? state : r.state;
            found = found || r.task == task;
            allSuccess = allSuccess && isSuccessLike(s);
        }
        if (!found)
            return fail(QStringLiteral("run %1 has no task '%2'").arg(run.id).arg(task));
        if (auto ok = m_store->markTask(run.id, task, state, who, t); !ok)
            return ok;
        if (auto ok = m_store->setRunState(run.id, allSuccess ? RunState::Succeeded : RunState::Failed, t); !ok)
            return ok;
    }
    if (task.isEmpty()) { // HistoryStore::markTask records task marks itself
        EventRecord e;
        e.time = t;
        e.runId = run.id;
        e.tryNo = run.tryNo;
        e.kind = QStringLiteral("mark");
        e.state = toString(state);
        e.detail = who;
        recordEvent(e);
    }
    scheduleFlush();
    return {};
}

Result<void> EngineCore::mark(qint64 runId, const QString &task, TaskState state, const QString &who,
                              qint64 *requestId)
{
    if (state != TaskState::Succeeded && state != TaskState::Failed)
        return fail(QStringLiteral("a task can only be marked succeeded or failed"));
    const auto it = m_runs.find(runId);
    if (it == m_runs.end()) {
        auto rec = m_store->run(runId);
        if (!rec)
            return Unexpected(rec.error());
        if (!*rec)
            return fail(QStringLiteral("no run with id %1").arg(runId));
        if (!isFinal((*rec)->state)) {
            auto owner = m_store->owner((*rec)->ownerId);
            if (owner && *owner && (*owner)->alive && (*owner)->id != m_ownerId) {
                RequestRecord req;
                req.runId = runId;
                req.task = task;
                req.kind = QStringLiteral("mark");
                req.arg = toString(state);
                req.requestedBy = who;
                req.created = now();
                auto id = m_store->addRequest(req);
                if (!id)
                    return Unexpected(id.error());
                if (requestId)
                    *requestId = *id;
                return {};
            }
        }
        return markStored(**rec, task, state, who);
    }
    RunRt &run = *it->second;
    if (task.isEmpty())
        return fail(QStringLiteral("run %1 is active; cancel it before marking it").arg(runId));
    const int idx = run.index.value(task, -1);
    if (idx < 0)
        return fail(QStringLiteral("run %1 has no task '%2'").arg(runId).arg(task));
    TaskRt &t = run.tasks[size_t(idx)];
    if (t.running)
        return fail(QStringLiteral("task '%1' is running; cancel it before marking it").arg(task));
    m_queue.remove(runId, idx);
    m_retries->cancel({runId, idx});
    const qint64 time = now();
    ensureTransaction();
    // The state row is written through the batch; markTask records who/when on top.
    finishTask(run, idx, state, QStringLiteral("marked by ") + who);
    m_afterCommit.push_back([this, runId, task, state, who, time] {
        ensureTransaction();
        if (auto ok = m_store->markTask(runId, task, state, who, time); !ok)
            failStore(ok.error());
    });
    dispatch();
    scheduleFlush();
    return {};
}

// --- other processes ------------------------------------------------------------------------

void EngineCore::awaitRequest(qint64 requestId, std::function<void(const Result<void> &)> done)
{
    m_awaited.push_back({requestId, now() + m_config.requestAnswerMs, std::move(done)});
    if (!m_awaitTimer.isActive())
        m_awaitTimer.start(100);
}

void EngineCore::pollAwaited()
{
    std::vector<Awaited> waiting;
    for (Awaited &a : m_awaited) {
        auto row = m_store->request(a.requestId);
        if (row && *row && (*row)->handled > 0) {
            const QString result = (*row)->result;
            if (result == QLatin1String("ok"))
                a.done({});
            else
                a.done(fail(QStringLiteral("refused by the run's owner: ") + result));
            continue;
        }
        if (now() < a.deadline) {
            waiting.push_back(std::move(a));
            continue;
        }
        QString owner = QStringLiteral("its owner");
        if (row && *row) {
            auto run = m_store->run((*row)->runId);
            if (run && *run) {
                auto o = m_store->owner((*run)->ownerId);
                if (o && *o)
                    owner = QStringLiteral("owner %1 (pid %2 on %3)").arg((*o)->id).arg((*o)->pid).arg((*o)->host);
            }
        }
        a.done(failEnvironment(QStringLiteral("no answer within %1 s: request %2 is still queued with %3, "
                                              "which carries it out when it next reads its requests")
                                   .arg(m_config.requestAnswerMs / 1000.0)
                                   .arg(a.requestId)
                                   .arg(owner)));
    }
    m_awaited = std::move(waiting);
    if (m_awaited.empty())
        m_awaitTimer.stop();
}

void EngineCore::pollRequests()
{
    if (m_fatal)
        return;
    auto reqs = m_store->pendingRequests(m_ownerId);
    if (!reqs)
        return; // transient (locked): try again next tick
    for (const RequestRecord &r : *reqs) {
        Result<void> res;
        if (r.kind == QLatin1String("cancel")) {
            res = cancel(r.runId, r.task);
        } else if (r.kind == QLatin1String("mark")) {
            const auto st = taskStateFromString(r.arg);
            res = st ? mark(r.runId, r.task, *st, r.requestedBy)
                     : Result<void>(fail(QStringLiteral("bad mark state '%1'").arg(r.arg)));
        } else {
            res = fail(QStringLiteral("unknown request '%1'").arg(r.kind));
        }
        flush();
        (void)m_store->completeRequest(r.id, res ? QStringLiteral("ok") : res.error().message, now());
    }
}

void EngineCore::checkDeadOwners()
{
    if (!m_owners || m_fatal)
        return;
    if (m_inTransaction) // takeover writes in its own transaction
        flush();
    if (m_inTransaction)
        return;
    (void)m_owners->takeOverDeadOwners();
}

} // namespace pw
