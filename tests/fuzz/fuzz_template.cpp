// libFuzzer harness for templates and durations (docs/hardening.md says how to run it).
//
// Properties checked on every input (the bytes read as UTF-8):
// - Template::parse never crashes; a parsed template renders in both quoting modes;
// - text without "{{" renders to itself; the pieces' literals and names account for the text;
// - Template::shellQuote is reversible by POSIX single-quote rules (what /bin/sh does);
// - Duration::parseMs: an accepted duration prints (Duration::format) as text that parses back
//   to the same number of milliseconds;
// - ParamSpec::canonicalize (run keys!) is idempotent for every type: a canonical value is its
//   own canonical value.
#include "model/duration.h"
#include "model/paramspec.h"
#include "model/template.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>
#include <QTimeZone>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void fail(const char *what, const QString &input, const QString &got)
{
    std::fprintf(
        stderr, "%s\ninput: [%s]\ngot:   [%s]\n", what, qPrintable(input), qPrintable(got));
    std::abort();
}

// What /bin/sh makes of a word made only of '...' runs and \' escapes.
QString shellUnquote(const QString &word, bool *ok)
{
    QString out;
    *ok = true;
    qsizetype i = 0;
    while (i < word.size()) {
        if (word[i] == QLatin1Char('\'')) {
            const qsizetype close = word.indexOf(QLatin1Char('\''), i + 1);
            if (close < 0) {
                *ok = false;
                return out;
            }
            out += word.mid(i + 1, close - i - 1);
            i = close + 1;
        } else if (word[i] == QLatin1Char('\\') && i + 1 < word.size()) {
            out += word[i + 1];
            i += 2;
        } else {
            *ok = false; // an unquoted character the shell would interpret
            return out;
        }
    }
    return out;
}

void checkTemplate(const QString &text)
{
    const auto t = pw::Template::parse(text);
    if (!t) {
        if (t.error().message.isEmpty())
            fail("template error without a message", text, QString());
        if (t.error().column < 0 || t.error().column > text.size())
            fail("template error offset out of range", text, QString::number(t.error().column));
        return;
    }
    QHash<QString, QString> values;
    int i = 0;
    for (const QString &name : t->names())
        values.insert(name, QStringLiteral("v%1 '$x\"-2026-11-24").arg(i++));
    const QString shell = t->render(values, pw::Template::Quoting::Shell);
    const QString none = t->render(values, pw::Template::Quoting::None);
    if (!text.contains(QLatin1String("{{")) && (shell != text || none != text))
        fail("text without placeholders changed when rendered", text, none);
    qsizetype literalSize = 0;
    for (const pw::Template::Piece &p : t->pieces()) {
        literalSize += p.literal.size();
        if (p.offset < 0 || p.offset > text.size())
            fail("piece offset out of range", text, QString::number(p.offset));
    }
    if (literalSize > text.size())
        fail("literals longer than the text", text, QString::number(literalSize));
}

void checkShellQuote(const QString &value)
{
    const QString quoted = pw::Template::shellQuote(value);
    bool ok = false;
    const QString back = shellUnquote(quoted, &ok);
    if (!ok || back != value)
        fail("shellQuote is not reversible", value, quoted);
}

void checkDuration(const QString &text)
{
    const auto ms = pw::Duration::parseMs(text);
    if (!ms)
        return;
    const QString printed = pw::Duration::format(*ms);
    const auto again = pw::Duration::parseMs(printed);
    if (!again || *again != *ms)
        fail("Duration::format does not parse back", text, printed);
}

void checkParams(const QString &text)
{
    // A fixed "now" in a zone with DST, so 'today', 'now' and offset-less datetimes are tested
    // against gaps and folds too.
    static const QDateTime now(
        QDate(2026, 3, 8), QTime(1, 59, 58), QTimeZone(QByteArrayLiteral("America/New_York")));
    for (const pw::ParamType type : {pw::ParamType::String, pw::ParamType::Int, pw::ParamType::Bool,
             pw::ParamType::Date, pw::ParamType::DateTime, pw::ParamType::Choice}) {
        pw::ParamSpec p;
        p.name = QStringLiteral("p");
        p.type = type;
        p.values = {QStringLiteral("a"), text.trimmed()};
        const auto c = p.canonicalize(text, now);
        if (!c) {
            if (c.error().message.isEmpty())
                fail("parameter error without a message", text, QString());
            continue;
        }
        const auto again = p.canonicalize(*c, now);
        if (!again || *again != *c)
            fail("canonical parameter value is not its own canonical value", text,
                *c + QStringLiteral(" -> ") + (again ? *again : again.error().message));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    checkTemplate(text);
    checkShellQuote(text);
    if (size <= 64) {
        checkDuration(text);
        checkParams(text);
    }
    return 0;
}
