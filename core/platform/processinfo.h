#pragma once

#include <QString>

#include <sys/types.h>

namespace pw {

// Facts about processes on this host, read from /proc (Linux). Used to record an attempt's
// process group and start time, and to kill a dead owner's process groups without ever hitting
// a reused pid (the recorded start time must match).
namespace ProcessInfo {
// Start time of `pid` in clock ticks since boot (field 22 of /proc/PID/stat), or -1 if the
// process does not exist.
qint64 startTime(pid_t pid);
bool isAlive(pid_t pid);
// Boot id of this machine (/proc/sys/kernel/random/boot_id); start times are only comparable
// within one boot.
QString bootId();
QString hostName();
// Sends `sig` to the process group `pgid` if its leader still has start time `expectedStart`
// (or, when the leader is gone, if `expectedStart` < 0 is passed deliberately). Returns true if
// a signal was delivered.
bool signalGroup(pid_t pgid, qint64 expectedStart, int sig);
// Is any process of group `pgid` still alive?
bool groupAlive(pid_t pgid);
} // namespace ProcessInfo

} // namespace pw
