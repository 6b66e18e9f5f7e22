// Helpers of the I/O, multi-process and scheduler fault tests (tests/faults: tst_iofaults,
// tst_multiproc, tst_schedulekill; ctest label `faults`, issue 8): the real `pipewright-cli` run
// to completion or in the background, tmpfs mounts that are always unmounted, a second process
// holding the store's write lock, a read-only view of the store that does not trust the engine,
// and the test's task processes found by a marker in their command line (/proc/*/cmdline).
//
// Header-only. Homes live in QTemporaryDir (or a tmpfs mounted under /tmp); nothing here
// touches the user's data. Every process a helper starts is ended by its pid.
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QThread>
#include <QVariant>

#include <functional>
#include <memory>
#include <vector>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace pwio {

inline QString cliPath()
{
    return QStringLiteral(PW_BINARY_DIR "/app/cli/pipewright-cli");
}

inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// An integer from the environment (PW_FAULT_KILLS, ...), else `fallback`.
inline int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

// Polls `done` (processing events between polls) until it holds or `timeoutMs` passed.
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

// Runs `program args` to completion; true when it exited 0. For mount/umount.
inline bool runTool(const QString &program, const QStringList &args, QString *output = nullptr)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    const bool finished = p.waitForFinished(30000);
    if (!finished) {
        p.kill();
        p.waitForFinished(5000);
    }
    if (output)
        *output = QString::fromLocal8Bit(p.readAll()).trimmed();
    return finished && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// --- marker processes -------------------------------------------------------------------------

// A marker unique to this test process, carried by every task command line (as the digits of a
// sleep: `sleep 0.2` + marker), so that its processes are found in /proc.
inline QString uniqueMarker()
{
    return QStringLiteral("83")
        + QStringLiteral("%1").arg(qint64(::getpid()) % 100000, 5, 10, QLatin1Char('0'));
}

inline QByteArray readProcFile(pid_t pid, const char *name)
{
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return {};
    return f.readAll();
}

struct MarkedProcess
{
    pid_t pid = 0;
    QString cmdline;
    qint64 runId = 0; // PW_RUN_ID, PW_TASK, PW_ATTEMPT of its environment (0/'' if unreadable)
    QString task;
    int attempt = 0;
};

// Live (not zombie) processes whose command line contains `marker`, except this process.
inline std::vector<MarkedProcess> markerProcesses(const QString &marker)
{
    std::vector<MarkedProcess> out;
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
        const QByteArray stat = readProcFile(pid, "stat");
        const int close = stat.lastIndexOf(')');
        if (close < 0 || stat.size() < close + 3)
            continue; // gone meanwhile
        const char state = stat.at(close + 2);
        if (state == 'Z' || state == 'X')
            continue;
        cmd.replace('\0', ' ');
        MarkedProcess p;
        p.pid = pid;
        p.cmdline = QString::fromLocal8Bit(cmd.trimmed());
        for (const QByteArray &kv : readProcFile(pid, "environ").split('\0')) {
            if (kv.startsWith("PW_RUN_ID="))
                p.runId = kv.mid(10).toLongLong();
            else if (kv.startsWith("PW_TASK="))
                p.task = QString::fromLocal8Bit(kv.mid(8));
            else if (kv.startsWith("PW_ATTEMPT="))
                p.attempt = kv.mid(11).toInt();
        }
        out.push_back(p);
    }
    return out;
}

inline QString describe(const std::vector<MarkedProcess> &procs)
{
    QStringList s;
    for (const MarkedProcess &p : procs)
        s << QStringLiteral("%1 '%2'").arg(p.pid).arg(p.cmdline);
    return s.join(QStringLiteral("; "));
}

// SIGKILLs every live process carrying `marker`, by pid; returns how many there were.
inline int killMarkerProcesses(const QString &marker)
{
    int n = 0;
    for (int round = 0; round < 5; ++round) {
        const auto procs = markerProcesses(marker);
        if (procs.empty())
            break;
        for (const MarkedProcess &p : procs) {
            ::kill(p.pid, SIGKILL);
            ++n;
        }
        waitUntil([&] { return markerProcesses(marker).empty(); }, 1000);
    }
    return n;
}

// --- the CLI ----------------------------------------------------------------------------------

