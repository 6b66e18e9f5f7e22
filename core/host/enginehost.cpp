#include "enginehost.h"

#include "notify/notifier.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QLoggingCategory>

namespace pw {

namespace {

Q_LOGGING_CATEGORY(lcHost, "pw.core.host")

} // namespace

EngineHost::EngineHost(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{ }

EngineHost::~EngineHost()
{
    shutdown();
}

Result<StoreLocation> EngineHost::locate(const Options &options)
{
    return StoreLocation::resolve(options.home, options.db);
}

Result<void> EngineHost::start()
{
    shutdown();
    PW_TRY_ASSIGN(location, locate(m_options));
    m_location = location;

    EngineConfig config = m_options.engine;
    config.home = m_location.home;
    config.historyPath = m_location.historyPath;
    if (m_options.maxParallel > 0)
        config.maxParallel = m_options.maxParallel;
    m_engine = std::make_unique<Engine>(config);
    connect(m_engine.get(), &Engine::fatalError, this, &EngineHost::fatalError);
    if (auto ok = m_engine->start(); !ok) {
        m_engine.reset();
        return ok;
    }
    if (m_options.notifications) {
        m_notifier = std::make_unique<Notifier>(m_engine.get(), Notifier::Options{});
        if (auto ok = m_notifier->start(); !ok) {
            qCWarning(lcHost) << "notifications are off:" << ok.error().message;
            m_notifier.reset();
            Q_EMIT notificationsOff(ok.error().message);
        }
    }
    return {};
}

Result<Scheduler *> EngineHost::startScheduler(Scheduler::Options options)
{
    if (!isRunning())
        return fail(QStringLiteral("the engine is not running"));
    m_scheduler = std::make_unique<Scheduler>(m_engine.get(), std::move(options));
    if (m_notifier)
        connect(
            m_scheduler.get(), &Scheduler::flowPaused, m_notifier.get(), &Notifier::notifyPaused);
    if (auto ok = m_scheduler->start(); !ok) {
        m_scheduler.reset();
        return Unexpected(ok.error());
    }
    return m_scheduler.get();
}

void EngineHost::shutdown(int notifyGraceMs)
{
    if (m_scheduler) {
        m_scheduler->stop();
        m_scheduler.reset();
    }
    if (m_notifier) {
        // Hooks of runs that just ended are on their way: let them finish (bounded).
        QDeadlineTimer grace(notifyGraceMs);
        while (m_notifier->pendingDeliveries() > 0 && !grace.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        m_notifier->stop();
        m_notifier.reset();
    }
    if (m_engine) {
        m_engine->shutdown();
        m_engine.reset();
    }
}

} // namespace pw
