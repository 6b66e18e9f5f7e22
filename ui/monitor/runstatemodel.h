#pragma once

#include "engine/engineevent.h"
#include "history/records.h"
#include "model/runplan.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <optional>

namespace pw {

class HistoryReader;

// What the canvas overlay shows of one task in a run.
struct TaskRunState
{
    TaskState state = TaskState::Waiting;
    int attempt = 0;       // latest attempt number (rises across tries)
    int attemptInTry = 0;  // the how-many-th attempt of the current try ("attempt 2/3")
    int maxAttempts = 1;   // retries + 1
    qint64 started = 0;    // start of the latest attempt
    qint64 ended = 0;      // end of the latest attempt (0 while it runs)
    qint64 dueAt = 0;      // retry_wait: when the next attempt is due
    int queuePosition = 0; // queued: 1-based position among the run's queued tasks
    std::optional<int> exitCode;
    QString error;
    QString markedBy;
    // wait_file: the path it waits for (as written, templates rendered) and its poke interval.
    QString waitPath;
    qint64 pokeMs = 0;
};

// The state of one run for the canvas, the task panel and the charts: the run's own plan (from
// its definition snapshot, HistoryStore::definition + RunPlanner::fromSnapshot), and per task
// id its state, attempt and times. Loaded through the HistoryReader (never on the GUI thread),
// refreshed on every store change, and updated at once from the engine's events of this run.
// The node items read it through RunOverlay; FlowDocument knows nothing of runs.
//
// Queue position: the engine's queue is internal, so the position is the order in which the
// run's queued tasks became queued (then flow order) — exact for one run in an idle engine.
//
// Main (GUI) thread only.
class RunStateModel : public QObject
{
    Q_OBJECT
public:
    explicit RunStateModel(HistoryReader *reader, QObject *parent = nullptr);

    // 0 = none.
    void setRun(qint64 runId);
    qint64 runId() const { return m_runId; }
    bool isLoaded() const { return m_loaded; }
    const RunRecord &run() const { return m_run; }
    // The run's own plan (its latest try's definition and the run's params).
    const RunPlan &plan() const { return m_plan; }
    bool hasPlan() const { return !m_plan.definitionHash.isEmpty(); }
    QString planError() const { return m_planError; }

    TaskRunState state(const QString &task) const { return m_states.value(task); }
    QHash<QString, TaskState> taskStates() const;
    const QList<AttemptRecord> &attempts() const { return m_attempts; }
    QList<AttemptRecord> attempts(const QString &task) const;
    // How many attempts each task has had in this run (across tries).
    QHash<QString, int> attemptCounts() const;
    int doneCount() const;
    int totalCount() const;

    // Applies this run's events (announced coalesced, at most every 40 ms, so thousands of
    // events a second cost a few recomputes), then reads the store again shortly after.
    void applyEvents(const EngineEvents &batch);
    void refresh();

Q_SIGNALS:
    // A different run (or its plan) was loaded.
    void runLoaded(qint64 runId);
    // States, attempts or the run record changed.
    void changed();
    void loadFailed(const QString &message);

private:
    void recompute();
    // A sensor's path with the run's parameters filled in.
    QString waitPathOf(const TaskSpec &task) const;
    void mergeSnapshot(
        const RunRecord &run, const QList<TaskRecord> &tasks, const QList<AttemptRecord> &attempts);

    HistoryReader *m_reader;
    qint64 m_runId = 0;
    quint64 m_generation = 0;
    bool m_loaded = false;
    bool m_loading = false;
    bool m_again = false;
    RunRecord m_run;
    RunPlan m_plan;
    QString m_planError;
    QList<TaskRecord> m_tasks;
    QList<AttemptRecord> m_attempts;
    EngineEvents m_early; // this run's events before its first read arrived
    QHash<QString, TaskRunState> m_states;
    QHash<QString, qsizetype> m_taskIndex; // task -> index in m_tasks
    QTimer m_settle;
    QTimer m_announce;
};

} // namespace pw
