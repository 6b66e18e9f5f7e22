#include "runstatemodel.h"

#include "format/runplanner.h"
#include "history/historystore.h"
#include "historyreader.h"
#include "model/template.h"
#include "monitorlogging.h"

#include <algorithm>
#include <utility>

namespace pw {

namespace {

struct Snapshot
{
    std::optional<RunRecord> run;
    QList<TaskRecord> tasks;
    QList<AttemptRecord> attempts;
    std::optional<RunPlan> plan; // only when the definition hash changed
    QString error;
};

} // namespace

RunStateModel::RunStateModel(HistoryReader *reader, QObject *parent)
    : QObject(parent), m_reader(reader)
{
    connect(m_reader, &HistoryReader::changed, this, &RunStateModel::refresh);
    m_settle.setSingleShot(true);
    m_settle.setInterval(250);
    connect(&m_settle, &QTimer::timeout, this, &RunStateModel::refresh);
    m_announce.setSingleShot(true);
    m_announce.setInterval(40);
    connect(&m_announce, &QTimer::timeout, this, [this] {
        recompute();
        Q_EMIT changed();
    });
}

void RunStateModel::setRun(qint64 runId)
{
    if (runId == m_runId && m_loaded)
        return;
    m_runId = runId;
    ++m_generation;
    m_loaded = false;
    m_run = {};
    m_plan = {};
    m_planError.clear();
    m_tasks.clear();
    m_attempts.clear();
    m_states.clear();
    m_taskIndex.clear();
    m_early.clear();
    m_announce.stop();
    m_loading = false;
    m_again = false;
    if (runId == 0) {
        Q_EMIT runLoaded(0);
        Q_EMIT changed();
        return;
    }
    refresh();
}

void RunStateModel::refresh()
{
    if (m_runId == 0)
        return;
    if (m_loading) {
        m_again = true;
        return;
    }
    m_loading = true;
    const qint64 runId = m_runId;
    const QString knownHash = m_plan.definitionHash;
    const quint64 generation = m_generation;
    m_reader
        ->read([runId, knownHash](HistoryStore *store) {
            Snapshot s;
            if (!store) {
                s.error = QStringLiteral("the history database cannot be read");
                return s;
            }
            auto run = store->run(runId);
            if (!run) {
                s.error = run.error().message;
                return s;
            }
            s.run = *run;
            if (!s.run) {
                s.error = QStringLiteral("no run with id %1").arg(runId);
                return s;
            }
            if (auto tasks = store->tasks(runId))
                s.tasks = *tasks;
            if (auto attempts = store->attempts(runId))
                s.attempts = *attempts;
            if (!s.run->definitionHash.isEmpty() && s.run->definitionHash != knownHash) {
                auto def = store->definition(s.run->definitionHash);
                if (!def) {
                    s.error = def.error().message;
                    return s;
                }
                auto plan = RunPlanner::fromSnapshot(
                    *def, s.run->paramsJson, s.run->sourcePath, s.run->workdir);
                if (!plan)
                    s.error = plan.error().message;
                else
                    s.plan = *plan;
            }
            return s;
        })
        .then(this, [this, generation](const Snapshot &s) {
            if (generation != m_generation)
                return; // another run was chosen meanwhile (its own read is under way)
            m_loading = false;
            const bool first = !m_loaded;
            if (s.run)
                mergeSnapshot(*s.run, s.tasks, s.attempts);
            // Events that came while the first read was under way: the newer ones win.
            if (m_loaded && !m_early.isEmpty())
                applyEvents(std::exchange(m_early, {}));
            bool newPlan = false;
            if (s.plan) {
                m_plan = *s.plan;
                m_planError.clear();
                newPlan = true;
            }
            if (!s.error.isEmpty()) {
                m_planError = s.error;
                qCWarning(lcMonitor) << "run" << m_runId << ":" << s.error;
                Q_EMIT loadFailed(s.error);
            }
            recompute();
            if (first || newPlan)
                Q_EMIT runLoaded(m_runId);
            Q_EMIT changed();
            if (m_again) {
                m_again = false;
                refresh();
            }
        });
}

void RunStateModel::mergeSnapshot(
    const RunRecord &run, const QList<TaskRecord> &tasks, const QList<AttemptRecord> &attempts)
{
    // A read that started before the engine's latest commit can arrive after its events: what
    // the events said and the snapshot does not know yet is kept, so no state goes backwards.
    const bool sameTry = m_loaded && run.tryNo == m_run.tryNo;
    const RunState known = m_run.state;
    m_run = run;
    if (sameTry && isFinal(known) && !isFinal(run.state))
        m_run.state = known;
    QHash<QString, TaskRecord> seen;
    for (const TaskRecord &t : std::as_const(m_tasks))
        seen.insert(t.task, t);
    m_tasks = tasks;
    m_taskIndex.clear();
    for (qsizetype i = 0; i < m_tasks.size(); ++i) {
        TaskRecord &t = m_tasks[i];
        m_taskIndex.insert(t.task, i);
        auto it = seen.constFind(t.task);
        if (it != seen.constEnd() && it->updated > t.updated) {
            t.state = it->state;
            t.dueAt = it->dueAt;
            t.updated = it->updated;
            t.tryNo = it->tryNo;
        }
    }
    QHash<QString, qsizetype> index;
    QList<AttemptRecord> merged = attempts;
    for (qsizetype i = 0; i < merged.size(); ++i)
        index.insert(
            merged.at(i).task + QLatin1Char('#') + QString::number(merged.at(i).attempt), i);
    for (const AttemptRecord &a : std::as_const(m_attempts)) {
        auto it = index.constFind(a.task + QLatin1Char('#') + QString::number(a.attempt));
        if (it == index.constEnd()) {
            merged << a;
        } else if (merged.at(*it).state == AttemptState::Running
            && a.state != AttemptState::Running) {
            AttemptRecord &m = merged[*it];
            m.state = a.state;
            m.ended = a.ended;
            m.error = a.error;
        }
    }
    m_attempts = merged;
    m_loaded = true;
}

void RunStateModel::applyEvents(const EngineEvents &batch)
{
    if (!m_loaded) {
        // Not loaded yet: kept for when the first read arrives (it may be older than them).
        for (const EngineEvent &e : batch)
            if (m_runId != 0 && e.runId == m_runId)
                m_early << e;
        if (m_early.size() > 100'000) { // a flood: read the store again after this read
            m_early.clear();
            m_again = true;
        }
        return;
    }
    bool any = false;
    for (const EngineEvent &e : batch) {
        if (e.runId != m_runId)
            continue;
        any = true;
        switch (e.kind) {
        case EngineEvent::Kind::RunState:
            if (isFinal(m_run.state) && m_run.ended && e.time < m_run.ended && !isFinal(e.runState))
                break; // older than the end the store already said
            m_run.state = e.runState;
            if (e.tryNo > 0)
                m_run.tryNo = e.tryNo;
            break;
        case EngineEvent::Kind::TaskState: {
            auto found = m_taskIndex.constFind(e.task);
            if (found == m_taskIndex.constEnd()) {
                TaskRecord t;
                t.runId = e.runId;
                t.task = e.task;
                m_tasks << t;
                found = m_taskIndex.insert(e.task, m_tasks.size() - 1);
            }
            TaskRecord *it = &m_tasks[*found];
            if (e.time < it->updated)
                break; // older than what the store already said
            it->state = e.taskState;
            // The state itself is current at once (a preview may read it before the coalesced
            // recompute); attempts and footers follow with it.
            m_states[e.task].state = e.taskState;
            it->dueAt = e.dueAt;
            it->updated = e.time;
            if (e.tryNo > 0)
                it->tryNo = e.tryNo;
            break;
        }
        case EngineEvent::Kind::AttemptStarted: {
            AttemptRecord a;
            a.runId = e.runId;
            a.task = e.task;
            a.attempt = e.attempt;
            a.tryNo = e.tryNo > 0 ? e.tryNo : m_run.tryNo;
            a.started = e.time;
            m_attempts << a;
            break;
        }
        case EngineEvent::Kind::AttemptFinished:
            // Newest first: the attempt that just ended is near the end.
            for (auto a = m_attempts.rbegin(); a != m_attempts.rend(); ++a) {
                if (a->task == e.task && a->attempt == e.attempt) {
                    a->state = e.attemptState;
                    a->ended = e.time;
                    a->error = e.detail;
                    break;
                }
            }
            break;
        }
    }
    if (!any)
        return;
    if (!m_announce.isActive())
        m_announce.start();
    m_settle.start();
}

void RunStateModel::recompute()
{
    m_states.clear();
    for (const TaskRecord &t : std::as_const(m_tasks)) {
        TaskRunState s;
        s.state = t.state;
        s.dueAt = t.dueAt;
        s.markedBy = t.markedBy;
        if (const TaskSpec *spec = m_plan.flow.task(t.task)) {
            s.maxAttempts = m_plan.flow.retryPolicy(*spec).retries + 1;
            if (spec->type == TaskType::WaitFile) {
                s.waitPath = waitPathOf(*spec);
                s.pokeMs = spec->waitFile.pokeInterval();
            }
        }
        m_states.insert(t.task, s);
    }
    for (const AttemptRecord &a : std::as_const(m_attempts)) {
        TaskRunState &s = m_states[a.task];
        if (a.attempt >= s.attempt) {
            s.attempt = a.attempt;
            s.started = a.started;
            s.ended = a.ended;
            s.exitCode = a.exitCode;
            s.error = a.error;
        }
        if (a.tryNo == m_run.tryNo)
            ++s.attemptInTry;
    }
    // Queue positions: in the order the tasks became queued, then flow order.
    QList<const TaskRecord *> queued;
    for (const TaskRecord &t : std::as_const(m_tasks))
        if (t.state == TaskState::Queued)
            queued << &t;
    std::stable_sort(queued.begin(), queued.end(),
        [](const TaskRecord *a, const TaskRecord *b) { return a->updated < b->updated; });
    for (int i = 0; i < queued.size(); ++i)
        m_states[queued.at(i)->task].queuePosition = i + 1;
}

QString RunStateModel::waitPathOf(const TaskSpec &task) const
{
    const auto tpl = Template::parse(task.waitFile.path);
    if (!tpl)
        return task.waitFile.path;
    QHash<QString, QString> values;
    for (auto it = m_plan.params.cbegin(); it != m_plan.params.cend(); ++it)
        values.insert(it.key(), it.value());
    values.insert(QStringLiteral("flow"), m_plan.flow.id);
    values.insert(QStringLiteral("run_id"), QString::number(m_runId));
    values.insert(QStringLiteral("task"), task.id);
    return tpl->render(values, Template::Quoting::None);
}

QHash<QString, TaskState> RunStateModel::taskStates() const
{
    QHash<QString, TaskState> out;
    for (auto it = m_states.begin(); it != m_states.end(); ++it)
        out.insert(it.key(), it->state);
    return out;
}

QHash<QString, int> RunStateModel::attemptCounts() const
{
    QHash<QString, int> counts;
    for (const AttemptRecord &a : m_attempts)
        ++counts[a.task];
    return counts;
}

QList<AttemptRecord> RunStateModel::attempts(const QString &task) const
{
    QList<AttemptRecord> out;
    for (const AttemptRecord &a : m_attempts)
        if (a.task == task)
            out << a;
    std::sort(out.begin(), out.end(),
        [](const AttemptRecord &a, const AttemptRecord &b) { return a.attempt < b.attempt; });
    return out;
}

int RunStateModel::doneCount() const
{
    int n = 0;
    for (const TaskRunState &s : m_states)
        n += isFinal(s.state) ? 1 : 0;
    return n;
}

int RunStateModel::totalCount() const
{
    return hasPlan() ? int(m_plan.flow.tasks.size()) : int(m_states.size());
}

} // namespace pw
