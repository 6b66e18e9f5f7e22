#include "historystore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUrl>
#include <QVariant>

#include <atomic>
#include <unordered_map>

namespace pw {

namespace {

Q_LOGGING_CATEGORY(lcHistory, "pw.core.history")

// --- schema -------------------------------------------------------------------------------
//
// Forward migrations, in order: migrations()[i] takes the schema from version i to i + 1 and
// PRAGMA user_version records the version reached. Never edit a released migration; append a
// new one (ALTER TABLE / CREATE INDEX / table rebuild) instead. Each list is run inside one
// transaction together with the user_version update, so a migration is all or nothing.
//
// Storage decisions:
// - Times are INTEGER ms since the epoch (UTC); NULL = absent (records use 0).
// - States and triggers are their lowercase names (TEXT), so the file reads well in `sqlite3`.
// - Owner ids are soft references (no foreign key): owner rows may be pruned later, and a run
//   may have no owner (0 in the records = NULL here). Definition hashes are soft too: the engine
//   may store the snapshot and start the try in either order within one transaction.
// - events are append-only (triggers refuse UPDATE and DELETE).
using Migration = QList<const char *>;

const QList<Migration> &migrations()
{
    static const QList<Migration> all = {
        // 1: the initial schema.
        {
            "CREATE TABLE flow_versions ("
            " hash TEXT PRIMARY KEY,"
            " flow_id TEXT NOT NULL,"
            " definition BLOB NOT NULL,"
            " created INTEGER NOT NULL"
            ") WITHOUT ROWID",
            "CREATE INDEX flow_versions_by_flow ON flow_versions(flow_id, created)",

            "CREATE TABLE owners ("
            " id INTEGER PRIMARY KEY,"
            " host TEXT NOT NULL,"
            " pid INTEGER NOT NULL,"
            " proc_start INTEGER NOT NULL DEFAULT -1,"
            " boot_id TEXT NOT NULL DEFAULT '',"
            " started INTEGER NOT NULL,"
            " heartbeat INTEGER NOT NULL,"
            " alive INTEGER NOT NULL DEFAULT 1,"
            " taken_over_by INTEGER,"
            " ended INTEGER"
            ")",
            "CREATE INDEX owners_alive ON owners(id) WHERE alive = 1",

            "CREATE TABLE runs ("
            " id INTEGER PRIMARY KEY,"
            " flow_id TEXT NOT NULL,"
            " key TEXT NOT NULL UNIQUE,"
            " params TEXT NOT NULL,"
            " source_path TEXT NOT NULL DEFAULT '',"
            " workdir TEXT NOT NULL DEFAULT '',"
            " state TEXT NOT NULL,"
            " try_no INTEGER NOT NULL DEFAULT 0,"
            " owner_id INTEGER,"
            " created INTEGER NOT NULL"
            ")",
            "CREATE INDEX runs_newest ON runs(created DESC, id DESC)",
            "CREATE INDEX runs_by_flow_state ON runs(flow_id, state, created DESC)",
            "CREATE INDEX runs_by_state ON runs(state, created DESC)",
            "CREATE INDEX runs_by_owner ON runs(owner_id)",

            "CREATE TABLE tries ("
            " run_id INTEGER NOT NULL REFERENCES runs(id),"
            " try_no INTEGER NOT NULL,"
            " trigger TEXT NOT NULL,"
            " plan_hash TEXT NOT NULL DEFAULT '',"
            " definition_hash TEXT NOT NULL DEFAULT '',"
            " state TEXT NOT NULL,"
            " owner_id INTEGER,"
            " note TEXT NOT NULL DEFAULT '',"
            " started INTEGER,"
            " ended INTEGER,"
            " PRIMARY KEY (run_id, try_no)"
            ") WITHOUT ROWID",

            // id gives the insertion order of a run's tasks; an upsert keeps it.
            "CREATE TABLE task_states ("
            " id INTEGER PRIMARY KEY,"
            " run_id INTEGER NOT NULL REFERENCES runs(id),"
            " task TEXT NOT NULL,"
            " state TEXT NOT NULL,"
            " try_no INTEGER NOT NULL,"
            " updated INTEGER NOT NULL,"
            " due_at INTEGER,"
            " marked_by TEXT NOT NULL DEFAULT '',"
            " marked_at INTEGER,"
            " UNIQUE (run_id, task)"
            ")",

            "CREATE TABLE attempts ("
            " run_id INTEGER NOT NULL REFERENCES runs(id),"
            " task TEXT NOT NULL,"
            " attempt INTEGER NOT NULL,"
            " try_no INTEGER NOT NULL,"
            " state TEXT NOT NULL,"
            " started INTEGER,"
            " ended INTEGER,"
            " exit_code INTEGER,"
            " error TEXT NOT NULL DEFAULT '',"
            " log_path TEXT NOT NULL DEFAULT '',"
            " host TEXT NOT NULL DEFAULT '',"
            " pgid INTEGER NOT NULL DEFAULT 0,"
            " proc_start INTEGER NOT NULL DEFAULT -1,"
            " owner_id INTEGER,"
            " PRIMARY KEY (run_id, task, attempt)"
            ") WITHOUT ROWID",
            // Only running attempts are indexed: what a takeover has to find, and small.
            "CREATE INDEX attempts_running ON attempts(run_id) WHERE state = 'running'",

            "CREATE TABLE requests ("
            " id INTEGER PRIMARY KEY,"
            " run_id INTEGER NOT NULL REFERENCES runs(id),"
            " task TEXT NOT NULL DEFAULT '',"
            " kind TEXT NOT NULL,"
            " arg TEXT NOT NULL DEFAULT '',"
            " requested_by TEXT NOT NULL DEFAULT '',"
            " created INTEGER NOT NULL,"
            " handled INTEGER,"
            " result TEXT NOT NULL DEFAULT ''"
            ")",
            "CREATE INDEX requests_pending ON requests(run_id) WHERE handled IS NULL",

            "CREATE TABLE events ("
            " id INTEGER PRIMARY KEY,"
            " time INTEGER NOT NULL,"
            " run_id INTEGER REFERENCES runs(id),"
            " try_no INTEGER NOT NULL DEFAULT 0,"
            " task TEXT NOT NULL DEFAULT '',"
            " attempt INTEGER NOT NULL DEFAULT 0,"
            " kind TEXT NOT NULL,"
            " state TEXT NOT NULL DEFAULT '',"
            " detail TEXT NOT NULL DEFAULT ''"
            ")",
            "CREATE INDEX events_by_run ON events(run_id, id)",
            "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
            " BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END",
            "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
            " BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END",
        },
        // 2: scheduling (core/schedule): the last handled fire time per scheduled flow, and
        // the one-row scheduler lock tied to an owner (a dead owner's lock is free).
        {
            "CREATE TABLE schedule_state ("
            " flow_id TEXT PRIMARY KEY,"
            " last_fire INTEGER NOT NULL,"
            " updated INTEGER NOT NULL"
            ") WITHOUT ROWID",
            "CREATE TABLE scheduler_lock ("
            " id INTEGER PRIMARY KEY CHECK (id = 1),"
            " owner_id INTEGER NOT NULL,"
            " acquired INTEGER NOT NULL"
            ")",
        },
        // 3: tasks that a later try's plan removed (rerun --current-definition) stay recorded
        // but leave the run's task list; NULL = part of the run.
        {
            "ALTER TABLE task_states ADD COLUMN removed_in_try INTEGER",
        },
        // 4: append the next migration here.
    };
    return all;
}

std::atomic<int> s_connectionCounter{0};

// SQLite primary result codes (the driver reports extended codes; the low byte is the primary).
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;

// A null QString/QByteArray binds as SQL NULL in QtSql; NOT NULL text columns want ''.
QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
}
QVariant blob(const QByteArray &b)
{
    return b.isNull() ? QVariant(QByteArray("")) : QVariant(b);
}
// 0 = absent = NULL, for times and soft ids.
QVariant orNull(qint64 v)
{
    return v == 0 ? QVariant() : QVariant(v);
}
qint64 int64(const QVariant &v)
{
    return v.isNull() ? 0 : v.toLongLong();
}

QString finalTaskStatesSql()
{
    QStringList names;
    for (int i = 0; i <= int(TaskState::Interrupted); ++i) {
        if (isFinal(TaskState(i)))
            names << QLatin1Char('\'') + toString(TaskState(i)) + QLatin1Char('\'');
    }
    return names.join(QLatin1Char(','));
}

} // namespace

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
        if (code == kSqliteBusy || code == kSqliteLocked) {
            return Error::environment(QStringLiteral("history database is locked (") + where
                + QStringLiteral("; gave up after %1 ms)").arg(options.busyTimeoutMs));
        }
        if (code == kSqliteFull)
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

