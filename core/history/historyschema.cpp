// HistoryStore: the schema (see historystore_p.h for the parts).

#include "historystore_p.h"

namespace pw {

using namespace historydb;

namespace {

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
        // 4: sql attempts record the rows each statement affected, as a JSON array ("[3,0]");
        // NULL for other attempts and for sql attempts that did not commit.
        {
            "ALTER TABLE attempts ADD COLUMN rows TEXT",
        },
        // 5: append the next migration here.
    };
    return all;
}

} // namespace

int HistoryStore::latestSchemaVersion()
{
    return int(migrations().size());
}

Result<void> HistoryStore::Private::migrate()
{
    const QString path = options.path;
    auto versionOf = [this]() -> Result<int> {
        PW_TRY_ASSIGN(v,
            scalar(QStringLiteral("PRAGMA user_version"),
                QStringLiteral("reading the schema version")));
        return v.toInt();
    };
    auto tooNew = [&](int v) {
        return fail(QStringLiteral("history database %1 has schema version %2, newer than this "
                                   "version of Pipewright understands (%3); use a newer Pipewright")
                        .arg(path)
                        .arg(v)
                        .arg(latestSchemaVersion()));
    };
    PW_TRY_ASSIGN(current, versionOf());
    if (current > latestSchemaVersion())
        return tooNew(current);
    if (current == latestSchemaVersion()) {
        version = current;
        return {};
    }
    if (options.readOnly) {
        return fail(QStringLiteral("history database %1 has schema version %2 and needs migrating "
                                   "to %3, which a read-only open cannot do")
                        .arg(path)
                        .arg(current)
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

} // namespace pw
