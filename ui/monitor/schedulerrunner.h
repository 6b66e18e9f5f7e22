#pragma once

#include "schedule/scheduler.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

class QThread;

namespace pw {

class RunController;

// Run > Run Scheduler: runs a pw::Scheduler for one flow file on the GUI's engine. Scheduler::tick
// blocks its thread briefly, so the scheduler lives on a worker thread; everything here returns at
// once and answers with signals on the GUI thread. status() is a copy of Scheduler::status(),
// refreshed every second while running (statusChanged follows each refresh).
//
// Main (GUI) thread only. The destructor stops the scheduler and joins its thread (the only wait,
// at most one tick long), so the scheduler never uses the engine after the controller is gone.
class SchedulerRunner : public QObject
{
    Q_OBJECT
public:
    explicit SchedulerRunner(RunController *controller, QObject *parent = nullptr);
    ~SchedulerRunner() override;

    // Starts a scheduler for `flowPath` (stopping one for another path first); started() or
    // startFailed(message) follows.
    void start(const QString &flowPath);
    // Stops the scheduler (releases the store's scheduler lock); stopped() follows.
    void stop();
    bool isRunning() const { return m_running; }
    bool isActive() const { return m_thread != nullptr; } // starting, running or stopping
    QString path() const { return m_path; }
    QList<Scheduler::FlowStatus> status() const { return m_status; }

Q_SIGNALS:
    void started();
    void startFailed(const QString &message);
    void stopped();
    void statusChanged();
    void runSubmitted(const QString &flowId, const QDateTime &fireTime, qint64 runId);
    void lockLost(const QString &message);

private:
    void refresh();
    void finish(bool emitStopped);

    RunController *m_controller;
    QThread *m_thread = nullptr;
    Scheduler *m_scheduler = nullptr; // lives on m_thread
    QString m_path;
    QList<Scheduler::FlowStatus> m_status;
    QList<QPointer<QThread>> m_stopping; // stopped schedulers' threads, until they end
    QTimer m_refresh;
    bool m_running = false;
    quint64 m_generation = 0; // answers of an older scheduler are dropped
};

} // namespace pw
