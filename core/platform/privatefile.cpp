#include "privatefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pw {

namespace {
QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}
} // namespace

Result<void> writePrivateFile(const QString &path, const QByteArray &bytes)
{
    const QByteArray tmp = QFile::encodeName(path + QStringLiteral(".tmp"));
    ::unlink(tmp.constData());
    const int fd = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(QStringLiteral("cannot write %1: %2").arg(path, errnoText()));
    bool ok = ::fchmod(fd, 0600) == 0; // whatever the umask
    for (qsizetype done = 0; ok && done < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += n > 0 ? n : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    const QString why = ok ? QString() : errnoText();
    ::close(fd);
    if (!ok || ::rename(tmp.constData(), QFile::encodeName(path).constData()) != 0) {
        const QString reason = ok ? errnoText() : why;
        ::unlink(tmp.constData());
        return fail(QStringLiteral("cannot write %1: %2").arg(path, reason));
    }
    return {};
}

Result<void> makePrivateDir(const QString &dir)
{
    if (QFileInfo::exists(dir))
        return {};
    if (!QDir().mkpath(dir))
        return fail(QStringLiteral("cannot create %1").arg(dir));
    if (::chmod(QFile::encodeName(dir).constData(), 0700) != 0)
        return fail(QStringLiteral("cannot make %1 private: %2").arg(dir, errnoText()));
    return {};
}

} // namespace pw
