// libFuzzer harness for strict JSON flow files (docs/hardening.md says how to run it).
// fuzz_flowloader reads every input as YAML and as JSON, but its mutations mostly make YAML;
// this one starts from JSON seeds and checks what only JSON has.
//
// Properties checked on every input:
// - FlowLoader::loadData with a *.flow.json name never crashes or hangs;
// - JsonChecker::check accepts or refuses the bytes; what it hands to the YAML parser has the
//   same length and the same number of lines (so that positions stay the file's);
// - every error with a position points inside the file: 1 <= line <= the file's lines and
//   1 <= column <= the line's length in characters + 1;
// - a flow that loads saves as JSON that loads again into an equal Flow.
#include "format/flowloader.h"
#include "format/flowwriter.h"
#include "format/jsonchecker.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void fail(const char *what, const QByteArray &input, const QString &detail)
{
    std::fprintf(stderr, "%s\n--- input ---\n%s\n--- detail ---\n%s\n", what, input.constData(),
        qPrintable(detail));
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString name = QStringLiteral("fuzz.flow.json");
    const auto flow = pw::FlowLoader::loadData(bytes, name);
    if (!bytes.contains('\0') && QString::fromUtf8(bytes).toUtf8() == bytes) {
        if (const auto checked = pw::JsonChecker::check(bytes)) {
            if (checked->size() != bytes.size() || checked->count('\n') != bytes.count('\n'))
                fail("the checked text moved lines", bytes, QString::fromUtf8(*checked));
        }
    }
    if (!flow) {
        const QList<QByteArray> lines = bytes.split('\n');
        for (const pw::Error &e : flow.error()) {
            if (e.message.isEmpty())
                fail("error without a message", bytes, e.toString());
            if (e.file != name)
                fail("error without the file name", bytes, e.toString());
            if (e.line <= 0)
                continue;
            if (e.line > lines.size() || e.column < 1
                || e.column > QString::fromUtf8(lines.at(e.line - 1)).size() + 1)
                fail("error position outside the file", bytes, e.toString());
        }
        return 0;
    }
    const QByteArray saved = pw::FlowWriter::toJson(*flow);
    const auto again = pw::FlowLoader::loadData(saved, QStringLiteral("saved.flow.json"));
    if (!again)
        fail("saved JSON does not load", saved, again.error().first().toString());
    if (!(*again == *flow))
        fail("saved JSON loads into another flow", bytes, QString::fromUtf8(saved));
    return 0;
}
