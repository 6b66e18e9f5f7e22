#pragma once

// Shared by tests of read-only and full stores: a small tmpfs mounted on a fresh directory
// under the temp dir (DESIGN §10 allows tmpfs mounts under /tmp), remountable read-only.
// Root only: permissions do not stop root, so a read-only store needs a read-only mount.
// Always unmounted by the destructor (lazily, so a file still open cannot keep it mounted).

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

#include <unistd.h>

namespace pw::test {

class TmpfsMount
{
public:
    TmpfsMount() = default;
    ~TmpfsMount() { unmount(); }
    TmpfsMount(const TmpfsMount &) = delete;
    TmpfsMount &operator=(const TmpfsMount &) = delete;

    // Why mounting cannot work here (not root), else empty. Tests QSKIP with it.
    static QString unavailableReason()
    {
        if (::geteuid() != 0)
            return QStringLiteral(
                "needs root to mount a tmpfs (a read-only store needs a read-only mount)");
        return {};
    }

    // Mounts a tmpfs of `size` (e.g. "16m") on a new directory; false (see error()) if it fails.
    bool mount(const QString &size = QStringLiteral("16m"))
    {
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary directory"));
        m_path = m_dir.filePath(QStringLiteral("mnt"));
        if (!QDir().mkpath(m_path))
            return fail(QStringLiteral("cannot create ") + m_path);
        if (!run({QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                QStringLiteral("size=") + size, QStringLiteral("pw-test-ro"), m_path}))
            return false;
        m_mounted = true;
        return true;
    }
    bool remountReadOnly()
    {
        return run({QStringLiteral("-o"), QStringLiteral("remount,ro"), m_path});
    }
    bool remountWritable()
    {
        return run({QStringLiteral("-o"), QStringLiteral("remount,rw"), m_path});
    }
    void unmount()
    {
        if (m_mounted)
            QProcess::execute(QStringLiteral("umount"), {QStringLiteral("-l"), m_path});
        m_mounted = false;
    }

    QString path() const { return m_path; }
    QString filePath(const QString &name) const { return m_path + QLatin1Char('/') + name; }
    QString error() const { return m_error; }

private:
    bool fail(const QString &message)
    {
        m_error = message;
        return false;
    }
    bool run(const QStringList &args)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("mount"), args);
        if (!p.waitForFinished(10000) || p.exitStatus() != QProcess::NormalExit
            || p.exitCode() != 0)
            return fail(QStringLiteral("mount %1: %2")
                            .arg(args.join(QLatin1Char(' ')), QString::fromLocal8Bit(p.readAll())));
        return true;
    }

    QTemporaryDir m_dir;
    QString m_path;
    QString m_error;
    bool m_mounted = false;
};

} // namespace pw::test
