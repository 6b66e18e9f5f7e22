#include "template.h"

#include <algorithm>

namespace pw {

namespace {

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('.')
        || c == QLatin1Char('-');
}

const QLatin1String kSecretPrefix("secret:");

// A secret's NAME: like a connection's ([A-Za-z0-9_][A-Za-z0-9_.-]*).
bool isSecretName(const QString &name)
{
    if (name.isEmpty() || name.front() == QLatin1Char('.') || name.front() == QLatin1Char('-'))
        return false;
    return std::all_of(name.cbegin(), name.cend(), [](QChar c) {
        return (c.unicode() < 128 && c.isLetterOrNumber()) || c == QLatin1Char('_')
            || c == QLatin1Char('.') || c == QLatin1Char('-');
    });
}

Error templateError(const QString &message, int offset)
{
    Error e(message);
    e.column = offset;
    return e;
}

} // namespace

Result<Template> Template::parse(const QString &text)
{
    Template t;
    QString literal;
    int pos = 0;
    const int n = int(text.size());
    while (pos < n) {
        const int open = int(text.indexOf(QLatin1String("{{"), pos));
        if (open < 0)
            break;
        literal += QStringView(text).mid(pos, open - pos);
        const int close = int(text.indexOf(QLatin1String("}}"), open + 2));
        if (close < 0)
            return Unexpected(templateError(QStringLiteral("unterminated '{{'"), open));
        const QString inner = text.mid(open + 2, close - open - 2);
        if (inner.contains(QLatin1String("{{")))
            return Unexpected(templateError(QStringLiteral("unterminated '{{'"), open));
        QStringList parts = inner.split(QLatin1Char('|'));
        for (QString &p : parts)
            p = p.trimmed();
        Piece piece;
        piece.literal = literal;
        piece.name = parts.takeFirst();
        piece.offset = open;
        if (piece.name.isEmpty())
            return Unexpected(
                templateError(QStringLiteral("empty name in '{{%1}}'").arg(inner), open));
        if (piece.name.startsWith(kSecretPrefix)) {
            if (!isSecretName(piece.name.mid(kSecretPrefix.size())))
                return Unexpected(
                    templateError(QStringLiteral("invalid secret name '%1' in '{{%2}}' "
                                                 "([A-Za-z0-9_][A-Za-z0-9_.-]*)")
                                      .arg(piece.name.mid(kSecretPrefix.size()), inner),
                        open));
        } else if (!std::all_of(piece.name.cbegin(), piece.name.cend(), isNameChar)) {
            return Unexpected(templateError(
                QStringLiteral("invalid name '%1' in '{{%2}}'").arg(piece.name, inner), open));
        }
        for (const QString &f : std::as_const(parts)) {
            if (f != QLatin1String("raw") && f != QLatin1String("nodash"))
                return Unexpected(templateError(
                    QStringLiteral("unknown filter '%1' in '{{%2}}' (filters: raw, nodash)")
                        .arg(f, inner),
                    open));
        }
        piece.filters = parts;
        t.m_pieces.append(piece);
        literal.clear();
        pos = close + 2;
    }
    literal += QStringView(text).mid(pos);
    if (!literal.isEmpty()) {
        Piece tail;
        tail.literal = literal;
        tail.offset = n;
        t.m_pieces.append(tail);
    }
    return t;
}

QStringList Template::names() const
{
    QStringList out;
    for (const Piece &p : m_pieces) {
        if (!p.name.isEmpty() && !out.contains(p.name))
            out.append(p.name);
    }
    return out;
}

QStringList Template::secrets() const
{
    QStringList out;
    for (const QString &name : names()) {
        const QString secret = secretName(name);
        if (!secret.isEmpty())
            out.append(secret);
    }
    return out;
}

Result<void> Template::secretsOnly() const
{
    for (const QString &name : names()) {
        if (secretName(name).isEmpty())
            return fail(
                QStringLiteral("only {{secret:NAME}} may be used here, not '{{%1}}'").arg(name));
    }
    return {};
}

Result<QString> Template::withStandInSecrets(const QString &text)
{
    if (!text.contains(QLatin1String("{{")))
        return text;
    PW_TRY_ASSIGN(t, parse(text));
    PW_TRY(t.secretsOnly());
    QHash<QString, QString> standIns;
    for (const QString &name : t.names())
        standIns.insert(name, QStringLiteral("secret"));
    return t.render(standIns, Quoting::None);
}

QString Template::secretName(const QString &name)
{
    return name.startsWith(kSecretPrefix) ? name.mid(kSecretPrefix.size()) : QString();
}

QString Template::secretPlaceholder(const QString &name)
{
    return kSecretPrefix + name;
}

QString Template::render(const QHash<QString, QString> &values, Quoting quoting) const
{
    QString out;
    for (const Piece &p : m_pieces) {
        out += p.literal;
        if (p.name.isEmpty())
            continue;
        QString v = values.value(p.name);
        bool raw = quoting == Quoting::None;
        for (const QString &f : p.filters) {
            if (f == QLatin1String("nodash"))
                v.remove(QLatin1Char('-'));
            else if (f == QLatin1String("raw"))
                raw = true;
        }
        out += raw ? v : shellQuote(v);
    }
    return out;
}

QString Template::shellQuote(const QString &value)
{
    QString out = QStringLiteral("'");
    for (const QChar c : value) {
        if (c == QLatin1Char('\''))
            out += QLatin1String("'\\''");
        else
            out += c;
    }
    out += QLatin1Char('\'');
    return out;
}

QStringList Template::builtinNames()
{
    return {QStringLiteral("flow"), QStringLiteral("run_id"), QStringLiteral("task"),
        QStringLiteral("attempt")};
}

} // namespace pw
