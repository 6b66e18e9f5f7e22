#pragma once

#include "engine/engineevent.h"
#include "model/states.h"

#include <QElapsedTimer>
#include <QHash>
#include <QString>
#include <QTextStream>

#include <cstdio>

namespace pw::cli {

// What `run` and `rerun` print to stderr while their run goes (docs/cli.md "Progress"):
//  - Live (stderr is a terminal, TERM is not "dumb"): one status line redrawn in place, at most
//    ten times a second, like ninja's — "[done/total] running N · failed N · rate/s" — with a
//    line above it for each failure and each retry;
//  - Lines (not a terminal: a log file, a pipe, CI): one "[HH:MM:SS] TASK STATE" line per task
//    that ends (and per retry), the error after " - ";
//  - Quiet (--quiet): nothing while it runs.
// Each mode ends with the same totals line ("run 7 succeeded in 2.1 s: 100000 tasks, 100000
// succeeded · 47,600 tasks/s"). Counts are kept per task from the events (a state seen again
// changes nothing), starting from the run's task states when it was submitted, so a rerun's
// kept tasks count as done. Not thread safe: the CLI's main thread only.
class RunProgress
{
public:
    enum class Mode { Live, Lines, Quiet };
    // Live when `stream` is a terminal and TERM is set and not "dumb"; Quiet when `quiet`.
    static Mode modeFor(std::FILE *stream, bool quiet);

    RunProgress(QTextStream &err, Mode mode, qint64 runId);
    Mode mode() const { return m_mode; }

    // The run's tasks and their states as read from the store after the submit (every task of
    // the run), with when each was last changed (`updated`, ms since the epoch): an event older
    // than that is already in the state and changes nothing. Final tasks changed before `since`
    // (the submit) are kept ones (a rerun's): done, but not in the rate; since = 0: all final
    // ones are.
    void setTasks(const QHash<QString, TaskState> &states,
        const QHash<QString, qint64> &updated = {}, qint64 since = 0);
    // Applies the events of this run (others are ignored) and prints what the mode prints.
    void apply(const EngineEvents &batch);
    // Live: redraws the status line if it is due (the rate moves while tasks run for long);
    // Lines: writes out the lines printed since the last time (at most ten times a second).
    void tick();
    // Clears the status line and prints the totals.
    void finish(RunState state);

    // The status line ("[12/40] running 4 · failed 1 · 230/s"; the rate counts only tasks
    // that ended since the start); `elapsedMs` since the start.
    QString statusLine(qint64 elapsedMs) const;
    int done() const { return m_done; }
    int total() const { return int(m_states.size()); }
    int running() const { return m_running; }
    int failed() const { return m_failed; }

private:
    void count(TaskState state, int delta);
    void print(const QString &line); // a line of its own (above the live status line)
    void draw();

    QTextStream &m_err;
    Mode m_mode;
    qint64 m_runId;
    QHash<QString, TaskState> m_states;
    QHash<QString, qint64> m_updated;
    int m_done = 0;
    int m_doneAtStart = 0;
    int m_running = 0;
    int m_failed = 0;
    int m_succeeded = 0;
    QElapsedTimer m_clock;
    qint64 m_drawnAt = -1000; // last draw (Live) or write (Lines); the first batch at once
    bool m_lineShown = false;
};

} // namespace pw::cli