HistoryStore::HistoryStore() : d(std::make_unique<Private>()) { }

HistoryStore::~HistoryStore()
{
    if (d->inTransaction)
        rollback();
    d->cache.clear(); // statements must go before their connection
    for (auto &q : d->hot)
        q.reset();
    d->db.close();
    d->db = QSqlDatabase();
    QSqlDatabase::removeDatabase(d->connection);
}

int HistoryStore::latestSchemaVersion()
{
    return int(migrations().size());
}
int HistoryStore::schemaVersion() const
{
    return d->version;
}
QString HistoryStore::path() const
{
    return d->options.path;
}

Result<void> HistoryStore::Private::migrate()
{
    const QString path = options.path;
    auto versionOf = [this]() -> Result<int> {
        auto v = scalar(
            QStringLiteral("PRAGMA user_version"), QStringLiteral("reading the schema version"));
        if (!v)
            return Unexpected(v.error());
        return v->toInt();
    };
    auto tooNew = [&](int v) {
        return fail(QStringLiteral("history database %1 has schema version %2, newer than this "
                                   "version of Pipewright understands (%3); use a newer Pipewright")
                        .arg(path)
                        .arg(v)
                        .arg(latestSchemaVersion()));
    };
    auto current = versionOf();
    if (!current)
        return Unexpected(current.error());
    if (*current > latestSchemaVersion())
        return tooNew(*current);
    if (*current == latestSchemaVersion()) {
        version = *current;
        return {};
    }
    if (options.readOnly) {
        return fail(QStringLiteral("history database %1 has schema version %2 and needs migrating "
                                   "to %3, which a read-only open cannot do")
                        .arg(path)
                        .arg(*current)
                        .arg(latestSchemaVersion()));
    }
    // BEGIN IMMEDIATE serialises migrating processes; re-read the version inside.
    if (auto r
        = execDirect(QStringLiteral("BEGIN IMMEDIATE"), QStringLiteral("starting the migration"));
        !r)
        return r;
    auto inside = versionOf();
    if (!inside) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return Unexpected(inside.error());
    }
    if (*inside > latestSchemaVersion()) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return tooNew(*inside);
    }
    for (int v = *inside; v < latestSchemaVersion(); ++v) {
        for (const char *statement : migrations().at(v)) {
            auto r = execDirect(QString::fromLatin1(statement),
                QStringLiteral("migrating the schema to version %1").arg(v + 1));
            if (!r) {
                QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
                return r;
            }
        }
        if (*inside > 0)
            qCInfo(lcHistory) << "migrated" << path << "to schema version" << v + 1;
    }
    auto r = execDirect(QStringLiteral("PRAGMA user_version = %1").arg(latestSchemaVersion()),
        QStringLiteral("recording the schema version"));
    if (r)
        r = execDirect(QStringLiteral("COMMIT"), QStringLiteral("committing the migration"));
    if (!r) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return r;
    }
    version = latestSchemaVersion();
    return {};
}

// Returns early with the error of a failed Result (any Result type converts from Unexpected).
#define PW_TRY(expr)                                                                               \
    do {                                                                                           \
        if (auto pwTryResult_ = (expr); !pwTryResult_)                                             \
            return Unexpected(std::move(pwTryResult_).error());                                    \
    } while (false)

// Declares `var` as the value of a Result, or returns its error.
#define PW_TRY_ASSIGN(var, expr)                                                                   \
    auto var##Result_ = (expr);                                                                    \
    if (!var##Result_)                                                                             \
        return Unexpected(std::move(var##Result_).error());                                        \
    auto var = std::move(*var##Result_)

Result<std::unique_ptr<HistoryStore>> HistoryStore::open(const Options &options)
{
    if (options.path.isEmpty())
        return fail(QStringLiteral("no history database path given"));
    const QFileInfo info(options.path);
    if (options.readOnly && !info.exists()) {
        return fail(QStringLiteral("history database %1 does not exist (it was opened read-only, "
                                   "so it is not created)")
                        .arg(options.path));
    }
    if (!options.readOnly && !QDir().mkpath(info.absolutePath())) {
        return fail(QStringLiteral("cannot create the directory %1 for the history database")
                        .arg(info.absolutePath()));
    }

    std::unique_ptr<HistoryStore> store(new HistoryStore);
    Private &d = *store->d;
    d.options = options;
    d.connection = QStringLiteral("pw-history-") + QString::number(++s_connectionCounter);
    d.db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), d.connection);
    if (!d.db.isValid())
        return fail(QStringLiteral("the Qt SQLite driver (QSQLITE) is not available"));
    d.db.setDatabaseName(options.path);
    QString connectOptions = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs);
    if (options.readOnly)
        connectOptions += QStringLiteral(";QSQLITE_OPEN_READONLY");
    d.db.setConnectOptions(connectOptions);
    if (!d.db.open())
        return Unexpected(d.sqlError(QStringLiteral("opening"), d.db.lastError()));
    if (options.readOnly) {
        // A read-only store (backup, read-only mount, another user's home). SQLite 3.40 opens
        // the WAL database with SQLITE_OPEN_READONLY only if it can use a -shm wal-index: when
        // -wal and -shm exist (even read-only) it works and reads the WAL; when -shm is missing
        // and cannot be created, the first read fails (open() itself succeeds): SQLITE_CANTOPEN
        // on a read-only mount, SQLITE_READONLY ("attempt to write a readonly database") in a
        // directory this user may not write. Tested on a read-only tmpfs and as non-root. Then:
        // - no -wal, or an empty one: the main file holds every commit, so open it as a URI
        //   with immutable=1 (no locks, no -shm). Not for a non-empty -wal: immutable ignores
        //   the WAL, so the last commits would silently be missing.
        // - a non-empty -wal without a usable -shm: read a private copy of the database and
        //   its -wal (in a temporary directory, where SQLite can build the wal-index). Rare
        //   (a backup that skipped -shm); the copy costs the size of the store once.
        // PRAGMA locking_mode=EXCLUSIVE (which skips the -shm) fails with "disk I/O error" on a
        // read-only file, so it is no option. Either fallback is a snapshot: data_version never
        // changes, which is right for a store nobody can write.
        QSqlQuery probe(d.db);
        const bool readable = probe.exec(QStringLiteral("SELECT count(*) FROM sqlite_master"));
        const QSqlError probeError = probe.lastError();
        probe = QSqlQuery();
        const int probeCode = probeError.nativeErrorCode().toInt() & 0xff;
        if (!readable && probeCode != kSqliteCantOpen && probeCode != kSqliteReadOnly)
            return Unexpected(d.sqlError(QStringLiteral("reading"), probeError));
        if (!readable) {
            d.db.close();
            const QFileInfo wal(options.path + QStringLiteral("-wal"));
            if (wal.exists() && wal.size() > 0) {
                d.snapshot = std::make_unique<QTemporaryDir>();
                const QString copy = d.snapshot->filePath(QStringLiteral("history.sqlite"));
                if (!d.snapshot->isValid() || !QFile::copy(options.path, copy)
                    || !QFile::copy(wal.filePath(), copy + QStringLiteral("-wal"))) {
                    return fail(QStringLiteral("history database %1 is read-only and has a "
                                               "write-ahead log but no -shm index; copying it "
                                               "to a temporary directory to read it failed")
                                    .arg(options.path));
                }
                d.db.setDatabaseName(copy);
            } else {
                d.db.setDatabaseName(
                    QUrl::fromLocalFile(info.absoluteFilePath()).toString(QUrl::FullyEncoded)
                    + QStringLiteral("?immutable=1"));
                d.db.setConnectOptions(connectOptions + QStringLiteral(";QSQLITE_OPEN_URI"));
            }
            if (!d.db.open())
                return Unexpected(d.sqlError(QStringLiteral("opening"), d.db.lastError()));
        }
    }

    PW_TRY(d.execDirect(QStringLiteral("PRAGMA busy_timeout = %1").arg(options.busyTimeoutMs),
        QStringLiteral("setting the busy timeout")));
    PW_TRY(d.execDirect(
        QStringLiteral("PRAGMA foreign_keys = ON"), QStringLiteral("enabling foreign keys")));
    if (!options.readOnly) {
        PW_TRY_ASSIGN(mode,
            d.scalar(
                QStringLiteral("PRAGMA journal_mode = WAL"), QStringLiteral("switching to WAL")));
        if (mode.toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
            return fail(QStringLiteral("history database %1 could not switch to WAL (journal mode "
                                       "is %2)")
                            .arg(options.path, mode.toString()));
        }
        PW_TRY(d.execDirect(options.synchronousFull ? QStringLiteral("PRAGMA synchronous = FULL")
                                                    : QStringLiteral("PRAGMA synchronous = NORMAL"),
            QStringLiteral("setting synchronous")));
    }
    PW_TRY(d.migrate());
    return store;
}

// --- transactions ------------------------------------------------------------------------

Result<void> HistoryStore::begin()
{
    if (d->inTransaction)
        return fail(QStringLiteral("history: begin() inside a transaction"));
    // IMMEDIATE takes the write lock now: a deferred transaction that reads first could not
    // upgrade later in WAL mode without failing with SQLITE_BUSY past the busy handler.
    PW_TRY(
        d->execDirect(QStringLiteral("BEGIN IMMEDIATE"), QStringLiteral("starting a transaction")));
    d->inTransaction = true;
    return {};
}

Result<void> HistoryStore::commit()
{
    if (!d->inTransaction)
        return fail(QStringLiteral("history: commit() without begin()"));
    d->inTransaction = false;
    QSqlQuery q(d->db);
    if (!q.exec(QStringLiteral("COMMIT"))) {
        const Error e = d->sqlError(
            QStringLiteral("committing (the transaction was rolled back)"), q.lastError());
        q.exec(QStringLiteral("ROLLBACK"));
        return Unexpected(e);
    }
    return {};
}

void HistoryStore::rollback()
{
    if (!d->inTransaction)
        return;
    d->inTransaction = false;
    QSqlQuery q(d->db);
    if (!q.exec(QStringLiteral("ROLLBACK")))
        qCWarning(lcHistory) << "rollback failed:" << q.lastError().text();
}

bool HistoryStore::inTransaction() const
{
    return d->inTransaction;
}

Result<qint64> HistoryStore::dataVersion()
{
    PW_TRY_ASSIGN(q, d->prepared(QStringLiteral("PRAGMA data_version")));
    PW_TRY(d->exec(q, QStringLiteral("reading data_version")));
    const qint64 v = q->next() ? q->value(0).toLongLong() : 0;
    q->finish();
    return v;
}

// --- owners ------------------------------------------------------------------------------

namespace {

Error ownerLost(qint64 ownerId)
{
    Error e(QStringLiteral("owner %1 is no longer alive in the history database (it was released "
                           "or taken over by another process); this process stops writing")
                .arg(ownerId));
    e.kind = Error::Kind::OwnershipLost;
    return e;
}

const QString kOwnerColumns = QStringLiteral(
    "id, host, pid, proc_start, boot_id, started, heartbeat, alive, taken_over_by");

OwnerRecord ownerFrom(const QSqlQuery &q)
{
    OwnerRecord o;
    o.id = q.value(0).toLongLong();
    o.host = q.value(1).toString();
    o.pid = q.value(2).toLongLong();
    o.procStart = q.value(3).toLongLong();
    o.bootId = q.value(4).toString();
    o.started = int64(q.value(5));
    o.heartbeat = int64(q.value(6));
    o.alive = q.value(7).toInt() != 0;
    o.takenOverBy = int64(q.value(8));
    return o;
}

} // namespace

Result<qint64> HistoryStore::registerOwner(const OwnerRecord &owner)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT INTO owners (host, pid, proc_start, boot_id, started, heartbeat, alive)"
            " VALUES (?, ?, ?, ?, ?, ?, 1)")));
    q->bindValue(0, text(owner.host));
    q->bindValue(1, owner.pid);
    q->bindValue(2, owner.procStart);
    q->bindValue(3, text(owner.bootId));
    q->bindValue(4, owner.started);
    q->bindValue(5, owner.heartbeat);
    PW_TRY(d->exec(q, QStringLiteral("registering an owner")));
    return q->lastInsertId().toLongLong();
}

