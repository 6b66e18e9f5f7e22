#include "runsdock.h"

#include "engine/home.h"
#include "runcontroller.h"
#include "runprogressdelegate.h"
#include "runsmodel.h"
#include "statepalette.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace pw {

namespace {

bool recoverable(RunState s)
{
    return s == RunState::Failed || s == RunState::Cancelled || s == RunState::Interrupted;
}

} // namespace

RunsDock::RunsDock(RunController *controller, QWidget *parent)
    : QWidget(parent), m_controller(controller)
{
    setObjectName(QStringLiteral("runsDock"));
    m_model = new RunsModel(controller->reader(), this);
    connect(controller, &RunController::events, m_model, &RunsModel::applyEvents);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    auto *filters = new QHBoxLayout;
    filters->setSpacing(8);
    m_flow = new QComboBox(this);
    m_flow->setObjectName(QStringLiteral("flowFilter"));
    m_flow->setMinimumContentsLength(14);
    m_flow->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_flow->addItem(tr("All flows"), QString());
    m_state = new QComboBox(this);
    m_state->setObjectName(QStringLiteral("stateFilter"));
    m_state->addItem(tr("All states"), -1);
    for (RunState s : {RunState::Queued, RunState::Running, RunState::Succeeded, RunState::Failed,
             RunState::Cancelled, RunState::Interrupted})
        m_state->addItem(StatePalette::icon(s), StatePalette::label(s), int(s));
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("runSearch"));
    m_search->setPlaceholderText(tr("Search flow or parameters…"));
    m_search->setClearButtonEnabled(true);
    filters->addWidget(m_flow);
    filters->addWidget(m_state);
    filters->addWidget(m_search, 1);
    layout->addLayout(filters);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setItemDelegateForColumn(RunsModel::ProgressColumn, new RunProgressDelegate(m_table));
    m_table->setColumnWidth(RunsModel::StateColumn, 130);
    m_table->setColumnWidth(RunsModel::IdColumn, 60);
    m_table->setColumnWidth(RunsModel::FlowColumn, 140);
    m_table->setColumnWidth(RunsModel::ParamsColumn, 260);
    m_table->setColumnWidth(RunsModel::TriggerColumn, 80);
    m_table->setColumnWidth(RunsModel::StartedColumn, 150);
    m_table->setColumnWidth(RunsModel::DurationColumn, 80);
    m_table->setColumnWidth(RunsModel::ProgressColumn, 160);
    layout->addWidget(m_table, 1);

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(250);
    connect(&m_searchDelay, &QTimer::timeout, this, &RunsDock::applyFilter);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });
    connect(m_flow, &QComboBox::currentIndexChanged, this, &RunsDock::applyFilter);
    connect(m_state, &QComboBox::currentIndexChanged, this, &RunsDock::applyFilter);
    connect(m_table, &QWidget::customContextMenuRequested, this, &RunsDock::showMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            const qint64 id = current.isValid() ? m_model->run(current.row()).id : 0;
            if (id != m_current) {
                m_current = id;
                Q_EMIT currentRunChanged(id);
            }
        });
    connect(m_model, &RunsModel::loaded, this, &RunsDock::updateFlowChoices);
    connect(m_model, &RunsModel::loadFailed, this, &RunsDock::message);
}

void RunsDock::updateFlowChoices()
{
    QStringList have;
    for (int i = 1; i < m_flow->count(); ++i)
        have << m_flow->itemData(i).toString();
    QStringList add;
    if (!m_currentFlow.isEmpty() && !have.contains(m_currentFlow))
        add << m_currentFlow;
    for (int i = 0; i < m_model->rowCount(); ++i) {
        const QString f = m_model->run(i).flowId;
        if (!have.contains(f) && !add.contains(f))
            add << f;
    }
    for (const QString &f : std::as_const(add))
        m_flow->addItem(f, f);
}

void RunsDock::setCurrentFlow(const QString &flowId)
{
    m_currentFlow = flowId;
    updateFlowChoices();
}

void RunsDock::applyFilter()
{
    const int s = m_state->currentData().toInt();
    m_model->setFilter(m_flow->currentData().toString(),
        s < 0 ? std::nullopt : std::optional<RunState>(RunState(s)), m_search->text().trimmed());
}

QList<qint64> RunsDock::selectedRuns() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &i : rows)
        ids << m_model->run(i.row()).id;
    std::sort(ids.begin(), ids.end(), std::greater<>());
    return ids;
}

qint64 RunsDock::currentRun() const
{
    return m_current;
}

