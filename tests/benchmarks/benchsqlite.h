#pragma once

// Shared by the benchmarks whose reference is the physical bound of durable history: the rows a
// history store holds, and the same number of rows inserted with the raw SQLite C API.

#include <QByteArray>
#include <QElapsedTimer>
#include <QString>

#include <sqlite3.h>

namespace pw::bench {

// Rows in the history tables of the store at `dbPath` (-1 if it cannot be read).
inline qint64 countRows(const QString &dbPath)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(dbPath.toUtf8().constData(), &db) != SQLITE_OK)
        return -1;
    qint64 total = 0;
    for (const char *table :
        {"runs", "tries", "task_states", "attempts", "events", "flow_versions"}) {
        sqlite3_stmt *st = nullptr;
        const QByteArray sql = QByteArray("SELECT COUNT(*) FROM ") + table;
        if (sqlite3_prepare_v2(db, sql.constData(), -1, &st, nullptr) == SQLITE_OK
            && sqlite3_step(st) == SQLITE_ROW)
            total += sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return total;
}

// The physical bound: `rows` rows inserted with the raw C API, WAL, synchronous=NORMAL, one
// prepared statement, one transaction per 10,000 rows. Returns wall ms.
inline qint64 rawInserts(const QString &path, qint64 rows)
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.toUtf8().constData(), &db);
    sqlite3_exec(db,
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        "CREATE TABLE r(run INTEGER, task TEXT, state TEXT, time INTEGER, detail TEXT);",
        nullptr, nullptr, nullptr);
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO r VALUES(?,?,?,?,?)", -1, &st, nullptr);
    QElapsedTimer t;
    t.start();
    for (qint64 i = 0; i < rows; ++i) {
        if (i % 10000 == 0)
            sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
        const QByteArray task = "t" + QByteArray::number(i);
        sqlite3_bind_int64(st, 1, 1);
        sqlite3_bind_text(st, 2, task.constData(), int(task.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, "succeeded", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, 1764000000000 + i);
        sqlite3_bind_null(st, 5);
        sqlite3_step(st);
        sqlite3_reset(st);
        if (i % 10000 == 9999 || i == rows - 1)
            sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    const qint64 ms = t.elapsed();
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ms;
}

} // namespace pw::bench
