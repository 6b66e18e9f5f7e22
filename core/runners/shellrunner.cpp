#include "shellrunner.h"

#include "attemptlog.h"
#include "outputfiles.h"

#include "platform/childenvironment.h"
#include "platform/grouptermination.h"
#include "platform/processinfo.h"

#include <QDateTime>
#include <QDeadlineTimer>
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
    qint64 logLimit = AttemptLog::kDefaultLimit;
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

// Ends the attempt's group by the platform's rule (terminateGroups: SIGTERM, grace, SIGKILL),
// waiting on `leader` between steps so QProcess reaps it as soon as it exits, then reaps it.
// `drain` takes what the leader's output pipe gave meanwhile (the steps are 20 ms apart).
void endGroup(
    QProcess &leader, const ProcessGroup &group, qint64 graceMs, const std::function<void()> &drain)
{
    terminateGroups({group}, graceMs, [&leader, &drain](qint64 ms) {
        if (leader.state() != QProcess::NotRunning)
            leader.waitForFinished(int(ms));
        else
            QThread::msleep(ms);
        drain();
    });
    while (leader.state() != QProcess::NotRunning) {
        leader.waitForFinished(100);
        drain();
    }
    drain();
}

// The SpawnGate from the child's side. Qt 6.4 forks with vfork semantics (the parent thread
// waits until the child has exec'd), so the child cannot be held before exec; it is held right
// after instead, by this prefix of the shell's command line: nothing of the command runs before
// the shell has read "go" on its stdin (a pipe only the runner writes). End of file — the runner
// died or refused — exits 125 without running the command. The command follows on the same
// line, in the same shell (one exec per attempt, as `/bin/sh -c COMMAND`: a second shell
// exec'd after the gate cost a fifth of an attempt of `true`), with stdin from /dev/null, the
// same $0, no positional parameters and the same line numbers in its messages. The shell parses
// a whole line before it runs any of it, so a syntax error on the command's first line ends it
// (exit 2, the same message) before the gate — with nothing run either way.
const QString kGatePrefix = QStringLiteral(
    "IFS= read -r pw_gate || exit 125; [ \"$pw_gate\" = go ] || exit 125; unset pw_gate; "
    "exec </dev/null; ");

AttemptOutcome runShell(const AttemptSpec &spec, ShellRunner::Control &ctl,
    const std::function<void(qint64, qint64, std::shared_ptr<SpawnGate>)> &reportStarted);

// Runs one attempt with its declared outputs (OutputFiles): leftovers of earlier attempts of
// the run removed first; the temporary files renamed onto the outputs only when the command
// succeeded, removed otherwise. Never throws.
AttemptOutcome runWithOutputs(const AttemptSpec &spec, ShellRunner::Control &ctl,
    const std::function<void(qint64, qint64, std::shared_ptr<SpawnGate>)> &reportStarted)
{
    if (spec.outputs.isEmpty())
        return runShell(spec, ctl, reportStarted);
    if (auto err = OutputFiles::prepare(spec.outputs, spec.key.runId)) {
        AttemptOutcome out;
        out.started = out.ended = nowMs();
        out.error = *err;
        return out;
    }
    AttemptOutcome out = runShell(spec, ctl, reportStarted);
    if (out.state != AttemptState::Succeeded) {
        OutputFiles::discard(spec.outputs);
        return out;
    }
    if (auto err = OutputFiles::commit(spec.outputs)) {
        out.state = AttemptState::Failed;
        out.error = *err;
        out.ended = nowMs();
    }
    return out;
}

