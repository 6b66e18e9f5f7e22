#pragma once

#include "model/flow.h"
#include "schedule/backfill.h"

#include <QDialog>
#include <QPointer>

class QDateEdit;
class QDialogButtonBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace pw {

class RunController;

// Run > Backfill…: one run per schedule date (or per day without a schedule) of the flow in
// [from, to] (default: the last 7 days), at most "max active runs" at once (default: the flow's
// limits.max_active_runs, else 1). Shows how many runs it will create before it starts. Runs
// pw::Backfill on the GUI's engine; Backfill never blocks its thread, so it lives on the GUI
// thread and reports progress through signals (shown in the dialog and, via statusMessage, in
// the main window's status bar). Closing the dialog while a backfill runs cancels it.
//
// Main (GUI) thread only.
class BackfillDialog : public QDialog
{
    Q_OBJECT
public:
    BackfillDialog(RunController *controller, const Flow &flow, QWidget *parent = nullptr);
    ~BackfillDialog() override;

    void setRange(const QDate &from, const QDate &to);
    QDate from() const;
    QDate to() const;
    void setMaxActiveRuns(int n);
    int maxActiveRuns() const;
    // The runs the backfill will create for the current range (-1 when the range is invalid).
    int plannedRuns() const { return m_planned; }
    bool isRunning() const { return m_backfill != nullptr && !m_done; }
    // Starts the backfill (as the Start button does); false with a message in the dialog if not.
    bool start();
    const Backfill::Summary &summary() const { return m_summary; }

Q_SIGNALS:
    void statusMessage(const QString &message, int timeout);
    void backfillFinished(const pw::Backfill::Summary &summary);

public Q_SLOTS:
    void reject() override;

private:
    void updatePlan();
    void showProgress();

    RunController *m_controller;
    Flow m_flow;
    QList<Backfill::Item> m_items;
    int m_planned = -1;
    QDateEdit *m_fromEdit;
    QDateEdit *m_toEdit;
    QSpinBox *m_maxActive;
    QLabel *m_plan;
    QLabel *m_state;
    QProgressBar *m_progress;
    QDialogButtonBox *m_buttons;
    QPushButton *m_start;
    QPointer<Backfill> m_backfill;
    Backfill::Summary m_summary;
    int m_doneItems = 0;
    bool m_done = false;
};

} // namespace pw
