#include "sqlscript.h"

namespace pw {

namespace {

enum class Tok { Word, Number, Param, Semicolon, Other, String, Ident, Comment, Dollar };

struct Token
{
    Tok kind;
    qsizetype start;
    qsizetype end; // exclusive
    int line;
};

bool isIdentStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_') || c.unicode() >= 0x80;
}

bool isIdentChar(QChar c)
{
    return isIdentStart(c) || c.isDigit() || c == QLatin1Char('$');
}

// The tokens of `s`, whitespace left out. An unterminated string, identifier, comment or
// dollar body runs to the end (the database reports it).
QList<Token> lex(const QString &s)
{
    QList<Token> out;
    const qsizetype n = s.size();
    qsizetype i = 0;
    int line = 1;
    auto at = [&](qsizetype k) { return k < n ? s.at(k) : QChar(); };
    // Advances to `to`, counting lines.
    auto advance = [&](qsizetype to) {
        for (; i < to && i < n; ++i) {
            if (s.at(i) == QLatin1Char('\n'))
                ++line;
        }
    };
    // Consumes a quoted run from i (at the opening quote) up to its closing `quote`; a doubled
    // quote is an escaped one, and with `backslash` so is \x.
    auto quoted = [&](QChar quote, bool backslash) {
        qsizetype k = i + 1;
        while (k < n) {
            const QChar c = s.at(k);
            if (backslash && c == QLatin1Char('\\')) {
                k += 2;
                continue;
            }
            if (c == quote) {
                if (at(k + 1) == quote) {
                    k += 2;
                    continue;
                }
                ++k;
                break;
            }
            ++k;
        }
        return std::min(k, n);
    };
    while (i < n) {
        const QChar c = s.at(i);
        const qsizetype start = i;
        const int startLine = line;
        auto push = [&](Tok kind, qsizetype end) {
            out.append({kind, start, end, startLine});
            advance(end);
        };
        if (c.isSpace()) {
            advance(i + 1);
        } else if (c == QLatin1Char('-') && at(i + 1) == QLatin1Char('-')) {
            qsizetype k = s.indexOf(QLatin1Char('\n'), i);
            push(Tok::Comment, k < 0 ? n : k);
        } else if (c == QLatin1Char('/') && at(i + 1) == QLatin1Char('*')) {
            int depth = 0;
            qsizetype k = i;
            while (k < n) {
                if (s.at(k) == QLatin1Char('/') && at(k + 1) == QLatin1Char('*')) {
                    ++depth;
                    k += 2;
                } else if (s.at(k) == QLatin1Char('*') && at(k + 1) == QLatin1Char('/')) {
                    k += 2;
                    if (--depth == 0)
                        break;
                } else {
                    ++k;
                }
            }
            push(Tok::Comment, std::min(k, n));
        } else if (c == QLatin1Char('\'')) {
            // E'...' (PostgreSQL escape string): the E is the word token just before it.
            const bool escape = !out.isEmpty() && out.last().kind == Tok::Word
                && out.last().end == i && out.last().end - out.last().start == 1
                && s.at(out.last().start).toUpper() == QLatin1Char('E');
            const qsizetype end = quoted(QLatin1Char('\''), escape);
            if (escape) {
                out.last().kind = Tok::String;
                out.last().end = end;
                advance(end);
            } else {
                push(Tok::String, end);
            }
        } else if (c == QLatin1Char('"') || c == QLatin1Char('`')) {
            push(Tok::Ident, quoted(c, false));
        } else if (c == QLatin1Char('$')) {
            // $$ or $tag$ opens a dollar-quoted body that the same delimiter closes.
            qsizetype k = i + 1;
            if (k < n && isIdentStart(s.at(k)) && s.at(k) != QLatin1Char('$')) {
                while (k < n && (isIdentStart(s.at(k)) || s.at(k).isDigit()))
                    ++k;
            }
            if (at(k) == QLatin1Char('$')) {
                const QString delim = s.mid(i, k - i + 1);
                const qsizetype close = s.indexOf(delim, k + 1);
                push(Tok::Dollar, close < 0 ? n : close + delim.size());
            } else {
                qsizetype e = i + 1;
                while (e < n && s.at(e).isDigit()) // $1: a positional parameter
                    ++e;
                push(Tok::Other, e);
            }
        } else if (c == QLatin1Char(':')) {
            if (at(i + 1) == QLatin1Char(':')) {
                push(Tok::Other, i + 2); // a cast
            } else if (isIdentStart(at(i + 1))) {
                qsizetype k = i + 1;
                while (k < n && (isIdentStart(s.at(k)) || s.at(k).isDigit()))
                    ++k;
                push(Tok::Param, k);
            } else {
                push(Tok::Other, i + 1);
            }
        } else if (c == QLatin1Char(';')) {
            push(Tok::Semicolon, i + 1);
        } else if (isIdentStart(c)) {
            qsizetype k = i + 1;
            while (k < n && isIdentChar(s.at(k)))
                ++k;
            push(Tok::Word, k);
        } else if (c.isDigit()) {
            qsizetype k = i + 1;
            while (k < n && (s.at(k).isLetterOrNumber() || s.at(k) == QLatin1Char('.')))
                ++k;
            push(Tok::Number, k);
        } else {
            push(Tok::Other, i + 1);
        }
    }
    return out;
}

bool isWord(const QString &s, const Token &t, QLatin1String word)
{
    return t.kind == Tok::Word
        && QStringView(s).mid(t.start, t.end - t.start).compare(word, Qt::CaseInsensitive) == 0;
}

} // namespace

