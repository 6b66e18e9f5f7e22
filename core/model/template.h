#pragma once

#include "result.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace pw {

// A string with {{name}} / {{name|filter|filter}} placeholders (DESIGN §4).
// Filters: `raw` (no shell quoting), `nodash` (2026-11-24 -> 20261124). Whitespace inside the
// braces is ignored. `{{secret:NAME}}` names a secret (issue 12; NAME as a connection's name):
// its name is "secret:NAME", and its value comes from Secrets, never from the flow. Parsing reports
// an unterminated `{{`, an empty name or an unknown filter with the 0-based offset of the
// placeholder in Error::column (callers translate to file positions).
class Template
{
public:
    enum class Quoting {
        Shell, // every value is shell-quoted ('...') unless |raw
        None,  // values inserted as they are (notifications, paths, env values)
    };

    struct Piece
    {
        QString literal; // text before the placeholder (or the trailing text)
        QString name;    // empty for the trailing literal-only piece
        QStringList filters;
        int offset = 0; // offset of "{{" in the source
    };

    static Result<Template> parse(const QString &text);

    // Names referenced by placeholders, in order of first use.
    QStringList names() const;
    // Renders with `values`; a name missing from `values` renders as an empty string
    // (the loader rejects unknown names before anything runs).
    QString render(const QHash<QString, QString> &values, Quoting quoting) const;
    const QList<Piece> &pieces() const { return m_pieces; }

    // POSIX shell single-quoting: abc -> 'abc', it's -> 'it'\''s'.
    static QString shellQuote(const QString &value);
    // Names every template may use besides parameters: flow, run_id, task, attempt.
    static QStringList builtinNames();
    // NAME of the placeholder name "secret:NAME"; empty for any other name.
    static QString secretName(const QString &name);
    // The placeholder name of secret `name`: "secret:NAME".
    static QString secretPlaceholder(const QString &name);
    // The secrets the placeholders name (NAME of each {{secret:NAME}}), in order of first use.
    QStringList secrets() const;
    // For text whose only placeholders may be secrets (URLs): an error naming any other one.
    Result<void> secretsOnly() const;
    // `text` with each {{secret:NAME}} as a stand-in value, so that the form of a URL can be
    // checked before its secrets are resolved; an error when it does not parse or names
    // anything but secrets.
    static Result<QString> withStandInSecrets(const QString &text);

private:
    QList<Piece> m_pieces;
};

} // namespace pw
