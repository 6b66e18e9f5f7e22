#include "taskpanel.h"

#include "logview.h"
#include "runsmodel.h"
#include "runstatemodel.h"
#include "statepalette.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pw {

// A sql attempt's rows affected: the total, with the per-statement split when there are several
// statements ("5 (3 + 0 + 2)").
QString TaskPanel::rowsText(const QList<qint64> &rows)
{
    qint64 total = 0;
    QStringList parts;
    for (qint64 n : rows) {
        total += n;
        parts << QString::number(n);
    }
    if (rows.size() <= 1)
        return QString::number(total);
    return QStringLiteral("%1 (%2)").arg(total).arg(parts.join(QStringLiteral(" + ")));
}

QString TaskPanel::rowsToolTip(const QList<qint64> &rows)
{
    QStringList lines;
    for (int i = 0; i < rows.size(); ++i)
        lines << (rows.at(i) == 1 ? tr("statement %1: 1 row").arg(i + 1)
                                  : tr("statement %1: %2 rows").arg(i + 1).arg(rows.at(i)));
    return lines.join(QLatin1Char('\n'));
}

TaskPanel::TaskPanel(RunStateModel *model, QWidget *parent) : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("taskPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    m_title = new QLabel(tr("Select a task of a run to see its attempts and log."), this);
    m_title->setObjectName(QStringLiteral("taskTitle"));
    layout->addWidget(m_title);
    auto *split = new QSplitter(Qt::Horizontal, this);
    m_attempts = new QTreeWidget(split);
    m_attempts->setObjectName(QStringLiteral("attemptsView"));
    m_attempts->setRootIsDecorated(false);
    // What went wrong first (exit code, error), then when: the dock is narrow.
    m_attempts->setHeaderLabels({tr("Attempt"), tr("State"), tr("Exit code"), tr("Error"),
        tr("Duration"), tr("Rows"), tr("Started"), tr("Ended"), tr("Try")});
    QHeaderView *header = m_attempts->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ErrorColumn, QHeaderView::Stretch);
    m_attempts->setTextElideMode(Qt::ElideRight);
    m_log = new LogView(split);
    split->addWidget(m_attempts);
    split->addWidget(m_log);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);

    connect(m_model, &RunStateModel::changed, this, &TaskPanel::rebuild);
    connect(m_model, &RunStateModel::runLoaded, this, [this] {
        m_attempt = 0;
        rebuild();
    });
    connect(m_attempts, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        m_attempt = item->data(AttemptColumn, Qt::UserRole).toInt();
        showAttempt(m_attempt);
    });
}

void TaskPanel::setTask(const QString &task)
{
    m_task = task;
    m_attempt = 0;
    rebuild();
}

void TaskPanel::rebuild()
{
    m_attempts->clear();
    if (m_task.isEmpty() || m_model->runId() == 0) {
        m_title->setText(tr("Select a task of a run to see its attempts and log."));
        m_log->setFile({}, false);
        return;
    }
    const TaskRunState s = m_model->state(m_task);
    m_title->setText(
        tr("Run %1 · %2 · %3").arg(m_model->runId()).arg(m_task, StatePalette::label(s.state)));
    const QList<AttemptRecord> attempts = m_model->attempts(m_task);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const AttemptRecord &a : attempts) {
        auto *item = new QTreeWidgetItem(m_attempts);
        item->setData(AttemptColumn, Qt::UserRole, a.attempt);
        item->setText(AttemptColumn, QString::number(a.attempt));
        item->setIcon(StateColumn, StatePalette::icon(a.state));
        item->setText(StateColumn, StatePalette::label(a.state));
        item->setText(ExitCodeColumn, a.exitCode ? QString::number(*a.exitCode) : QString());
        item->setText(ErrorColumn, a.error);
        item->setToolTip(ErrorColumn, a.error);
        if (a.started)
            item->setText(
                DurationColumn, RunsModel::formatDuration((a.ended ? a.ended : now) - a.started));
        if (a.rows) {
            item->setText(RowsColumn, rowsText(*a.rows));
            item->setToolTip(RowsColumn, rowsToolTip(*a.rows));
        }
        item->setText(StartedColumn, RunsModel::formatTime(a.started));
        item->setText(EndedColumn, RunsModel::formatTime(a.ended));
        item->setText(TryColumn, QString::number(a.tryNo));
    }
    if (attempts.isEmpty()) {
        m_log->setFile({}, false);
        return;
    }
    showAttempt(m_attempt);
}

void TaskPanel::showAttempt(int attempt)
{
    const QList<AttemptRecord> attempts = m_model->attempts(m_task);
    if (attempts.isEmpty())
        return;
    AttemptRecord chosen = attempts.last();
    for (const AttemptRecord &a : attempts)
        if (a.attempt == attempt)
            chosen = a;
    for (int i = 0; i < m_attempts->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_attempts->topLevelItem(i);
        item->setSelected(item->data(AttemptColumn, Qt::UserRole).toInt() == chosen.attempt);
    }
    m_log->setFile(chosen.logPath, chosen.state == AttemptState::Running);
}

} // namespace pw
