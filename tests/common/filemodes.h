#pragma once

// Shared by the tests of files that must be private to their user (connections.yaml,
// secrets.yaml, the history database, task logs): a file's mode, and writing one with a given
// mode whatever the umask.

#include <QFile>
#include <QtTest>

#include <sys/stat.h>

namespace pw::test {

// The permission bits of `path` (0600), or -1 when it does not exist.
inline int modeOf(const QString &path)
{
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 0777);
}

// Writes `bytes` to `path` and gives it `mode`.
inline void writeWithMode(const QString &path, const QByteArray &bytes, int mode)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
    f.close();
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode_t(mode)), 0);
}

} // namespace pw::test