void RunsDock::selectRun(qint64 runId)
{
    const int row = m_model->rowOf(runId);
    if (row < 0)
        return;
    m_table->selectionModel()->setCurrentIndex(
        m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(m_model->index(row, 0));
}

void RunsDock::showMenu(QPoint pos)
{
    const QModelIndex at = m_table->indexAt(pos);
    if (!at.isValid())
        return;
    QList<qint64> ids = selectedRuns();
    const qint64 clicked = m_model->run(at.row()).id;
    if (!ids.contains(clicked)) {
        selectRun(clicked);
        ids = {clicked};
    }
    QMenu *menu = createContextMenu(ids, this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(m_table->viewport()->mapToGlobal(pos));
}

QMenu *RunsDock::createContextMenu(const QList<qint64> &runIds, QWidget *parent)
{
    auto *menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("runMenu"));
    QList<RunRecord> runs;
    for (qint64 id : runIds) {
        const int row = m_model->rowOf(id);
        if (row >= 0)
            runs << m_model->run(row);
    }
    const bool single = runs.size() == 1;
    const RunRecord first = runs.isEmpty() ? RunRecord{} : runs.first();
    QList<qint64> failedIds;
    for (const RunRecord &r : std::as_const(runs))
        if (recoverable(r.state))
            failedIds << r.id;
    const bool finished = single && isFinal(first.state);

    auto add = [menu](const QString &name, const QString &text, bool enabled) {
        QAction *a = menu->addAction(text);
        a->setObjectName(name);
        a->setEnabled(enabled);
        return a;
    };
    QAction *rerunFailed = add(QStringLiteral("rerunFailed"),
        failedIds.size() > 1 ? tr("Rerun failed tasks of %1 runs").arg(failedIds.size())
                             : tr("Rerun failed tasks"),
        !failedIds.isEmpty());
    menu->setDefaultAction(rerunFailed); // drawn bold
    connect(rerunFailed, &QAction::triggered, this,
        [this, failedIds] { Q_EMIT rerunRequested(failedIds, RerunMode::Failed, false); });
    QAction *rerunAll = add(QStringLiteral("rerunAll"), tr("Rerun all"), finished);
    connect(rerunAll, &QAction::triggered, this,
        [this, id = first.id] { Q_EMIT rerunRequested({id}, RerunMode::All, false); });
    QAction *rerunCurrent = add(QStringLiteral("rerunCurrent"), tr("Rerun with current definition"),
        finished && !first.sourcePath.isEmpty());
    connect(rerunCurrent, &QAction::triggered, this,
        [this, id = first.id] { Q_EMIT rerunRequested({id}, RerunMode::Failed, true); });
    menu->addSeparator();
    QAction *markOk = add(QStringLiteral("markSucceeded"), tr("Mark succeeded"),
        finished && first.state != RunState::Succeeded);
    connect(markOk, &QAction::triggered, this,
        [this, id = first.id] { m_controller->mark(id, {}, TaskState::Succeeded); });
    QAction *cancel
        = add(QStringLiteral("cancelRun"), tr("Cancel"), single && !isFinal(first.state));
    connect(cancel, &QAction::triggered, this, [this, id = first.id] { m_controller->cancel(id); });
    if (m_controller->isReadOnly()) { // a read-only history: view only
        for (QAction *a : {rerunFailed, rerunAll, rerunCurrent, markOk, cancel})
            a->setEnabled(false);
    }
    menu->addSeparator();
    QAction *copy = add(QStringLiteral("copyParams"), tr("Copy parameters"), single);
    connect(copy, &QAction::triggered, this, [this, params = first.paramsJson] {
        // As pipewright-cli options: -p date=2026-11-24 -p region=kr
        const QJsonObject o = QJsonDocument::fromJson(params).object();
        QStringList parts;
        for (auto it = o.begin(); it != o.end(); ++it)
            parts << QStringLiteral("-p ") + it.key() + QLatin1Char('=')
                    + it.value().toVariant().toString();
        QApplication::clipboard()->setText(parts.join(QLatin1Char(' ')));
        Q_EMIT message(tr("Parameters copied"));
    });
    QAction *logs = add(QStringLiteral("showLogs"), tr("Show logs folder"), single);
    connect(logs, &QAction::triggered, this, [this, id = first.id] {
        const QString dir = m_controller->logsDir() + QLatin1Char('/') + QString::number(id);
        if (!QDir(dir).exists()) {
            Q_EMIT message(tr("Run %1 has no logs yet").arg(id));
            return;
        }
        QDesktopServices::openUrl(QUrl::fromLocalFile(dir));
    });
    return menu;
}

} // namespace pw
