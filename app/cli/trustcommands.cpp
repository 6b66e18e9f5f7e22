#include "trustcommands.h"

#include "commandline.h"

#include "engine/home.h"
#include "engine/truststore.h"
#include "format/flowloader.h"

#include <QCommandLineParser>
#include <QDirIterator>
#include <QFileInfo>

namespace pw {

using namespace cli;

int TrustCommands::run(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("FILE_OR_DIR"),
        QStringLiteral("Flow files, or directories of them (searched recursively)."),
        QStringLiteral("FILE_OR_DIR..."));
    StoreLocation location;
    if (auto code = parseCommand(
            p, args, "pipewright-cli trust FILE_OR_DIR...", out, err, nullptr, &location))
        return *code;
    if (p.positionalArguments().isEmpty())
        return fail(err, BadInput, QStringLiteral("trust needs at least one file or directory"));
    QStringList files;
    for (const QString &arg : p.positionalArguments()) {
        const QFileInfo info(arg);
        if (!info.exists())
            return fail(err, BadInput, QStringLiteral("%1: no such file or directory").arg(arg));
        if (!info.isDir()) {
            files << info.absoluteFilePath();
            continue;
        }
        QStringList found;
        QDirIterator it(info.absoluteFilePath(),
            {QStringLiteral("*.flow.yaml"), QStringLiteral("*.flow.json")}, QDir::Files,
            QDirIterator::Subdirectories);
        while (it.hasNext())
            found << it.next();
        found.sort();
        if (found.isEmpty())
            err << "pipewright-cli: " << arg << ": no *.flow.yaml or *.flow.json files\n";
        files << found;
    }
    TrustStore store{Home(location.home)};
    int code = Ok;
    for (const QString &file : std::as_const(files)) {
        auto flow = FlowLoader::loadFile(file);
        if (!flow) {
            for (const Error &e : flow.error())
                err << e.toString() << "\n";
            err << "pipewright-cli: " << file << " is not trusted (it does not load)\n";
            code = BadInput;
            continue;
        }
        if (auto ok = store.trust(*flow); !ok)
            return fail(err, Environment, ok.error().toString());
        out << "trusted " << file << " (" << TrustStore::hashOf(*flow).left(12) << ")\n";
    }
    return code;
}

void TrustCommands::record(const Flow &flow, const QString &home, QTextStream &err)
{
    if (auto ok = TrustStore(Home(home)).trust(flow); !ok) {
        err << "pipewright-cli: warning: could not record the trust of " << flow.sourcePath << ": "
            << ok.error().message << "\n";
        err.flush();
    }
}

} // namespace pw
