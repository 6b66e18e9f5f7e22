#include "scheduler.h"

#include "engine/engine.h"
#include "engine/home.h"
#include "engine/truststore.h"
#include "format/flowloader.h"
#include "format/runplanner.h"
#include "history/historystore.h"
#include "model/schedule.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>

namespace pw {

namespace {

Q_LOGGING_CATEGORY(lcSchedule, "pw.core.schedule")

QString isoSeconds(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

} // namespace

Scheduler::Scheduler(Engine *engine, Options options, QObject *parent)
    : QObject(parent), m_engine(engine), m_options(std::move(options))
{
    m_timer.setParent(this); // moves with the scheduler in moveToThread()
    m_timer.setInterval(int(std::max<qint64>(10, m_options.tickMs)));
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (auto r = tick(); !r)
            qCWarning(lcSchedule) << "scheduler tick failed:" << r.error().toString();
    });
}

Scheduler::~Scheduler()
{
    stop();
}

QDateTime Scheduler::now() const
{
    return m_options.clock ? m_options.clock().toUTC() : QDateTime::currentDateTimeUtc();
}

Result<void> Scheduler::start()
{
    if (m_running)
        return {};
    if (!m_engine || !m_engine->isRunning())
        return fail(QStringLiteral("scheduler: the engine is not running"));
    const QString path
        = m_options.historyPath.isEmpty() ? m_engine->historyPath() : m_options.historyPath;
    PW_TRY_ASSIGN(store, m_engine->openStore(path));
    m_store = std::move(store);
    // The lock compares owner heartbeats, which are wall-clock times (not the injected clock).
    PW_TRY_ASSIGN(holder,
        m_store->acquireSchedulerLock(
            m_engine->ownerId(), QDateTime::currentMSecsSinceEpoch(), m_options.lockStaleMs));
    if (holder != m_engine->ownerId()) {
        QString who = QStringLiteral("owner %1").arg(holder);
        if (auto o2 = m_store->owner(holder); o2 && *o2)
            who += QStringLiteral(" (pid %1 on %2)").arg((*o2)->pid).arg((*o2)->host);
        m_store.reset();
        return fail(
            QStringLiteral("another scheduler is already running on %1: %2").arg(path, who));
    }
    m_running = true;
    if (m_options.tickMs <= 0)
        return {};
    m_timer.start();
    QTimer::singleShot(0, this, [this] {
        if (!m_running)
            return;
        if (auto r = tick(); !r)
            qCWarning(lcSchedule) << "scheduler tick failed:" << r.error().toString();
    });
    return {};
}

void Scheduler::stop()
{
    m_timer.stop();
    if (!m_running)
        return;
    m_running = false;
    if (m_store && m_engine) {
        if (auto r = m_store->releaseSchedulerLock(m_engine->ownerId()); !r)
            qCWarning(lcSchedule) << "releasing the scheduler lock failed:" << r.error().toString();
    }
    m_store.reset();
}

QStringList Scheduler::flowFiles(const QStringList &paths)
{
    QStringList files;
    for (const QString &p : paths) {
        const QFileInfo info(p);
        if (info.isDir()) {
            const QDir dir(info.absoluteFilePath());
            const QStringList names
                = dir.entryList({QStringLiteral("*.flow.yaml"), QStringLiteral("*.flow.json")},
                    QDir::Files, QDir::Name);
            for (const QString &n : names)
                files << dir.absoluteFilePath(n);
        } else {
            files << info.absoluteFilePath();
        }
    }
    return files;
}