struct CliResult
{
    int exitCode = -1; // -1: crashed or still running at the deadline (then killed)
    bool timedOut = false;
    qint64 elapsedMs = 0;
    QString out;
    QString err;
    QString all() const { return out + err; }
};

inline QProcessEnvironment cliEnvironment(const QMap<QString, QString> &extra = {})
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("PIPEWRIGHT_HOME"));
    env.remove(QStringLiteral("PIPEWRIGHT_SCHEDULE_CLOCK"));
    for (auto it = extra.begin(); it != extra.end(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

// Every process a test starts in the background. The destructor (also after a failed QVERIFY)
// SIGCONTs and SIGKILLs, by pid, each one still running, then every process carrying the marker.
class Processes
{
public:
    explicit Processes(QString marker = {}) : m_marker(std::move(marker)) { }
    Processes(const Processes &) = delete;
    Processes &operator=(const Processes &) = delete;
    ~Processes() { killAll(); }

    QProcess *start(const QString &program, const QStringList &args, const QProcessEnvironment &env,
        const QString &workdir = {})
    {
        auto p = std::make_unique<QProcess>();
        p->setProgram(program);
        p->setArguments(args);
        p->setProcessEnvironment(env);
        if (!workdir.isEmpty())
            p->setWorkingDirectory(workdir);
        p->setProcessChannelMode(QProcess::SeparateChannels);
        p->start();
        p->waitForStarted(10000);
        m_procs.push_back(std::move(p));
        return m_procs.back().get();
    }

    // `pipewright-cli ARGS --home HOME`.
    QProcess *startCli(const QString &home, QStringList args,
        const QMap<QString, QString> &extraEnv = {}, const QString &workdir = {})
    {
        args << QStringLiteral("--home") << home;
        return start(cliPath(), args, cliEnvironment(extraEnv), workdir);
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

    // Forgets a finished process whose result was collected (loops start many).
    void drop(QProcess *finished)
    {
        std::erase_if(m_procs, [finished](const std::unique_ptr<QProcess> &p) {
            return p.get() == finished && p->state() == QProcess::NotRunning;
        });
    }

private:
    QString m_marker;
    std::vector<std::unique_ptr<QProcess>> m_procs;
};

inline bool waitExit(QProcess *p, qint64 timeoutMs)
{
    return waitUntil([p] { return p->state() == QProcess::NotRunning; }, timeoutMs, 10);
}

// Collects a finished (or, at the deadline, killed) background CLI.
inline CliResult finish(QProcess *p, qint64 timeoutMs, qint64 startedMs)
{
    CliResult r;
    if (!waitExit(p, timeoutMs)) {
        r.timedOut = true;
        ::kill(pid_t(p->processId()), SIGKILL);
        p->waitForFinished(5000);
    }
    r.elapsedMs = nowMs() - startedMs;
    r.out = QString::fromLocal8Bit(p->readAllStandardOutput());
    r.err = QString::fromLocal8Bit(p->readAllStandardError());
    if (!r.timedOut && p->exitStatus() == QProcess::NormalExit)
        r.exitCode = p->exitCode();
    return r;
}

// Runs `pipewright-cli ARGS --home HOME` to completion (killed at the deadline).
inline CliResult runCli(const QString &home, const QStringList &args, qint64 timeoutMs = 60000,
    const QMap<QString, QString> &extraEnv = {}, const QString &workdir = {})
{
    Processes procs;
    const qint64 t0 = nowMs();
    QProcess *p = procs.startCli(home, args, extraEnv, workdir);
    return finish(p, timeoutMs, t0);
}

// The stderr lines that are not progress ("run 3 started", "[12:00:01] a running (attempt 1)",
// a scheduler's or backfill's status lines): what the user reads as errors. DESIGN §7 asks for
// one clear line per error.
inline QStringList errorLines(const QString &err)
{
    static const QRegularExpression progress(
        QStringLiteral("^(\\[\\d\\d:\\d\\d:\\d\\d\\] |run \\d+ started|scheduler (running|stopped)|"
                       "\\d{4}-\\d\\d-\\d\\d \\(.*\\): run \\d+ (started|recovering))"));
    QStringList out;
    for (const QString &line : err.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        if (!progress.match(line).hasMatch())
            out << line;
    }
    return out;
}

// --- a throw-away home ------------------------------------------------------------------------

// config.yaml with short ownership timings (keys from issue 8), so that faults show in seconds.
struct Timings
{
    QString busyTimeout = QStringLiteral("2s");
    QString heartbeat = QStringLiteral("200ms");
    QString staleLimit = QStringLiteral("1s");
    int maxParallel = 4;
};

inline bool writeFile(const QString &file, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(file).absolutePath());
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(bytes) == bytes.size() && f.flush();
}

inline QByteArray readFile(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeConfig(const QString &home, const Timings &t = {})
{
    return writeFile(home + QStringLiteral("/config.yaml"),
        QStringLiteral(
            "max_parallel: %1\nbusy_timeout: %2\nheartbeat_interval: %3\nstale_limit: %4\n")
            .arg(t.maxParallel)
            .arg(t.busyTimeout, t.heartbeat, t.staleLimit)
            .toUtf8());
}

// A tmpfs mounted on a fresh directory under /tmp; unmounted (and the directory removed) by the
// destructor, also after a failed QVERIFY. Needs root (tests QSKIP otherwise).
class TmpfsMount
{
public:
    explicit TmpfsMount(const QString &size)
    {
        QTemporaryDir d(QDir::tempPath() + QStringLiteral("/pw-iofault-mnt-XXXXXX"));
        d.setAutoRemove(false);
        m_dir = d.path();
        m_mounted = runTool(QStringLiteral("mount"),
            {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                QStringLiteral("size=") + size, QStringLiteral("tmpfs"), m_dir},
            &m_error);
    }
    ~TmpfsMount()
    {
        if (m_mounted) {
            // Anything still holding a file there (a killed CLI's leftovers) must not keep it.
            if (!runTool(QStringLiteral("umount"), {m_dir}))
                runTool(QStringLiteral("umount"), {QStringLiteral("-l"), m_dir});
        }
        QDir().rmdir(m_dir);
    }
    TmpfsMount(const TmpfsMount &) = delete;
    TmpfsMount &operator=(const TmpfsMount &) = delete;

    bool isMounted() const { return m_mounted; }
    QString error() const { return m_error; }
    QString path() const { return m_dir; }
    bool remount(const QString &options)
    {
        return runTool(QStringLiteral("mount"),
            {QStringLiteral("-o"), QStringLiteral("remount,") + options, m_dir}, &m_error);
    }

private:
    QString m_dir;
    QString m_error;
    bool m_mounted = false;
};

// --- reading the store without the engine -----------------------------------------------------

// A connection of its own, opened for each query batch and closed again, so that it never holds
// the store (or a file on a mount the test wants to remount or unmount).
class StoreView
{
public:
    explicit StoreView(QString path)
        : m_path(std::move(path)), m_name(QStringLiteral("pwio-%1").arg(quintptr(this)))
    { }
    ~StoreView() { close(); }
    StoreView(const StoreView &) = delete;
    StoreView &operator=(const StoreView &) = delete;

    QString lastError() const { return m_error; }

    QList<QVariantList> rows(const QString &sql, const QVariantList &binds = {})
    {
        QList<QVariantList> out;
        m_error.clear();
        if (!QFileInfo::exists(m_path)) {
            m_error = QStringLiteral("no store at ") + m_path;
            return out;
        }
        {
            QSqlDatabase db = QSqlDatabase::contains(m_name)
                ? QSqlDatabase::database(m_name, false)
                : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
            if (!db.isOpen()) {
                db.setDatabaseName(m_path);
                db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
                if (!db.open()) {
                    m_error = db.lastError().text();
                    return out;
                }
            }
            QSqlQuery q(db);
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

    // Everything recorded about runs id <= maxRunId (runs, tries, task states, attempts), in a
    // fixed order: what "nothing recorded is lost" compares before and after a fault.
    QString snapshot(qint64 maxRunId)
    {
        const QVariantList b{maxRunId};
        return QStringLiteral("runs:\n")
            + dump(
                QStringLiteral("SELECT id, key, state, try_no FROM runs WHERE id <= ? ORDER BY id"),
                b)
            + QStringLiteral("\ntries:\n")
            + dump(QStringLiteral("SELECT run_id, try_no, trigger, state, started, ended FROM "
                                  "tries WHERE run_id <= ? "
                                  "ORDER BY run_id, try_no"),
                b)
            + QStringLiteral("\ntasks:\n")
            + dump(QStringLiteral("SELECT run_id, task, state, try_no FROM task_states WHERE "
                                  "run_id <= ? ORDER BY run_id, task"),
                b)
            + QStringLiteral("\nattempts:\n")
            + dump(QStringLiteral("SELECT run_id, task, attempt, try_no, state, started, ended, "
                                  "exit_code, error, log_path "
                                  "FROM attempts WHERE run_id <= ? ORDER BY run_id, task, attempt"),
                b);
    }

    // Rows still active: runs/tries queued or running, tasks queued/running/retry_wait, attempts
    // running. Empty = nothing left `running`.
    QString active()
    {
        QStringList s;
        const QString runs = dump(QStringLiteral(
            "SELECT 'run', id, state FROM runs WHERE state IN ('queued','running')"));
        const QString tries = dump(QStringLiteral(
            "SELECT 'try', run_id, try_no, state FROM tries WHERE state IN ('queued','running')"));
        const QString tasks
            = dump(QStringLiteral("SELECT 'task', run_id, task, state FROM task_states "
                                  "WHERE state IN ('queued','running','retry_wait')"));
        const QString attempts
            = dump(QStringLiteral("SELECT 'attempt', run_id, task, attempt, state FROM attempts "
                                  "WHERE state = 'running'"));
        for (const QString &x : {runs, tries, tasks, attempts})
            if (!x.isEmpty())
                s << x;
        return s.join(QLatin1Char('\n'));
    }

    // Runs that have no task rows at all (issue 8 finding 5).
    QString runsWithoutTasks()
    {
        return dump(QStringLiteral("SELECT id, key, state FROM runs r WHERE NOT EXISTS "
                                   "(SELECT 1 FROM task_states t WHERE t.run_id = r.id)"));
    }

    QString integrity() { return scalar(QStringLiteral("PRAGMA integrity_check")).toString(); }

    void close()
    {
        if (QSqlDatabase::contains(m_name)) {
            {
                QSqlDatabase db = QSqlDatabase::database(m_name, false);
                if (db.isOpen())
                    db.close();
            }
            QSqlDatabase::removeDatabase(m_name);
        }
    }

private:
    QString m_path;
    QString m_name;
    QString m_error;
};

// --- a second process holding the store's write lock ------------------------------------------

// `sqlite3 DB` fed "BEGIN IMMEDIATE;" and kept open: the RESERVED lock (WAL: the write lock) is
// held until release() or the destructor, which ends the process by its pid.
class LockHolder
{
public:
    explicit LockHolder(const QString &db)
    {
        m_proc.setProgram(QStringLiteral("sqlite3"));
        m_proc.setArguments({db});
        m_proc.setProcessChannelMode(QProcess::MergedChannels);
        m_proc.start();
        if (!m_proc.waitForStarted(10000))
            return;
        m_proc.write("BEGIN IMMEDIATE;\nSELECT 'pw-lock-' || 'held';\n");
        m_held = waitUntil(
            [this] {
                m_output += m_proc.readAll();
                return m_output.contains("pw-lock-held") || m_proc.state() == QProcess::NotRunning;
            },
            10000);
        m_held = m_held && m_output.contains("pw-lock-held");
    }
    ~LockHolder() { release(); }
    LockHolder(const LockHolder &) = delete;
    LockHolder &operator=(const LockHolder &) = delete;

    bool isHeld() const { return m_held; }
    QString output() const { return QString::fromLocal8Bit(m_output); }
    void release()
    {
        if (m_proc.state() != QProcess::NotRunning) {
            m_proc.write("ROLLBACK;\n.quit\n");
            m_proc.closeWriteChannel();
            if (!m_proc.waitForFinished(3000)) {
                ::kill(pid_t(m_proc.processId()), SIGKILL);
                m_proc.waitForFinished(3000);
            }
        }
        m_held = false;
    }

private:
    QProcess m_proc;
    QByteArray m_output;
    bool m_held = false;
};

// Soft assertions: a fault test reports every broken promise of one scenario at once.
class Checks
{
public:
    bool expect(bool ok, const QString &what)
    {
        if (!ok)
            m_failed << what;
        return ok;
    }
    bool ok() const { return m_failed.isEmpty(); }
    QString report() const
    {
        return QStringLiteral("%1 broken:\n- ").arg(m_failed.size())
            + m_failed.join(QStringLiteral("\n- "));
    }

private:
    QStringList m_failed;
};

} // namespace pwio
