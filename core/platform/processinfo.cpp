#include "processinfo.h"

#include <QDir>
#include <QFile>
#include <QSysInfo>

#include <cerrno>
#include <csignal>

namespace pw::ProcessInfo {

qint64 startTime(pid_t pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = f.readAll();
    // The command name (field 2) is in parentheses and may contain spaces: skip past the last ')'.
    const int close = line.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = line.mid(close + 2).split(' ');
    // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
    if (fields.size() < 20)
        return -1;
    bool ok = false;
    const qint64 v = fields[19].toLongLong(&ok);
    return ok ? v : -1;
}

bool isAlive(pid_t pid)
{
    if (pid <= 0)
        return false;
    if (::kill(pid, 0) == 0)
        return true;
    return errno == EPERM;
}

QString bootId()
{
    QFile f(QStringLiteral("/proc/sys/kernel/random/boot_id"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(f.readAll().trimmed());
}

QString hostName()
{
    return QSysInfo::machineHostName();
}

bool signalGroup(pid_t pgid, qint64 expectedStart, int sig)
{
    if (pgid <= 1)
        return false;
    const qint64 actual = startTime(pgid);
    // A live leader must have the recorded start time. With no recorded start time
    // (expectedStart < 0) a live leader cannot be told from an unrelated process that reused
    // the pid, so it is never signalled: only a leaderless group (still ours: a group id is not
    // reused while any member lives) is.
    if (actual >= 0 && actual != expectedStart)
        return false;
    if (actual < 0 && !groupAlive(pgid))
        return false;
    return ::kill(-pgid, sig) == 0;
}

namespace {

// Does any process of group `pgid` still run? Zombies do not count: kill(-pgid, 0) succeeds
// while only unreaped zombies are left (orphans under an init that never reaps them, as in
// some containers), and a group that can never look dead would always get the full kill grace.
bool hasLiveMember(pid_t pgid)
{
    const QStringList entries
        = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    bool sawProc = false;
    for (const QString &entry : entries) {
        bool isPid = false;
        entry.toInt(&isPid);
        if (!isPid)
            continue;
        sawProc = true;
        QFile f(QStringLiteral("/proc/") + entry + QStringLiteral("/stat"));
        if (!f.open(QIODevice::ReadOnly))
            continue; // exited meanwhile
        const QByteArray line = f.readAll();
        const int close = line.lastIndexOf(')');
        if (close < 0)
            continue;
        // After "pid (comm) ": state, ppid, pgrp, ...
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        if (fields.size() < 3 || fields[2].toLongLong() != pgid)
            continue;
        if (fields[0] != "Z" && fields[0] != "X")
            return true;
    }
    return !sawProc; // no /proc: trust kill()
}

} // namespace

bool groupAlive(pid_t pgid)
{
    if (pgid <= 1)
        return false;
    if (::kill(-pgid, 0) != 0 && errno != EPERM)
        return false;
    return hasLiveMember(pgid);
}

} // namespace pw::ProcessInfo
