#pragma once

#include "engine/engineevent.h"
#include "history/records.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

namespace pw {

class HistoryReader;

// The runs history table (UI.md "Monitor"): state, run id, flow, params, trigger, started,
// duration, progress — newest first, filtered by flow/state/text, and PAGED from the history
// store (HistoryStore::runs with limit/offset): the first page loads at once, further pages
// through canFetchMore()/fetchMore() as the view scrolls, so a million runs stay fast. Reads run
// on the HistoryReader's thread; when the store changes (data_version) the loaded rows are read
// again and merged in place (rows inserted/removed/changed, never a reset), so selections survive
// and runs of other processes appear within about a second. Durations of active runs tick.
//
// Main (GUI) thread only.
class RunsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        StateColumn,
        IdColumn,
        FlowColumn,
        ParamsColumn,
        TriggerColumn,
        StartedColumn,
        DurationColumn,
        ProgressColumn,
        ColumnCount
    };
    enum Role {
        RunIdRole = Qt::UserRole + 1,
        RunStateRole, // int(RunState)
        ProgressRole, // double 0..1
        TasksDoneRole,
        TasksTotalRole,
        ParamsJsonRole,
    };

    explicit RunsModel(HistoryReader *reader, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Filter: flow id (exact, empty = all), state (nullopt = all), text (flow id or params).
    void setFilter(const QString &flowId, std::optional<RunState> state, const QString &text);
    RunFilter filter() const { return m_filter; }
    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }
    int pageSize() const { return m_pageSize; }

    const RunRecord &run(int row) const { return m_rows.at(row); }
    int rowOf(qint64 runId) const;
    // Reads the loaded rows again now (also done on every store change).
    void refresh();
    // The engine's events, the same the canvas gets: a loaded run's state changes at once, and
    // the rows (counts, new runs) are read again within 100 ms, not on the next store poll.
    void applyEvents(const EngineEvents &batch);
    bool isLoading() const { return m_pending > 0; }

    // Compact params for display: {"date":"2026-11-24","region":"kr"} -> date=2026-11-24 region=kr
    static QString compactParams(const QByteArray &paramsJson);
    static QString formatDuration(qint64 ms);
    // "2026-11-24 03:00:05" in local time; empty for 0 (not yet).
    static QString formatTime(qint64 ms);

Q_SIGNALS:
    // A read finished (first page, a further page or a refresh).
    void loaded();
    void loadFailed(const QString &message);

private:
    QTimer m_eventRefresh;
    void load(int offset, int limit, bool replaceFrom);
    void merge(const QList<RunRecord> &fresh);
    void append(const QList<RunRecord> &more);
    void tick();

    HistoryReader *m_reader;
    RunFilter m_filter;
    QList<RunRecord> m_rows;
    int m_pageSize = 200;
    bool m_atEnd = false;
    bool m_fetching = false;
    int m_pending = 0;
    quint64 m_generation = 0; // a new filter makes results of older reads stale
    bool m_refreshQueued = false;
    QTimer m_tick;
};

} // namespace pw
