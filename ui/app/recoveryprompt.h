#pragma once

#include "messagebar.h"

#include "history/records.h"

#include <QList>

namespace pw {

class RunMonitor;

// Points the user to runs left `interrupted` (Pipewright or another process running them was
// killed or crashed), so that after a restart nobody has to go looking for them. A message bar
// above the canvas: "Run 12 of daily_sales (date=2026-11-24) was interrupted: the process
// running it stopped. [Recover…] [Show] [Dismiss]", plus how many more there are.
// - Recover… opens the rerun preview of the run's failed and interrupted tasks, exactly as the
//   Runs dock's "Rerun failed tasks" (RunMonitor::requestRerun), so nothing starts unconfirmed;
// - Show shows the run on the run canvas; Dismiss hides it for good (QSettings, per history
//   store), then the next interrupted run is offered.
// The newest interrupted runs are read through the monitor's HistoryReader when the monitor
// has started and again whenever the store changes, so a run recovered anywhere (here, the CLI,
// another window) leaves the bar by itself. Main thread only.
class RecoveryPrompt : public MessageBar
{
    Q_OBJECT
public:
    RecoveryPrompt(RunMonitor *monitor, QWidget *parent = nullptr);

    // Reads the interrupted runs again (also done on every store change once started).
    void refresh();
    // The interrupted runs offered, newest first (the bar names the first).
    QList<RunRecord> offered() const { return m_offered; }
    void dismiss(qint64 runId);
    // A read is under way (refreshed() follows).
    bool isReading() const { return m_reading; }

Q_SIGNALS:
    void offeredChanged();
    // A read of the store finished (offered() is up to date with it).
    void refreshed();

private:
    void show(const QList<RunRecord> &interrupted);
    QString settingsKey() const;
    QStringList dismissed() const;

    RunMonitor *m_monitor;
    QList<RunRecord> m_offered;
    bool m_reading = false;
    bool m_readAgain = false;
};

} // namespace pw
