#pragma once

#include <QFuture>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <memory>
#include <type_traits>

namespace pw {

class HistoryStore;

// The GUI's read access to the history store (DESIGN §3, §6). Owns one worker thread with its
// own read-only HistoryStore connection (connections are per thread); every read runs there, in
// order, and comes back as a QFuture — the GUI thread never waits on the database. Polls
// PRAGMA data_version every second and emits changed() when another connection (this process'
// engine, the CLI, a scheduler) committed, so views refresh within about a second.
//
// Thread rules: construct, read() and connect on the GUI thread; the functions passed to read()
// run on the reader thread and get the store, or nullptr while it cannot be opened (the file
// does not exist yet, or is unreadable: lastError() says why).
class HistoryReader : public QObject
{
    Q_OBJECT
public:
    explicit HistoryReader(QString historyPath, QObject *parent = nullptr);
    ~HistoryReader() override; // waits for the read in progress (shutdown only)

    QString historyPath() const { return m_path; }
    // Reads go to another database from now on (empty = none: reads get nullptr).
    void setHistoryPath(const QString &path);
    // The busy timeout of the reader's connection (the home's config.yaml `busy_timeout`);
    // applies from the next (re)open. Default 30 s.
    void setBusyTimeoutMs(int ms);

    // Runs f(HistoryStore *) on the reader thread; the future holds its result. Continue with
    // `.then(context, ...)` to get back to the GUI thread.
    template<typename F>
    auto read(F f) -> QFuture<std::invoke_result_t<F, HistoryStore *>>
    {
        return QtConcurrent::run(
            &m_pool, [this, f = std::move(f)]() mutable { return f(store()); });
    }

    // 0 stops polling. Default 1000 ms.
    void setPollInterval(int ms);
    // Checks data_version now (in addition to the timer).
    void poll();
    QString lastError() const;

Q_SIGNALS:
    // The store changed since the last poll (or became readable).
    void changed();

private:
    HistoryStore *store(); // reader thread only

    QString m_path;      // GUI thread's copy
    QString m_storePath; // reader thread only
    std::atomic<int> m_busyTimeoutMs{30000};
    QThreadPool m_pool;
    std::unique_ptr<HistoryStore> m_store; // reader thread only
    QString m_error;                       // reader thread writes, guarded by m_errorLock
    mutable QMutex m_errorLock;
    QTimer m_timer;
    bool m_polling = false;
    qint64 m_version = -1;
};

} // namespace pw
