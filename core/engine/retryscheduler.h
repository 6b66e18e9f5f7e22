#pragma once

#include <QObject>
#include <QPair>
#include <QTimer>

#include <functional>
#include <map>
#include <vector>

namespace pw {

// Holds tasks in `retry_wait` until their due time and hands them back when due. One QTimer
// armed for the earliest due time (no timer per task, no polling). Lives on the engine thread.
// The clock is injectable so tests can move time without sleeping.
class RetryScheduler : public QObject
{
    Q_OBJECT
public:
    using Key = QPair<qint64, int>; // (run id, task index)
    using Clock = std::function<qint64()>;

    explicit RetryScheduler(QObject *parent = nullptr);
    void setClock(Clock clock) { m_clock = std::move(clock); }

    void schedule(Key key, qint64 dueAt);
    bool cancel(Key key);
    // Removes and returns every key due at `now` or earlier, earliest first.
    std::vector<Key> takeDue(qint64 now);
    int size() const { return int(m_byKey.size()); }
    qint64 nextDue() const; // 0 = none

Q_SIGNALS:
    // Emitted (from the timer) when keys became due; call takeDue() to get them.
    void due();

private:
    void rearm();

    std::multimap<qint64, Key> m_byTime;
    std::map<Key, qint64> m_byKey;
    QTimer m_timer;
    Clock m_clock;
};

} // namespace pw
