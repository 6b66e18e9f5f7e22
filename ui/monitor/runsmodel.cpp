#include "runsmodel.h"

#include "history/historystore.h"
#include "historyreader.h"
#include "monitorlogging.h"
#include "statepalette.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace pw {

namespace {

// Newest first: created DESC, id DESC (the order of HistoryStore::runs).
bool newer(const RunRecord &a, const RunRecord &b)
{
    return a.created != b.created ? a.created > b.created : a.id > b.id;
}

bool sameRow(const RunRecord &a, const RunRecord &b)
{
    return a.state == b.state && a.tryNo == b.tryNo && a.trigger == b.trigger
        && a.started == b.started && a.ended == b.ended && a.tasksDone == b.tasksDone
        && a.tasksTotal == b.tasksTotal && a.planHash == b.planHash && a.ownerId == b.ownerId;
}

bool isActive(RunState s)
{
    return s == RunState::Queued || s == RunState::Running;
}

struct Page
{
    QList<RunRecord> rows;
    QString error;
};

} // namespace

RunsModel::RunsModel(HistoryReader *reader, QObject *parent)
    : QAbstractTableModel(parent), m_reader(reader)
{
    m_filter.limit = m_pageSize;
    connect(m_reader, &HistoryReader::changed, this, &RunsModel::refresh);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &RunsModel::tick);
    m_tick.start();
    m_eventRefresh.setSingleShot(true);
    m_eventRefresh.setInterval(100);
    connect(&m_eventRefresh, &QTimer::timeout, this, &RunsModel::refresh);
    refresh();
}

void RunsModel::applyEvents(const EngineEvents &batch)
{
    for (const EngineEvent &e : batch) {
        if (e.kind != EngineEvent::Kind::RunState)
            continue;
        const int row = rowOf(e.runId);
        if (row < 0)
            continue;
        RunRecord &r = m_rows[row];
        r.state = e.runState;
        if (isFinal(e.runState)) { // every task of an ended run is final
            r.ended = e.time;
            r.tasksDone = r.tasksTotal;
        }
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    // Counts, new runs and everything else: one read of the loaded rows per 100 ms at most.
    if (!batch.isEmpty() && !m_eventRefresh.isActive())
        m_eventRefresh.start();
}

int RunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunsModel::compactParams(const QByteArray &paramsJson)
{
    const QJsonObject o = QJsonDocument::fromJson(paramsJson).object();
    QStringList parts;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonValue v = it.value();
        const QString value = v.isString() ? v.toString() : v.toVariant().toString();
        parts << it.key() + QLatin1Char('=') + value;
    }
    return parts.join(QLatin1Char(' '));
}

QString RunsModel::formatTime(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
              : QString();
}

QString RunsModel::formatDuration(qint64 ms)
{
    if (ms < 0)
        ms = 0;
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 10000)
        return QStringLiteral("%1 s").arg(QString::number(ms / 1000.0, 'f', 1));
    const qint64 s = ms / 1000;
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

QVariant RunsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRecord &r = m_rows.at(index.row());
    switch (role) {
    case RunIdRole:
        return r.id;
    case RunStateRole:
        return int(r.state);
    case ProgressRole:
        return r.tasksTotal > 0 ? double(r.tasksDone) / r.tasksTotal : 0.0;
    case TasksDoneRole:
        return r.tasksDone;
    case TasksTotalRole:
        return r.tasksTotal;
    case ParamsJsonRole:
        return r.paramsJson;
    default:
        break;
    }
    const int col = index.column();
    if (role == Qt::DisplayRole) {
        switch (col) {
        case StateColumn:
            return StatePalette::label(r.state);
        case IdColumn:
            return r.id;
        case FlowColumn:
            return r.flowId;
        case ParamsColumn:
            return compactParams(r.paramsJson);
        case TriggerColumn:
            return StatePalette::label(r.trigger);
        case StartedColumn: {
            return formatTime(r.started ? r.started : r.created);
        }
        case DurationColumn: {
            if (!r.started)
                return QString();
            const qint64 end = r.ended
                ? r.ended
                : (isActive(r.state) ? QDateTime::currentMSecsSinceEpoch() : r.started);
            return formatDuration(end - r.started);
        }
        case ProgressColumn:
            return QStringLiteral("%1/%2").arg(r.tasksDone).arg(r.tasksTotal);
        default:
            return {};
        }
    }
    if (role == Qt::DecorationRole && col == StateColumn)
        return StatePalette::icon(r.state);
    if (role == Qt::ToolTipRole) {
        if (col == ParamsColumn)
            return QString::fromUtf8(r.paramsJson);
        if (col == StateColumn)
            return tr("Run %1 · try %2 · %3")
                .arg(r.id)
                .arg(r.tryNo)
                .arg(StatePalette::label(r.state));
        return {};
    }
    if (role == Qt::TextAlignmentRole && (col == IdColumn || col == DurationColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && col == StateColumn
        && (r.state == RunState::Failed || r.state == RunState::Interrupted))
        return StatePalette::color(TaskState::Failed);
    return {};
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StateColumn:
        return tr("State");
    case IdColumn:
        return tr("Run");
    case FlowColumn:
        return tr("Flow");
    case ParamsColumn:
        return tr("Parameters");
    case TriggerColumn:
        return tr("Trigger");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case ProgressColumn:
        return tr("Progress");
    default:
        return {};
    }
}

