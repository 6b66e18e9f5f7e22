#include "sqlexecution.h"

#include "model/secretmask.h"
#include "platform/privatefiles.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <unistd.h>
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

namespace pw {

namespace {

// The database's own message, first line, without libpq's "ERROR:  " prefix.
QString dbMessage(const QSqlError &e)
{
    QString text = e.databaseText().trimmed();
    if (text.isEmpty())
        text = e.driverText().trimmed();
    text = text.section(QLatin1Char('\n'), 0, 0).trimmed();
    for (const char *prefix : {"ERROR:", "FATAL:"}) {
        if (text.startsWith(QLatin1String(prefix)))
            text = text.mid(qstrlen(prefix)).trimmed();
    }
    return text.isEmpty() ? QStringLiteral("unknown database error") : text;
}

// Is the error worth a retry (exit 75)? SQLite: busy or locked. PostgreSQL: SQLSTATE classes
// 08 (connection), 53 (insufficient resources), 57P (shutdown), 40001 (serialization
// failure), 40P01 (deadlock), 55P03 (lock not available), or no SQLSTATE at all (the
// connection broke).
bool isTemporary(ConnectionUrl::Driver driver, const QSqlError &e)
{
    const QString code = e.nativeErrorCode();
    if (driver == ConnectionUrl::Driver::Sqlite) {
        const int primary = code.toInt() & 0xff;
        return primary == 5 || primary == 6;
    }
    if (code.isEmpty())
        return true;
    return code.startsWith(QLatin1String("08")) || code.startsWith(QLatin1String("53"))
        || code.startsWith(QLatin1String("57P")) || code == QLatin1String("40001")
        || code == QLatin1String("40P01") || code == QLatin1String("55P03");
}

// Would QtSql rewrite something in this text when it is prepared (a '?' or ':name' outside
// '...', "..." and `...`, which QPSQL turns into $n)? Mirrors QSqlResultPrivate's scanner.
bool qtWouldRewrite(const QString &s)
{
    QChar closing;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (!closing.isNull()) {
            if (c == closing)
                closing = QChar();
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"') || c == QLatin1Char('`'))
            closing = c;
        else if (c == QLatin1Char('?'))
            return true;
        else if (c == QLatin1Char(':') && (i == 0 || s.at(i - 1) != QLatin1Char(':'))
            && i + 1 < s.size()
            && (s.at(i + 1).isLetterOrNumber() || s.at(i + 1) == QLatin1Char('_')))
            return true;
    }
    return false;
}

void configure(QSqlDatabase &db, const ConnectionUrl &url, int busyTimeoutMs)
{
    if (url.driver == ConnectionUrl::Driver::Sqlite) {
        db.setDatabaseName(url.path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs));
        return;
    }
    db.setHostName(url.host);
    db.setPort(url.port);
    db.setUserName(url.user);
    db.setPassword(url.password);
    db.setDatabaseName(url.database);
    QString options = QStringLiteral("connect_timeout=10;application_name=pipewright");
    if (!url.options.isEmpty())
        options += QLatin1Char(';') + url.options;
    db.setConnectOptions(options);
}

QString connectionName()
{
    static std::atomic<int> serial{0};
    return QStringLiteral("pw-sqlexecution-%1").arg(++serial);
}

// Removes the named connection when the scope ends (after the QSqlDatabase and QSqlQuery
// values declared after it are gone, as QtSql wants).
struct ConnectionGuard
{
    QString name;
    ~ConnectionGuard() { QSqlDatabase::removeDatabase(name); }
};

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 2) + QStringLiteral(" s");
}

} // namespace

// --- JSON --------------------------------------------------------------------------------

