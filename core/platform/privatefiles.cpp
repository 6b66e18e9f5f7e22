#include "privatefiles.h"

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

bool PrivateFiles::makeDirs(const QString &dir)
{
    const QString clean = QDir::cleanPath(QDir(dir).absolutePath());
    if (QFileInfo(clean).isDir())
        return true;
    const QString parent = QFileInfo(clean).absolutePath();
    if (parent != clean && !makeDirs(parent))
        return false;
    // mkdir applies the umask; 0700 has no bits a umask would clear for the user. EEXIST: made
    // meanwhile by another attempt, or a file is in the way.
    return ::mkdir(QFile::encodeName(clean).constData(), 0700) == 0
        || (errno == EEXIST && QFileInfo(clean).isDir());
}

Result<void> PrivateFiles::ensureFile(const QString &path)
{
    if (QFileInfo::exists(path))
        return {};
    if (!makeDirs(QFileInfo(path).absolutePath()))
        return fail(QStringLiteral("cannot create the directory of %1: %2").arg(path, errnoText()));
    const int fd
        = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(QStringLiteral("cannot create %1: %2").arg(path, errnoText()));
    ::close(fd);
    return {};
}

Result<void> PrivateFiles::write(const QString &path, const QByteArray &bytes)
{
    const QByteArray tmp = QFile::encodeName(path + QStringLiteral(".tmp"));
    ::unlink(tmp.constData());
    const int fd = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(QStringLiteral("cannot write %1: %2").arg(path, errnoText()));
    bool ok = ::fchmod(fd, 0600) == 0;
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

Result<void> PrivateFiles::checkPrivate(const QString &path, const QString &holds)
{
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return fail(QStringLiteral("cannot read %1: %2").arg(path, errnoText()));
    if ((st.st_mode & 077) != 0) {
        return fail(
            QStringLiteral("%1 is accessible by other users (mode %2) and holds %3; "
                           "refusing to use it: chmod 600 %1")
                .arg(path)
                .arg(QString::number(st.st_mode & 0777, 8).rightJustified(4, QLatin1Char('0')))
                .arg(holds));
    }
    return {};
}

} // namespace pw
