#pragma once

#include "model/result.h"

#include <QString>

namespace pw {

// A database connection of a sql task, parsed from its URL (the home's connections.yaml or
// PIPEWRIGHT_CONNECTION_<NAME>):
//   sqlite:///abs/path.db     an absolute SQLite file
//   sqlite:relative/path.db   relative to `baseDir` (the flow file's directory)
//   postgresql://user:password@host:port/db[?key=value&...]   (also postgres://); the query
//                             gives libpq connection options such as sslmode=require
// User and password may be percent-encoded. The password is a secret: errors and redacted()
// never contain it, only toString() does (for the sql child's stdin).
struct ConnectionUrl
{
    enum class Driver { Sqlite, Postgres };

    Driver driver = Driver::Sqlite;
    QString path; // sqlite: absolute file path
    QString host; // postgresql: empty = the local socket
    int port = 5432;
    QString user;
    QString password;
    QString database;
    QString options; // postgresql: libpq options "key=value;key=value" (QPSQL's form)

    static Result<ConnectionUrl> parse(const QString &url, const QString &baseDir = {});

    QString qtDriver() const; // "QSQLITE" or "QPSQL"
    QString toString() const; // the full URL, password included; absolute for sqlite
    QString redacted() const; // the URL with the password as "***"
    // Best effort for text that may not parse: any "://user:password@" loses the password.
    static QString redact(const QString &url);
};

} // namespace pw
