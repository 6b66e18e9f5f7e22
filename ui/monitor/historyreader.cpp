#include "historyreader.h"

#include "history/historystore.h"
#include "monitorlogging.h"

#include <QFileInfo>

namespace pw {

HistoryReader::HistoryReader(QString historyPath, QObject *parent)
    : QObject(parent), m_path(std::move(historyPath)), m_storePath(m_path)
{
    // One thread that never expires: the connection lives in it for the reader's lifetime.
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &HistoryReader::poll);
    m_timer.start();
}

HistoryReader::~HistoryReader()
{
    m_timer.stop();
    // Close the connection on the thread that opened it.
    m_pool.start([this] { m_store.reset(); });
    m_pool.waitForDone();
}

void HistoryReader::setPollInterval(int ms)
{
    if (ms <= 0) {
        m_timer.stop();
        return;
    }
    m_timer.setInterval(ms);
    m_timer.start();
}

QString HistoryReader::lastError() const
{
    QMutexLocker lock(&m_errorLock);
    return m_error;
}

void HistoryReader::setBusyTimeoutMs(int ms)
{
    if (ms <= 0 || ms == m_busyTimeoutMs.load())
        return;
    m_busyTimeoutMs.store(ms);
    m_pool.start([this] { m_store.reset(); }); // reopened with the new timeout by the next read
}

void HistoryReader::setHistoryPath(const QString &path)
{
    if (path == m_path)
        return;
    m_path = path;
    m_version = -1;
    // In order with the reads: the reads queued before still see the old store.
    m_pool.start([this, path] {
        m_store.reset();
        m_storePath = path;
    });
    poll();
}

HistoryStore *HistoryReader::store()
{
    if (m_store)
        return m_store.get();
    if (m_storePath.isEmpty())
        return nullptr;
    if (!QFileInfo::exists(m_storePath)) {
        QMutexLocker lock(&m_errorLock);
        m_error = tr("No history yet (%1 does not exist)").arg(m_storePath);
        return nullptr;
    }
    HistoryStore::Options options;
    options.path = m_storePath;
    options.busyTimeoutMs = m_busyTimeoutMs.load();
    options.readOnly = true;
    auto opened = HistoryStore::open(options);
    if (!opened) {
        QMutexLocker lock(&m_errorLock);
        if (m_error != opened.error().message)
            qCWarning(lcMonitor) << "cannot read the history:" << opened.error().message;
        m_error = opened.error().message;
        return nullptr;
    }
    m_store = std::move(*opened);
    QMutexLocker lock(&m_errorLock);
    m_error.clear();
    return m_store.get();
}

void HistoryReader::poll()
{
    if (m_polling)
        return;
    m_polling = true;
    read([](HistoryStore *s) -> qint64 {
        if (!s)
            return -1;
        auto v = s->dataVersion();
        return v ? *v : -1;
    }).then(this, [this](qint64 version) {
        m_polling = false;
        if (version < 0)
            return;
        // The first successful read is a change too: the store became readable.
        const bool changedNow = version != m_version;
        m_version = version;
        if (changedNow)
            Q_EMIT changed();
    });
}

} // namespace pw
