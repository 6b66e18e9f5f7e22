#include "shellrunner.h"

#include "processinfo.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QProcess>
#include <QThread>
#include <QThreadPool>

#include <atomic>
#include <csignal>
#include <unistd.h>

namespace pw {

struct ShellRunner::Control
{
    std::atomic<bool> cancel{false};
};

namespace {

QString keyString(const AttemptKey &k)
{
    return QString::number(k.runId) + QLatin1Char('/') + k.task + QLatin1Char('/')
           + QString::number(k.attempt);
}

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

// Waits until no process of group `pgid` is left, up to `timeoutMs`.
bool waitGroupGone(pid_t pgid, qint64 timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (ProcessInfo::groupAlive(pgid)) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(20);
    }
    return true;
}

// SIGTERM to the group, grace, SIGKILL. `leader` is reaped by QProcess when it exits.
void terminateGroup(QProcess &leader, pid_t pgid, qint64 graceMs)
{
    ::kill(-pgid, SIGTERM);
    QDeadlineTimer deadline(graceMs);
    if (leader.state() != QProcess::NotRunning)
        leader.waitForFinished(int(std::max<qint64>(1, deadline.remainingTime())));
    if (!waitGroupGone(pgid, std::max<qint64>(0, deadline.remainingTime())))
        ::kill(-pgid, SIGKILL);
    if (leader.state() != QProcess::NotRunning)
        leader.waitForFinished(-1);
    waitGroupGone(pgid, 2000);
}

// Runs one attempt to completion on a pool thread. Never throws.
AttemptOutcome runShell(const AttemptSpec &spec, ShellRunner::Control &ctl,
                        const std::function<void(qint64, qint64)> &reportStarted)
{
    AttemptOutcome out;
    out.started = nowMs();
    auto fail = [&](const QString &error) {
        out.state = AttemptState::Failed;
        out.error = error;
        out.ended = nowMs();
        return out;
    };

    if (!QFileInfo(spec.workdir).isDir())
        return fail(QStringLiteral("spawn: working directory '%1' does not exist").arg(spec.workdir));

    QProcess proc;
    proc.setProgram(QStringLiteral("/bin/sh"));
    proc.setArguments({QStringLiteral("-c"), spec.command});
    proc.setWorkingDirectory(spec.workdir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (auto it = spec.env.cbegin(); it != spec.env.cend(); ++it)
        env.insert(it.key(), it.value());
    proc.setProcessEnvironment(env);
    proc.setStandardInputFile(QProcess::nullDevice());
    if (spec.logPath.isEmpty()) {
        proc.setStandardOutputFile(QProcess::nullDevice());
        proc.setStandardErrorFile(QProcess::nullDevice());
    } else {
        if (!QDir().mkpath(QFileInfo(spec.logPath).absolutePath()))
            return fail(QStringLiteral("environment: cannot create the log directory for '%1'").arg(spec.logPath));
        proc.setProcessChannelMode(QProcess::MergedChannels);
        proc.setStandardOutputFile(spec.logPath, QIODevice::Append);
    }
    proc.setChildProcessModifier([] { ::setsid(); });

    proc.start();
    if (!proc.waitForStarted(30000))
        return fail(QStringLiteral("spawn: ") + proc.errorString());

    const pid_t pgid = pid_t(proc.processId());
    reportStarted(pgid, ProcessInfo::startTime(pgid));

    QDeadlineTimer deadline = spec.timeoutMs ? QDeadlineTimer(*spec.timeoutMs) : QDeadlineTimer::Forever;
    bool timedOut = false;
    bool cancelled = false;
    while (proc.state() != QProcess::NotRunning) {
        if (ctl.cancel.load()) {
            cancelled = true;
            break;
        }
        if (deadline.hasExpired()) {
            timedOut = true;
            break;
        }
        qint64 slice = 100;
        if (!deadline.isForever())
            slice = std::clamp<qint64>(deadline.remainingTime(), 1, 100);
        proc.waitForFinished(int(slice));
    }

    if (cancelled || timedOut) {
        terminateGroup(proc, pgid, spec.killGraceMs);
        out.ended = nowMs();
        out.state = cancelled ? AttemptState::Cancelled : AttemptState::Failed;
        out.error = cancelled ? QStringLiteral("cancelled") : QStringLiteral("timeout");
        return out;
    }

    // The shell is done; anything it left running in its group goes too.
    if (ProcessInfo::groupAlive(pgid))
        terminateGroup(proc, pgid, spec.killGraceMs);

    out.ended = nowMs();
    if (proc.exitStatus() == QProcess::CrashExit) {
        out.state = AttemptState::Failed;
        out.error = QStringLiteral("signal:") + QString::number(proc.exitCode());
        return out;
    }
    out.exitCode = proc.exitCode();
    if (*out.exitCode == 0) {
        out.state = AttemptState::Succeeded;
    } else {
        out.state = AttemptState::Failed;
        out.error = QStringLiteral("exit:") + QString::number(*out.exitCode);
    }
    return out;
}

} // namespace

ShellRunner::ShellRunner(QThreadPool *pool, QObject *parent)
    : QObject(parent), m_pool(pool)
{}

ShellRunner::~ShellRunner()
{
    for (const auto &c : std::as_const(m_active))
        c->cancel = true;
    m_pool->waitForDone();
}

void ShellRunner::start(const AttemptSpec &spec, const AttemptCallbacks &callbacks)
{
    auto ctl = std::make_shared<Control>();
    const QString key = keyString(spec.key);
    m_active.insert(key, ctl);
    QPointer<ShellRunner> self(this);
    m_pool->start([self, spec, callbacks, ctl, key] {
        AttemptOutcome outcome;
        auto reportStarted = [&](qint64 pgid, qint64 procStart) {
            if (!self)
                return;
            QMetaObject::invokeMethod(self.data(), [callbacks, pgid, procStart] {
                if (callbacks.started)
                    callbacks.started(pgid, procStart);
            }, Qt::QueuedConnection);
        };
        try {
            outcome = runShell(spec, *ctl, reportStarted);
        } catch (const std::exception &e) {
            outcome.state = AttemptState::Failed;
            outcome.error = QStringLiteral("spawn: internal error: ") + QString::fromLocal8Bit(e.what());
            outcome.ended = nowMs();
        } catch (...) {
            outcome.state = AttemptState::Failed;
            outcome.error = QStringLiteral("spawn: internal error");
            outcome.ended = nowMs();
        }
        if (!self)
            return;
        QMetaObject::invokeMethod(self.data(), [self, callbacks, outcome, key] {
            if (self)
                self->m_active.remove(key);
            callbacks.finished(outcome);
        }, Qt::QueuedConnection);
    });
}

void ShellRunner::cancel(const AttemptKey &key)
{
    if (auto c = m_active.value(keyString(key)))
        c->cancel = true;
}

} // namespace pw