Result<void> HistoryStore::heartbeat(qint64 ownerId, qint64 now)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("UPDATE owners SET heartbeat = ? WHERE id = ? AND alive = 1")));
    q->bindValue(0, now);
    q->bindValue(1, ownerId);
    PW_TRY(d->exec(q, QStringLiteral("writing a heartbeat")));
    if (q->numRowsAffected() != 1)
        return Unexpected(ownerLost(ownerId));
    return {};
}

Result<void> HistoryStore::checkOwner(qint64 ownerId)
{
    PW_TRY_ASSIGN(q, d->prepared(QStringLiteral("SELECT alive FROM owners WHERE id = ?")));
    q->bindValue(0, ownerId);
    PW_TRY(d->exec(q, QStringLiteral("checking owner %1").arg(ownerId)));
    const bool alive = q->next() && q->value(0).toInt() == 1;
    q->finish();
    if (!alive)
        return Unexpected(ownerLost(ownerId));
    return {};
}

Result<void> HistoryStore::releaseOwner(qint64 ownerId, qint64 now)
{
    PW_TRY_ASSIGN(q,
        d->prepared(
            QStringLiteral("UPDATE owners SET alive = 0, ended = ? WHERE id = ? AND alive = 1")));
    q->bindValue(0, now);
    q->bindValue(1, ownerId);
    return d->exec(q, QStringLiteral("releasing an owner"));
}

Result<QList<OwnerRecord>> HistoryStore::aliveOwners()
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("SELECT ") + kOwnerColumns
            + QStringLiteral(" FROM owners WHERE alive = 1 ORDER BY id")));
    PW_TRY(d->exec(q, QStringLiteral("reading owners")));
    QList<OwnerRecord> out;
    while (q->next())
        out << ownerFrom(*q);
    q->finish();
    return out;
}

Result<std::optional<OwnerRecord>> HistoryStore::owner(qint64 ownerId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("SELECT ") + kOwnerColumns
            + QStringLiteral(" FROM owners WHERE id = ?")));
    q->bindValue(0, ownerId);
    PW_TRY(d->exec(q, QStringLiteral("reading an owner")));
    std::optional<OwnerRecord> out;
    if (q->next())
        out = ownerFrom(*q);
    q->finish();
    return out;
}

Result<bool> HistoryStore::claimOwner(
    qint64 deadOwnerId, qint64 seenHeartbeat, qint64 byOwnerId, qint64 now)
{
    // One statement, so it is atomic on its own: of two claimers only one sees alive = 1.
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("UPDATE owners SET alive = 0, taken_over_by = ?, ended = ?"
                                   " WHERE id = ? AND alive = 1 AND heartbeat = ?")));
    q->bindValue(0, orNull(byOwnerId));
    q->bindValue(1, now);
    q->bindValue(2, deadOwnerId);
    q->bindValue(3, seenHeartbeat);
    PW_TRY(d->exec(q, QStringLiteral("claiming owner %1").arg(deadOwnerId)));
    return q->numRowsAffected() == 1;
}

// --- attempts (read helpers shared with takeover) ---------------------------------------

namespace {

const QString kAttemptColumns = QStringLiteral(
    "a.run_id, a.task, a.attempt, a.try_no, a.state, a.started, a.ended, a.exit_code, a.error,"
    " a.log_path, a.host, a.pgid, a.proc_start, a.owner_id");

AttemptRecord attemptFrom(const QSqlQuery &q)
{
    AttemptRecord a;
    a.runId = q.value(0).toLongLong();
    a.task = q.value(1).toString();
    a.attempt = q.value(2).toInt();
    a.tryNo = q.value(3).toInt();
    a.state = attemptStateFromString(q.value(4).toString()).value_or(AttemptState::Failed);
    a.started = int64(q.value(5));
    a.ended = int64(q.value(6));
    if (!q.value(7).isNull())
        a.exitCode = q.value(7).toInt();
    a.error = q.value(8).toString();
    a.logPath = q.value(9).toString();
    a.host = q.value(10).toString();
    a.pgid = q.value(11).toLongLong();
    a.procStart = q.value(12).toLongLong();
    a.ownerId = int64(q.value(13));
    return a;
}

} // namespace

Result<QList<AttemptRecord>> HistoryStore::runningAttemptsOfOwner(qint64 ownerId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("SELECT ") + kAttemptColumns
            + QStringLiteral(" FROM attempts a WHERE a.state = 'running' AND (a.owner_id = ?"
                             " OR a.run_id IN (SELECT id FROM runs WHERE owner_id = ?))"
                             " ORDER BY a.run_id, a.started, a.task, a.attempt")));
    q->bindValue(0, ownerId);
    q->bindValue(1, ownerId);
    PW_TRY(d->exec(q, QStringLiteral("reading running attempts")));
    QList<AttemptRecord> out;
    while (q->next())
        out << attemptFrom(*q);
    q->finish();
    return out;
}

