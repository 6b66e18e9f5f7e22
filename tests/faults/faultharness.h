// Shared helpers of the fault tests (tests/faults, ctest label `faults`): a throw-away home with
// fast ownership timings, the real `pipewright-cli` in the background, a read-only view of the
// store that does not trust the engine's API, and the processes of a test found by a marker in
// their command line (/proc/*/cmdline), so that leftovers are seen and ended by pid.
//
// Header-only; every function is inline. Nothing here touches the user's data: homes live in
// QTemporaryDir, tests call QStandardPaths::setTestModeEnabled(true).
#pragma once

#include "platform/processinfo.h"
#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QVariant>

#include <functional>
#include <memory>
#include <vector>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace pwfault {

// Ownership timings written to every fault home's config.yaml; the stale limit is what the
// tests wait past. Short, so that each test runs in seconds.
constexpr qint64 kHeartbeatMs = 200;
constexpr qint64 kStaleLimitMs = 1000;
constexpr qint64 kBusyTimeoutMs = 2000;

inline QString cliPath()
{
    return QStringLiteral(PW_BINARY_DIR "/app/cli/pipewright-cli");
}

inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// The task of the kill loops (task.sh): under a lock of its own, append "start N", sleep $1,
// append "end N" to out/$PW_TASK. A second copy that finds the lock held records itself in
// CONCURRENT and fails, so overlaps are seen without trusting the store. Needs lock/ and out/.
inline const char *kLockedTaskScript = R"(#!/bin/sh
flock -n -E 77 "lock/$PW_TASK" sh -c 'echo "start $PW_ATTEMPT" >> "out/$PW_TASK"; sleep "$1"; echo "end $PW_ATTEMPT" >> "out/$PW_TASK"' task "$1"
rc=$?
if [ "$rc" = 77 ]; then echo "$PW_TASK $PW_ATTEMPT" >> CONCURRENT; fi
exit "$rc"
)";

// An integer from the environment (iteration counts: PW_FAULT_KILLS, ...), else `fallback`.
inline int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

// Polls `done` (processing events between polls) until it is true or `timeoutMs` passed.
inline bool waitUntil(const std::function<bool()> &done, qint64 timeoutMs, int pollMs = 10)
{
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        if (done())
            return true;
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, pollMs);
        QThread::msleep(ulong(pollMs));
    }
}

// A marker unique to this test process, carried by every task command line (e.g. as the digits
// of a sleep: `sleep 0.25` + marker), so that its processes can be found in /proc.
inline QString uniqueMarker()
{
    return QStringLiteral("47")
        + QStringLiteral("%1").arg(qint64(::getpid()) % 100000, 5, 10, QLatin1Char('0'));
}

// --- processes of the test's tasks, found by the marker -------------------------------------

struct TaskProcess
{
    pid_t pid = 0;
    pid_t pgid = 0;
    QString task;    // PW_TASK of the process's environment ('' when unreadable)
    int attempt = 0; // PW_ATTEMPT
    QString cmdline; // arguments joined by spaces
};

inline QByteArray readProcFile(pid_t pid, const char *name)
{
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return {};
    return f.readAll();
}

// Live (not zombie) processes whose command line contains `marker`, except this process.
inline std::vector<TaskProcess> markerProcesses(const QString &marker)
{
    std::vector<TaskProcess> out;
    const QByteArray needle = marker.toLatin1();
    const QStringList entries
        = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &e : entries) {
        bool isPid = false;
        const pid_t pid = pid_t(e.toInt(&isPid));
        if (!isPid || pid == ::getpid())
            continue;
        QByteArray cmd = readProcFile(pid, "cmdline");
        if (!cmd.contains(needle))
            continue;
        // /proc/PID/stat: "pid (comm) S ppid pgrp ..."; comm may hold spaces and parentheses.
        const QByteArray stat = readProcFile(pid, "stat");
        const int close = stat.lastIndexOf(')');
        if (close < 0)
            continue; // gone meanwhile
        const QList<QByteArray> f = stat.mid(close + 2).split(' ');
        if (f.size() < 3 || f[0] == "Z" || f[0] == "X")
            continue; // a zombie runs nothing
        TaskProcess p;
        p.pid = pid;
        p.pgid = pid_t(f[2].toInt());
        cmd.replace('\0', ' ');
        p.cmdline = QString::fromLocal8Bit(cmd.trimmed());
        for (const QByteArray &kv : readProcFile(pid, "environ").split('\0')) {
            if (kv.startsWith("PW_TASK="))
                p.task = QString::fromLocal8Bit(kv.mid(8));
            else if (kv.startsWith("PW_ATTEMPT="))
                p.attempt = kv.mid(11).toInt();
        }
        out.push_back(p);
    }
    return out;
}

