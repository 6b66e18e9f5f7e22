#include "runtaskdetails.h"

#include "runsmodel.h"
#include "runstatemodel.h"
#include "statepalette.h"

#include <QDateTime>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace pw {

namespace {
QString timeText(qint64 ms)
{
    return ms ? RunsModel::formatTime(ms) : QStringLiteral("—");
}
} // namespace

RunTaskDetails::RunTaskDetails(RunStateModel *model, QWidget *parent)
    : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("runTaskDetails"));
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(8, 8, 8, 8);
    v->setSpacing(8);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("detailTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    m_title->setFont(bold);
    m_title->setWordWrap(true);
    v->addWidget(m_title);
    m_fields = new QWidget(this);
    auto *form = new QFormLayout(m_fields);
    form->setContentsMargins(0, 0, 0, 0);
    m_state = row(form, tr("State"), "detailState");
    m_attempts = row(form, tr("Attempts"), "detailAttempts");
    m_exitCode = row(form, tr("Exit code"), "detailExitCode");
    m_error = row(form, tr("Error"), "detailError");
    m_duration = row(form, tr("Duration"), "detailDuration");
    m_started = row(form, tr("Started"), "detailStarted");
    m_ended = row(form, tr("Ended"), "detailEnded");
    v->addWidget(m_fields);
    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    v->addWidget(m_hint);
    v->addStretch(1);
    connect(m_model, &RunStateModel::changed, this, &RunTaskDetails::refresh);
    connect(m_model, &RunStateModel::runLoaded, this, [this] { setTask({}); });
    refresh();
}

QLabel *RunTaskDetails::row(QFormLayout *form, const QString &label, const char *name)
{
    auto *l = new QLabel(m_fields);
    l->setObjectName(QLatin1String(name));
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(label, l);
    return l;
}

void RunTaskDetails::setTask(const QString &task)
{
    m_task = task;
    refresh();
}

void RunTaskDetails::refresh()
{
    const qint64 runId = m_model->runId();
    if (m_task.isEmpty() || runId == 0) {
        m_title->setText(runId ? tr("Run %1").arg(runId) : QString());
        m_fields->hide();
        m_hint->setText(tr("Click a task to see how it ran; its attempts and log are in the Log "
                           "dock. Show current edits the flow."));
        return;
    }
    const TaskRunState s = m_model->state(m_task);
    m_title->setText(tr("%1 in run %2").arg(m_task).arg(runId));
    m_state->setText(StatePalette::label(s.state));
    m_attempts->setText(s.attempt == 0 ? tr("none yet")
                                       : tr("%1 (this try: %2 of %3)")
                                             .arg(s.attempt)
                                             .arg(s.attemptInTry)
                                             .arg(qMax(1, s.maxAttempts)));
    m_exitCode->setText(s.exitCode ? QString::number(*s.exitCode) : QStringLiteral("—"));
    m_error->setText(s.error.isEmpty() ? QStringLiteral("—") : s.error);
    const qint64 end = s.ended ? s.ended : QDateTime::currentMSecsSinceEpoch();
    m_duration->setText(
        s.started ? RunsModel::formatDuration(end - s.started) : QStringLiteral("—"));
    m_started->setText(timeText(s.started));
    m_ended->setText(timeText(s.ended));
    m_fields->show();
    m_hint->setText(tr("Show current edits the flow."));
}

} // namespace pw