Result<QList<qint64>> HistoryStore::interruptOwner(
    qint64 deadOwnerId, qint64 now, const QString &reason)
{
    QString why = reason;
    if (why.isEmpty()) {
        PW_TRY_ASSIGN(ownerRow, owner(deadOwnerId));
        why = ownerRow ? QStringLiteral("owner %1 (%2 pid %3) died")
                             .arg(deadOwnerId)
                             .arg(ownerRow->host)
                             .arg(ownerRow->pid)
                       : QStringLiteral("owner %1 died").arg(deadOwnerId);
    }
    return interruptRuns(deadOwnerId, now, why, false);
}

Result<QList<qint64>> HistoryStore::endOwner(qint64 ownerId, qint64 now, const QString &reason)
{
    return interruptRuns(ownerId, now, reason, true);
}

Result<QList<qint64>> HistoryStore::interruptRuns(
    qint64 deadOwnerId, qint64 now, const QString &why, bool fenced)
{
    PW_TRY(d->beginAtomic());
    auto body = [&]() -> Result<QList<qint64>> {
        if (fenced)
            PW_TRY(checkOwner(deadOwnerId));
        struct ActiveRun
        {
            qint64 id;
            int tryNo;
        };
        QList<ActiveRun> active;
        {
            PW_TRY_ASSIGN(q,
                d->prepared(QStringLiteral("SELECT id, try_no FROM runs WHERE (owner_id = ? AND "
                                           "state IN ('queued', 'running'))"
                                           " OR id IN (SELECT run_id FROM attempts WHERE state = "
                                           "'running' AND owner_id = ?)"
                                           " ORDER BY id")));
            q->bindValue(0, deadOwnerId);
            q->bindValue(1, deadOwnerId);
            PW_TRY(d->exec(q, QStringLiteral("finding the runs of owner %1").arg(deadOwnerId)));
            while (q->next())
                active.append({q->value(0).toLongLong(), q->value(1).toInt()});
            q->finish();
        }
        QList<qint64> runIds;
        const QString interrupted = toString(TaskState::Interrupted);
        for (const ActiveRun &run : active) {
            runIds << run.id;
            QList<EventRecord> events;
            auto event = [&](int tryNo, const QString &task, int attempt, const QString &kind) {
                EventRecord e;
                e.time = now;
                e.runId = run.id;
                e.tryNo = tryNo;
                e.task = task;
                e.attempt = attempt;
                e.kind = kind;
                e.state = interrupted;
                e.detail = why;
                events << e;
            };
            {
                PW_TRY_ASSIGN(q,
                    d->prepared(QStringLiteral("SELECT task, attempt, try_no FROM attempts"
                                               " WHERE run_id = ? AND state = 'running' ORDER BY "
                                               "started, task, attempt")));
                q->bindValue(0, run.id);
                PW_TRY(d->exec(q, QStringLiteral("reading running attempts")));
                while (q->next())
                    event(q->value(2).toInt(), q->value(0).toString(), q->value(1).toInt(),
                        QStringLiteral("attempt"));
                q->finish();
            }
            {
                PW_TRY_ASSIGN(q,
                    d->prepared(QStringLiteral(
                        "SELECT task FROM task_states WHERE run_id = ? AND removed_in_try IS NULL"
                        " AND state IN ('waiting', 'queued', 'running', 'retry_wait') ORDER BY "
                        "id")));
                q->bindValue(0, run.id);
                PW_TRY(d->exec(q, QStringLiteral("reading active tasks")));
                while (q->next())
                    event(run.tryNo, q->value(0).toString(), 0, QStringLiteral("task"));
                q->finish();
            }
            event(run.tryNo, {}, 0, QStringLiteral("run"));

            PW_TRY_ASSIGN(a,
                d->prepared(QStringLiteral(
                    "UPDATE attempts SET state = 'interrupted', ended = ?, error = 'interrupted'"
                    " WHERE run_id = ? AND state = 'running'")));
            a->bindValue(0, now);
            a->bindValue(1, run.id);
            PW_TRY(d->exec(a, QStringLiteral("interrupting attempts")));
            PW_TRY_ASSIGN(t,
                d->prepared(QStringLiteral(
                    "UPDATE task_states SET state = 'interrupted', updated = ?, try_no = ?, due_at "
                    "= NULL"
                    " WHERE run_id = ? AND removed_in_try IS NULL"
                    " AND state IN ('waiting', 'queued', 'running', 'retry_wait')")));
            t->bindValue(0, now);
            t->bindValue(1, run.tryNo);
            t->bindValue(2, run.id);
            PW_TRY(d->exec(t, QStringLiteral("interrupting tasks")));
            PW_TRY_ASSIGN(tr,
                d->prepared(
                    QStringLiteral("UPDATE tries SET state = 'interrupted', ended = ?"
                                   " WHERE run_id = ? AND state IN ('queued', 'running')")));
            tr->bindValue(0, now);
            tr->bindValue(1, run.id);
            PW_TRY(d->exec(tr, QStringLiteral("interrupting tries")));
            PW_TRY_ASSIGN(r,
                d->prepared(QStringLiteral("UPDATE runs SET state = 'interrupted'"
                                           " WHERE id = ? AND state IN ('queued', 'running')")));
            r->bindValue(0, run.id);
            PW_TRY(d->exec(r, QStringLiteral("interrupting runs")));
            for (const EventRecord &e : std::as_const(events))
                PW_TRY(appendEvent(e));
        }
        PW_TRY_ASSIGN(o,
            d->prepared(QStringLiteral(
                "UPDATE owners SET alive = 0, ended = COALESCE(ended, ?) WHERE id = ?")));
        o->bindValue(0, now);
        o->bindValue(1, deadOwnerId);
        PW_TRY(d->exec(o, QStringLiteral("retiring owner %1").arg(deadOwnerId)));
        return runIds;
    };
    auto result = body();
    if (!result) {
        d->abortAtomic();
        return result;
    }
    PW_TRY(d->endAtomic());
    return result;
}

// --- definitions -------------------------------------------------------------------------

Result<void> HistoryStore::storeDefinition(
    const QString &hash, const QString &flowId, const QByteArray &definition)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT OR IGNORE INTO flow_versions (hash, flow_id, definition, created)"
            " VALUES (?, ?, ?, ?)")));
    q->bindValue(0, text(hash));
    q->bindValue(1, text(flowId));
    q->bindValue(2, blob(definition));
    q->bindValue(3, QDateTime::currentMSecsSinceEpoch());
    return d->exec(q, QStringLiteral("storing a flow definition"));
}

Result<QByteArray> HistoryStore::definition(const QString &hash)
{
    PW_TRY_ASSIGN(
        q, d->prepared(QStringLiteral("SELECT definition FROM flow_versions WHERE hash = ?")));
    q->bindValue(0, text(hash));
    PW_TRY(d->exec(q, QStringLiteral("reading a flow definition")));
    if (!q->next()) {
        q->finish();
        return fail(
            QStringLiteral("no flow definition with hash %1 in the history database").arg(hash));
    }
    const QByteArray out = q->value(0).toByteArray();
    q->finish();
    return out;
}

// --- runs and tries ----------------------------------------------------------------------

namespace {

QString runSelect()
{
    static const QString sql = QStringLiteral("SELECT r.id, r.flow_id, r.key, r.params, "
                                              "r.source_path, r.workdir, r.state, r.try_no,"
                                              " r.owner_id, r.created, t.trigger, t.plan_hash, "
                                              "t.definition_hash, t.started, t.ended,"
                                              " (SELECT count(*) FROM task_states s WHERE s.run_id "
                                              "= r.id AND s.removed_in_try IS NULL),"
                                              " (SELECT count(*) FROM task_states s WHERE s.run_id "
                                              "= r.id AND s.removed_in_try IS NULL"
                                              " AND s.state IN (")
        + finalTaskStatesSql()
        + QStringLiteral(
            "))"
            " FROM runs r LEFT JOIN tries t ON t.run_id = r.id AND t.try_no = r.try_no");
    return sql;
}

RunRecord runFrom(const QSqlQuery &q)
{
    RunRecord r;
    r.id = q.value(0).toLongLong();
    r.flowId = q.value(1).toString();
    r.key = q.value(2).toString();
    r.paramsJson = q.value(3).toString().toUtf8();
    r.sourcePath = q.value(4).toString();
    r.workdir = q.value(5).toString();
    r.state = runStateFromString(q.value(6).toString()).value_or(RunState::Failed);
    r.tryNo = q.value(7).toInt();
    r.ownerId = int64(q.value(8));
    r.created = int64(q.value(9));
    r.trigger = tryTriggerFromString(q.value(10).toString()).value_or(TryTrigger::Manual);
    r.planHash = q.value(11).toString();
    r.definitionHash = q.value(12).toString();
    r.started = int64(q.value(13));
    r.ended = int64(q.value(14));
    r.tasksTotal = q.value(15).toInt();
    r.tasksDone = q.value(16).toInt();
    return r;
}

TryRecord tryFrom(const QSqlQuery &q)
{
    TryRecord t;
    t.runId = q.value(0).toLongLong();
    t.tryNo = q.value(1).toInt();
    t.trigger = tryTriggerFromString(q.value(2).toString()).value_or(TryTrigger::Manual);
    t.planHash = q.value(3).toString();
    t.definitionHash = q.value(4).toString();
    t.state = runStateFromString(q.value(5).toString()).value_or(RunState::Failed);
    t.ownerId = int64(q.value(6));
    t.note = q.value(7).toString();
    t.started = int64(q.value(8));
    t.ended = int64(q.value(9));
    return t;
}

} // namespace

