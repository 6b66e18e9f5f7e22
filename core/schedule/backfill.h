#pragma once

#include "model/result.h"
#include "model/runplan.h"
#include "model/states.h"

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>

#include <memory>

namespace pw {

class Engine;
class HistoryStore;

// Backfill (issue 5): one run per schedule time whose *data date* lies in [from, to], oldest
// first, trigger `backfill`.
//   - Scheduled flows: the fire times of the cron; the data date is the date of the value
//     `schedule.param` gets (the fire time's local time + offset, see Schedule::paramValue), or
//     the fire time's local date when the schedule sets no param.
//   - Flows without a schedule: one run per day; the date goes to the flow's only date (or
//     datetime, at 00:00 UTC) parameter.
//   - A key whose run already succeeded is skipped; a failed/cancelled/interrupted one is
//     recovered (the engine does that for a RunRequest of an existing key); one active
//     elsewhere, or one whose recovery would rerun a task with `idempotent: false` that the
//     caller did not confirm (setConfirmed), is refused by the engine and reported.
//   - At most `maxActiveRuns` backfill runs are active at once (default: the flow's
//     limits.max_active_runs, else 1).
//
// Thread rules: lives on one thread with an event loop and opens its own HistoryStore there in
// start(); never blocks (submissions are followed with QFutureWatchers on this object).
class Backfill : public QObject
{
    Q_OBJECT
public:
    struct Item
    {
        QDateTime fireTime; // UTC; the schedule time (00:00 of the day without a schedule)
        QDate date;         // the data date
        RunPlan plan;
    };
    enum class Outcome { Skipped, Succeeded, Failed, Refused };
    struct Summary
    {
        int succeeded = 0;
        int failed = 0;  // failed, cancelled or interrupted
        int skipped = 0; // already succeeded
        int refused = 0; // the engine refused (e.g. active in another process)
        bool cancelled = false;
    };

    // The runs a backfill of [from, to] creates, oldest first (at most kMaxItems).
    static Result<QList<Item>> items(const Flow &flow, const QDate &from, const QDate &to);
    static constexpr int kMaxItems = 10000;

    Backfill(Engine *engine, QList<Item> items, int maxActiveRuns, QObject *parent = nullptr);
    ~Backfill() override;

    // Tasks with `idempotent: false` the caller confirmed may run again when a key is
    // recovered (RunRequest::confirmed); without it such a key is refused and reported.
    void setConfirmed(const QStringList &tasks) { m_confirmed = tasks; }
    // Opens the store and starts submitting; finished() follows (also for an empty list).
    Result<void> start();
    // Submits nothing more and cancels the active backfill runs; finished() follows.
    void cancel();
    const Summary &summary() const { return m_summary; }

Q_SIGNALS:
    void itemStarted(const pw::Backfill::Item &item, qint64 runId, bool recovered);
    void itemDone(const pw::Backfill::Item &item, qint64 runId, pw::Backfill::Outcome outcome,
        const QString &detail);
    void finished(const pw::Backfill::Summary &summary);

private:
    void pump();
    void onRunFinished(qint64 runId, RunState state);
    void maybeFinish();

    Engine *m_engine;
    QList<Item> m_items;
    QStringList m_confirmed;
    int m_maxActive;
    int m_next = 0;
    int m_inFlight = 0;              // submitted, not finished
    QHash<qint64, int> m_active;     // run id -> item index
    QHash<qint64, RunState> m_early; // finished before their submission answered
    std::unique_ptr<HistoryStore> m_store;
    Summary m_summary;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace pw
