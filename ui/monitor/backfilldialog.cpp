#include "backfilldialog.h"

#include "engine/engine.h"
#include "runcontroller.h"

#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace pw {

BackfillDialog::BackfillDialog(RunController *controller, const Flow &flow, QWidget *parent)
    : QDialog(parent), m_controller(controller), m_flow(flow)
{
    setObjectName(QStringLiteral("backfillDialog"));
    setWindowTitle(tr("Backfill %1").arg(flow.id));

    const QDate today = QDate::currentDate();
    m_fromEdit = new QDateEdit(today.addDays(-7), this);
    m_fromEdit->setObjectName(QStringLiteral("backfillFrom"));
    m_toEdit = new QDateEdit(today.addDays(-1), this);
    m_toEdit->setObjectName(QStringLiteral("backfillTo"));
    for (QDateEdit *e : {m_fromEdit, m_toEdit}) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    }
    m_maxActive = new QSpinBox(this);
    m_maxActive->setObjectName(QStringLiteral("backfillMaxActive"));
    m_maxActive->setRange(1, 1000);
    m_maxActive->setValue(flow.limits.maxActiveRuns.value_or(1));
    m_maxActive->setToolTip(tr("Backfill runs active at once"));

    m_plan = new QLabel(this);
    m_plan->setObjectName(QStringLiteral("backfillPlan"));
    m_plan->setWordWrap(true);
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("backfillState"));
    m_state->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("backfillProgress"));
    m_progress->setVisible(false);

    auto *form = new QFormLayout;
    form->addRow(tr("From"), m_fromEdit);
    form->addRow(tr("To"), m_toEdit);
    form->addRow(tr("Max active runs"), m_maxActive);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_start = m_buttons->addButton(tr("Start Backfill"), QDialogButtonBox::ActionRole);
    m_start->setObjectName(QStringLiteral("backfillStart"));
    m_start->setDefault(true);
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &BackfillDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_plan);
    layout->addWidget(m_progress);
    layout->addWidget(m_state);
    layout->addWidget(m_buttons);

    connect(m_fromEdit, &QDateEdit::dateChanged, this, [this] { updatePlan(); });
    connect(m_toEdit, &QDateEdit::dateChanged, this, [this] { updatePlan(); });
    updatePlan();
}

BackfillDialog::~BackfillDialog()
{
    if (m_backfill && !m_done)
        m_backfill->cancel();
}

void BackfillDialog::setRange(const QDate &from, const QDate &to)
{
    const QSignalBlocker b1(m_fromEdit);
    const QSignalBlocker b2(m_toEdit);
    m_fromEdit->setDate(from);
    m_toEdit->setDate(to);
    updatePlan();
}

QDate BackfillDialog::from() const
{
    return m_fromEdit->date();
}
QDate BackfillDialog::to() const
{
    return m_toEdit->date();
}
void BackfillDialog::setMaxActiveRuns(int n)
{
    m_maxActive->setValue(n);
}
int BackfillDialog::maxActiveRuns() const
{
    return m_maxActive->value();
}

void BackfillDialog::updatePlan()
{
    m_items.clear();
    m_planned = -1;
    if (from() > to()) {
        m_plan->setText(tr("The start date is after the end date."));
    } else if (auto items = Backfill::items(m_flow, from(), to()); !items) {
        m_plan->setText(items.error().message);
    } else {
        m_items = *items;
        m_planned = int(m_items.size());
        m_plan->setText(m_planned == 0
                ? tr("No schedule times in this range: no runs will be created.")
                : tr("Will create %n run(s), oldest first.", nullptr, m_planned));
    }
    if (!m_backfill)
        m_start->setEnabled(m_planned > 0);
}

bool BackfillDialog::start()
{
    if (m_backfill)
        return false;
    if (!m_controller || !m_controller->isRunning()) {
        m_state->setText(tr("The engine is not running."));
        return false;
    }
    if (m_planned <= 0) {
        m_state->setText(m_plan->text());
        return false;
    }
    auto *backfill = new Backfill(m_controller->engine(), m_items, m_maxActive->value(), this);
    connect(backfill, &Backfill::itemStarted, this,
        [this](const Backfill::Item &item, qint64 runId, bool recovered) {
            m_state->setText(recovered
                    ? tr("Recovering run %1 (%2)").arg(runId).arg(item.date.toString(Qt::ISODate))
                    : tr("Started run %1 (%2)").arg(runId).arg(item.date.toString(Qt::ISODate)));
        });
    connect(backfill, &Backfill::itemDone, this,
        [this](
            const Backfill::Item &item, qint64, Backfill::Outcome outcome, const QString &detail) {
            ++m_doneItems;
            if (outcome == Backfill::Outcome::Refused)
                m_state->setText(tr("%1 refused: %2").arg(item.date.toString(Qt::ISODate), detail));
            showProgress();
        });
    connect(backfill, &Backfill::finished, this, [this](const Backfill::Summary &summary) {
        m_done = true;
        m_summary = summary;
        const QString text
            = tr("Backfill of %1 %2: %3 succeeded, %4 failed, %5 skipped, %6 refused")
                  .arg(m_flow.id, summary.cancelled ? tr("cancelled") : tr("finished"))
                  .arg(summary.succeeded)
                  .arg(summary.failed)
                  .arg(summary.skipped)
                  .arg(summary.refused);
        m_state->setText(text);
        m_progress->setValue(m_progress->maximum());
        m_buttons->button(QDialogButtonBox::Close)->setText(tr("Close"));
        m_buttons->button(QDialogButtonBox::Close)->setEnabled(true);
        Q_EMIT statusMessage(text, 10000);
        Q_EMIT backfillFinished(summary);
    });
    m_backfill = backfill;
    if (auto ok = backfill->start(); !ok) {
        m_state->setText(tr("Cannot start the backfill: %1").arg(ok.error().message));
        m_backfill = nullptr;
        backfill->deleteLater();
        return false;
    }
    for (QWidget *w : std::initializer_list<QWidget *>{m_fromEdit, m_toEdit, m_maxActive, m_start})
        w->setEnabled(false);
    m_buttons->button(QDialogButtonBox::Close)->setText(tr("Cancel Backfill"));
    m_progress->setRange(0, int(m_items.size()));
    m_progress->setVisible(true);
    showProgress();
    return true;
}

void BackfillDialog::showProgress()
{
    if (m_done)
        return;
    m_progress->setValue(m_doneItems);
    Q_EMIT statusMessage(tr("Backfill of %1: %2 of %3 runs done")
                             .arg(m_flow.id)
                             .arg(m_doneItems)
                             .arg(m_items.size()),
        0);
}

void BackfillDialog::reject()
{
    if (m_backfill && !m_done) {
        // Cancel first; the dialog closes itself once the backfill reports its end.
        m_buttons->button(QDialogButtonBox::Close)->setEnabled(false);
        m_state->setText(tr("Cancelling the backfill…"));
        connect(
            m_backfill, &Backfill::finished, this, [this] { QDialog::reject(); },
            Qt::QueuedConnection);
        m_backfill->cancel();
        return;
    }
    QDialog::reject();
}

} // namespace pw