Result<qint64> HistoryStore::createRun(const NewRun &run)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT INTO runs (flow_id, key, params, source_path, workdir, state, try_no,"
            " owner_id, created) VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?)")));
    q->bindValue(0, text(run.flowId));
    q->bindValue(1, text(run.key));
    q->bindValue(
        2, run.paramsJson.isEmpty() ? QStringLiteral("{}") : QString::fromUtf8(run.paramsJson));
    q->bindValue(3, text(run.sourcePath));
    q->bindValue(4, text(run.workdir));
    q->bindValue(5, orNull(run.ownerId));
    q->bindValue(6, run.created);
    if (!q->exec()) {
        const QSqlError e = q->lastError();
        q->finish();
        if (e.databaseText().contains(QLatin1String("runs.key")))
            return fail(QStringLiteral("a run with key %1 already exists").arg(run.key));
        return Unexpected(d->sqlError(QStringLiteral("creating a run"), e));
    }
    return q->lastInsertId().toLongLong();
}

Result<std::optional<RunRecord>> HistoryStore::runByKey(const QString &key)
{
    PW_TRY_ASSIGN(q, d->prepared(runSelect() + QStringLiteral(" WHERE r.key = ?")));
    q->bindValue(0, text(key));
    PW_TRY(d->exec(q, QStringLiteral("reading a run")));
    std::optional<RunRecord> out;
    if (q->next())
        out = runFrom(*q);
    q->finish();
    return out;
}

Result<std::optional<RunRecord>> HistoryStore::run(qint64 runId)
{
    PW_TRY_ASSIGN(q, d->prepared(runSelect() + QStringLiteral(" WHERE r.id = ?")));
    q->bindValue(0, runId);
    PW_TRY(d->exec(q, QStringLiteral("reading run %1").arg(runId)));
    std::optional<RunRecord> out;
    if (q->next())
        out = runFrom(*q);
    q->finish();
    return out;
}

Result<QList<RunRecord>> HistoryStore::runs(const RunFilter &filter)
{
    QStringList where;
    QVariantList values;
    if (!filter.flowId.isEmpty()) {
        where << QStringLiteral("r.flow_id = ?");
        values << filter.flowId;
    }
    if (filter.state) {
        where << QStringLiteral("r.state = ?");
        values << toString(*filter.state);
    }
    if (!filter.text.isEmpty()) {
        // LIKE: case-insensitive for ASCII, as a search box should be; % and _ are literal.
        QString pattern = filter.text;
        pattern.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
            .replace(QLatin1Char('%'), QLatin1String("\\%"))
            .replace(QLatin1Char('_'), QLatin1String("\\_"));
        pattern = QLatin1Char('%') + pattern + QLatin1Char('%');
        where << QStringLiteral("(r.flow_id LIKE ? ESCAPE '\\' OR r.params LIKE ? ESCAPE '\\')");
        values << pattern << pattern;
    }
    QString sql = runSelect();
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    sql += QStringLiteral(" ORDER BY r.created DESC, r.id DESC LIMIT ? OFFSET ?");
    values << (filter.limit > 0 ? filter.limit : -1) << qMax(0, filter.offset);

    PW_TRY_ASSIGN(q, d->prepared(sql));
    for (int i = 0; i < values.size(); ++i)
        q->bindValue(i, values.at(i));
    PW_TRY(d->exec(q, QStringLiteral("listing runs")));
    QList<RunRecord> out;
    while (q->next())
        out << runFrom(*q);
    q->finish();
    return out;
}

Result<void> HistoryStore::startTry(const TryRecord &t)
{
    PW_TRY(d->beginAtomic());
    auto body = [&]() -> Result<void> {
        PW_TRY_ASSIGN(cur, d->prepared(QStringLiteral("SELECT try_no FROM runs WHERE id = ?")));
        cur->bindValue(0, t.runId);
        PW_TRY(d->exec(cur, QStringLiteral("reading run %1").arg(t.runId)));
        if (!cur->next()) {
            cur->finish();
            return fail(QStringLiteral("no run %1 in the history database").arg(t.runId));
        }
        const int latest = cur->value(0).toInt();
        cur->finish();
        if (t.tryNo != latest + 1) {
            return fail(QStringLiteral("try %1 of run %2 is out of order: the latest try is %3")
                            .arg(t.tryNo)
                            .arg(t.runId)
                            .arg(latest));
        }
        PW_TRY_ASSIGN(ins,
            d->prepared(QStringLiteral(
                "INSERT INTO tries (run_id, try_no, trigger, plan_hash, definition_hash, state,"
                " owner_id, note, started, ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")));
        ins->bindValue(0, t.runId);
        ins->bindValue(1, t.tryNo);
        ins->bindValue(2, toString(t.trigger));
        ins->bindValue(3, text(t.planHash));
        ins->bindValue(4, text(t.definitionHash));
        ins->bindValue(5, toString(t.state));
        ins->bindValue(6, orNull(t.ownerId));
        ins->bindValue(7, text(t.note));
        ins->bindValue(8, orNull(t.started));
        ins->bindValue(9, orNull(t.ended));
        PW_TRY(d->exec(ins, QStringLiteral("starting try %1 of run %2").arg(t.tryNo).arg(t.runId)));
        PW_TRY_ASSIGN(up,
            d->prepared(QStringLiteral(
                "UPDATE runs SET try_no = ?, state = ?, owner_id = COALESCE(?, owner_id)"
                " WHERE id = ?")));
        up->bindValue(0, t.tryNo);
        up->bindValue(1, toString(t.state));
        up->bindValue(2, orNull(t.ownerId));
        up->bindValue(3, t.runId);
        return d->exec(up, QStringLiteral("starting try %1 of run %2").arg(t.tryNo).arg(t.runId));
    };
    if (auto r = body(); !r) {
        d->abortAtomic();
        return r;
    }
    return d->endAtomic();
}

Result<QList<TryRecord>> HistoryStore::tries(qint64 runId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "SELECT run_id, try_no, trigger, plan_hash, definition_hash, state, owner_id,"
            " note, started, ended FROM tries WHERE run_id = ? ORDER BY try_no")));
    q->bindValue(0, runId);
    PW_TRY(d->exec(q, QStringLiteral("reading tries")));
    QList<TryRecord> out;
    while (q->next())
        out << tryFrom(*q);
    q->finish();
    return out;
}

Result<void> HistoryStore::setRunState(
    qint64 runId, RunState state, qint64 now, std::optional<Fence> fence)
{
    PW_TRY(d->beginAtomic());
    auto body = [&]() -> Result<void> {
        PW_TRY_ASSIGN(r,
            d->prepared(fence
                    ? QStringLiteral(
                        "UPDATE runs SET state = ? WHERE id = ? AND try_no = ? AND owner_id = ?")
                    : QStringLiteral("UPDATE runs SET state = ? WHERE id = ?")));
        r->bindValue(0, toString(state));
        r->bindValue(1, runId);
        if (fence) {
            r->bindValue(2, fence->tryNo);
            r->bindValue(3, fence->ownerId);
        }
        PW_TRY(d->exec(r, QStringLiteral("setting the state of run %1").arg(runId)));
        if (r->numRowsAffected() != 1 && fence) {
            Error e(QStringLiteral("run %1 try %2 is no longer owned by owner %3 (taken over or "
                                   "recovered by another process); this process stops writing")
                        .arg(runId)
                        .arg(fence->tryNo)
                        .arg(fence->ownerId));
            e.kind = Error::Kind::OwnershipLost;
            return Unexpected(e);
        }
        if (r->numRowsAffected() != 1)
            return fail(QStringLiteral("no run %1 in the history database").arg(runId));
        // The current try follows; running fills a missing start, a final state sets the end.
        PW_TRY_ASSIGN(t,
            d->prepared(QStringLiteral(
                "UPDATE tries SET state = ?,"
                " started = CASE WHEN started IS NULL AND ? THEN ? ELSE started END,"
                " ended = CASE WHEN ? THEN ? ELSE NULL END"
                " WHERE run_id = ? AND try_no = (SELECT try_no FROM runs WHERE id = ?)")));
        t->bindValue(0, toString(state));
        t->bindValue(1, state == RunState::Running ? 1 : 0);
        t->bindValue(2, now);
        t->bindValue(3, isFinal(state) ? 1 : 0);
        t->bindValue(4, now);
        t->bindValue(5, runId);
        t->bindValue(6, runId);
        return d->exec(t, QStringLiteral("setting the state of run %1").arg(runId));
    };
    if (auto r = body(); !r) {
        d->abortAtomic();
        return r;
    }
    return d->endAtomic();
}