void Scheduler::rescan()
{
    const QStringList files = flowFiles(m_options.paths);
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (!files.contains(it.key()))
            it = m_entries.erase(it);
        else
            ++it;
    }
    for (const QString &file : files) {
        Entry &e = m_entries[file];
        e.path = file;
        const QFileInfo info(file);
        if (!info.exists()) {
            if (e.error.isEmpty() || e.flow) {
                e.flow.reset();
                e.error = QStringLiteral("%1: no such file or directory").arg(file);
                e.mtime = {};
                e.size = -1;
                Q_EMIT flowError(file, e.error);
            }
            continue;
        }
        if (info.lastModified() == e.mtime && info.size() == e.size) {
            if (e.untrusted)
                checkTrust(e); // trusted meanwhile (pipewright-cli trust, the GUI)?
            continue;
        }
        e.mtime = info.lastModified();
        e.size = info.size();
        e.untrusted = false;
        auto flow = FlowLoader::loadFile(file);
        if (!flow) {
            QStringList lines;
            for (const Error &err : flow.error())
                lines << err.toString();
            e.flow.reset();
            e.error = lines.join(QLatin1Char('\n'));
            Q_EMIT flowError(file, e.error);
            continue;
        }
        e.error.clear();
        e.flow = std::move(*flow);
        if (e.flow->schedule.isSet()) {
            if (auto schedule = Schedule::parse(e.flow->schedule); !schedule) {
                e.error = file + QStringLiteral(": ") + schedule.error().message;
                Q_EMIT flowError(file, e.error);
                continue;
            }
        }
        checkTrust(e);
        qCDebug(lcSchedule) << "loaded" << file;
    }
}

// A flow runs on its schedule only while its current definition is trusted: an untrusted
// change pauses it (its error says why and how to resume) until the content is trusted.
void Scheduler::checkTrust(Entry &e)
{
    if (m_options.trustHome.isEmpty() || !e.flow)
        return;
    auto check = TrustStore(Home(m_options.trustHome)).check(*e.flow);
    if (check && check->verdict == TrustStore::Verdict::Trusted) {
        if (e.untrusted) {
            e.untrusted = false;
            e.error.clear();
            qCInfo(lcSchedule) << "trusted again, resumed:" << e.path;
            recordScheduleEvent(QStringLiteral("resumed"),
                QStringLiteral("%1 (%2): trusted again").arg(e.flow->id, e.path));
            Q_EMIT flowResumed(e.path, e.flow->id);
        }
        return;
    }
    if (e.untrusted)
        return; // reported when it was paused
    e.untrusted = true;
    QByteArray trustedDefinition;
    if (!check) {
        e.error = QStringLiteral("%1: paused: its trust cannot be read: %2")
                      .arg(e.path, check.error().message);
    } else {
        const QString what = check->verdict == TrustStore::Verdict::Changed
            ? QStringLiteral("changed since it was trusted (%1)")
                  .arg(TrustStore::changesSince(check->trustedDefinition, *e.flow)
                           .join(QStringLiteral(", ")))
            : QStringLiteral("not trusted");
        e.error = QStringLiteral("%1: %2; its schedule is paused until it is trusted "
                                 "(pipewright-cli trust %1)")
                      .arg(e.path, what);
        trustedDefinition = check->trustedDefinition;
    }
    recordScheduleEvent(QStringLiteral("paused"), e.flow->id + QStringLiteral(": ") + e.error);
    Q_EMIT flowError(e.path, e.error);
    Q_EMIT flowPaused(e.path, e.flow->id, e.error, trustedDefinition);
}

// A pause or resume is part of the history (an event of no run), so it can be seen later and
// by others sharing the store, not only in this process's output.
void Scheduler::recordScheduleEvent(const QString &state, const QString &detail)
{
    if (!m_store)
        return;
    EventRecord e;
    e.time = QDateTime::currentMSecsSinceEpoch();
    e.kind = QStringLiteral("schedule");
    e.state = state;
    e.detail = detail;
    if (auto r = m_store->appendEvent(e); !r)
        qCWarning(lcSchedule) << "cannot record the schedule's" << state
                              << "event:" << r.error().toString();
}

Result<int> Scheduler::tick()
{
    if (!m_running || !m_store)
        return fail(QStringLiteral("scheduler is not running"));
    // Still ours? (Re-taking it also refreshes nothing but proves no one else holds it.)
    PW_TRY_ASSIGN(holder,
        m_store->acquireSchedulerLock(
            m_engine->ownerId(), QDateTime::currentMSecsSinceEpoch(), m_options.lockStaleMs));
    if (holder != m_engine->ownerId()) {
        const QString msg
            = QStringLiteral("the scheduler lock was taken by owner %1; this scheduler stops")
                  .arg(holder);
        m_timer.stop();
        m_running = false;
        m_store.reset();
        Q_EMIT lockLost(msg);
        return fail(msg);
    }
    rescan();
    const QDateTime t = now();
    int submitted = 0;
    for (Entry &e : m_entries) {
        auto n = tickFlow(e, t);
        if (!n) {
            qCWarning(lcSchedule) << e.path << n.error().toString();
            continue;
        }
        submitted += *n;
    }
    return submitted;
}

