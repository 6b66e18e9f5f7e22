#pragma once

// Private to core/history: what the parts of HistoryStore share. The class is one SQLite
// connection; its implementation is split by responsibility:
//   historystore.cpp   opening (read-only fallbacks), transactions, flow definitions
//   historyschema.cpp  the schema and its forward migrations
//   historyruns.cpp    runs, tries, task states, attempts, events: the engine's writes and the
//                      read models of the CLI and the GUI
//   historyowners.cpp  owners, heartbeats and takeover, owner requests, scheduler state

#include "historystore.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>

#include <memory>
#include <unordered_map>

namespace pw {

Q_DECLARE_LOGGING_CATEGORY(lcHistory)

namespace historydb {

// SQLite primary result codes (the driver reports extended codes; the low byte is the primary).
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;

// A null QString/QByteArray binds as SQL NULL in QtSql; NOT NULL text columns want ''.
inline QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
}
inline QVariant blob(const QByteArray &b)
{
    return b.isNull() ? QVariant(QByteArray("")) : QVariant(b);
}
// 0 = absent = NULL, for times and soft ids.
inline QVariant orNull(qint64 v)
{
    return v == 0 ? QVariant() : QVariant(v);
}
inline qint64 int64(const QVariant &v)
{
    return v.isNull() ? 0 : v.toLongLong();
}

// Row readers shared by more than one part (SELECT column lists and their readers).
inline const QString kAttemptColumns = QStringLiteral(
    "a.run_id, a.task, a.attempt, a.try_no, a.state, a.started, a.ended, a.exit_code, a.error,"
    " a.log_path, a.host, a.pgid, a.proc_start, a.owner_id, a.rows");
AttemptRecord attemptFrom(const QSqlQuery &q);
QString runSelect(); // SELECT ... FROM runs r LEFT JOIN tries t (the current try)
RunRecord runFrom(const QSqlQuery &q);

} // namespace historydb

struct HistoryStore::Private
{
    QString connection;
    QSqlDatabase db;
    Options options;
    int version = 0;
    bool inTransaction = false; // begin() by the caller
    bool atomicOwnsTx = false;  // beginAtomic() opened the transaction itself
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> cache;
    // The engine's hot write paths (~10 rows per task) skip even the cache lookup.
    enum Hot {
        SetTaskState,
        InsertAttempt,
        SetAttemptProcess,
        FinishAttempt,
        AppendEvent,
        HotCount
    };
    std::unique_ptr<QSqlQuery> hot[HotCount];
    std::unique_ptr<QTemporaryDir> snapshot; // read-only open of a copy (see open())

    Error sqlError(const QString &what, const QSqlError &e) const
    {
        const int code = e.nativeErrorCode().toInt() & 0xff;
        QString detail = e.databaseText();
        if (detail.isEmpty())
            detail = e.text();
        const QString where
            = what + QStringLiteral(": ") + detail + QStringLiteral("; ") + options.path;
        if (code == historydb::kSqliteBusy || code == historydb::kSqliteLocked) {
            return Error::environment(QStringLiteral("history database is locked (") + where
                + QStringLiteral("; gave up after %1 ms)").arg(options.busyTimeoutMs));
        }
        if (code == historydb::kSqliteFull)
            return Error::environment(
                QStringLiteral("disk full while writing history (") + where + QLatin1Char(')'));
        return Error::environment(QStringLiteral("history database error while ") + where);
    }

    // A prepared statement, prepared once per connection and reused (bind + exec).
    Result<QSqlQuery *> prepared(const QString &sql)
    {
        auto it = cache.find(sql);
        if (it != cache.end())
            return it->second.get();
        auto q = std::make_unique<QSqlQuery>(db);
        q->setForwardOnly(true);
        if (!q->prepare(sql))
            return Unexpected(
                sqlError(QStringLiteral("preparing \"") + sql + QLatin1Char('"'), q->lastError()));
        QSqlQuery *raw = q.get();
        cache.emplace(sql, std::move(q));
        return raw;
    }

    Result<QSqlQuery *> preparedHot(Hot slot, const char *sql)
    {
        if (hot[slot])
            return hot[slot].get();
        auto q = std::make_unique<QSqlQuery>(db);
        q->setForwardOnly(true);
        if (!q->prepare(QLatin1String(sql)))
            return Unexpected(
                sqlError(QStringLiteral("preparing \"") + QLatin1String(sql) + QLatin1Char('"'),
                    q->lastError()));
        hot[slot] = std::move(q);
        return hot[slot].get();
    }

    // exec() whose error context is built only on failure (hot paths).
    template<typename What>
    Result<void> execLazy(QSqlQuery *q, const What &what)
    {
        if (Q_LIKELY(q->exec()))
            return {};
        const Error e = sqlError(what(), q->lastError());
        q->finish();
        return Unexpected(e);
    }

    // Executes a prepared statement whose values are bound. A SELECT stays active until the
    // caller has read it and called finish() (done by the read helpers below).
    Result<void> exec(QSqlQuery *q, const QString &what)
    {
        if (!q->exec()) {
            const Error e = sqlError(what, q->lastError());
            q->finish();
            return Unexpected(e);
        }
        return {};
    }

    // One-off statement (PRAGMA, BEGIN, migration DDL).
    Result<void> execDirect(const QString &sql, const QString &what)
    {
        QSqlQuery q(db);
        if (!q.exec(sql))
            return Unexpected(sqlError(what, q.lastError()));
        return {};
    }

    Result<QVariant> scalar(const QString &sql, const QString &what)
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(sql))
            return Unexpected(sqlError(what, q.lastError()));
        QVariant v;
        if (q.next())
            v = q.value(0);
        return v;
    }

    // Compound writes are atomic whether or not the caller has begun a transaction:
    // outside one they open BEGIN IMMEDIATE ... COMMIT, inside one a savepoint.
    Result<void> beginAtomic()
    {
        if (inTransaction) {
            atomicOwnsTx = false;
            return execDirect(
                QStringLiteral("SAVEPOINT pw_atomic"), QStringLiteral("starting a savepoint"));
        }
        if (auto r = execDirect(
                QStringLiteral("BEGIN IMMEDIATE"), QStringLiteral("starting a transaction"));
            !r)
            return r;
        atomicOwnsTx = true;
        return {};
    }
    Result<void> endAtomic()
    {
        if (!atomicOwnsTx)
            return execDirect(
                QStringLiteral("RELEASE pw_atomic"), QStringLiteral("releasing a savepoint"));
        atomicOwnsTx = false;
        if (auto r = execDirect(QStringLiteral("COMMIT"), QStringLiteral("committing")); !r) {
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
            return r;
        }
        return {};
    }
    void abortAtomic()
    {
        QSqlQuery q(db);
        if (atomicOwnsTx) {
            q.exec(QStringLiteral("ROLLBACK"));
            atomicOwnsTx = false;
        } else {
            q.exec(QStringLiteral("ROLLBACK TO pw_atomic"));
            q.exec(QStringLiteral("RELEASE pw_atomic"));
        }
    }

    Result<void> migrate();
};

} // namespace pw
