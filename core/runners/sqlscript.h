#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace pw {

// One statement of a sql task's script.
struct SqlStatement
{
    // A bound parameter `:name` in `text` (offset and length of ":name").
    struct Parameter
    {
        qsizetype offset = 0;
        qsizetype length = 0;
        QString name;
        friend bool operator==(const Parameter &, const Parameter &) = default;
    };

    QString text; // from its first token to its last, without the terminating ';'
    int line = 1; // line of its first token in the script (1-based)
    QList<Parameter> parameters;
    QStringList words; // its first words (at most 3), upper case: "INSERT", "INTO", ...

    // Parameter names in order of first use, each once.
    QStringList parameterNames() const;
    friend bool operator==(const SqlStatement &, const SqlStatement &) = default;
};

// Splits a sql task's script into statements (QSQLITE runs one statement per call, and each
// statement's line is wanted in error messages). Pure.
//
// A ';' ends a statement except inside
//   - strings '...' ('' escapes; E'...' also takes backslash escapes),
//   - quoted identifiers "..." and `...`,
//   - comments: -- to the end of the line, /* ... */ (nested, as in PostgreSQL),
//   - PostgreSQL dollar-quoted bodies $$...$$ and $tag$...$tag$,
//   - the BEGIN ... END body of a CREATE statement (SQLite triggers, PostgreSQL BEGIN ATOMIC),
//     counting CASE ... END inside it.
// Statements that hold only whitespace and comments are dropped; comments before a statement
// are not part of it.
//
// Parameters are `:name` (name = [A-Za-z_][A-Za-z0-9_]*) outside the above, not part of a
// PostgreSQL cast `::type`.
class SqlScript
{
public:
    static QList<SqlStatement> split(const QString &script);

    // How a database driver takes the statement's parameters.
    enum class Placeholders {
        Question, // SQLite through QtSql: one `?` per use, values bound per use
        Dollar,   // PostgreSQL: `$1`.. per distinct name, comments blanked (QtSql would rewrite
                  // a `?` or `:x` in them)
    };
    struct Bound
    {
        QString text;
        QStringList names; // the value of names[i] binds placeholder i (Question: per use)
    };
    static Bound bind(const SqlStatement &statement, Placeholders style);

    // Is the statement a transaction control statement (BEGIN, COMMIT, END, ROLLBACK [not TO],
    // START TRANSACTION, ABORT)? A sql task runs in one transaction of its own.
    static bool controlsTransaction(const SqlStatement &statement);
    // Does it start with INSERT, UPDATE, DELETE, MERGE or REPLACE? (A statement that returns
    // rows and is not one of these changes none: the count a driver reports for it is of the
    // rows it returned.)
    static bool isDataChange(const SqlStatement &statement);

    // Is `name` a table or column name safe to put into SQL as written: dot-separated parts,
    // each a plain identifier ([A-Za-z_][A-Za-z0-9_$]*, folded by the database as in any SQL)
    // or a double-quoted one ("..." with "" escapes, taken exactly)? (`partition` names them.)
    static bool isQualifiedName(const QString &name);
};

} // namespace pw
