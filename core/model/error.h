#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace pw {

// One error, optionally located in a source file (1-based line and column; 0 = unknown).
// toString() gives the canonical "FILE:LINE:COL: message" form used by every command.
// `kind` says whose fault it is, so callers can map it (DESIGN §7 exit codes): General = bad
// input or a refusal (exit 2); Environment = the store, disk or log directory is unusable (exit
// 3); OwnershipLost = another process took this one's runs over (DESIGN §6), exit 3 too.
// `field` is the key path of the wrong value in the flow file's schema, set where the error is
// found (loader, validator): {"tasks", "load", "retry_on"}, {"params", "date", "default"},
// {"schedule", "timezone"}; {"tasks", ID} or {"params", NAME} is the entry itself (its id);
// empty when no one key is at fault. A list, not a dotted string: task ids may contain dots.
// `severity`: the validator's findings are errors (the flow cannot run) or warnings (the
// idempotency lint, FlowLint: it runs, but a rerun may duplicate data); everything else is an
// error. toString() says "warning: " before a warning's message.
struct Error
{
    enum class Kind { General, Environment, OwnershipLost };
    enum class Severity { Error, Warning };

    QString message;
    QString file;
    int line = 0;
    int column = 0;
    Kind kind = Kind::General;
    QStringList field;
    Severity severity = Severity::Error;

    Error() = default;
    explicit Error(QString msg) : message(std::move(msg)) { }
    Error(QString msg, QString f, int l, int c)
        : message(std::move(msg)), file(std::move(f)), line(l), column(c)
    { }
    static Error environment(QString msg)
    {
        Error e(std::move(msg));
        e.kind = Kind::Environment;
        return e;
    }
    bool isEnvironment() const { return kind != Kind::General; }
    bool isWarning() const { return severity == Severity::Warning; }
    Error &at(QStringList path)
    {
        field = std::move(path);
        return *this;
    }
    // Does `field` lie at or under `path` ({"tasks", "load"} holds {"tasks", "load", "sql"})?
    bool isUnder(const QStringList &path) const
    {
        return field.size() >= path.size() && field.mid(0, path.size()) == path;
    }

    QString toString() const
    {
        const QString text = isWarning() ? QStringLiteral("warning: ") + message : message;
        if (file.isEmpty() && line <= 0)
            return text;
        QString s = file.isEmpty() ? QStringLiteral("<input>") : file;
        if (line > 0) {
            s += QLatin1Char(':') + QString::number(line);
            if (column > 0)
                s += QLatin1Char(':') + QString::number(column);
        }
        return s + QStringLiteral(": ") + text;
    }
    friend bool operator==(const Error &, const Error &) = default;
};

using Errors = QList<Error>;

} // namespace pw
