#include "historystore_p.h"

#include "platform/privatefiles.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <atomic>

namespace pw {

Q_LOGGING_CATEGORY(lcHistory, "pw.core.history")

using namespace historydb;

namespace {

std::atomic<int> s_connectionCounter{0};

} // namespace

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

int HistoryStore::schemaVersion() const
{
    return d->version;
}
QString HistoryStore::path() const
{
    return d->options.path;
}

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
    // A new database is private to the user (0600, and so are the -wal and -shm SQLite gives
    // the database's mode); its directory too, when made here (0700).
    if (!options.readOnly) {
        if (auto made = PrivateFiles::ensureFile(options.path); !made)
            return fail(
                QStringLiteral("cannot create the history database: ") + made.error().message);
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
        // A writer's batches touch pages all over the task and event indexes: with SQLite's
        // default 2 MB page cache a large batch spills dirty pages to the WAL before its commit
        // and reads them back. Pages are allocated as used, so small stores stay small.
        PW_TRY(d.execDirect(
            QStringLiteral("PRAGMA cache_size = -32768"), QStringLiteral("sizing the page cache")));
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

} // namespace pw