Result<void> HistoryStore::setRunOwner(qint64 runId, qint64 ownerId)
{
    PW_TRY_ASSIGN(q, d->prepared(QStringLiteral("UPDATE runs SET owner_id = ? WHERE id = ?")));
    q->bindValue(0, orNull(ownerId));
    q->bindValue(1, runId);
    PW_TRY(d->exec(q, QStringLiteral("setting the owner of run %1").arg(runId)));
    if (q->numRowsAffected() != 1)
        return fail(QStringLiteral("no run %1 in the history database").arg(runId));
    return {};
}

// --- tasks -------------------------------------------------------------------------------

Result<void> HistoryStore::setTaskState(
    qint64 runId, const QString &task, TaskState state, int tryNo, qint64 now, qint64 dueAt)
{
    // Hot path: one cached upsert. The row keeps its id (= insertion order) on update.
    PW_TRY_ASSIGN(q,
        d->preparedHot(Private::SetTaskState,
            "INSERT INTO task_states (run_id, task, state, try_no, updated, due_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, task) DO UPDATE SET"
            " state = excluded.state, try_no = excluded.try_no,"
            " updated = excluded.updated, due_at = excluded.due_at, removed_in_try = NULL"));
    q->bindValue(0, runId);
    q->bindValue(1, text(task));
    q->bindValue(2, toString(state));
    q->bindValue(3, tryNo);
    q->bindValue(4, now);
    q->bindValue(5, state == TaskState::RetryWait ? orNull(dueAt) : QVariant());
    return d->execLazy(q, [&] { return QStringLiteral("setting the state of task %1").arg(task); });
}

Result<void> HistoryStore::markTask(
    qint64 runId, const QString &task, TaskState state, const QString &who, qint64 now)
{
    PW_TRY(d->beginAtomic());
    auto body = [&]() -> Result<void> {
        PW_TRY_ASSIGN(cur, d->prepared(QStringLiteral("SELECT try_no FROM runs WHERE id = ?")));
        cur->bindValue(0, runId);
        PW_TRY(d->exec(cur, QStringLiteral("reading run %1").arg(runId)));
        if (!cur->next()) {
            cur->finish();
            return fail(QStringLiteral("no run %1 in the history database").arg(runId));
        }
        const int tryNo = cur->value(0).toInt();
        cur->finish();
        PW_TRY_ASSIGN(q,
            d->prepared(QStringLiteral(
                "INSERT INTO task_states (run_id, task, state, try_no, updated, marked_by, "
                "marked_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, task) DO UPDATE SET"
                " state = excluded.state, updated = excluded.updated, due_at = NULL,"
                " marked_by = excluded.marked_by, marked_at = excluded.marked_at")));
        q->bindValue(0, runId);
        q->bindValue(1, text(task));
        q->bindValue(2, toString(state));
        q->bindValue(3, tryNo);
        q->bindValue(4, now);
        q->bindValue(5, text(who));
        q->bindValue(6, now);
        PW_TRY(d->exec(q, QStringLiteral("marking task %1").arg(task)));
        EventRecord e;
        e.time = now;
        e.runId = runId;
        e.tryNo = tryNo;
        e.task = task;
        e.kind = QStringLiteral("mark");
        e.state = toString(state);
        e.detail = who;
        return appendEvent(e);
    };
    if (auto r = body(); !r) {
        d->abortAtomic();
        return r;
    }
    return d->endAtomic();
}

Result<QList<TaskRecord>> HistoryStore::tasks(qint64 runId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "SELECT s.run_id, s.task, s.state, s.try_no, s.updated, s.due_at, s.marked_by,"
            " s.marked_at,"
            " (SELECT count(*) FROM attempts a WHERE a.run_id = s.run_id AND a.task = s.task)"
            " FROM task_states s WHERE s.run_id = ? AND s.removed_in_try IS NULL ORDER BY s.id")));
    q->bindValue(0, runId);
    PW_TRY(d->exec(q, QStringLiteral("reading the tasks of run %1").arg(runId)));
    QList<TaskRecord> out;
    while (q->next()) {
        TaskRecord t;
        t.runId = q->value(0).toLongLong();
        t.task = q->value(1).toString();
        t.state = taskStateFromString(q->value(2).toString()).value_or(TaskState::Failed);
        t.tryNo = q->value(3).toInt();
        t.updated = int64(q->value(4));
        t.dueAt = int64(q->value(5));
        t.markedBy = q->value(6).toString();
        t.markedAt = int64(q->value(7));
        t.attempts = q->value(8).toInt();
        out << t;
    }
    q->finish();
    return out;
}

Result<void> HistoryStore::removeTasks(
    qint64 runId, int tryNo, const QStringList &tasks, qint64 now)
{
    PW_TRY_ASSIGN(q,
        d->prepared(
            QStringLiteral("UPDATE task_states SET removed_in_try = ?, updated = ?, due_at = NULL"
                           " WHERE run_id = ? AND task = ? AND removed_in_try IS NULL")));
    for (const QString &task : tasks) {
        q->bindValue(0, tryNo);
        q->bindValue(1, now);
        q->bindValue(2, runId);
        q->bindValue(3, text(task));
        PW_TRY(d->exec(q, QStringLiteral("removing task %1 from run %2").arg(task).arg(runId)));
    }
    return {};
}

// --- attempts ----------------------------------------------------------------------------

Result<void> HistoryStore::insertAttempt(const AttemptRecord &a)
{
    // Hot path. An attempt without an owner id belongs to its run's owner.
    PW_TRY_ASSIGN(q,
        d->preparedHot(Private::InsertAttempt,
            "INSERT INTO attempts (run_id, task, attempt, try_no, state, started, ended,"
            " exit_code, error, log_path, host, pgid, proc_start, owner_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " COALESCE(?, (SELECT owner_id FROM runs WHERE id = ?)))"));
    q->bindValue(0, a.runId);
    q->bindValue(1, text(a.task));
    q->bindValue(2, a.attempt);
    q->bindValue(3, a.tryNo);
    q->bindValue(4, toString(a.state));
    q->bindValue(5, orNull(a.started));
    q->bindValue(6, orNull(a.ended));
    q->bindValue(7, a.exitCode ? QVariant(*a.exitCode) : QVariant());
    q->bindValue(8, text(a.error));
    q->bindValue(9, text(a.logPath));
    q->bindValue(10, text(a.host));
    q->bindValue(11, a.pgid);
    q->bindValue(12, a.procStart);
    q->bindValue(13, orNull(a.ownerId));
    q->bindValue(14, a.runId);
    return d->execLazy(q, [&] {
        return QStringLiteral("recording attempt %1 of task %2").arg(a.attempt).arg(a.task);
    });
}

Result<void> HistoryStore::setAttemptProcess(
    qint64 runId, const QString &task, int attempt, qint64 pgid, qint64 procStart)
{
    PW_TRY_ASSIGN(q,
        d->preparedHot(Private::SetAttemptProcess,
            "UPDATE attempts SET pgid = ?, proc_start = ?"
            " WHERE run_id = ? AND task = ? AND attempt = ?"));
    q->bindValue(0, pgid);
    q->bindValue(1, procStart);
    q->bindValue(2, runId);
    q->bindValue(3, text(task));
    q->bindValue(4, attempt);
    PW_TRY(d->execLazy(q, [&] {
        return QStringLiteral("recording the process of attempt %1 of task %2")
            .arg(attempt)
            .arg(task);
    }));
    if (q->numRowsAffected() != 1) {
        return fail(
            QStringLiteral("no attempt %1 of task %2 in run %3").arg(attempt).arg(task).arg(runId));
    }
    return {};
}

Result<void> HistoryStore::finishAttempt(qint64 runId, const QString &task, int attempt,
    AttemptState state, qint64 ended, std::optional<int> exitCode, const QString &error)
{
    PW_TRY_ASSIGN(q,
        d->preparedHot(Private::FinishAttempt,
            "UPDATE attempts SET state = ?, ended = ?, exit_code = ?, error = ?"
            " WHERE run_id = ? AND task = ? AND attempt = ?"));
    q->bindValue(0, toString(state));
    q->bindValue(1, orNull(ended));
    q->bindValue(2, exitCode ? QVariant(*exitCode) : QVariant());
    q->bindValue(3, text(error));
    q->bindValue(4, runId);
    q->bindValue(5, text(task));
    q->bindValue(6, attempt);
    PW_TRY(d->execLazy(q,
        [&] { return QStringLiteral("finishing attempt %1 of task %2").arg(attempt).arg(task); }));
    if (q->numRowsAffected() != 1) {
        return fail(
            QStringLiteral("no attempt %1 of task %2 in run %3").arg(attempt).arg(task).arg(runId));
    }
    return {};
}

Result<QList<AttemptRecord>> HistoryStore::attempts(qint64 runId, const QString &task)
{
    QSqlQuery *q = nullptr;
    if (task.isEmpty()) {
        PW_TRY_ASSIGN(p,
            d->prepared(QStringLiteral("SELECT ") + kAttemptColumns
                + QStringLiteral(" FROM attempts a WHERE a.run_id = ?"
                                 " ORDER BY a.started, a.task, a.attempt")));
        q = p;
        q->bindValue(0, runId);
    } else {
        PW_TRY_ASSIGN(p,
            d->prepared(QStringLiteral("SELECT ") + kAttemptColumns
                + QStringLiteral(" FROM attempts a WHERE a.run_id = ? AND a.task = ?"
                                 " ORDER BY a.attempt")));
        q = p;
        q->bindValue(0, runId);
        q->bindValue(1, task);
    }
    PW_TRY(d->exec(q, QStringLiteral("reading attempts")));
    QList<AttemptRecord> out;
    while (q->next())
        out << attemptFrom(*q);
    q->finish();
    return out;
}

Result<int> HistoryStore::lastAttemptNumber(qint64 runId, const QString &task)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "SELECT COALESCE(MAX(attempt), 0) FROM attempts WHERE run_id = ? AND task = ?")));
    q->bindValue(0, runId);
    q->bindValue(1, text(task));
    PW_TRY(d->exec(q, QStringLiteral("reading attempts")));
    const int n = q->next() ? q->value(0).toInt() : 0;
    q->finish();
    return n;
}