QStringList SqlStatement::parameterNames() const
{
    QStringList names;
    for (const Parameter &p : parameters) {
        if (!names.contains(p.name))
            names.append(p.name);
    }
    return names;
}

QList<SqlStatement> SqlScript::split(const QString &script)
{
    const QList<Token> tokens = lex(script);
    QList<SqlStatement> out;
    qsizetype first = -1; // index of the statement's first non-comment token
    qsizetype last = -1;  // index of its last token
    int depth = 0;        // BEGIN ... END body of a CREATE statement
    bool create = false;
    QList<SqlStatement::Parameter> params;
    QStringList words;

    auto finish = [&] {
        if (first >= 0) {
            SqlStatement st;
            const qsizetype from = tokens[first].start;
            st.text = script.mid(from, tokens[last].end - from);
            st.line = tokens[first].line;
            for (SqlStatement::Parameter p : std::as_const(params)) {
                p.offset -= from;
                st.parameters.append(p);
            }
            st.words = words;
            out.append(st);
        }
        first = last = -1;
        depth = 0;
        create = false;
        params.clear();
        words.clear();
    };

    for (qsizetype k = 0; k < tokens.size(); ++k) {
        const Token &t = tokens[k];
        if (t.kind == Tok::Semicolon && depth == 0) {
            finish();
            continue;
        }
        if (first < 0) {
            if (t.kind == Tok::Comment)
                continue;
            first = k;
            create = isWord(script, t, QLatin1String("CREATE"));
        }
        last = k;
        if (t.kind == Tok::Word && words.size() < 3)
            words.append(script.mid(t.start, t.end - t.start).toUpper());
        if (t.kind == Tok::Param)
            params.append({t.start, t.end - t.start, script.mid(t.start + 1, t.end - t.start - 1)});
        if (create) {
            if (isWord(script, t, QLatin1String("BEGIN"))
                || (depth > 0 && isWord(script, t, QLatin1String("CASE"))))
                ++depth;
            else if (depth > 0 && isWord(script, t, QLatin1String("END")))
                --depth;
        }
    }
    finish();
    return out;
}

SqlScript::Bound SqlScript::bind(const SqlStatement &statement, Placeholders style)
{
    Bound out;
    const QString &s = statement.text;
    qsizetype copied = 0;
    for (const Token &t : lex(s)) {
        if (t.kind != Tok::Param && !(t.kind == Tok::Comment && style == Placeholders::Dollar))
            continue;
        out.text += QStringView(s).mid(copied, t.start - copied);
        copied = t.end;
        if (t.kind == Tok::Comment) {
            // Blank, keeping its line breaks so the database's LINE n still matches.
            out.text += QLatin1Char(' ');
            out.text += QString(
                s.mid(t.start, t.end - t.start).count(QLatin1Char('\n')), QLatin1Char('\n'));
            continue;
        }
        const QString name = s.mid(t.start + 1, t.end - t.start - 1);
        if (style == Placeholders::Question) {
            out.text += QLatin1Char('?');
            out.names.append(name);
        } else {
            qsizetype n = out.names.indexOf(name);
            if (n < 0) {
                out.names.append(name);
                n = out.names.size() - 1;
            }
            out.text += QLatin1Char('$') + QString::number(n + 1);
        }
    }
    out.text += QStringView(s).mid(copied);
    return out;
}

bool SqlScript::controlsTransaction(const SqlStatement &st)
{
    if (st.words.isEmpty())
        return false;
    const QString &w = st.words.first();
    if (w == QLatin1String("BEGIN") || w == QLatin1String("COMMIT") || w == QLatin1String("END")
        || w == QLatin1String("ABORT"))
        return true;
    if (w == QLatin1String("ROLLBACK")) // ROLLBACK TO [SAVEPOINT] x stays inside
        return !(st.words.size() > 1 && st.words.at(1) == QLatin1String("TO"))
            && !(st.words.size() > 2 && st.words.at(2) == QLatin1String("TO"));
    if (w == QLatin1String("START"))
        return st.words.size() > 1 && st.words.at(1) == QLatin1String("TRANSACTION");
    return false;
}

bool SqlScript::isDataChange(const SqlStatement &st)
{
    if (st.words.isEmpty())
        return false;
    static const QStringList changes{QStringLiteral("INSERT"), QStringLiteral("UPDATE"),
        QStringLiteral("DELETE"), QStringLiteral("MERGE"), QStringLiteral("REPLACE")};
    return changes.contains(st.words.first());
}

bool SqlScript::isQualifiedName(const QString &name)
{
    const qsizetype n = name.size();
    qsizetype i = 0;
    while (true) {
        if (i >= n)
            return false; // empty part
        if (name.at(i) == QLatin1Char('"')) {
            qsizetype k = i + 1;
            bool closed = false;
            while (k < n) {
                if (name.at(k) == QLatin1Char('"')) {
                    if (k + 1 < n && name.at(k + 1) == QLatin1Char('"')) {
                        k += 2;
                        continue;
                    }
                    closed = true;
                    ++k;
                    break;
                }
                ++k;
            }
            if (!closed || k == i + 2)
                return false;
            i = k;
        } else {
            const QChar c = name.at(i);
            if (!(c.isLetter() && c.unicode() < 128) && c != QLatin1Char('_'))
                return false;
            ++i;
            while (i < n
                && ((name.at(i).isLetterOrNumber() && name.at(i).unicode() < 128)
                    || name.at(i) == QLatin1Char('_') || name.at(i) == QLatin1Char('$')))
                ++i;
        }
        if (i == n)
            return true;
        if (name.at(i) != QLatin1Char('.'))
            return false;
        ++i;
    }
}

} // namespace pw
