#include "enginecore.h"

#include "activerunslots.h"
#include "connections.h"
#include "ownerrequests.h"
#include "ownertakeover.h"
#include "recordedrun.h"
#include "taskrunners.h"
#include "tryplanner.h"

#include "history/ownerregistry.h"
#include "model/secretmask.h"
#include "platform/processinfo.h"
#include "runners/outputfiles.h"
#include "runners/waitfilerunner.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QThread>

#include <algorithm>

Q_LOGGING_CATEGORY(lcEngine, "pw.core.engine")

namespace pw {

namespace {

constexpr int kDispatchBudget = 4096; // attempts started per flush round at most

} // namespace

EngineCore::EngineCore(EngineConfig config) : m_config(std::move(config)), m_home(m_config.home)
{
    m_requestTimer.setParent(this);
    m_takeoverTimer.setParent(this);
    m_pendingTimer.setParent(this);
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
    PW_TRY(m_home.ensureExists());
    PW_TRY_ASSIGN(cfg, m_home.loadConfig());
    m_homeConfig = std::move(cfg);

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
    PW_TRY_ASSIGN(store, HistoryStore::open(opts));
    m_store = std::move(store);

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

    m_runners = std::make_unique<TaskRunners>(&m_pool, this, Connections::resolver(m_home));
    m_runners->setLogLimit(m_homeConfig.logLimit);
    m_retries = new RetryScheduler(this);
    connect(m_retries, &RetryScheduler::due, this, &EngineCore::onRetryDue);
    m_requests = new OwnerRequests(m_store.get(), m_config.requestAnswerMs, this);

    m_host = ProcessInfo::hostName();
    OwnerRegistry::Options ownerOpts;
    ownerOpts.heartbeatMs = m_config.heartbeatMs;
    ownerOpts.staleMs = m_config.ownerStaleMs;
    m_owners = new OwnerRegistry(m_store.get(), ownerOpts, this);
    PW_TRY_ASSIGN(id, m_owners->registerSelf());
    m_ownerId = id;
    m_slots = std::make_unique<ActiveRunSlots>(m_store.get(), m_ownerId);
    // Another process decided this one was dead (e.g. it was stopped for longer than the
    // stale limit) and interrupted its runs: they are no longer ours to write.
    connect(m_owners, &OwnerRegistry::ownershipLost, this, [this](const QString &message) {
        Error e(message);
        e.kind = Error::Kind::OwnershipLost;
        failStore(e);
    });
    m_takeover = new OwnerTakeover(m_owners, m_config.killGraceMs, this);
    m_takeover->setOutputCleanup(m_store.get());
    // A takeover writes in a transaction of its own: commit this batch first.
    m_takeover->setReadyToWrite([this] {
        if (m_inTransaction)
            flush();
        return !m_inTransaction;
    });
    checkDeadOwners();

    connect(&m_requestTimer, &QTimer::timeout, this, [this] {
        if (!m_fatal)
            m_requests->serve(
                m_ownerId, [this](const RequestRecord &r) { return executeRequest(r); });
    });
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
    while (m_runners && m_runners->activeCount() > 0 && !deadline.hasExpired()) {
        m_pool.waitForDone(50);
        QCoreApplication::sendPostedEvents(this);
        m_runners->deliverPosted();
    }
    // Dead owners this process claimed: their groups end now, then their runs are marked.
    if (m_takeover)
        m_takeover->settle();
    m_shuttingDown = false;
    flush();
    m_shuttingDown = true;
    finishFatal();
    m_runners.reset();
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
    qCWarning(lcEngine) << (m_ownershipLost ? "ownership lost:" : "history store failed:")
                        << error.message;
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
        for (const ActiveRun::Task &t : run->tasks) {
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
    if (!m_fatal || m_fatalFinished || (m_runners && m_runners->activeCount() > 0))
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
    if (auto ok = m_batch.commit(*m_store); !ok) {
        failStore(ok.error());
        return false;
    }
    m_inTransaction = false;
    return true;
}

void EngineCore::flush()
{
    flushRounds(64);
}

void EngineCore::flushRounds(int rounds)
{
    m_flushScheduled = false;
    for (int round = 0; round < rounds; ++round) {
        if (!(m_inTransaction || m_batch.hasConsequences()) || m_fatal)
            return;
        if (!writePending())
            return;
        const WriteBatch::Consequences done = m_batch.takeConsequences();
        if (!done.events.isEmpty())
            Q_EMIT events(done.events);
        for (const auto &f : done.actions)
            f();
        for (const auto &[id, state] : done.finished)
            Q_EMIT runFinished(id, state);
        dispatch();
    }
    scheduleFlush(); // more work: let the event loop breathe first
}

// One round: what is buffered now is committed and its consequences are carried out; what they
// buffer in turn (a large run of inline tasks: most of the run) follows from the event loop, so
// the command's caller gets its answer at once and observers get events while the run goes.
bool EngineCore::flushNow()
{
    flushRounds(1);
    return !m_fatal;
}

void EngineCore::setTaskState(
    ActiveRun &run, int task, TaskState state, qint64 dueAt, const QString &detail)
{
    ActiveRun::Task &t = run.tasks[size_t(task)];
    t.state = state;
    ensureTransaction();
    m_batch.taskStateChanged(
        run.id, run.tryNo, t.spec->id, t.lastAttempt, state, now(), dueAt, detail);
}

void EngineCore::recordEvent(const EventRecord &e)
{
    ensureTransaction();
    m_batch.addEvent(e);
}

// --- runs -----------------------------------------------------------------------------------

Result<qint64> EngineCore::submit(const RunRequest &req)
{
    if (m_fatal)
        return failEnvironment(QStringLiteral("no new runs are started: ") + m_fatalMessage);
    if (m_shuttingDown)
        return fail(QStringLiteral("the engine is shutting down"));
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

// Reads the run the request refers to (RecordedRun), lets the try planner decide on it and
// starts the try it decided.
Result<qint64> EngineCore::submitLocked(const RunRequest &req)
{
    const auto refuseHere = [this](const RunRecord &run) -> Result<void> {
        if (!m_runs.count(run.id))
            return {};
        return fail(
            QStringLiteral("run %1 is already active in this process (pid %2 on %3, owner %4)")
                .arg(run.id)
                .arg(QCoreApplication::applicationPid())
                .arg(m_host)
                .arg(m_ownerId));
    };
    PW_TRY_ASSIGN(recorded, RecordedRun::read(*m_store, req, refuseHere));
    const RunRecord *record = recorded.run ? &*recorded.run : nullptr;
    QHash<QString, int> attempts;
    for (const TaskRecord &t : std::as_const(recorded.tasks))
        attempts.insert(t.task, t.attempts);
    PW_TRY_ASSIGN(
        decision, TryPlanner::decide(req, record, recorded.storedPlan, recorded.states, attempts));
    if (!decision.needsConfirmation.isEmpty()) // retry safety: never rerun it silently
        return fail(TryPlanner::confirmationRefusal(decision, record ? record->id : 0));
    if (record)
        return startTry(record->id, decision, recorded.tasks);
    HistoryStore::NewRun nr;
    nr.flowId = req.plan.flow.id;
    nr.key = req.plan.key();
    nr.paramsJson = req.plan.paramsJson();
    nr.sourcePath = req.plan.sourcePath;
    nr.workdir = req.plan.workdir;
    nr.ownerId = m_ownerId;
    nr.created = now();
    PW_TRY_ASSIGN(id, m_store->createRun(nr));
    return startTry(id, decision, {});
}

// Records the try the planner decided and starts it, or queues it behind max_active_runs.
Result<qint64> EngineCore::startTry(
    qint64 runId, const TryDecision &decision, const QHash<QString, TaskRecord> &recorded)
{
    ensureTransaction();
    const RunPlan &plan = decision.plan;
    PW_TRY(m_store->storeDefinition(plan.definitionHash, plan.flow.id, plan.definition));
    auto run = std::make_unique<ActiveRun>(runId, decision, recorded, m_home, m_config.killGraceMs);
    applyLimits(run->plan);
    PW_TRY_ASSIGN(waitReason, m_slots->waitReason(run->plan.flow));
    PW_TRY(recordTry(*run, decision, waitReason));
    ActiveRun &r = *run;
    m_runs.emplace(runId, std::move(run));
    if (waitReason.isEmpty())
        beginRun(r);
    else
        m_slots->wait(r.plan.flow.id, runId);
    scheduleFlush();
    return runId;
}

// The try row and its event, the tasks it drops, the run's state and its tasks' first states.
Result<void> EngineCore::recordTry(
    ActiveRun &run, const TryDecision &decision, const QString &waitReason)
{
    const bool canStart = waitReason.isEmpty();
    TryRecord tr;
    tr.runId = run.id;
    tr.tryNo = run.tryNo;
    tr.trigger = decision.trigger;
    tr.planHash = run.plan.hash;
    tr.definitionHash = run.plan.definitionHash;
    tr.state = canStart ? RunState::Running : RunState::Queued;
    tr.ownerId = m_ownerId;
    tr.note = decision.note;
    const qint64 created = now();
    tr.started = canStart ? created : 0; // a queued try starts when it gets its slot
    if (auto ok = m_store->startTry(tr); !ok)
        return ok;

    EventRecord e;
    e.time = created;
    e.runId = run.id;
    e.tryNo = run.tryNo;
    e.kind = QStringLiteral("try");
    e.state = toString(decision.trigger);
    e.detail = decision.note;
    recordEvent(e);

    // Tasks this plan no longer has (rerun --current-definition) leave the run's task list;
    // their attempts and events stay.
    if (!decision.removed.isEmpty()) {
        if (auto ok = m_store->removeTasks(run.id, run.tryNo, decision.removed, created); !ok)
            return ok;
        for (const QString &task : decision.removed) {
            EventRecord re = e;
            re.kind = QStringLiteral("task");
            re.task = task;
            re.state = QStringLiteral("removed");
            re.detail = QStringLiteral("not in the definition of try %1").arg(run.tryNo);
            recordEvent(re);
        }
    }

    // Retry safety: who confirmed rerunning a task that is not idempotent, and when.
    const QString who
        = m_config.user + QStringLiteral(" (pid %1)").arg(QCoreApplication::applicationPid());
    for (const EventRecord &ce : TryPlanner::confirmationEvents(decision, run.id, who, created))
        recordEvent(ce);
    setRunState(run, tr.state, waitReason);
    if (m_fatal)
        return failEnvironment(m_fatalMessage);
    // Left unfinished by an interrupted try and not run by this one: nothing waits for them.
    for (const QString &task : decision.leftUnfinished)
        setTaskState(run, run.graph.indexOf(task), TaskState::Interrupted, 0,
            QStringLiteral("left unfinished by an earlier try"));
    for (size_t i = 0; i < run.tasks.size(); ++i) {
        if (run.tasks[i].selected) {
            ++run.unfinished;
            setTaskState(run, int(i), TaskState::Waiting);
        }
    }
    return {};
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

void EngineCore::beginRun(ActiveRun &run)
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

void EngineCore::setRunState(ActiveRun &run, RunState state, const QString &detail)
{
    run.state = state;
    ensureTransaction();
    if (m_fatal)
        return;
    const qint64 t = now();
    if (auto ok = m_store->setRunState(run.id, state, t, HistoryStore::Fence{m_ownerId, run.tryNo});
        !ok) {
        failStore(ok.error());
        return;
    }
    m_batch.runStateChanged(run.id, run.tryNo, state, t, detail);
}

// Decides what a waiting task does now that (some of) its upstream tasks are final.
void EngineCore::evaluate(ActiveRun &run, int task)
{
    const ActiveRun::Task &t = run.tasks[size_t(task)];
    if (!t.selected || t.state != TaskState::Waiting || run.cancelRequested)
        return;
    switch (run.readiness(task)) {
    case ActiveRun::Readiness::Ready:
        makeReady(run, task);
        break;
    case ActiveRun::Readiness::UpstreamFailed:
        finishTask(run, task, TaskState::UpstreamFailed);
        break;
    case ActiveRun::Readiness::Skipped:
        finishTask(run, task, TaskState::Skipped);
        break;
    case ActiveRun::Readiness::Wait:
        break;
    }
}

void EngineCore::makeReady(ActiveRun &run, int task)
{
    ActiveRun::Task &t = run.tasks[size_t(task)];
    setTaskState(run, task, TaskState::Queued);
    TaskQueue::Item item;
    item.runId = run.id;
    item.task = task;
    item.flow = run.plan.flow.id;
    item.pool = t.spec->pool;
    item.priority = t.spec->priority;
    item.downstream = run.graph.downstreamCount(task);
    item.holdsSlot = TaskRunners::holdsSlot(*t.spec);
    m_queue.push(item);
}

void EngineCore::finishTask(ActiveRun &run, int task, TaskState state, const QString &detail)
{
    ActiveRun::Task &t = run.tasks[size_t(task)];
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
        ActiveRun &r = *it->second;
        for (int d : r.graph.downstream(idx))
            evaluate(r, d);
    }
    m_propagating = false;
    checkRunDone(run);
}

void EngineCore::checkRunDone(ActiveRun &run)
{
    if (run.unfinished > 0 || !run.started || isFinal(run.state))
        return;
    const RunState final = run.result();
    setRunState(run, final);
    const qint64 id = run.id;
    const QString flowId = run.plan.flow.id;
    m_batch.runFinished(id, final);
    // The ActiveRun may be referenced by callers up the stack: free it after the commit.
    m_batch.afterCommit([this, id, flowId] {
        m_runs.erase(id);
        startPendingRuns(flowId);
    });
    scheduleFlush();
}

void EngineCore::startPendingRuns(const QString &flowId)
{
    if (!m_slots->isWaiting(flowId))
        return;
    ensureTransaction(); // the count and the start are one atomic step across processes
    if (m_fatal)
        return;
    auto ok = m_slots->startWaiting(
        flowId,
        [this](qint64 id) {
            const auto r = m_runs.find(id);
            return r == m_runs.end() ? -1 : r->second->plan.flow.limits.maxActiveRuns.value_or(0);
        },
        [this](qint64 id) { beginRun(*m_runs.at(id)); });
    if (!ok) {
        failStore(ok.error());
        return;
    }
    scheduleFlush();
}

void EngineCore::startPendingRunsOfAllFlows()
{
    if (m_fatal || m_shuttingDown || !m_slots)
        return;
    const QStringList flows = m_slots->waitingFlows();
    for (const QString &flowId : flows)
        startPendingRuns(flowId);
}

// --- execution ------------------------------------------------------------------------------

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
    ActiveRun &run = *it->second;
    ActiveRun::Task &t = run.tasks[size_t(item.task)];
    t.item = item;
    t.running = true;
    ++t.attemptInTry;
    const int n = ++t.lastAttempt;
    Runner *runner = m_runners->forTask(*t.spec);
    t.runner = runner;
    const AttemptSpec spec = run.specs.build(*t.spec, n);
    // A sensor's detail says what it waits for (WaitFileRunner::waitingDetail).
    setTaskState(run, item.task, TaskState::Running, 0,
        spec.waitPath.isEmpty() ? QString() : WaitFileRunner::waitingDetail(spec.waitPath));

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
    m_batch.attemptStarted(rec);
    if (!spec.outputs.isEmpty()) { // what a takeover removes if this process dies (OutputFiles)
        EventRecord e{0, rec.started, run.id, run.tryNo, rec.task, n, QStringLiteral("outputs"),
            QStringLiteral("temporary"), OutputFiles::recordText(spec.outputs)};
        recordEvent(e);
    }

    const qint64 runId = run.id;
    const int idx = item.task;
    AttemptCallbacks cb;
    cb.started
        = [this, runId, idx, n](qint64 pgid, qint64 procStart, std::shared_ptr<SpawnGate> gate) {
              onAttemptStarted(runId, idx, n, pgid, procStart, std::move(gate));
          };
    cb.finished
        = [this, runId, idx, n](const AttemptOutcome &o) { onAttemptFinished(runId, idx, n, o); };
    if (runner->runsInline()) {
        runner->start(spec, cb);
        return;
    }
    // Started once the attempt's row is committed; a cancel that came in between is kept (the
    // runner does not know the attempt yet, so the engine answers for it).
    m_batch.afterCommit([this, runner, spec, cb, runId, idx] {
        const auto r = m_runs.find(runId);
        const bool cancelled = r == m_runs.end() || r->second->cancelRequested
            || r->second->tasks[size_t(idx)].cancelRequested;
        if (!cancelled && !spec.failure) {
            runner->start(spec, cb);
            return;
        }
        AttemptOutcome o;
        o.state = cancelled ? AttemptState::Cancelled : AttemptState::Failed;
        o.error = cancelled ? AttemptError::cancelled() : *spec.failure;
        o.started = o.ended = now();
        cb.finished(o);
    });
}

void EngineCore::onAttemptStarted(qint64 runId, int task, int attempt, qint64 pgid,
    qint64 procStart, std::shared_ptr<SpawnGate> gate)
{
    const auto it = m_runs.find(runId);
    ensureTransaction();
    if (it == m_runs.end() || m_fatal || m_shuttingDown) {
        gate->refuse();
        return;
    }
    m_batch.setAttemptProcess(
        runId, it->second->tasks[size_t(task)].spec->id, attempt, pgid, procStart);
    // The child runs only once its group is committed (SpawnGate).
    m_gates.insert(gate);
    m_batch.afterCommit([this, gate] {
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
    ActiveRun &run = *it->second;
    ActiveRun::Task &t = run.tasks[size_t(task)];
    ensureTransaction();
    // The attempt's error leaves the engine here, as text (its row, events, the task's detail).
    // The task event that follows (succeeded, failed, retry_wait, cancelled) records the
    // outcome with the attempt's error as its detail; no secret value leaves with it.
    const QString error = SecretMask::apply(o.error.text());
    m_batch.attemptFinished(
        {runId, t.spec->id, attempt}, run.tryNo, o.state, o.ended, o.exitCode, error, o.rows);

    m_queue.release(t.item);
    t.running = false;
    t.runner = nullptr;
    if (m_fatal) {
        finishFatal();
        return;
    }

    // The machine cannot run attempts (log directory unusable): record this one, then stop
    // like for a store failure instead of failing every task in turn.
    if (o.error.kind == AttemptError::Kind::Environment) {
        const QString message = o.error.detail;
        m_batch.afterCommit([this, message] { failStore(Error::environment(message)); });
    }

    switch (o.state) {
    case AttemptState::Succeeded:
        finishTask(run, task, TaskState::Succeeded);
        break;
    case AttemptState::Cancelled:
        finishTask(run, task, TaskState::Cancelled, error);
        break;
    case AttemptState::Interrupted:
        finishTask(run, task, TaskState::Interrupted, error);
        break;
    case AttemptState::Failed:
    case AttemptState::Running:
        if (!run.cancelRequested && !t.cancelRequested && t.attemptInTry <= t.policy.retries
            && t.policy.isRetryable(o.error)) {
            const qint64 due
                = now() + t.policy.delayAfterAttempt(t.attemptInTry, runId, t.spec->id);
            setTaskState(run, task, TaskState::RetryWait, due, error);
            m_retries->schedule({runId, task}, due);
        } else {
            finishTask(run, task, TaskState::Failed, error);
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
        ActiveRun &run = *it->second;
        if (run.tasks[size_t(task)].state == TaskState::RetryWait)
            makeReady(run, task);
    }
    dispatch();
    scheduleFlush();
}

} // namespace pw