// --- events ------------------------------------------------------------------------------

Result<void> HistoryStore::appendEvent(const EventRecord &e)
{
    PW_TRY_ASSIGN(q,
        d->preparedHot(Private::AppendEvent,
            "INSERT INTO events (time, run_id, try_no, task, attempt, kind, state, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q->bindValue(0, e.time);
    q->bindValue(1, orNull(e.runId));
    q->bindValue(2, e.tryNo);
    q->bindValue(3, text(e.task));
    q->bindValue(4, e.attempt);
    q->bindValue(5, text(e.kind));
    q->bindValue(6, text(e.state));
    q->bindValue(7, text(e.detail));
    return d->execLazy(q, [] { return QStringLiteral("appending an event"); });
}

namespace {

// Batched writes bind ONE value per statement: a JSON array of rows that SQLite unpacks with
// json_each (JSON1 is built into SQLite >= 3.38). Binding each value through QSqlQuery costs
// more than SQLite's own work; a literal multi-row INSERT costs the SQL parser instead.
void appendJsonString(QString &out, const QString &value)
{
    out += QLatin1Char('"');
    for (QChar c : value) {
        const char16_t u = c.unicode();
        if (u == '"' || u == '\\') {
            out += QLatin1Char('\\');
            out += c;
        } else if (u < 0x20) {
            out += QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0'));
        } else {
            out += c;
        }
    }
    out += QLatin1Char('"');
}

constexpr qsizetype kRowsPerStatement = 2000;

} // namespace

Result<void> HistoryStore::appendEvents(const QList<EventRecord> &events)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT INTO events (time, run_id, try_no, task, attempt, kind, state, detail)"
            " SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5,"
            " value->>6, value->>7 FROM json_each(?)")));
    for (qsizetype from = 0; from < events.size(); from += kRowsPerStatement) {
        const qsizetype to = std::min<qsizetype>(events.size(), from + kRowsPerStatement);
        QString json;
        json.reserve(int(to - from) * 80 + 2);
        json += QLatin1Char('[');
        for (qsizetype i = from; i < to; ++i) {
            const EventRecord &e = events[i];
            if (i > from)
                json += QLatin1Char(',');
            json += QLatin1Char('[') + QString::number(e.time) + QLatin1Char(',');
            json += e.runId ? QString::number(e.runId) : QStringLiteral("null");
            json += QLatin1Char(',') + QString::number(e.tryNo) + QLatin1Char(',');
            appendJsonString(json, e.task);
            json += QLatin1Char(',') + QString::number(e.attempt) + QLatin1Char(',');
            appendJsonString(json, e.kind);
            json += QLatin1Char(',');
            appendJsonString(json, e.state);
            json += QLatin1Char(',');
            appendJsonString(json, e.detail);
            json += QLatin1Char(']');
        }
        json += QLatin1Char(']');
        q->bindValue(0, json);
        if (auto r = d->execLazy(q, [] { return QStringLiteral("appending events"); }); !r)
            return r;
    }
    return {};
}

Result<void> HistoryStore::setTaskStates(const QList<TaskStateWrite> &states)
{
    // The row keeps its id (= insertion order) on update, as setTaskState(). "WHERE true" is
    // how SQLite's grammar separates an INSERT ... SELECT from its upsert clause.
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT INTO task_states (run_id, task, state, try_no, updated, due_at)"
            " SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5"
            " FROM json_each(?) WHERE true ON CONFLICT (run_id, task) DO UPDATE SET"
            " state = excluded.state, try_no = excluded.try_no,"
            " updated = excluded.updated, due_at = excluded.due_at, removed_in_try = NULL")));
    for (qsizetype from = 0; from < states.size(); from += kRowsPerStatement) {
        const qsizetype to = std::min<qsizetype>(states.size(), from + kRowsPerStatement);
        QString json;
        json.reserve(int(to - from) * 56 + 2);
        json += QLatin1Char('[');
        for (qsizetype i = from; i < to; ++i) {
            const TaskStateWrite &t = states[i];
            if (i > from)
                json += QLatin1Char(',');
            json += QLatin1Char('[') + QString::number(t.runId) + QLatin1Char(',');
            appendJsonString(json, t.task);
            json += QLatin1Char(',');
            appendJsonString(json, toString(t.state));
            json += QLatin1Char(',') + QString::number(t.tryNo) + QLatin1Char(',')
                + QString::number(t.time) + QLatin1Char(',');
            json += t.state == TaskState::RetryWait && t.dueAt ? QString::number(t.dueAt)
                                                               : QStringLiteral("null");
            json += QLatin1Char(']');
        }
        json += QLatin1Char(']');
        q->bindValue(0, json);
        if (auto r = d->execLazy(q, [] { return QStringLiteral("setting task states"); }); !r)
            return r;
    }
    return {};
}

Result<void> HistoryStore::insertAttempts(const QList<AttemptRecord> &attempts)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT INTO attempts (run_id, task, attempt, try_no, state, started, ended,"
            " exit_code, error, log_path, host, pgid, proc_start, owner_id)"
            " SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5,"
            " value->>6, value->>7, value->>8, value->>9, value->>10, value->>11,"
            " value->>12, value->>13 FROM json_each(?)")));
    auto num = [](qint64 v) { return v ? QString::number(v) : QStringLiteral("null"); };
    for (qsizetype from = 0; from < attempts.size(); from += kRowsPerStatement) {
        const qsizetype to = std::min<qsizetype>(attempts.size(), from + kRowsPerStatement);
        QString json;
        json.reserve(int(to - from) * 120 + 2);
        json += QLatin1Char('[');
        for (qsizetype i = from; i < to; ++i) {
            const AttemptRecord &a = attempts[i];
            if (i > from)
                json += QLatin1Char(',');
            json += QLatin1Char('[') + QString::number(a.runId) + QLatin1Char(',');
            appendJsonString(json, a.task);
            json += QLatin1Char(',') + QString::number(a.attempt) + QLatin1Char(',')
                + QString::number(a.tryNo) + QLatin1Char(',');
            appendJsonString(json, toString(a.state));
            json += QLatin1Char(',') + num(a.started) + QLatin1Char(',') + num(a.ended)
                + QLatin1Char(',');
            json += a.exitCode ? QString::number(*a.exitCode) : QStringLiteral("null");
            json += QLatin1Char(',');
            appendJsonString(json, a.error);
            json += QLatin1Char(',');
            appendJsonString(json, a.logPath);
            json += QLatin1Char(',');
            appendJsonString(json, a.host);
            json += QLatin1Char(',') + QString::number(a.pgid) + QLatin1Char(',')
                + QString::number(a.procStart) + QLatin1Char(',') + num(a.ownerId)
                + QLatin1Char(']');
        }
        json += QLatin1Char(']');
        q->bindValue(0, json);
        if (auto r = d->execLazy(q, [] { return QStringLiteral("recording attempts"); }); !r)
            return r;
    }
    return {};
}