QByteArray SqlExecution::Job::toJson() const
{
    QJsonObject o;
    o.insert(QLatin1String("url"), url);
    QJsonArray list;
    for (const SqlStatement &s : statements)
        list.append(QJsonObject{{QLatin1String("sql"), s.text}, {QLatin1String("line"), s.line}});
    o.insert(QLatin1String("statements"), list);
    QJsonObject v;
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        v.insert(it.key(), it.value());
    o.insert(QLatin1String("values"), v);
    if (partition.isSet()) {
        o.insert(QLatin1String("partition"),
            QJsonObject{{QLatin1String("table"), partition.table},
                {QLatin1String("column"), partition.column},
                {QLatin1String("value"), partition.value}});
    }
    o.insert(QLatin1String("parent_pid"), parentPid);
    o.insert(QLatin1String("result"), resultPath);
    o.insert(QLatin1String("busy_timeout_ms"), busyTimeoutMs);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Result<SqlExecution::Job> SqlExecution::Job::fromJson(const QByteArray &json)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject())
        return fail(QStringLiteral("invalid job: %1").arg(pe.errorString()));
    const QJsonObject o = doc.object();
    Job job;
    job.url = o.value(QLatin1String("url")).toString();
    for (const QJsonValue &s : o.value(QLatin1String("statements")).toArray()) {
        const QString text = s[QLatin1String("sql")].toString();
        // The statement's parameters and words, found again in its own text.
        SqlStatement st = SqlScript::split(text).value(0);
        st.text = text;
        st.line = s[QLatin1String("line")].toInt(1);
        job.statements.append(st);
    }
    const QJsonObject v = o.value(QLatin1String("values")).toObject();
    for (auto it = v.begin(); it != v.end(); ++it)
        job.values.insert(it.key(), it.value().toString());
    const QJsonObject p = o.value(QLatin1String("partition")).toObject();
    job.partition.table = p.value(QLatin1String("table")).toString();
    job.partition.column = p.value(QLatin1String("column")).toString();
    job.partition.value = p.value(QLatin1String("value")).toString();
    job.parentPid = o.value(QLatin1String("parent_pid")).toInteger();
    job.resultPath = o.value(QLatin1String("result")).toString();
    job.busyTimeoutMs = o.value(QLatin1String("busy_timeout_ms")).toInt(30000);
    if (job.url.isEmpty())
        return fail(QStringLiteral("invalid job: no url"));
    return job;
}

QByteArray SqlExecution::Outcome::toJson() const
{
    QJsonArray r;
    for (qint64 n : rows)
        r.append(n);
    QJsonObject o{{QLatin1String("exit_code"), exitCode}, {QLatin1String("rows"), r}};
    if (!error.isEmpty())
        o.insert(QLatin1String("error"), error);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Result<SqlExecution::Outcome> SqlExecution::Outcome::fromJson(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject())
        return fail(QStringLiteral("invalid sql outcome"));
    Outcome out;
    out.exitCode = doc[QLatin1String("exit_code")].toInt();
    for (const QJsonValue &n : doc[QLatin1String("rows")].toArray())
        out.rows.append(n.toInteger());
    out.error = doc[QLatin1String("error")].toString();
    return out;
}

// --- execution ---------------------------------------------------------------------------