// Runs one attempt to completion on a pool thread. Never throws.
AttemptOutcome runShell(const AttemptSpec &spec, ShellRunner::Control &ctl,
    const std::function<void(qint64, qint64, std::shared_ptr<SpawnGate>)> &reportStarted)
{
    AttemptOutcome out;
    out.started = nowMs();
    auto fail = [&](AttemptError error) {
        out.state = AttemptState::Failed;
        out.error = std::move(error);
        out.ended = nowMs();
        return out;
    };

    if (!QFileInfo(spec.workdir).isDir())
        return fail(AttemptError::spawn(
            QStringLiteral("working directory '%1' does not exist").arg(spec.workdir)));

    QProcess proc;
    proc.setProgram(QStringLiteral("/bin/sh"));
    proc.setWorkingDirectory(spec.workdir);
    // No secret of Pipewright's own: the sql runner passes its connection's URL on stdin.
    QProcessEnvironment env = ChildEnvironment::make();
    for (auto it = spec.env.cbegin(); it != spec.env.cend(); ++it)
        env.insert(it.key(), it.value());
    proc.setProcessEnvironment(env);
    // stdout and stderr share one pipe, so the log keeps them in the order they were written.
    // The log file (and its directory) is made on the first byte: most tasks print nothing.
    AttemptLog log(spec.logPath, ctl.logLimit);
    std::optional<AttemptError> logError;
    bool outputOpen = !spec.logPath.isEmpty();
    if (outputOpen) {
        proc.setProcessChannelMode(QProcess::MergedChannels);
        // The child closed its end (or exited): waitForReadyRead() would return at once.
        QObject::connect(
            &proc, &QProcess::readChannelFinished, [&outputOpen] { outputOpen = false; });
    } else {
        proc.setStandardOutputFile(QProcess::nullDevice());
        proc.setStandardErrorFile(QProcess::nullDevice());
    }
    // Takes what the pipe holds; past the log's limit, or once the log failed, it is discarded
    // (the child must never block on a full pipe).
    auto drain = [&] {
        const QByteArray data = proc.readAllStandardOutput();
        if (!logError)
            logError = log.append(data);
    };
    if (ctl.cancel.load()) {
        out.state = AttemptState::Cancelled;
        out.error = AttemptError::cancelled();
        out.ended = nowMs();
        return out;
    }
    if (spec.program.isEmpty()) {
        proc.setArguments({QStringLiteral("-c"), kGatePrefix + spec.command});
    } else { // it holds itself at the gate
        proc.setProgram(spec.program);
        proc.setArguments(spec.arguments);
    }
    proc.setChildProcessModifier([] { ::setsid(); });
    proc.start();
    if (!proc.waitForStarted(30000))
        return fail(AttemptError::spawn(proc.errorString()));
    const pid_t pgid = pid_t(proc.processId());
    // Our own unreaped child leads the group, so this start time stays its own until we reap it.
    const ProcessGroup group{pgid, ProcessInfo::startTime(pgid)};
    // The child is held: nothing of the command runs until the engine has recorded its group.
    auto spawnGate = std::make_shared<SpawnGate>();
    reportStarted(pgid, group.leaderStart, spawnGate);
    if (spawnGate->wait(ctl.cancel) != SpawnGate::Decision::Open) {
        ::kill(-pgid, SIGKILL);
        proc.waitForFinished(-1); // held at the gate, it wrote nothing
        out.ended = nowMs();
        out.state = AttemptState::Cancelled;
        out.error = ctl.cancel.load()
            ? AttemptError::cancelled()
            : AttemptError::cancelled(QStringLiteral("the engine could not record the process"));
        return out;
    }
    proc.write("go\n", 3);
    if (!spec.input.isEmpty())
        proc.write(spec.input);
    while (proc.bytesToWrite() > 0 && proc.waitForBytesWritten(5000)) { }
    proc.closeWriteChannel();

    QDeadlineTimer deadline
        = spec.timeoutMs ? QDeadlineTimer(*spec.timeoutMs) : QDeadlineTimer::Forever;
    bool timedOut = false;
    bool cancelled = false;
    while (proc.state() != QProcess::NotRunning && !logError) {
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
        if (outputOpen)
            proc.waitForReadyRead(int(slice));
        else
            proc.waitForFinished(int(slice));
        drain();
    }

    if (cancelled || timedOut || logError) {
        endGroup(proc, group, spec.killGraceMs, drain);
        out.ended = nowMs();
        if (logError) { // this machine cannot keep logs: the engine stops
            out.state = AttemptState::Failed;
            out.error = *logError;
            return out;
        }
        out.state = cancelled ? AttemptState::Cancelled : AttemptState::Failed;
        out.error = cancelled ? AttemptError::cancelled() : AttemptError::timeout();
        return out;
    }

    // The shell is done; anything it left running in its group goes too.
    if (ProcessInfo::groupAlive(pgid))
        endGroup(proc, group, spec.killGraceMs, drain);
    drain();
    if (!logError)
        logError = log.finish();
    if (logError) {
        out.ended = nowMs();
        out.state = AttemptState::Failed;
        out.error = *logError;
        return out;
    }

    out.ended = nowMs();
    if (proc.exitStatus() == QProcess::CrashExit) {
        out.state = AttemptState::Failed;
        out.error = AttemptError::signal(proc.exitCode());
        return out;
    }
    out.exitCode = proc.exitCode();
    if (*out.exitCode == 0) {
        out.state = AttemptState::Succeeded;
    } else {
        out.state = AttemptState::Failed;
        out.error = AttemptError::exit(*out.exitCode);
    }
    return out;
}

} // namespace

ShellRunner::ShellRunner(QThreadPool *pool, QObject *parent)
    : QObject(parent), m_pool(pool), m_logLimit(AttemptLog::kDefaultLimit)
{ }

ShellRunner::~ShellRunner()
{
    for (const auto &c : std::as_const(m_active))
        c->cancel = true;
    m_pool->waitForDone();
}

void ShellRunner::start(const AttemptSpec &spec, const AttemptCallbacks &callbacks)
{
    auto ctl = std::make_shared<Control>();
    ctl->logLimit = m_logLimit;
    const QString key = keyString(spec.key);
    m_active.insert(key, ctl);
    QPointer<ShellRunner> self(this);
    m_pool->start([self, spec, callbacks, ctl, key] {
        AttemptOutcome outcome;
        auto reportStarted = [&](qint64 pgid, qint64 procStart, std::shared_ptr<SpawnGate> gate) {
            if (!self) {
                gate->refuse();
                return;
            }
            QMetaObject::invokeMethod(
                self.data(),
                [callbacks, pgid, procStart, gate] {
                    if (callbacks.started)
                        callbacks.started(pgid, procStart, gate);
                    else
                        gate->open();
                },
                Qt::QueuedConnection);
        };
        try {
            outcome = runWithOutputs(spec, *ctl, reportStarted);
        } catch (const std::exception &e) {
            outcome.state = AttemptState::Failed;
            outcome.error = AttemptError::spawn(
                QStringLiteral("internal error: ") + QString::fromLocal8Bit(e.what()));
            outcome.ended = nowMs();
        } catch (...) {
            outcome.state = AttemptState::Failed;
            outcome.error = AttemptError::spawn(QStringLiteral("internal error"));
            outcome.ended = nowMs();
        }
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, callbacks, outcome, key] {
                if (self)
                    self->m_active.remove(key);
                callbacks.finished(outcome);
            },
            Qt::QueuedConnection);
    });
}

void ShellRunner::cancel(const AttemptKey &key)
{
    if (auto c = m_active.value(keyString(key)))
        c->cancel = true;
}

} // namespace pw