Result<QList<EventRecord>> HistoryStore::events(qint64 runId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(
            QStringLiteral("SELECT id, time, run_id, try_no, task, attempt, kind, state, detail"
                           " FROM events WHERE run_id = ? ORDER BY id")));
    q->bindValue(0, runId);
    PW_TRY(d->exec(q, QStringLiteral("reading events")));
    QList<EventRecord> out;
    while (q->next()) {
        EventRecord e;
        e.id = q->value(0).toLongLong();
        e.time = q->value(1).toLongLong();
        e.runId = int64(q->value(2));
        e.tryNo = q->value(3).toInt();
        e.task = q->value(4).toString();
        e.attempt = q->value(5).toInt();
        e.kind = q->value(6).toString();
        e.state = q->value(7).toString();
        e.detail = q->value(8).toString();
        out << e;
    }
    q->finish();
    return out;
}

// --- requests ----------------------------------------------------------------------------

namespace {

const QString kRequestColumns = QStringLiteral(
    "q.id, q.run_id, q.task, q.kind, q.arg, q.requested_by, q.created, q.handled, q.result");

RequestRecord requestFrom(const QSqlQuery &q)
{
    RequestRecord r;
    r.id = q.value(0).toLongLong();
    r.runId = q.value(1).toLongLong();
    r.task = q.value(2).toString();
    r.kind = q.value(3).toString();
    r.arg = q.value(4).toString();
    r.requestedBy = q.value(5).toString();
    r.created = int64(q.value(6));
    r.handled = int64(q.value(7));
    r.result = q.value(8).toString();
    return r;
}

} // namespace

Result<qint64> HistoryStore::addRequest(const RequestRecord &r)
{
    PW_TRY_ASSIGN(q,
        d->prepared(
            QStringLiteral("INSERT INTO requests (run_id, task, kind, arg, requested_by, created)"
                           " VALUES (?, ?, ?, ?, ?, ?)")));
    q->bindValue(0, r.runId);
    q->bindValue(1, text(r.task));
    q->bindValue(2, text(r.kind));
    q->bindValue(3, text(r.arg));
    q->bindValue(4, text(r.requestedBy));
    q->bindValue(5, r.created);
    PW_TRY(d->exec(q, QStringLiteral("adding a request")));
    return q->lastInsertId().toLongLong();
}

Result<QList<RequestRecord>> HistoryStore::pendingRequests(qint64 ownerId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("SELECT ") + kRequestColumns
            + QStringLiteral(" FROM requests q JOIN runs r ON r.id = q.run_id"
                             " WHERE q.handled IS NULL AND r.owner_id = ?"
                             " ORDER BY q.id")));
    q->bindValue(0, ownerId);
    PW_TRY(d->exec(q, QStringLiteral("reading pending requests")));
    QList<RequestRecord> out;
    while (q->next())
        out << requestFrom(*q);
    q->finish();
    return out;
}

Result<void> HistoryStore::completeRequest(qint64 requestId, const QString &result, qint64 now)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "UPDATE requests SET handled = ?, result = ? WHERE id = ? AND handled IS NULL")));
    q->bindValue(0, now);
    q->bindValue(1, text(result));
    q->bindValue(2, requestId);
    PW_TRY(d->exec(q, QStringLiteral("completing request %1").arg(requestId)));
    if (q->numRowsAffected() != 1)
        return fail(
            QStringLiteral("request %1 does not exist or was already handled").arg(requestId));
    return {};
}

Result<std::optional<RequestRecord>> HistoryStore::request(qint64 requestId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral("SELECT ") + kRequestColumns
            + QStringLiteral(" FROM requests q WHERE q.id = ?")));
    q->bindValue(0, requestId);
    PW_TRY(d->exec(q, QStringLiteral("reading request %1").arg(requestId)));
    std::optional<RequestRecord> out;
    if (q->next())
        out = requestFrom(*q);
    q->finish();
    return out;
}

// --- scheduling --------------------------------------------------------------------------

Result<std::optional<qint64>> HistoryStore::scheduleLastFire(const QString &flowId)
{
    PW_TRY_ASSIGN(
        q, d->prepared(QStringLiteral("SELECT last_fire FROM schedule_state WHERE flow_id = ?")));
    q->bindValue(0, text(flowId));
    PW_TRY(d->exec(q, QStringLiteral("reading the schedule state of %1").arg(flowId)));
    std::optional<qint64> out;
    if (q->next())
        out = q->value(0).toLongLong();
    q->finish();
    return out;
}

Result<void> HistoryStore::setScheduleLastFire(const QString &flowId, qint64 fireTime, qint64 now)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "INSERT INTO schedule_state (flow_id, last_fire, updated) VALUES (?, ?, ?)"
            " ON CONFLICT (flow_id) DO UPDATE SET last_fire = excluded.last_fire,"
            " updated = excluded.updated")));
    q->bindValue(0, text(flowId));
    q->bindValue(1, fireTime);
    q->bindValue(2, now);
    return d->exec(q, QStringLiteral("writing the schedule state of %1").arg(flowId));
}

Result<qint64> HistoryStore::acquireSchedulerLock(qint64 ownerId, qint64 now, qint64 staleMs)
{
    PW_TRY(d->beginAtomic());
    auto body = [&]() -> Result<qint64> {
        qint64 holder = 0;
        {
            PW_TRY_ASSIGN(q,
                d->prepared(QStringLiteral(
                    "SELECT l.owner_id FROM scheduler_lock l JOIN owners o ON o.id = l.owner_id"
                    " WHERE l.id = 1 AND o.alive = 1 AND o.heartbeat >= ?")));
            q->bindValue(0, now - staleMs);
            PW_TRY(d->exec(q, QStringLiteral("reading the scheduler lock")));
            if (q->next())
                holder = q->value(0).toLongLong();
            q->finish();
        }
        if (holder != 0 && holder != ownerId)
            return holder;
        PW_TRY_ASSIGN(w,
            d->prepared(QStringLiteral(
                "INSERT INTO scheduler_lock (id, owner_id, acquired) VALUES (1, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id,"
                " acquired = excluded.acquired")));
        w->bindValue(0, ownerId);
        w->bindValue(1, now);
        PW_TRY(d->exec(w, QStringLiteral("taking the scheduler lock")));
        return ownerId;
    };
    auto r = body();
    if (!r) {
        d->abortAtomic();
        return r;
    }
    PW_TRY(d->endAtomic());
    return r;
}

Result<void> HistoryStore::releaseSchedulerLock(qint64 ownerId)
{
    PW_TRY_ASSIGN(
        q, d->prepared(QStringLiteral("DELETE FROM scheduler_lock WHERE id = 1 AND owner_id = ?")));
    q->bindValue(0, ownerId);
    return d->exec(q, QStringLiteral("releasing the scheduler lock"));
}

Result<qint64> HistoryStore::schedulerLockHolder()
{
    PW_TRY_ASSIGN(
        q, d->prepared(QStringLiteral("SELECT owner_id FROM scheduler_lock WHERE id = 1")));
    PW_TRY(d->exec(q, QStringLiteral("reading the scheduler lock")));
    const qint64 holder = q->next() ? q->value(0).toLongLong() : 0;
    q->finish();
    return holder;
}

Result<QList<RunRecord>> HistoryStore::runningRuns(const QString &flowId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(runSelect()
            + QStringLiteral(" WHERE r.flow_id = ? AND r.state = 'running'"
                             " AND r.owner_id IN (SELECT id FROM owners WHERE alive = 1)"
                             " ORDER BY r.id")));
    q->bindValue(0, text(flowId));
    PW_TRY(d->exec(q, QStringLiteral("reading the running runs of %1").arg(flowId)));
    QList<RunRecord> out;
    while (q->next())
        out << runFrom(*q);
    q->finish();
    return out;
}

Result<int> HistoryStore::activeRunCount(const QString &flowId)
{
    PW_TRY_ASSIGN(q,
        d->prepared(QStringLiteral(
            "SELECT count(*) FROM runs WHERE flow_id = ? AND state IN ('queued', 'running')")));
    q->bindValue(0, text(flowId));
    PW_TRY(d->exec(q, QStringLiteral("counting the active runs of %1").arg(flowId)));
    const int n = q->next() ? q->value(0).toInt() : 0;
    q->finish();
    return n;
}

} // namespace pw
