#include "schedulerrunner.h"

#include "engine/engine.h"
#include "host/enginehost.h"
#include "notify/notifier.h"
#include "runcontroller.h"

#include <QThread>

namespace pw {

SchedulerRunner::SchedulerRunner(RunController *controller, QObject *parent)
    : QObject(parent), m_controller(controller)
{
    m_refresh.setParent(this);
    m_refresh.setInterval(1000);
    connect(&m_refresh, &QTimer::timeout, this, &SchedulerRunner::refresh);
}

SchedulerRunner::~SchedulerRunner()
{
    if (m_thread)
        finish(false);
    // At shutdown only: each worker finishes at most its current tick, so no scheduler uses the
    // engine (or answers this object) after it is gone.
    for (const QPointer<QThread> &thread : std::as_const(m_stopping)) {
        if (thread) {
            thread->wait();
            delete thread;
        }
    }
}

void SchedulerRunner::start(const QString &flowPath)
{
    if (m_thread)
        finish(false);
    if (!m_controller || !m_controller->isRunning()) {
        Q_EMIT startFailed(tr("The engine is not running."));
        return;
    }
    m_path = flowPath;
    const quint64 generation = ++m_generation;
    Scheduler::Options options;
    options.paths = {flowPath};
    options.trustHome = m_controller->home(); // a change made elsewhere pauses the flow
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("pw-scheduler"));
    m_scheduler = new Scheduler(m_controller->engine(), options);
    m_scheduler->moveToThread(m_thread);
    connect(m_scheduler, &Scheduler::runSubmitted, this, &SchedulerRunner::runSubmitted);
    if (Notifier *notifier = m_controller->host() ? m_controller->host()->notifier() : nullptr)
        connect(m_scheduler, &Scheduler::flowPaused, notifier, &Notifier::notifyPaused);
    connect(m_scheduler, &Scheduler::lockLost, this, [this, generation](const QString &message) {
        if (generation != m_generation)
            return;
        Q_EMIT lockLost(message);
        finish(true);
    });
    m_thread->start();
    Scheduler *scheduler = m_scheduler;
    QMetaObject::invokeMethod(scheduler, [this, scheduler, generation] {
        auto ok = scheduler->start();
        const QString error = ok ? QString() : ok.error().message;
        const auto status = scheduler->status();
        QMetaObject::invokeMethod(this, [this, generation, error, status] {
            if (generation != m_generation)
                return;
            if (!error.isEmpty()) {
                finish(false);
                Q_EMIT startFailed(error);
                return;
            }
            m_running = true;
            m_status = status;
            m_refresh.start();
            Q_EMIT started();
            Q_EMIT statusChanged();
        });
    });
}

void SchedulerRunner::stop()
{
    if (m_thread)
        finish(true);
}

void SchedulerRunner::refresh()
{
    if (!m_scheduler)
        return;
    Scheduler *scheduler = m_scheduler;
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(scheduler, [this, scheduler, generation] {
        const auto status = scheduler->status();
        QMetaObject::invokeMethod(this, [this, generation, status] {
            if (generation != m_generation)
                return;
            m_status = status;
            Q_EMIT statusChanged();
        });
    });
}

// Hands the scheduler and its thread over to the worker to stop and clean up; returns at once.
void SchedulerRunner::finish(bool emitStopped)
{
    ++m_generation;
    m_refresh.stop();
    m_running = false;
    m_status.clear();
    QThread *thread = m_thread;
    Scheduler *scheduler = m_scheduler;
    m_thread = nullptr;
    m_scheduler = nullptr;
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    m_stopping.removeAll(nullptr);
    m_stopping.append(thread);
    QMetaObject::invokeMethod(scheduler, [scheduler] {
        scheduler->stop();
        delete scheduler;
        QThread::currentThread()->quit();
    });
    if (emitStopped) {
        Q_EMIT stopped();
        Q_EMIT statusChanged();
    }
}

} // namespace pw
