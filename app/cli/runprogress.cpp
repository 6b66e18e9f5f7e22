#include "runprogress.h"

#include <QDateTime>
#include <QLocale>

#include <array>

#include <unistd.h>

namespace pw::cli {

namespace {

constexpr qint64 kRedrawMs = 100;

// "HH:mm:ss" of `ms`; formatting a time is slow and a run's events come many to a second, so
// the last second's text is kept (main thread only).
QString clockOf(qint64 ms)
{
    static qint64 second = -1;
    static QString text;
    if (ms / 1000 != second) {
        second = ms / 1000;
        text = QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss"));
    }
    return text;
}

QString seconds(qint64 ms)
{
    return ms < 10'000 ? QString::number(double(ms) / 1000.0, 'f', 2) + QStringLiteral(" s")
                       : QString::number(double(ms) / 1000.0, 'f', 1) + QStringLiteral(" s");
}

QString rate(int done, qint64 elapsedMs)
{
    if (elapsedMs <= 0)
        return QStringLiteral("-");
    return QLocale::c().toString(qRound64(double(done) * 1000.0 / double(elapsedMs)));
}

bool isBroken(TaskState s)
{
    return s == TaskState::Failed || s == TaskState::Interrupted;
}

} // namespace

RunProgress::Mode RunProgress::modeFor(std::FILE *stream, bool quiet)
{
    if (quiet)
        return Mode::Quiet;
    const QByteArray term = qgetenv("TERM");
    if (::isatty(::fileno(stream)) && !term.isEmpty() && term != "dumb")
        return Mode::Live;
    return Mode::Lines;
}

RunProgress::RunProgress(QTextStream &err, Mode mode, qint64 runId)
    : m_err(err), m_mode(mode), m_runId(runId)
{
    m_clock.start();
}

void RunProgress::setTasks(
    const QHash<QString, TaskState> &states, const QHash<QString, qint64> &updated, qint64 since)
{
    m_states = states;
    m_updated = updated;
    m_done = m_running = m_failed = m_succeeded = m_doneAtStart = 0;
    for (auto it = m_states.cbegin(); it != m_states.cend(); ++it) {
        count(*it, +1);
        if (isFinal(*it) && (since == 0 || m_updated.value(it.key()) < since))
            ++m_doneAtStart; // a rerun's kept task
    }
}

void RunProgress::count(TaskState state, int delta)
{
    if (isFinal(state))
        m_done += delta;
    if (state == TaskState::Running)
        m_running += delta;
    if (isBroken(state))
        m_failed += delta;
    if (state == TaskState::Succeeded)
        m_succeeded += delta;
}

void RunProgress::apply(const EngineEvents &batch)
{
    for (const EngineEvent &e : batch) {
        if (e.runId != m_runId || e.kind != EngineEvent::Kind::TaskState)
            continue;
        auto it = m_states.find(e.task);
        if (it == m_states.end())
            it = m_states.insert(e.task, TaskState::Waiting); // a task the start did not list
        // Counted unless nothing is new or the store said it already at the start; printed
        // either way (the events are every change of this command's try, each once).
        if (*it != e.taskState && e.time >= m_updated.value(e.task)) {
            count(*it, -1);
            count(e.taskState, +1);
            *it = e.taskState;
        }
        if (m_mode == Mode::Quiet)
            continue;
        // Live: failures and retries get their own line; Lines: every end and retry.
        const bool ended = isFinal(e.taskState);
        const bool retry = e.taskState == TaskState::RetryWait;
        const bool bad = isBroken(e.taskState) || e.taskState == TaskState::Cancelled;
        if (!(retry || bad || (ended && m_mode == Mode::Lines)))
            continue;
        QString line = QLatin1Char('[') + clockOf(e.time) + QStringLiteral("] ") + e.task
            + QLatin1Char(' ') + toString(e.taskState);
        if (retry)
            line += QStringLiteral(" until ") + clockOf(e.dueAt);
        if (!e.detail.isEmpty())
            line += QStringLiteral(" - ") + e.detail;
        print(line);
    }
    tick();
}

// Live: the status line is redrawn; Lines: what was printed is written out. Either at most
// every kRedrawMs (a write per event batch costs more than the lines themselves).
void RunProgress::tick()
{
    if (m_clock.elapsed() - m_drawnAt < kRedrawMs)
        return;
    if (m_mode == Mode::Live) {
        draw();
    } else if (m_mode == Mode::Lines) {
        m_drawnAt = m_clock.elapsed();
        m_err.flush();
    }
}

QString RunProgress::statusLine(qint64 elapsedMs) const
{
    return QStringLiteral("[%1/%2] running %3 · failed %4 · %5/s")
        .arg(m_done)
        .arg(m_states.size())
        .arg(m_running)
        .arg(m_failed)
        .arg(rate(m_done - m_doneAtStart, elapsedMs));
}

void RunProgress::print(const QString &line)
{
    if (m_lineShown)
        m_err << "\r\x1b[K"; // the status line gives way; the next draw puts it back
    m_lineShown = false;
    m_err << line << '\n';
}

void RunProgress::draw()
{
    m_drawnAt = m_clock.elapsed();
    m_err << "\r\x1b[K" << statusLine(m_drawnAt);
    m_err.flush();
    m_lineShown = true;
}

void RunProgress::finish(RunState state)
{
    const qint64 elapsed = m_clock.elapsed();
    if (m_lineShown)
        m_err << "\r\x1b[K";
    m_lineShown = false;
    std::array<int, int(TaskState::Interrupted) + 1> by{};
    for (TaskState s : std::as_const(m_states))
        ++by[size_t(s)];
    QStringList parts;
    for (TaskState s :
        {TaskState::Succeeded, TaskState::Failed, TaskState::UpstreamFailed, TaskState::Skipped,
            TaskState::Cancelled, TaskState::Interrupted, TaskState::Waiting}) {
        if (by[size_t(s)])
            parts << QStringLiteral("%1 %2").arg(by[size_t(s)]).arg(toString(s));
    }
    m_err << "run " << m_runId << ' ' << toString(state) << " in " << seconds(elapsed) << ": "
          << m_states.size() << " tasks, " << parts.join(QStringLiteral(" · ")) << " · "
          << rate(m_done - m_doneAtStart, elapsed) << " tasks/s\n";
    m_err.flush();
}

} // namespace pw::cli
