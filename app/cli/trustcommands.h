#pragma once

#include <QStringList>
#include <QTextStream>

namespace pw {

struct Flow;

// Trust on the command line (issue 12, core/engine/truststore.h). Running a file from the
// command line — run, rerun --current-definition, backfill, schedule at its start — is the
// user's consent: record() notes it so that the GUI and the scheduler do not ask again for
// that content. `pipewright-cli trust FILE_OR_DIR...` trusts files deployed from version
// control: each flow file, or every *.flow.yaml / *.flow.json under a directory (recursively);
// a file that does not load is reported and not trusted (exit 2).
class TrustCommands
{
public:
    static int run(const QStringList &args, QTextStream &out, QTextStream &err);
    // Records the trust of `flow` in `home`; a failure is a warning on `err`, not an error:
    // the command goes on with what the user asked for.
    static void record(const Flow &flow, const QString &home, QTextStream &err);
};

} // namespace pw
