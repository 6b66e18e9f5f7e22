#pragma once

#include "runner.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace pw {

// Runs `wait_file` sensors (issue 10): waits until AttemptSpec::waitPath exists and its size
// and modification time have not changed for the task's `stable_for` (default 0: existing is
// enough). It checks at once, then every `poke_interval` counted from the start of the wait
// (start + k * interval, so an observer can tell when the last check was: lastCheck()), and
// once more when a seen file will have been stable long enough. The attempt's timeout bounds
// the wait (it then fails with `timeout`, which `retry_on: [timeout]` matches); cancel ends it
// at once.
//
// A waiting sensor holds no worker thread and no slot (TaskQueue::Item::holdsSlot): it is a
// few timers on the engine thread, and a check is one stat() there. It starts no process, so
// there is nothing for a takeover to end: a dead owner's waiting sensor is just marked
// interrupted.
//
// Thread rules: lives on the engine thread and is only called there; finished() is always
// called from the event loop (never from within start() or cancel()).
class WaitFileRunner : public QObject, public Runner
{
    Q_OBJECT
public:
    explicit WaitFileRunner(QObject *parent = nullptr);
    ~WaitFileRunner() override;

    void start(const AttemptSpec &spec, const AttemptCallbacks &callbacks) override;
    void cancel(const AttemptKey &key) override;
    int activeCount() const override { return int(m_active.size()); }

    // The task detail of a waiting sensor, recorded with its `running` state.
    static QString waitingDetail(const QString &path);
    // The detail an observer shows: "waiting for PATH (checked 0:12 ago)", given the time of
    // the last check (ms since epoch) and now.
    static QString waitingDetail(const QString &path, qint64 lastCheck, qint64 now);
    // When the last check was, for a wait that started at `waitStarted` (the time of the
    // task's `running` event) with `pokeIntervalMs`.
    static qint64 lastCheck(qint64 waitStarted, qint64 pokeIntervalMs, qint64 now);

    struct Sensor;

private:
    void check(const QString &key);
    void finish(const QString &key, AttemptState state, const AttemptError &error);

    QHash<QString, std::shared_ptr<Sensor>> m_active; // by "run/task/attempt"
};

} // namespace pw
