#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QString>

namespace pw {

// Files and directories only their user may read (issue 12): the history database and its
// -wal/-shm, task logs, connections.yaml, secrets.yaml. What Pipewright creates is 0600 (files)
// or 0700 (directories), whatever the umask; what exists already keeps its mode (the user
// chose it), except that files holding secrets are refused when others may read them
// (checkPrivate()).
namespace PrivateFiles {
// Creates `dir` and its missing parents with mode 0700. False when it cannot.
bool makeDirs(const QString &dir);
// Creates `path` empty with mode 0600 (and its directory, makeDirs()) unless it exists, so that
// a program that creates it later with its own mode (SQLite: 0644 & ~umask, and the same for
// its -wal/-shm) finds a private file.
Result<void> ensureFile(const QString &path);
// Replaces `path` with `bytes` through a private temporary file and a rename: the file is never
// readable by others, not even for a moment, and a crash leaves the old one whole.
Result<void> write(const QString &path, const QByteArray &bytes);
// An error naming `path` when its group or others have any access to it (or it cannot be
// read); `holds` says what is at stake ("passwords", "secrets").
Result<void> checkPrivate(const QString &path, const QString &holds);
} // namespace PrivateFiles

} // namespace pw
