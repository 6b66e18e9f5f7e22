#include "attemptlog.h"

#include "platform/privatefiles.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pw {

AttemptLog::AttemptLog(QString path, qint64 limit, QList<QByteArray> secrets)
    : m_path(std::move(path)), m_limit(limit), m_secrets(std::move(secrets))
{
    for (const QByteArray &s : std::as_const(m_secrets))
        m_hold = std::max(m_hold, s.size() - 1);
}

AttemptLog::~AttemptLog()
{
    (void)finish();
    if (m_fd >= 0)
        ::close(m_fd);
}

QString AttemptLog::formatSize(qint64 bytes)
{
    static const char *const units[] = {"GB", "MB", "KB"};
    qint64 unit = qint64(1) << 30;
    for (const char *name : units) {
        if (bytes >= unit && bytes % unit == 0)
            return QStringLiteral("%1 %2").arg(bytes / unit).arg(QLatin1String(name));
        unit >>= 10;
    }
    return QStringLiteral("%1 bytes").arg(bytes);
}

QByteArray AttemptLog::truncationLine(qint64 limit)
{
    return QStringLiteral("[pipewright] log truncated at %1; further output discarded\n")
        .arg(formatSize(limit))
        .toUtf8();
}

std::optional<AttemptError> AttemptLog::open()
{
    if (!PrivateFiles::makeDirs(QFileInfo(m_path).absolutePath()))
        return AttemptError::environment(
            QStringLiteral("cannot create the log directory for '%1'").arg(m_path));
    const QByteArray name = QFile::encodeName(m_path);
    m_fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (m_fd < 0)
        return AttemptError::environment(QStringLiteral("cannot create the log '%1': %2")
                                             .arg(m_path, QString::fromLocal8Bit(strerror(errno))));
    struct stat st;
    if (::fstat(m_fd, &st) == 0 && st.st_size > 0) {
        m_size = st.st_size;
        char last = '\n';
        if (::pread(m_fd, &last, 1, st.st_size - 1) == 1)
            m_endsWithNewline = last == '\n';
    }
    return std::nullopt;
}

std::optional<AttemptError> AttemptLog::write(const char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::write(m_fd, data, size_t(size));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return AttemptError::environment(
                QStringLiteral("cannot write the log '%1': %2")
                    .arg(m_path, QString::fromLocal8Bit(strerror(n < 0 ? errno : ENOSPC))));
        m_size += n;
        m_endsWithNewline = data[n - 1] == '\n';
        data += n;
        size -= n;
    }
    return std::nullopt;
}

std::optional<AttemptError> AttemptLog::append(const QByteArray &data)
{
    if (data.isEmpty() || m_path.isEmpty() || m_truncated || m_failed)
        return std::nullopt;
    if (m_secrets.isEmpty())
        return put(data);
    // A secret may end in a later read: what could be its beginning waits for it.
    m_pending = SecretMask::apply(m_pending + data, m_secrets);
    const qsizetype ready = std::max<qsizetype>(0, m_pending.size() - m_hold);
    const QByteArray out = m_pending.left(ready);
    m_pending.remove(0, ready);
    return put(out);
}

std::optional<AttemptError> AttemptLog::finish()
{
    const QByteArray rest = std::exchange(m_pending, QByteArray());
    if (rest.isEmpty() || m_truncated || m_failed)
        return std::nullopt;
    return put(rest);
}

std::optional<AttemptError> AttemptLog::put(const QByteArray &data)
{
    if (data.isEmpty())
        return std::nullopt;
    auto failed = [this](AttemptError e) {
        m_failed = true;
        return std::optional<AttemptError>(std::move(e));
    };
    if (m_fd < 0) {
        if (auto err = open())
            return failed(std::move(*err));
    }
    const qint64 room = std::max<qint64>(0, m_limit - m_size);
    if (data.size() <= room) {
        if (auto err = write(data.constData(), data.size()))
            return failed(std::move(*err));
        return std::nullopt;
    }
    if (auto err = write(data.constData(), room))
        return failed(std::move(*err));
    QByteArray line = truncationLine(m_limit);
    if (!m_endsWithNewline)
        line.prepend('\n');
    m_truncated = true;
    if (auto err = write(line.constData(), line.size()))
        return failed(std::move(*err));
    return std::nullopt;
}

} // namespace pw