SqlExecution::Outcome SqlExecution::run(const Job &job, QTextStream &log)
{
    Outcome out;
    auto parsed = ConnectionUrl::parse(job.url);
    if (!parsed) {
        out.exitCode = kExitInvalid;
        out.error = parsed.error().message;
        return out;
    }
    const ConnectionUrl url = *parsed;
    const bool sqlite = url.driver == ConnectionUrl::Driver::Sqlite;
    auto line = [&](const QString &text) {
        log << SecretMask::apply(text, url.password) << '\n';
        log.flush();
    };
    auto fail = [&](int code, const QString &message) {
        out.exitCode = code;
        out.error = SecretMask::apply(message, url.password);
        out.rows.clear();
        return out;
    };

    const ConnectionGuard guard{connectionName()};
    QSqlDatabase db = QSqlDatabase::addDatabase(url.qtDriver(), guard.name);
    if (!db.isValid())
        return fail(kExitInvalid,
            QStringLiteral("the Qt SQL driver %1 is not installed (Debian: %2)")
                .arg(url.qtDriver(),
                    sqlite ? QStringLiteral("libqt6sql6-sqlite")
                           : QStringLiteral("libqt6sql6-psql")));
    configure(db, url, job.busyTimeoutMs);
    if (!db.open())
        return fail(sqlite ? kExitInvalid : kExitTemporary,
            QStringLiteral("cannot connect to %1: %2")
                .arg(url.redacted(), dbMessage(db.lastError())));
    line(QStringLiteral("connected to %1").arg(url.redacted()));

    QSqlQuery q(db);
    q.setForwardOnly(true); // a query's rows are only stepped through, never kept
    // A statement the server still runs when this process is killed (timeout, cancel) ends
    // within a second: the server checks whether the client is still there (PostgreSQL 14+).
    if (!sqlite)
        (void)q.exec(QStringLiteral("SET client_connection_check_interval = '1s'"));
    if (!q.exec(sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"))) {
        const QSqlError e = q.lastError();
        return fail(isTemporary(url.driver, e) ? kExitTemporary : kExitFailed,
            QStringLiteral("cannot begin a transaction: %1").arg(dbMessage(e)));
    }
    auto rollback = [&] {
        QSqlQuery r(db);
        (void)r.exec(QStringLiteral("ROLLBACK"));
        line(QStringLiteral("rolled back"));
    };
    auto failed = [&](const QString &where, const QSqlError &e) {
        line(where + QStringLiteral(": ") + e.databaseText().trimmed());
        rollback();
        return fail(isTemporary(url.driver, e) ? kExitTemporary : kExitFailed,
            where + QStringLiteral(": ") + dbMessage(e));
    };
    auto invalid = [&](const QString &message) {
        rollback();
        return fail(kExitInvalid, message);
    };

    const PartitionSpec &part = job.partition;
    if (part.isSet()) {
        if (!SqlScript::isQualifiedName(part.table))
            return invalid(
                QStringLiteral("partition table '%1' is not a valid table name").arg(part.table));
        if (!SqlScript::isQualifiedName(part.column))
            return invalid(QStringLiteral("partition column '%1' is not a valid column name")
                               .arg(part.column));
        QElapsedTimer t;
        t.start();
        // The table must exist: skipping the delete when it does not would let a misspelt
        // table name duplicate rows on every rerun.
        const bool prepared = q.prepare(
            QStringLiteral("DELETE FROM %1 WHERE %2 = %3")
                .arg(part.table, part.column, sqlite ? QStringLiteral("?") : QStringLiteral("$1")));
        q.addBindValue(part.value);
        if (!prepared || !q.exec())
            return failed(
                QStringLiteral("partition %1.%2 = '%3'").arg(part.table, part.column, part.value),
                q.lastError());
        line(QStringLiteral("partition %1.%2 = '%3': %4 rows deleted (%5)")
                 .arg(part.table, part.column, part.value)
                 .arg(std::max(0, q.numRowsAffected()))
                 .arg(seconds(t.elapsed())));
        q.finish();
    }

    auto totalChanges = [&]() -> qint64 {
        QSqlQuery c(db);
        return c.exec(QStringLiteral("SELECT total_changes()")) && c.next()
            ? c.value(0).toLongLong()
            : -1;
    };
    for (qsizetype i = 0; i < job.statements.size(); ++i) {
        const SqlStatement &st = job.statements[i];
        const QString where = QStringLiteral("statement %1 (line %2)").arg(i + 1).arg(st.line);
        if (SqlScript::controlsTransaction(st))
            return invalid(where
                + QStringLiteral(": %1 is not allowed: a sql task runs in one transaction of its "
                                 "own")
                      .arg(st.words.value(0)));
        const SqlScript::Bound bound = SqlScript::bind(
            st, sqlite ? SqlScript::Placeholders::Question : SqlScript::Placeholders::Dollar);
        QStringList unknown;
        for (const QString &name : bound.names) {
            if (!job.values.contains(name) && !unknown.contains(name))
                unknown << QLatin1Char(':') + name;
        }
        if (!unknown.isEmpty())
            return invalid(where
                + QStringLiteral(": unknown parameter %1 (known: %2)")
                      .arg(unknown.join(QStringLiteral(", ")),
                          QStringList(job.values.keys()).join(QStringLiteral(", "))));
        if (!sqlite && !bound.names.isEmpty() && qtWouldRewrite(bound.text))
            return invalid(where
                + QStringLiteral(": a PostgreSQL statement with bound parameters cannot also "
                                 "contain '?' or ':name' outside strings (e.g. in a $$ body or a "
                                 "jsonb operator); move that part into a statement of its own"));

        QElapsedTimer t;
        t.start();
        const qint64 before = sqlite ? totalChanges() : 0;
        bool ok = false;
        if (bound.names.isEmpty()) {
            ok = q.exec(st.text); // as written: QtSql rewrites nothing in it
        } else {
            ok = q.prepare(bound.text);
            for (const QString &name : bound.names)
                q.addBindValue(job.values.value(name));
            ok = ok && q.exec();
        }
        if (!ok)
            return failed(where, q.lastError());
        const bool returnsRows = q.isSelect();
        if (returnsRows) {
            while (q.next()) { } // all of it: a query may have effects (functions)
        }
        qint64 rows = std::max(0, q.numRowsAffected());
        if (sqlite) {
            // sqlite3_changes() still counts the last INSERT/UPDATE/DELETE after other
            // statements: no change to total_changes() means this one changed nothing.
            const qint64 after = totalChanges();
            if (after == before)
                rows = 0;
        } else if (returnsRows && !SqlScript::isDataChange(st)) {
            rows = 0; // a query's count is of the rows it returned
        }
        q.finish();
        out.rows.append(rows);
        line(QStringLiteral("%1: %2 rows (%3)").arg(where).arg(rows).arg(seconds(t.elapsed())));
    }
    if (!q.exec(QStringLiteral("COMMIT")))
        return failed(QStringLiteral("commit"), q.lastError());
    QStringList counts;
    for (qint64 n : std::as_const(out.rows))
        counts << QString::number(n);
    line(QStringLiteral("committed; rows per statement: [%1]")
             .arg(counts.join(QStringLiteral(", "))));
    return out;
}

Result<QString> SqlExecution::test(const ConnectionUrl &url, int busyTimeoutMs)
{
    const ConnectionGuard guard{connectionName()};
    QSqlDatabase db = QSqlDatabase::addDatabase(url.qtDriver(), guard.name);
    if (!db.isValid())
        return pw::fail(
            QStringLiteral("the Qt SQL driver %1 is not installed").arg(url.qtDriver()));
    configure(db, url, busyTimeoutMs);
    if (!db.open())
        return pw::fail(SecretMask::apply(QStringLiteral("cannot connect to %1: %2")
                                              .arg(url.redacted(), dbMessage(db.lastError())),
            url.password));
    QSqlQuery q(db);
    const bool sqlite = url.driver == ConnectionUrl::Driver::Sqlite;
    if (!q.exec(
            sqlite ? QStringLiteral("SELECT sqlite_version()") : QStringLiteral("SELECT version()"))
        || !q.next())
        return pw::fail(SecretMask::apply(dbMessage(q.lastError()), url.password));
    const QString version = q.value(0).toString();
    return sqlite ? QStringLiteral("SQLite ") + version
                  : version.section(QStringLiteral(" ("), 0, 0);
}

// --- the child ---------------------------------------------------------------------------

int SqlExecution::childMain()
{
#ifdef Q_OS_LINUX
    // Never outlive the engine that started us: its death kills us, the connection drops and
    // the database rolls back, so no transaction commits without the engine knowing.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    QByteArray input;
    char buf[65536];
    while (true) {
        const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        input.append(buf, n);
        // The gate: nothing runs before the engine has recorded this process group.
        if (input.size() >= 3 && !input.startsWith("go\n"))
            return kExitGate;
    }
    if (!input.startsWith("go\n"))
        return kExitGate;
    QTextStream err(stderr);
    auto job = Job::fromJson(input.mid(3));
    if (!job) {
        err << "pipewright-sqlrun: " << job.error().message << '\n';
        return kExitInvalid;
    }
    if (job->parentPid > 0 && qint64(::getppid()) != job->parentPid)
        return kExitGate; // the engine died before PR_SET_PDEATHSIG took hold
    QTextStream log(stdout);
    const Outcome out = run(*job, log);
    if (out.exitCode != 0)
        log << "error: " << out.error << '\n';
    log.flush();
    if (!job->resultPath.isEmpty()) {
        // Beside the attempt's log, whose directory is made on the log's first byte.
        PrivateFiles::makeDirs(QFileInfo(job->resultPath).absolutePath());
        QSaveFile f(job->resultPath);
        if (!f.open(QIODevice::WriteOnly)
            || !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
            || f.write(out.toJson()) < 0 || !f.commit()) {
            err << "pipewright-sqlrun: cannot write " << job->resultPath << ": " << f.errorString()
                << '\n';
            return out.exitCode != 0 ? out.exitCode : kExitFailed;
        }
    }
    return out.exitCode;
}

} // namespace pw
