#pragma once

#include "runner.h"

#include "model/attempterror.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace pw {

// Declared file outputs of an attempt, written via temp file + rename (DESIGN §1.5, issue 10).
// The task sees one temporary path per output, in the output's own directory (so the rename
// is atomic): DIR/.NAME.pw-tmp-RUN-ATTEMPT. Only when the attempt succeeds are the temporary
// files fsynced and renamed onto the final names (then their directories fsynced), before the
// engine commits the success; an existing final file is replaced only then. On failure,
// timeout or cancel the temporary files are removed; what a killed process left behind is
// removed by the next attempt of the task in the same run (prepare()) or by the takeover of
// its owner (removeTemps(), from the paths recorded when the attempt started).
//
// Blocking file I/O: runners call it on their worker threads; the takeover's removeTemps()
// only unlinks. Any thread; no state.
class OutputFiles
{
public:
    // The temporary path of output `path` for attempt `attempt` of run `runId`.
    static QString tempPath(const QString &path, qint64 runId, int attempt);
    // Before the attempt runs: creates the outputs' directories and removes temporary files of
    // earlier attempts of this run (leftovers of a killed process). An error says why the
    // attempt cannot run (a spawn error).
    static std::optional<AttemptError> prepare(const QList<AttemptOutput> &outputs, qint64 runId);
    // After the attempt exited 0: every temporary file must exist and be a file; then each is
    // fsynced and renamed onto its final name and the directories are fsynced. On any problem
    // the temporary files are removed, the final files are left as they were (unless a rename
    // already happened), and the error says which output (kind Output).
    static std::optional<AttemptError> commit(const QList<AttemptOutput> &outputs);
    // After a failed, timed out or cancelled attempt: removes its temporary files.
    static void discard(const QList<AttemptOutput> &outputs);
    // Removes these temporary files (a takeover's cleanup); returns how many were removed.
    static int removeTemps(const QStringList &temps);

    // The temporary paths as recorded with the attempt (an `outputs` event's detail: a JSON
    // array), and back.
    static QString recordText(const QList<AttemptOutput> &outputs);
    static QStringList tempsFromRecord(const QString &text);
};

} // namespace pw
