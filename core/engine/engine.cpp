#include "engine.h"
#include "secrets.h"

#include "history/historystore.h"

#include "enginecore.h"
#include "home.h"
#include "platform/processinfo.h"

#include <QCoreApplication>
#include <QPromise>
#include <QThread>

namespace pw {

namespace {

template<typename T>
QFuture<T> readyFuture(T value)
{
    QPromise<T> p;
    p.start();
    p.addResult(std::move(value));
    p.finish();
    return p.future();
}

} // namespace

Engine::Engine(EngineConfig config, QObject *parent) : QObject(parent), m_config(std::move(config))
{
    qRegisterMetaType<pw::EngineEvent>();
    qRegisterMetaType<pw::EngineEvents>();
    qRegisterMetaType<pw::RunState>();
    if (m_config.user.isEmpty()) {
        QString user = qEnvironmentVariable("USER");
        if (user.isEmpty())
            user = QStringLiteral("unknown");
        m_config.user = user + QLatin1Char('@') + ProcessInfo::hostName();
    }
}

Engine::~Engine()
{
    shutdown();
}

Result<void> Engine::start()
{
    if (m_thread)
        return {};
    // Before any run: every secret this process can see is masked wherever it could show.
    if (!m_config.home.isEmpty())
        Secrets::makeKnown(Home(m_config.home));
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("pw-engine"));
    m_core = new EngineCore(m_config);
    m_core->moveToThread(m_thread);
    connect(m_core, &EngineCore::events, this, &Engine::events);
    connect(m_core, &EngineCore::runFinished, this, &Engine::runFinished);
    connect(m_core, &EngineCore::fatalError, this, &Engine::fatalError);
    m_thread->start();
    Result<qint64> r = fail(QStringLiteral("engine did not start"));
    EngineCore *core = m_core;
    QMetaObject::invokeMethod(
        core, [&r, core] { r = core->init(); }, Qt::BlockingQueuedConnection);
    if (!r) {
        shutdown();
        return Unexpected(r.error());
    }
    m_ownerId = *r;
    return {};
}

void Engine::shutdown()
{
    if (!m_thread)
        return;
    EngineCore *core = m_core;
    QThread *home = QThread::currentThread();
    // Shut down on the engine thread, then bring the object here so it is deleted where its
    // timers live.
    QMetaObject::invokeMethod(
        core,
        [core, home] {
            core->shutdown();
            core->moveToThread(home);
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete core;
    delete m_thread;
    m_thread = nullptr;
    m_core = nullptr;
}

bool Engine::isRunning() const
{
    return m_thread != nullptr;
}

QString Engine::historyPath() const
{
    return m_config.location().historyPath;
}

int Engine::busyTimeoutMs() const
{
    return m_config.busyTimeoutMs > 0 ? m_config.busyTimeoutMs
                                      : Home(m_config.home).storeBusyTimeoutMs();
}

Result<std::unique_ptr<HistoryStore>> Engine::openStore(const QString &path) const
{
    HistoryStore::Options o;
    o.path = path.isEmpty() ? historyPath() : path;
    o.busyTimeoutMs = busyTimeoutMs();
    return HistoryStore::open(o);
}

qint64 Engine::ownerId() const
{
    return m_ownerId;
}

QFuture<Result<qint64>> Engine::submit(const RunRequest &request)
{
    if (!m_core)
        return readyFuture(Result<qint64>(fail(QStringLiteral("engine is not running"))));
    auto promise = std::make_shared<QPromise<Result<qint64>>>();
    promise->start();
    EngineCore *core = m_core;
    QMetaObject::invokeMethod(
        core,
        [core, promise, request] {
            // Dead owners first (their runs then read as interrupted and can be recovered).
            core->afterTakeovers([core, promise, request] {
                Result<qint64> r = core->submit(request);
                // Answer only once the new try is committed.
                if (!core->flushNow() && r)
                    r = failEnvironment(QStringLiteral("the history store failed"));
                promise->addResult(std::move(r));
                promise->finish();
            });
        },
        Qt::QueuedConnection);
    return promise->future();
}

namespace {

// Resolves a command's future now, or once the owner of the run answered its request row.
void answer(EngineCore *core, const std::shared_ptr<QPromise<Result<void>>> &promise,
    Result<void> r, qint64 requestId)
{
    if (r && requestId > 0) {
        core->awaitRequest(requestId, [promise](const Result<void> &answer) {
            promise->addResult(answer);
            promise->finish();
        });
        return;
    }
    promise->addResult(std::move(r));
    promise->finish();
}

} // namespace

QFuture<Result<void>> Engine::cancel(qint64 runId, const QString &task)
{
    if (!m_core)
        return readyFuture(Result<void>(fail(QStringLiteral("engine is not running"))));
    auto promise = std::make_shared<QPromise<Result<void>>>();
    promise->start();
    EngineCore *core = m_core;
    QMetaObject::invokeMethod(
        core,
        [core, promise, runId, task] {
            core->afterTakeovers([core, promise, runId, task] {
                qint64 requestId = 0;
                Result<void> r = core->cancel(runId, task, &requestId);
                core->flushNow();
                answer(core, promise, std::move(r), requestId);
            });
        },
        Qt::QueuedConnection);
    return promise->future();
}

QFuture<Result<void>> Engine::mark(qint64 runId, const QString &task, TaskState state)
{
    if (!m_core)
        return readyFuture(Result<void>(fail(QStringLiteral("engine is not running"))));
    auto promise = std::make_shared<QPromise<Result<void>>>();
    promise->start();
    EngineCore *core = m_core;
    const QString who = m_config.user;
    QMetaObject::invokeMethod(
        core,
        [core, promise, runId, task, state, who] {
            core->afterTakeovers([core, promise, runId, task, state, who] {
                qint64 requestId = 0;
                Result<void> r = core->mark(runId, task, state, who, &requestId);
                if (!core->flushNow() && r)
                    r = failEnvironment(QStringLiteral("the history store failed"));
                answer(core, promise, std::move(r), requestId);
            });
        },
        Qt::QueuedConnection);
    return promise->future();
}

QFuture<int> Engine::activeRunCount()
{
    if (!m_core)
        return readyFuture(0);
    auto promise = std::make_shared<QPromise<int>>();
    promise->start();
    EngineCore *core = m_core;
    QMetaObject::invokeMethod(
        core,
        [core, promise] {
            promise->addResult(core->activeRunCount());
            promise->finish();
        },
        Qt::QueuedConnection);
    return promise->future();
}

} // namespace pw
