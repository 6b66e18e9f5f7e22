#include "jsonchecker.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

namespace pw {

namespace {

constexpr int kMaxDepth = 1000;
// yaml-cpp reads a key only when its ':' is within 1024 bytes of its start: with the ':' right
// after the closing quote (moveColon), that is 1022 bytes between the quotes.
constexpr qsizetype kMaxKeyBytes = 1022;

bool isWs(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isWordChar(char c)
{
    return isLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '-' || c == '+';
}

// "0009", "00A0": a code point as in U+XXXX.
QString codePoint(uint cp)
{
    return QString::number(cp, 16).toUpper().rightJustified(4, QLatin1Char('0'));
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

class Checker
{
public:
    explicit Checker(const QByteArray &in) : m_in(in), m_out(in), m_n(in.size()) { }

    Result<QByteArray, Error> run();

private:
    // What the next token must be.
    enum class Want { Value, FirstItem, NextItem, FirstKey, NextKey, Colon, After };
    struct Open
    {
        char closer;
        qsizetype at;
    };

    char at(qsizetype i) const { return i < m_n ? m_in[i] : '\0'; }
    Error errorAt(qsizetype offset, const QString &message) const;
    bool fail(qsizetype offset, const QString &message)
    {
        if (!m_error)
            m_error = errorAt(offset, message);
        return false;
    }
    bool syntax(qsizetype offset, const QString &message)
    {
        return fail(offset, QStringLiteral("syntax error: ") + message);
    }
    QString word(qsizetype offset) const;
    QString describe(qsizetype offset) const;
    bool unexpected(qsizetype offset, Want want);

    void skipWhitespace();
    bool value(Want &want);
    bool string(bool key);
    bool number();
    void moveColon(qsizetype colon);

    const QByteArray &m_in;
    QByteArray m_out;
    const qsizetype m_n;
    qsizetype m_bom = 0;
    qsizetype m_pos = 0;
    qsizetype m_keyEnd = 0; // in m_out: just after the closing quote of the last key
    std::vector<Open> m_stack;
    std::optional<Error> m_error;
};

Error Checker::errorAt(qsizetype offset, const QString &message) const
{
    offset = std::min(offset, m_n);
    int line = 1;
    qsizetype lineStart = m_bom;
    for (qsizetype i = 0; i < offset; ++i) {
        if (m_in[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    return Error(message, QString(), line, JsonChecker::column(m_in, lineStart, offset));
}

// The token at `offset` as written (a word, or one character), for messages.
QString Checker::word(qsizetype offset) const
{
    qsizetype end = offset;
    while (end < m_n && end - offset < 40 && isWordChar(m_in[end]))
        ++end;
    return QString::fromUtf8(m_in.mid(offset, end - offset));
}

// "'x'" for a printable ASCII character, else "character U+XXXX".
QString Checker::describe(qsizetype offset) const
{
    const auto c = uchar(at(offset));
    if (c >= 0x21 && c < 0x7f)
        return QStringLiteral("'%1'").arg(QLatin1Char(char(c)));
    char32_t cp = c;
    if (c >= 0x80) {
        const QString s = QString::fromUtf8(m_in.mid(offset, 4));
        if (!s.isEmpty())
            cp = s.toUcs4().value(0);
    }
    return QStringLiteral("character U+") + codePoint(uint(cp));
}

bool Checker::unexpected(qsizetype offset, Want want)
{
    const char c = at(offset);
    const char next = at(offset + 1);
    if ((c == '/' && (next == '/' || next == '*')) || c == '#')
        return syntax(offset, QStringLiteral("comments are not allowed in JSON"));
    if (c == '\'')
        return syntax(offset, QStringLiteral("JSON strings need double quotes, not single quotes"));
    if (c == '&' || c == '*' || c == '!')
        return syntax(offset,
            QStringLiteral("YAML anchors, aliases and tags are not JSON (got '%1')")
                .arg(word(offset + 1).prepend(QLatin1Char(c))));
    if (uchar(c) < 0x20 || uchar(c) == 0x7f || (uchar(c) >= 0x80 && [&] {
            const QList<uint> cp = QString::fromUtf8(m_in.mid(offset, 4)).toUcs4();
            return !cp.isEmpty() && (QChar::isSpace(cp[0]) || cp[0] == 0xFEFF);
        }()))
        return syntax(offset,
            QStringLiteral("unexpected %1 (between tokens JSON allows only space, tab, line feed "
                           "and carriage return)")
                .arg(describe(offset)));
    const QString got
        = isWordChar(c) ? QLatin1Char('\'') + word(offset) + QLatin1Char('\'') : describe(offset);
    switch (want) {
    case Want::Value:
        if (m_stack.empty()) {
            // At the very start: most likely a YAML flow saved as .json.
            qsizetype i = offset;
            while (i < m_n && isWordChar(m_in[i]))
                ++i;
            const bool yamlKey = i > offset && at(i) == ':';
            return syntax(offset,
                QStringLiteral("this is not JSON: expected a JSON value, got %1%2")
                    .arg(got,
                        yamlKey ? QStringLiteral(" (YAML? a .flow.json file must be JSON; "
                                                 "name the file .flow.yaml to write YAML)")
                                : QString()));
        }
        [[fallthrough]];
    case Want::FirstItem:
    case Want::NextItem:
        return syntax(offset,
            QStringLiteral("unexpected %1: a JSON value is a string in double quotes, a number, an "
                           "object, an array, true, false or null")
                .arg(got));
    case Want::FirstKey:
    case Want::NextKey:
        return syntax(offset,
            QStringLiteral("object keys must be strings in double quotes (got %1)").arg(got));
    case Want::Colon:
        return syntax(offset, QStringLiteral("expected ':' after the key, got %1").arg(got));
    case Want::After:
        break;
    }
    if (m_stack.empty())
        return syntax(offset,
            QStringLiteral("unexpected %1 after the end of the JSON value (a file holds one value)")
                .arg(got));
    const bool missingComma
        = c == '"' || c == '{' || c == '[' || isDigit(c) || c == '-' || isLetter(c);
    return syntax(offset,
        QStringLiteral("expected ',' or '%1', got %2%3")
            .arg(QLatin1Char(m_stack.back().closer))
            .arg(got, missingComma ? QStringLiteral(" (a missing comma?)") : QString()));
}

void Checker::skipWhitespace()
{
    while (m_pos < m_n && isWs(m_in[m_pos])) {
        if (m_in[m_pos] == '\r')
            m_out[m_pos] = ' ';
        ++m_pos;
    }
}

// A value starting at m_pos (not whitespace, not the end); sets `want` for what follows.
bool Checker::value(Want &want)
{
    const char c = m_in[m_pos];
    if (c == '{' || c == '[') {
        if (m_stack.size() >= size_t(kMaxDepth))
            return fail(m_pos,
                QStringLiteral("the document is nested too deeply (more than %1 levels)")
                    .arg(kMaxDepth));
        m_stack.push_back(Open{c == '{' ? '}' : ']', m_pos});
        ++m_pos;
        want = c == '{' ? Want::FirstKey : Want::FirstItem;
        return true;
    }
    want = Want::After;
    if (c == '"')
        return string(false);
    if (isDigit(c) || (c == '-' && isDigit(at(m_pos + 1))))
        return number();
    if (isLetter(c)) {
        const QString w = word(m_pos);
        if (w == QLatin1String("true") || w == QLatin1String("false")
            || w == QLatin1String("null")) {
            m_pos += w.size();
            return true;
        }
    }
    return unexpected(m_pos, m_stack.empty() ? Want::Value : Want::NextItem);
}

bool Checker::string(bool key)
{
    const qsizetype start = m_pos;
    std::vector<std::pair<qsizetype, char32_t>> pairs; // surrogate pair escapes: offset, code point
    qsizetype i = start + 1;
    const auto hex4 = [this](qsizetype from) {
        int v = 0;
        for (qsizetype k = from; k < from + 4; ++k) {
            const int d = hexDigit(at(k));
            if (d < 0)
                return -1;
            v = v * 16 + d;
        }
        return v;
    };
    const QString unterminated = QStringLiteral(
        "unterminated string (a JSON string ends on the line where it starts; write a line break "
        "as \\n)");
    for (;;) {
        if (i >= m_n)
            return syntax(start, unterminated);
        const auto c = uchar(m_in[i]);
        if (c == '"')
            break;
        if (c == '\n' || c == '\r')
            return syntax(start, unterminated);
        if (c < 0x20)
            return syntax(i,
                QStringLiteral("control character U+%1 in a string (write it as an escape: %2)")
                    .arg(codePoint(c),
                        c == '\t' ? QStringLiteral("\\t")
                                  : QStringLiteral("\\u") + codePoint(c).toLower()));
        if (c != '\\') {
            ++i;
            continue;
        }
        const char e = at(i + 1);
        if (i + 1 >= m_n)
            return syntax(start, unterminated);
        if (std::strchr("\"\\/bfnrt", e) && e != '\0') {
            i += 2;
            continue;
        }
        if (e != 'u') {
            const qsizetype len = uchar(e) < 0x80 ? 1
                                                  : (uchar(e) >= 0xF0        ? 4
                                                          : uchar(e) >= 0xE0 ? 3
                                                                             : 2);
            return syntax(i,
                QStringLiteral("invalid escape '\\%1' (JSON escapes are \\\" \\\\ \\/ \\b \\f \\n "
                               "\\r \\t and \\uXXXX)")
                    .arg(QString::fromUtf8(m_in.mid(i + 1, len))));
        }
        const int cp = hex4(i + 2);
        if (cp < 0) {
            qsizetype end = i + 2;
            while (end < i + 6 && hexDigit(at(end)) >= 0)
                ++end;
            return syntax(i,
                QStringLiteral("invalid escape '%1' (\\u needs four hex digits)")
                    .arg(QString::fromLatin1(m_in.mid(i, end - i))));
        }
        const QString unpaired = QStringLiteral(
            "unpaired surrogate '%1' in a string (write a character beyond U+FFFF as a pair, "
            "e.g. \\ud83d\\ude00)");
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return syntax(i, unpaired.arg(QString::fromLatin1(m_in.mid(i, 6))));
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            const int low = at(i + 6) == '\\' && at(i + 7) == 'u' ? hex4(i + 8) : -1;
            if (low < 0xDC00 || low > 0xDFFF)
                return syntax(i, unpaired.arg(QString::fromLatin1(m_in.mid(i, 6))));
            pairs.emplace_back(i, char32_t(0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)));
            i += 12;
            continue;
        }
        i += 6;
    }
    const qsizetype end = i + 1; // just after the closing quote
    qsizetype newEnd = end;
    if (!pairs.empty()) {
        // yaml-cpp refuses surrogate escapes: write each pair as one \U escape (2 bytes shorter)
        // and pad the string with spaces after its closing quote.
        char *out = m_out.data();
        qsizetype w = start;
        qsizetype r = start;
        for (const auto &[offset, cp] : pairs) {
            std::memmove(out + w, m_in.constData() + r, size_t(offset - r));
            w += offset - r;
            const QByteArray esc
                = QByteArray("\\U") + QByteArray::number(uint(cp), 16).rightJustified(8, '0');
            std::memcpy(out + w, esc.constData(), size_t(esc.size()));
            w += esc.size();
            r = offset + 12;
        }
        std::memmove(out + w, m_in.constData() + r, size_t(end - r));
        w += end - r;
        newEnd = w;
        std::memset(out + w, ' ', size_t(end - w));
    }
    if (key && newEnd - start - 2 > kMaxKeyBytes)
        return fail(start,
            QStringLiteral("object key is too long (%1 bytes; at most %2)")
                .arg(newEnd - start - 2)
                .arg(kMaxKeyBytes));
    if (key)
        m_keyEnd = newEnd;
    m_pos = end;
    return true;
}

bool Checker::number()
{
    const qsizetype start = m_pos;
    qsizetype i = start;
    bool ok = true;
    if (at(i) == '-')
        ++i;
    if (at(i) == '0') {
        ++i;
    } else {
        while (isDigit(at(i)))
            ++i;
    }
    if (at(i) == '.') {
        ++i;
        ok = ok && isDigit(at(i));
        while (isDigit(at(i)))
            ++i;
    }
    if (ok && (at(i) == 'e' || at(i) == 'E')) {
        ++i;
        if (at(i) == '+' || at(i) == '-')
            ++i;
        ok = isDigit(at(i));
        while (isDigit(at(i)))
            ++i;
    }
    const char d = at(i);
    if (ok && (i >= m_n || isWs(d) || d == ',' || d == ']' || d == '}')) {
        m_pos = i;
        return true;
    }
    qsizetype end = start;
    while (end < m_n && end - start < 40 && !isWs(m_in[end]) && m_in[end] != ',' && m_in[end] != ']'
        && m_in[end] != '}')
        ++end;
    const QByteArray text = m_in.mid(start, end - start);
    const qsizetype sign = text.startsWith('-') ? 1 : 0;
    const bool leadingZero = text.size() > sign + 1 && text[sign] == '0' && isDigit(text[sign + 1]);
    return syntax(start,
        QStringLiteral("invalid number '%1' (%2)")
            .arg(QString::fromUtf8(text),
                leadingZero ? QStringLiteral("JSON numbers have no leading zeros")
                            : QStringLiteral("JSON numbers look like 12, -3, 0.5 or 1e6")));
}

// yaml-cpp reads a key only when its ':' is on the same line and near: move the ':' next to
// the key (the whitespace in between shifts one byte to the right).
void Checker::moveColon(qsizetype colon)
{
    if (colon == m_keyEnd)
        return;
    char *out = m_out.data();
    std::memmove(out + m_keyEnd + 1, out + m_keyEnd, size_t(colon - m_keyEnd));
    out[m_keyEnd] = ':';
}

Result<QByteArray, Error> Checker::run()
{
    if (m_in.startsWith("\xef\xbb\xbf"))
        m_bom = 3;
    m_pos = m_bom;
    Want want = Want::Value;
    qsizetype lastComma = -1;
    for (;;) {
        skipWhitespace();
        if (m_pos >= m_n) {
            if (want == Want::After && m_stack.empty())
                return m_out;
            if (m_stack.empty())
                syntax(m_pos, QStringLiteral("empty file (a JSON value was expected)"));
            else
                syntax(m_pos,
                    QStringLiteral(
                        "unexpected end of file: the %1 opened at %2 is not closed ('%3' expected)")
                        .arg(
                            m_stack.back().closer == '}' ? QStringLiteral("object")
                                                         : QStringLiteral("array"),
                            [this] {
                                const Error e = errorAt(m_stack.back().at, QString());
                                return QStringLiteral("line %1, column %2")
                                    .arg(e.line)
                                    .arg(e.column);
                            }(),
                            QString(QLatin1Char(m_stack.back().closer))));
            return Unexpected(*m_error);
        }
        const char c = m_in[m_pos];
        bool ok = true;
        switch (want) {
        case Want::FirstItem:
        case Want::FirstKey:
            if (c == (want == Want::FirstItem ? ']' : '}')) {
                m_stack.pop_back();
                ++m_pos;
                want = Want::After;
                break;
            }
            if (want == Want::FirstItem) {
                ok = value(want);
                break;
            }
            [[fallthrough]];
        case Want::NextKey:
            if (c == '}' && want == Want::NextKey)
                ok = syntax(
                    lastComma, QStringLiteral("trailing comma before '}' (JSON allows none)"));
            else if (c != '"')
                ok = unexpected(m_pos, Want::NextKey);
            else if ((ok = string(true)))
                want = Want::Colon;
            break;
        case Want::NextItem:
            if (c == ']') {
                ok = syntax(
                    lastComma, QStringLiteral("trailing comma before ']' (JSON allows none)"));
                break;
            }
            [[fallthrough]];
        case Want::Value:
            ok = value(want);
            break;
        case Want::Colon:
            if (c != ':') {
                ok = unexpected(m_pos, Want::Colon);
                break;
            }
            moveColon(m_pos);
            ++m_pos;
            want = Want::Value;
            break;
        case Want::After:
            if (!m_stack.empty() && c == ',') {
                lastComma = m_pos;
                ++m_pos;
                want = m_stack.back().closer == '}' ? Want::NextKey : Want::NextItem;
            } else if (!m_stack.empty() && c == m_stack.back().closer) {
                m_stack.pop_back();
                ++m_pos;
            } else {
                ok = unexpected(m_pos, Want::After);
            }
            break;
        }
        if (!ok)
            return Unexpected(*m_error);
    }
}

} // namespace

Result<QByteArray, Error> JsonChecker::check(const QByteArray &json)
{
    return Checker(json).run();
}

int JsonChecker::column(const QByteArray &text, qsizetype lineStart, qsizetype offset)
{
    offset = std::min(offset, text.size());
    int column = 1;
    for (qsizetype i = lineStart; i < offset; ++i) {
        if ((uchar(text[i]) & 0xC0) != 0x80)
            ++column;
    }
    return column;
}

} // namespace pw