// SIGKILLs every live process carrying `marker`, by pid; returns how many there were.
inline int killMarkerProcesses(const QString &marker)
{
    int n = 0;
    for (int round = 0; round < 5; ++round) {
        const auto procs = markerProcesses(marker);
        if (procs.empty())
            break;
        for (const TaskProcess &p : procs) {
            ::kill(p.pid, SIGKILL);
            ++n;
        }
        waitUntil([&] { return markerProcesses(marker).empty(); }, 1000);
    }
    return n;
}

// --- the CLI in the background ----------------------------------------------------------------

// Every pipewright-cli a test starts. The destructor (also on a failed QVERIFY) SIGCONTs and
// SIGKILLs, by pid, each one still running, and then every process carrying the marker.
class Processes
{
public:
    explicit Processes(QString marker = {}) : m_marker(std::move(marker)) { }
    Processes(const Processes &) = delete;
    Processes &operator=(const Processes &) = delete;
    ~Processes() { killAll(); }

    // Starts `pipewright-cli ARGS --home HOME`; output is read into the QProcess's buffers.
    QProcess *startCli(const QString &home, QStringList args)
    {
        auto p = std::make_unique<QProcess>();
        p->setProgram(cliPath());
        args << QStringLiteral("--home") << home;
        p->setArguments(args);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("PIPEWRIGHT_HOME"));
        p->setProcessEnvironment(env);
        p->setProcessChannelMode(QProcess::SeparateChannels);
        p->start();
        p->waitForStarted(10000);
        m_procs.push_back(std::move(p));
        return m_procs.back().get();
    }

    void killAll()
    {
        for (auto &p : m_procs) {
            if (p->state() != QProcess::NotRunning && p->processId() > 0) {
                ::kill(pid_t(p->processId()), SIGCONT);
                ::kill(pid_t(p->processId()), SIGKILL);
                p->waitForFinished(5000);
            }
        }
        if (!m_marker.isEmpty())
            killMarkerProcesses(m_marker);
    }

private:
    QString m_marker;
    std::vector<std::unique_ptr<QProcess>> m_procs;
};

// Waits for `p` to exit (processing events); false when it is still running at the deadline.
inline bool waitExit(QProcess *p, qint64 timeoutMs)
{
    return waitUntil([p] { return p->state() == QProcess::NotRunning; }, timeoutMs, 20);
}

inline QString allOutput(QProcess *p)
{
    return QString::fromLocal8Bit(p->readAllStandardOutput() + p->readAllStandardError());
}

// Runs the CLI to completion; returns the exit code (-1 on a crash or a timeout), output in *out.
inline int runCli(
    const QString &home, const QStringList &args, QString *out = nullptr, qint64 timeoutMs = 60000)
{
    Processes procs;
    QProcess *p = procs.startCli(home, args);
    if (!waitExit(p, timeoutMs)) {
        if (out)
            *out = allOutput(p) + QStringLiteral("\n<timed out>");
        return -1;
    }
    if (out)
        *out = allOutput(p);
    return p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
}

// --- a fault home -----------------------------------------------------------------------------

class FaultHome
{
public:
    FaultHome()
    {
        QStandardPaths::setTestModeEnabled(true);
        if (!m_dir.isValid() || !QDir().mkpath(home()))
            return;
        QFile cfg(home() + QStringLiteral("/config.yaml"));
        if (cfg.open(QIODevice::WriteOnly)) {
            cfg.write(
                QStringLiteral("heartbeat_interval: %1ms\nstale_limit: %2ms\nbusy_timeout: %3ms\n")
                    .arg(kHeartbeatMs)
                    .arg(kStaleLimitMs)
                    .arg(kBusyTimeoutMs)
                    .toUtf8());
            m_ok = true;
        }
    }
    bool isValid() const { return m_ok; }
    QString path() const { return m_dir.path(); } // flows, scripts, lock/ and out/
    QString home() const { return m_dir.path() + QStringLiteral("/home"); }
    QString historyPath() const { return home() + QStringLiteral("/history.sqlite"); }
    void keepOnFailure() { m_dir.setAutoRemove(false); }

