#pragma once

#include <QList>
#include <QtGlobal>

namespace pw {

// A process group to end, as recorded with an attempt: the group id (= its leader's pid) and
// the leader's start time (ProcessInfo::startTime, clock ticks since boot; -1 = unknown). The
// start time is what tells the group's leader from an unrelated process that reused the pid.
struct ProcessGroup
{
    qint64 pgid = 0;
    qint64 leaderStart = -1;
    friend bool operator==(const ProcessGroup &, const ProcessGroup &) = default;
};

using ProcessGroups = QList<ProcessGroup>;

} // namespace pw
