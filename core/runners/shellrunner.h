#pragma once

#include "runner.h"

#include <QHash>
#include <QObject>

#include <memory>

class QThreadPool;

namespace pw {

// Runs `shell` attempts (DESIGN §3): `/bin/sh -c COMMAND` in its own session and process
// group (setsid in the child), working directory and environment from the AttemptSpec,
// stdout+stderr read from one pipe and appended to the attempt's log file (AttemptLog: made on
// the first byte, capped at logLimit()). A log that cannot be made or written ends the attempt
// with an Environment error. Timeout or cancel: SIGTERM to the whole
// group, the grace period, then SIGKILL; stray background processes left in the group when the
// shell exits are terminated the same way, so no grandchild outlives its attempt.
//
// Thread rules: lives on the engine thread; each attempt blocks one thread of the engine's
// QThreadPool (QProcess::waitFor* in a pool thread) and posts its callbacks back to this
// object's thread with queued invocations.
class ShellRunner : public QObject, public Runner
{
    Q_OBJECT
public:
    explicit ShellRunner(QThreadPool *pool, QObject *parent = nullptr);
    ~ShellRunner() override;

    void start(const AttemptSpec &spec, const AttemptCallbacks &callbacks) override;
    void cancel(const AttemptKey &key) override;
    int activeCount() const override { return int(m_active.size()); }

    // The most bytes of output an attempt's log keeps (config.yaml `log_limit`); attempts
    // started later use it.
    void setLogLimit(qint64 bytes) { m_logLimit = bytes; }
    qint64 logLimit() const { return m_logLimit; }

    struct Control;

private:
    QThreadPool *m_pool;
    qint64 m_logLimit;
    QHash<QString, std::shared_ptr<Control>> m_active; // by "run/task/attempt"
};

} // namespace pw
