// libFuzzer harness for the flow loader (docs/hardening.md says how to build and run it).
//
// Properties checked on every input:
// - FlowLoader::loadData never crashes, hangs or trips a sanitizer, whatever the bytes, read as
//   YAML and as strict JSON (a *.flow.json name);
// - a flow that loads survives saving: FlowWriter::toYaml and FlowWriter::toJson both load
//   again (the JSON as strict JSON), into an equal Flow (the round trip the editor relies on),
//   and saving is stable
//   (saving the reloaded flow gives the same bytes);
// - FlowWriter::canonicalDefinition (the definition stored with every run, which recovery
//   loads back) loads into the same flow minus title, descriptions and layout.
// A violated property prints both documents and aborts, so libFuzzer keeps the input.
#include "format/flowloader.h"
#include "format/flowwriter.h"

#include <QByteArray>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void dumpErrors(const pw::Errors &errors)
{
    for (const pw::Error &e : errors)
        std::fprintf(stderr, "  %s\n", qPrintable(e.toString()));
}

[[noreturn]] void fail(const char *what, const QByteArray &first, const QByteArray &second)
{
    std::fprintf(stderr, "round trip failed: %s\n--- saved ---\n%s\n--- again ---\n%s\n", what,
        first.constData(), second.constData());
    std::abort();
}

void roundTrip(const pw::Flow &flow, const QByteArray &saved, const char *format)
{
    const auto again = pw::FlowLoader::loadData(saved,
        QByteArrayView(format) == "yaml" ? QStringLiteral("saved.flow.yaml")
                                         : QStringLiteral("saved.flow.json"));
    if (!again) {
        std::fprintf(stderr, "%s output does not load:\n", format);
        dumpErrors(again.error());
        fail(format, saved, QByteArray());
    }
    if (!(*again == flow))
        fail(format, saved, pw::FlowWriter::toYaml(*again));
    const QByteArray resaved = QByteArrayView(format) == "yaml" ? pw::FlowWriter::toYaml(*again)
                                                                : pw::FlowWriter::toJson(*again);
    if (resaved != saved)
        fail("saving is not stable", saved, resaved);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)pw::FlowLoader::loadData(bytes, QStringLiteral("fuzz.flow.json"));
    const auto flow = pw::FlowLoader::loadData(bytes, QStringLiteral("fuzz.flow.yaml"));
    if (!flow)
        return 0;
    roundTrip(*flow, pw::FlowWriter::toYaml(*flow), "yaml");
    roundTrip(*flow, pw::FlowWriter::toJson(*flow), "json");
    const QByteArray definition = pw::FlowWriter::canonicalDefinition(*flow);
    const auto stored = pw::FlowLoader::loadData(definition, QStringLiteral("<definition>"));
    if (!stored) {
        std::fprintf(stderr, "canonical definition does not load:\n");
        dumpErrors(stored.error());
        fail("definition", definition, QByteArray());
    }
    pw::Flow bare = *flow;
    bare.title.clear();
    bare.description.clear();
    bare.layout.clear();
    for (pw::ParamSpec &p : bare.params)
        p.description.clear();
    for (pw::TaskSpec &t : bare.tasks)
        t.description.clear();
    if (!(*stored == bare))
        fail("definition", definition, pw::FlowWriter::canonicalDefinition(*stored));
    for (const pw::TaskSpec &t : flow->tasks)
        (void)pw::FlowWriter::canonicalTask(*flow, t);
    return 0;
}
