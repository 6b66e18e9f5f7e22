#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QString>

namespace pw {

// Files only their user may read (DESIGN §7: connections, trust, secrets): written to a
// private temporary file (0600 from its creation, not for a moment readable by others),
// synced, then renamed over `path`, so a crash leaves the old content whole.
Result<void> writePrivateFile(const QString &path, const QByteArray &bytes);

// Creates `dir` (and missing parents) as 0700; an existing one keeps its mode.
Result<void> makePrivateDir(const QString &dir);

} // namespace pw