Result<int> Scheduler::tickFlow(Entry &entry, const QDateTime &now)
{
    entry.nextFire = {};
    if (!entry.flow || !entry.flow->schedule.isSet() || !entry.error.isEmpty())
        return 0;
    const Flow &flow = *entry.flow;
    const ScheduleSpec &s = flow.schedule;
    auto schedule = Schedule::parse(s);
    if (!schedule)
        return 0; // reported by rescan()
    const qint64 nowMs = now.toMSecsSinceEpoch();

    PW_TRY_ASSIGN(last, m_store->scheduleLastFire(flow.id));
    QDateTime after;
    if (last) {
        after = QDateTime::fromMSecsSinceEpoch(*last, Qt::UTC);
    } else if (s.start) {
        after = schedule->startBound();
    } else {
        // First sight of this schedule: it begins now; nothing from the past runs.
        PW_TRY(m_store->setScheduleLastFire(flow.id, nowMs, nowMs));
        after = now;
    }
    entry.lastFire = last ? after : QDateTime();

    const QList<QDateTime> due = schedule->due(after, now, m_options.maxRunsPerTick);
    const int maxActive = flow.limits.maxActiveRuns.value_or(0);
    int submitted = 0;
    for (const QDateTime &fire : due) {
        if (maxActive > 0) {
            PW_TRY_ASSIGN(active, m_store->activeRunCount(flow.id));
            if (active >= maxActive)
                break; // the rest waits for a later tick, oldest first
        }
        QMap<QString, QString> given;
        if (!s.param.isEmpty()) {
            PW_TRY_ASSIGN(v, schedule->paramValue(flow, fire));
            given.insert(s.param, v);
        }
        const QDateTime localNow = fire.toTimeZone(schedule->zone());
        PW_TRY_ASSIGN(plan, RunPlanner::plan(flow, given, localNow));
        PW_TRY_ASSIGN(existing, m_store->runByKey(plan.key()));
        if (!existing) {
            RunRequest req;
            req.kind = RunRequest::Kind::Run;
            req.plan = plan;
            req.trigger = TryTrigger::Schedule;
            auto f = m_engine->submit(req);
            f.waitForFinished();
            const Result<qint64> r = f.result();
            if (!r) {
                // Refused (e.g. the key became active elsewhere) counts as handled only if the
                // run exists now; otherwise retry on the next tick.
                auto again = m_store->runByKey(plan.key());
                if (!again || !*again)
                    return Unexpected(r.error());
                qCInfo(lcSchedule)
                    << flow.id << isoSeconds(fire) << "not submitted:" << r.error().toString();
            } else {
                ++submitted;
                qCDebug(lcSchedule) << flow.id << "run" << *r << "for" << isoSeconds(fire);
                Q_EMIT runSubmitted(flow.id, fire, *r);
            }
        } else {
            qCInfo(lcSchedule) << flow.id << isoSeconds(fire) << "already has run" << existing->id;
        }
        PW_TRY(m_store->setScheduleLastFire(flow.id, fire.toMSecsSinceEpoch(), nowMs));
        entry.lastFire = fire;
        after = fire;
    }
    if (auto n = schedule->next(std::max(after, now)))
        entry.nextFire = *n;
    return submitted;
}

QList<Scheduler::FlowStatus> Scheduler::status() const
{
    QList<FlowStatus> out;
    for (const Entry &e : m_entries) {
        FlowStatus st;
        st.path = e.path;
        st.flowId = e.flow ? e.flow->id : QString();
        st.error = e.error;
        st.scheduled = e.flow && e.flow->schedule.isSet() && e.error.isEmpty();
        st.nextFire = e.nextFire;
        st.lastFire = e.lastFire;
        out << st;
    }
    return out;
}

} // namespace pw