bool RunsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_fetching && !m_rows.isEmpty();
}

void RunsModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    load(int(m_rows.size()), m_pageSize, false);
}

void RunsModel::setFilter(const QString &flowId, std::optional<RunState> state, const QString &text)
{
    if (m_filter.flowId == flowId && m_filter.state == state && m_filter.text == text)
        return;
    m_filter.flowId = flowId;
    m_filter.state = state;
    m_filter.text = text;
    ++m_generation;
    m_fetching = false;
    m_refreshQueued = false;
    // Rows of the old filter go at once; the new ones follow from the reader.
    beginResetModel();
    m_rows.clear();
    m_atEnd = false;
    endResetModel();
    refresh();
}

int RunsModel::rowOf(qint64 runId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).id == runId)
            return i;
    return -1;
}

void RunsModel::refresh()
{
    // One refresh at a time; a change during a refresh causes exactly one more.
    if (m_pending > 0) {
        m_refreshQueued = true;
        return;
    }
    load(0, qMax(m_pageSize, int(m_rows.size())), true);
}

void RunsModel::load(int offset, int limit, bool replaceFrom)
{
    RunFilter f = m_filter;
    f.offset = offset;
    f.limit = limit;
    const quint64 generation = m_generation;
    ++m_pending;
    if (!replaceFrom)
        m_fetching = true;
    m_reader
        ->read([f](HistoryStore *store) {
            Page page;
            if (!store) {
                page.error = QStringLiteral("no history");
                return page;
            }
            auto rows = store->runs(f);
            if (!rows)
                page.error = rows.error().message;
            else
                page.rows = *rows;
            return page;
        })
        .then(this, [this, generation, limit, replaceFrom](const Page &page) {
            --m_pending;
            if (!replaceFrom)
                m_fetching = false;
            if (generation != m_generation) { // filter changed meanwhile
                if (replaceFrom && m_pending == 0)
                    refresh();
                return;
            }
            if (!page.error.isEmpty()) {
                if (page.error != QLatin1String("no history"))
                    Q_EMIT loadFailed(page.error);
            } else if (replaceFrom) {
                merge(page.rows);
                m_atEnd = page.rows.size() < limit;
            } else {
                append(page.rows);
                m_atEnd = page.rows.size() < limit;
            }
            Q_EMIT loaded();
            if (m_refreshQueued && m_pending == 0) {
                m_refreshQueued = false;
                refresh();
            }
        });
}

void RunsModel::merge(const QList<RunRecord> &fresh)
{
    int i = 0;
    int j = 0;
    while (j < fresh.size()) {
        if (i < m_rows.size() && m_rows.at(i).id == fresh.at(j).id) {
            if (!sameRow(m_rows.at(i), fresh.at(j))) {
                m_rows[i] = fresh.at(j);
                Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
            }
            ++i;
            ++j;
        } else if (i < m_rows.size() && newer(m_rows.at(i), fresh.at(j))) {
            // Not in the fresh window any more (should not happen: history is append-only).
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        } else {
            // A block of new rows goes in before m_rows[i].
            int k = j;
            while (k < fresh.size() && (i >= m_rows.size() || newer(fresh.at(k), m_rows.at(i))))
                ++k;
            if (k == j)
                k = j + 1;
            beginInsertRows({}, i, i + (k - j) - 1);
            for (int n = j; n < k; ++n)
                m_rows.insert(i + (n - j), fresh.at(n));
            endInsertRows();
            i += k - j;
            j = k;
        }
    }
    if (i < m_rows.size()) {
        beginRemoveRows({}, i, int(m_rows.size()) - 1);
        m_rows.erase(m_rows.begin() + i, m_rows.end());
        endRemoveRows();
    }
}

void RunsModel::append(const QList<RunRecord> &more)
{
    QList<RunRecord> add;
    QSet<qint64> have;
    for (const RunRecord &r : std::as_const(m_rows))
        have.insert(r.id);
    for (const RunRecord &r : more)
        if (!have.contains(r.id))
            add << r;
    if (add.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(add.size()) - 1);
    m_rows << add;
    endInsertRows();
}

void RunsModel::tick()
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (isActive(m_rows.at(i).state) && m_rows.at(i).started)
            Q_EMIT dataChanged(
                index(i, DurationColumn), index(i, DurationColumn), {Qt::DisplayRole});
}

} // namespace pw
