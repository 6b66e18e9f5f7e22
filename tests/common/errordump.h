#pragma once

// For tests: errors as the lines a user would see (FILE:LINE:COL: message), for failure output.

#include "model/result.h"

#include <QStringList>

namespace pw::testing {

inline QString dump(const Errors &errors)
{
    QStringList lines;
    for (const Error &e : errors)
        lines.append(e.toString());
    return lines.join(QLatin1Char('\n'));
}

} // namespace pw::testing
