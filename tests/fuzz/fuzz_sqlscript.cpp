// libFuzzer harness for the sql task's statement splitter (docs/hardening.md says how to run it).
//
// Properties checked on every input (the bytes read as UTF-8):
// - SqlScript::split never crashes or hangs;
// - every statement is a non-empty run of the script that starts at a token (not whitespace),
//   found at or after the previous one, on a line no earlier than the previous one's and inside
//   the script;
// - every parameter lies inside its statement and reads ":name" there;
// - at most three first words, upper case;
// - splitting a statement's own text gives that statement back (on line 1): what the sql child
//   runs is what was split;
// - SqlScript::bind names one placeholder per parameter use (Question) and one per distinct
//   name in order of first use (Dollar), the same names the split found.
#include "runners/sqlscript.h"

#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void fail(const char *what, const QString &script, const QString &statement)
{
    std::fprintf(stderr, "%s\n--- script ---\n%s\n--- statement ---\n%s\n", what,
        qPrintable(script), qPrintable(statement));
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString script = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<pw::SqlStatement> statements = pw::SqlScript::split(script);
    const int lines = int(script.count(QLatin1Char('\n'))) + 1;
    qsizetype from = 0;
    int line = 1;
    for (const pw::SqlStatement &st : statements) {
        // (It may end in whitespace: a comment runs to the end of its line, an unterminated
        // string or body to the end of the script.)
        if (st.text.isEmpty() || st.text.front().isSpace())
            fail("statement is empty or starts with whitespace", script, st.text);
        const qsizetype at = script.indexOf(st.text, from);
        if (at < 0)
            fail("statement is not a run of the script after the previous one", script, st.text);
        from = at + 1;
        if (st.line < line || st.line > lines)
            fail("statement line out of order or outside the script", script, st.text);
        line = st.line;
        for (const pw::SqlStatement::Parameter &p : st.parameters) {
            if (p.name.isEmpty() || p.offset < 0 || p.offset + p.length > st.text.size()
                || st.text.mid(p.offset, p.length) != QLatin1Char(':') + p.name)
                fail("parameter does not read :name in its statement", script, st.text);
        }
        if (st.words.size() > 3)
            fail("more than three first words", script, st.text);
        for (const QString &w : st.words) {
            if (w.isEmpty() || w != w.toUpper())
                fail("first word empty or not upper case", script, st.text);
        }

        const QList<pw::SqlStatement> again = pw::SqlScript::split(st.text);
        pw::SqlStatement first = st;
        first.line = 1;
        if (again.size() != 1 || !(again.first() == first))
            fail("splitting the statement's text does not give it back", script, st.text);

        QStringList uses;
        for (const pw::SqlStatement::Parameter &p : st.parameters)
            uses.append(p.name);
        const auto question = pw::SqlScript::bind(st, pw::SqlScript::Placeholders::Question);
        if (question.names != uses)
            fail("bind (?) names differ from the parameters", script, question.text);
        const auto dollar = pw::SqlScript::bind(st, pw::SqlScript::Placeholders::Dollar);
        if (dollar.names != st.parameterNames())
            fail("bind ($n) names differ from the parameter names", script, dollar.text);
        (void)pw::SqlScript::controlsTransaction(st);
        (void)pw::SqlScript::isDataChange(st);
    }
    (void)pw::SqlScript::isQualifiedName(script);
    return 0;
}
