#include "waitfilerunner.h"

#include <QDateTime>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>
#include <limits>

namespace pw {

struct WaitFileRunner::Sensor
{
    AttemptSpec spec;
    AttemptCallbacks callbacks;
    qint64 started = 0;
    QTimer poke;     // every poke_interval
    QTimer stable;   // once, when a seen file will have been stable for stable_for
    QTimer deadline; // the task's timeout
    bool seen = false;
    qint64 size = -1;
    qint64 mtime = 0;
    qint64 unchangedSince = 0;
};

namespace {

QString keyString(const AttemptKey &k)
{
    return QString::number(k.runId) + QLatin1Char('/') + k.task + QLatin1Char('/')
        + QString::number(k.attempt);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Qt timers take an int: longer intervals are clamped (about 24 days).
int timerMs(qint64 ms)
{
    return int(std::clamp<qint64>(ms, 0, std::numeric_limits<int>::max()));
}

} // namespace

WaitFileRunner::WaitFileRunner(QObject *parent) : QObject(parent) { }

WaitFileRunner::~WaitFileRunner() = default;

void WaitFileRunner::start(const AttemptSpec &spec, const AttemptCallbacks &callbacks)
{
    const QString key = keyString(spec.key);
    auto s = std::make_shared<Sensor>();
    s->spec = spec;
    s->callbacks = callbacks;
    s->started = nowMs();
    m_active.insert(key, s);
    s->poke.setTimerType(Qt::PreciseTimer);
    s->poke.setInterval(timerMs(spec.task.waitFile.pokeInterval()));
    connect(&s->poke, &QTimer::timeout, this, [this, key] { check(key); });
    s->poke.start();
    s->stable.setSingleShot(true);
    connect(&s->stable, &QTimer::timeout, this, [this, key] { check(key); });
    if (spec.timeoutMs) {
        s->deadline.setSingleShot(true);
        connect(&s->deadline, &QTimer::timeout, this,
            [this, key] { finish(key, AttemptState::Failed, AttemptError::timeout()); });
        s->deadline.start(timerMs(*spec.timeoutMs));
    }
    // The first check at once, from the event loop (finished() never runs inside start()).
    QMetaObject::invokeMethod(
        this, [this, key] { check(key); }, Qt::QueuedConnection);
}

void WaitFileRunner::cancel(const AttemptKey &key)
{
    const QString k = keyString(key);
    if (!m_active.contains(k))
        return;
    QMetaObject::invokeMethod(
        this, [this, k] { finish(k, AttemptState::Cancelled, AttemptError::cancelled()); },
        Qt::QueuedConnection);
}

void WaitFileRunner::check(const QString &key)
{
    const auto s = m_active.value(key);
    if (!s)
        return;
    const QFileInfo fi(s->spec.waitPath); // no cache: stat now
    const qint64 t = nowMs();
    if (!fi.exists()) {
        s->seen = false;
        s->stable.stop();
        return;
    }
    const qint64 size = fi.size();
    const qint64 mtime = fi.lastModified().toMSecsSinceEpoch();
    if (!s->seen || size != s->size || mtime != s->mtime) {
        s->seen = true;
        s->size = size;
        s->mtime = mtime;
        s->unchangedSince = t;
    }
    const qint64 stableFor = s->spec.task.waitFile.stableFor();
    const qint64 left = s->unchangedSince + stableFor - t;
    if (left <= 0) {
        finish(key, AttemptState::Succeeded, {});
        return;
    }
    if (left < s->poke.remainingTime() || s->poke.remainingTime() < 0)
        s->stable.start(timerMs(left));
}

void WaitFileRunner::finish(const QString &key, AttemptState state, const AttemptError &error)
{
    const auto s = m_active.take(key);
    if (!s)
        return;
    s->poke.stop();
    s->stable.stop();
    s->deadline.stop();
    AttemptOutcome o;
    o.state = state;
    o.error = error;
    o.started = s->started;
    o.ended = nowMs();
    const auto finished = s->callbacks.finished;
    // The timers may be the caller up the stack: delete them later.
    QMetaObject::invokeMethod(
        this, [s] {}, Qt::QueuedConnection);
    finished(o);
}

QString WaitFileRunner::waitingDetail(const QString &path)
{
    return QStringLiteral("waiting for ") + path;
}

QString WaitFileRunner::waitingDetail(const QString &path, qint64 lastCheck, qint64 now)
{
    const qint64 s = std::max<qint64>(0, (now - lastCheck) / 1000);
    const QString ago = s < 3600
        ? QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'))
        : QStringLiteral("%1:%2:%3")
              .arg(s / 3600)
              .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'))
              .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("waiting for %1 (checked %2 ago)").arg(path, ago);
}

qint64 WaitFileRunner::lastCheck(qint64 waitStarted, qint64 pokeIntervalMs, qint64 now)
{
    if (now <= waitStarted || pokeIntervalMs <= 0)
        return waitStarted;
    return waitStarted + (now - waitStarted) / pokeIntervalMs * pokeIntervalMs;
}

} // namespace pw