    bool writeFile(const QString &relative, const QByteArray &bytes) const
    {
        const QString file = path() + QLatin1Char('/') + relative;
        QDir().mkpath(QFileInfo(file).absolutePath());
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        return f.write(bytes) == bytes.size();
    }
    QByteArray readFile(const QString &relative) const
    {
        QFile f(path() + QLatin1Char('/') + relative);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    bool exists(const QString &relative) const
    {
        return QFileInfo::exists(path() + QLatin1Char('/') + relative);
    }

private:
    QTemporaryDir m_dir{QDir::tempPath() + QStringLiteral("/pw-fault-XXXXXX")};
    bool m_ok = false;
};

// --- reading the store without the engine -----------------------------------------------------

// A read-only SQLite connection of its own (WAL readers never block the writer). Opens lazily:
// the file appears only once the first CLI created it.
class StoreView
{
public:
    explicit StoreView(QString path)
        : m_path(std::move(path)), m_name(QStringLiteral("pwfault-%1").arg(quintptr(this)))
    { }
    ~StoreView()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            if (db.isOpen())
                db.close();
        }
        if (QSqlDatabase::contains(m_name))
            QSqlDatabase::removeDatabase(m_name);
    }
    StoreView(const StoreView &) = delete;
    StoreView &operator=(const StoreView &) = delete;

    bool open()
    {
        if (m_open)
            return true;
        if (!QFileInfo::exists(m_path))
            return false;
        QSqlDatabase db = QSqlDatabase::contains(m_name)
            ? QSqlDatabase::database(m_name, false)
            : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(m_path);
        db.setConnectOptions(
            QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
        m_open = db.open();
        return m_open;
    }

    // The rows of `sql` (positional `binds`), each a list of column values; empty on error
    // (lastError() says why) or while the store does not exist yet.
    QList<QVariantList> rows(const QString &sql, const QVariantList &binds = {})
    {
        QList<QVariantList> out;
        m_error.clear();
        if (!open()) {
            m_error = QStringLiteral("store not open");
            return out;
        }
        QSqlQuery q(QSqlDatabase::database(m_name, false));
        if (!q.prepare(sql)) {
            m_error = q.lastError().text();
            return out;
        }
        for (const QVariant &b : binds)
            q.addBindValue(b);
        if (!q.exec()) {
            m_error = q.lastError().text();
            return out;
        }
        const int n = q.record().count();
        while (q.next()) {
            QVariantList row;
            for (int i = 0; i < n; ++i)
                row << q.value(i);
            out << row;
        }
        return out;
    }
    QVariant scalar(const QString &sql, const QVariantList &binds = {})
    {
        const auto r = rows(sql, binds);
        return r.isEmpty() || r.first().isEmpty() ? QVariant() : r.first().first();
    }
    qint64 count(const QString &sql, const QVariantList &binds = {})
    {
        return scalar(sql, binds).toLongLong();
    }
    QString lastError() const { return m_error; }

    // A text dump of rows, for comparing snapshots and for failure messages.
    QString dump(const QString &sql, const QVariantList &binds = {})
    {
        QStringList lines;
        for (const QVariantList &r : rows(sql, binds)) {
            QStringList cells;
            for (const QVariant &v : r)
                cells << (v.isNull() ? QStringLiteral("NULL") : v.toString());
            lines << cells.join(QLatin1Char('|'));
        }
        return lines.join(QLatin1Char('\n'));
    }

private:
    QString m_path;
    QString m_name;
    bool m_open = false;
    QString m_error;
};

inline QString hostName()
{
    return pw::ProcessInfo::hostName();
}

// Soft assertions: a fault test reports every broken promise of one scenario at once (the list
// is what a fix needs), then fails with all of them. QtTest cuts long failure messages, so
// report() prints each one in full (QWARN lines) and returns a short summary for QVERIFY2.
class Checks
{
public:
    bool expect(bool ok, const QString &what)
    {
        if (!ok)
            m_failed << what;
        return ok;
    }
    void add(const QString &what) { m_failed << what; }
    void add(const QStringList &what) { m_failed << what; }
    bool ok() const { return m_failed.isEmpty(); }
    QString report() const
    {
        for (int i = 0; i < m_failed.size(); ++i)
            qWarning().noquote() << QStringLiteral("broken %1/%2: %3")
                                        .arg(i + 1)
                                        .arg(m_failed.size())
                                        .arg(m_failed[i]);
        QString first = m_failed.value(0);
        if (first.size() > 300)
            first = first.left(300) + QStringLiteral("...");
        return QStringLiteral("%1 broken (each printed above), first: %2")
            .arg(m_failed.size())
            .arg(first);
    }

private:
    QStringList m_failed;
};

} // namespace pwfault
