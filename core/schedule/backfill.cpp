#include "backfill.h"

#include "engine/engine.h"
#include "format/runplanner.h"
#include "history/historystore.h"
#include "model/schedule.h"
#include "scheduler.h"

#include <QFutureWatcher>
#include <QLoggingCategory>

namespace pw {

namespace {

Q_LOGGING_CATEGORY(lcBackfill, "pw.core.backfill")

constexpr qint64 kDayMs = 86400000;

} // namespace

Result<QList<Backfill::Item>> Backfill::items(const Flow &flow, const QDate &from, const QDate &to)
{
    if (!from.isValid() || !to.isValid())
        return fail(QStringLiteral("backfill needs valid --from and --to dates (YYYY-MM-DD)"));
    if (from > to)
        return fail(QStringLiteral("backfill: --from %1 is after --to %2")
                        .arg(from.toString(Qt::ISODate), to.toString(Qt::ISODate)));
    const ScheduleSpec &s = flow.schedule;
    std::optional<Schedule> schedule;
    if (s.isSet()) {
        PW_TRY_ASSIGN(parsed, Schedule::parse(s));
        schedule = std::move(parsed);
    }
    const QTimeZone zone = schedule ? schedule->zone() : QTimeZone::utc(); // no schedule: UTC days
    QList<Item> out;
    auto add = [&](const QDateTime &fire, const QDate &date,
                   const QMap<QString, QString> &given) -> Result<void> {
        if (out.size() >= kMaxItems)
            return fail(QStringLiteral("backfill: more than %1 runs in that range; split it")
                            .arg(kMaxItems));
        PW_TRY_ASSIGN(plan, RunPlanner::plan(flow, given, fire.toTimeZone(zone)));
        out.append({fire, date, plan});
        return {};
    };

    if (schedule) {
        if (!s.param.isEmpty())
            PW_TRY(schedule->paramValue(flow, QDateTime::currentDateTimeUtc()));
        const int margin = int(std::abs(s.offsetMs.value_or(0)) / kDayMs) + 2;
        QDateTime cur = schedule->midnight(from.addDays(-margin)).addMSecs(-1);
        const QDateTime end = schedule->midnight(to.addDays(margin + 1));
        while (true) {
            auto n = schedule->next(cur);
            if (!n || *n > end)
                break;
            cur = *n;
            const QDate date = schedule->paramDate(*n);
            if (date < from || date > to)
                continue;
            QMap<QString, QString> given;
            if (!s.param.isEmpty()) {
                PW_TRY_ASSIGN(v, schedule->paramValue(flow, *n));
                given.insert(s.param, v);
            }
            PW_TRY(add(*n, date, given));
        }
        return out;
    }

    // No schedule: one run per day into the flow's date parameter.
    QList<const ParamSpec *> dated;
    for (const ParamSpec &p : flow.params) {
        if (p.type == ParamType::Date || p.type == ParamType::DateTime)
            dated << &p;
    }
    if (dated.size() != 1) {
        return fail(
            QStringLiteral("backfill: flow %1 has no schedule and %2 date parameters; it needs "
                           "exactly one (or a schedule with param:)")
                .arg(flow.id)
                .arg(dated.isEmpty() ? QStringLiteral("no") : QString::number(dated.size())));
    }
    if (from.daysTo(to) >= kMaxItems)
        return fail(
            QStringLiteral("backfill: more than %1 runs in that range; split it").arg(kMaxItems));
    for (QDate d = from; d <= to; d = d.addDays(1)) {
        const QDateTime midnight(d, QTime(0, 0), Qt::UTC);
        const QString value = dated[0]->type == ParamType::Date
            ? d.toString(Qt::ISODate)
            : d.toString(Qt::ISODate) + QStringLiteral("T00:00:00Z");
        PW_TRY(add(midnight, d, {{dated[0]->name, value}}));
    }
    return out;
}

Backfill::Backfill(Engine *engine, QList<Item> items, int maxActiveRuns, QObject *parent)
    : QObject(parent),
      m_engine(engine),
      m_items(std::move(items)),
      m_maxActive(std::max(1, maxActiveRuns))
{ }

Backfill::~Backfill() = default;

Result<void> Backfill::start()
{
    if (!m_engine || !m_engine->isRunning())
        return fail(QStringLiteral("backfill: the engine is not running"));
    PW_TRY_ASSIGN(store, m_engine->openStore());
    m_store = std::move(store);
    connect(m_engine, &Engine::runFinished, this, &Backfill::onRunFinished);
    QMetaObject::invokeMethod(this, &Backfill::pump, Qt::QueuedConnection);
    return {};
}

void Backfill::cancel()
{
    if (m_cancelled)
        return;
    m_cancelled = true;
    for (auto it = m_active.constBegin(); it != m_active.constEnd(); ++it)
        m_engine->cancel(it.key());
    maybeFinish();
}

void Backfill::pump()
{
    while (!m_cancelled && m_next < m_items.size() && m_inFlight < m_maxActive) {
        const int index = m_next++;
        const Item &item = m_items[index];
        auto existing = m_store->runByKey(item.plan.key());
        if (!existing) {
            ++m_summary.refused;
            Q_EMIT itemDone(item, 0, Outcome::Refused, existing.error().toString());
            continue;
        }
        if (*existing && (*existing)->state == RunState::Succeeded) {
            ++m_summary.skipped;
            Q_EMIT itemDone(
                item, (*existing)->id, Outcome::Skipped, QStringLiteral("already succeeded"));
            continue;
        }
        const bool recovered = existing->has_value();
        RunRequest req;
        req.kind = RunRequest::Kind::Run;
        req.plan = item.plan;
        req.trigger = TryTrigger::Backfill;
        req.confirmed = m_confirmed;
        ++m_inFlight;
        // A watcher, not QFuture::then(context): Qt 6.4's context continuation can be lost
        // when the engine finishes the future while it is being attached.
        auto *watcher = new QFutureWatcher<Result<qint64>>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, index, recovered] {
            watcher->deleteLater();
            const Result<qint64> r = watcher->future().result();
            const Item &it = m_items[index];
            if (!r) {
                --m_inFlight;
                ++m_summary.refused;
                Q_EMIT itemDone(it, 0, Outcome::Refused, r.error().toString());
                pump();
                return;
            }
            const qint64 runId = *r;
            Q_EMIT itemStarted(it, runId, recovered);
            if (m_early.contains(runId)) {
                m_active.insert(runId, index);
                onRunFinished(runId, m_early.take(runId));
                return;
            }
            m_active.insert(runId, index);
            if (m_cancelled)
                m_engine->cancel(runId);
        });
        watcher->setFuture(m_engine->submit(req));
    }
    maybeFinish();
}

void Backfill::onRunFinished(qint64 runId, RunState state)
{
    auto it = m_active.find(runId);
    if (it == m_active.end()) {
        // Possibly ours, with the submission's answer still queued behind this signal.
        if (m_inFlight > m_active.size())
            m_early.insert(runId, state);
        return;
    }
    const int index = it.value();
    m_active.erase(it);
    --m_inFlight;
    const bool ok = state == RunState::Succeeded;
    if (ok)
        ++m_summary.succeeded;
    else
        ++m_summary.failed;
    qCDebug(lcBackfill) << m_items[index].date.toString(Qt::ISODate) << "run" << runId
                        << toString(state);
    Q_EMIT itemDone(
        m_items[index], runId, ok ? Outcome::Succeeded : Outcome::Failed, toString(state));
    pump();
}

void Backfill::maybeFinish()
{
    if (m_finished || m_inFlight > 0)
        return;
    if (!m_cancelled && m_next < m_items.size())
        return;
    m_finished = true;
    m_summary.cancelled = m_cancelled;
    Q_EMIT finished(m_summary);
}

} // namespace pw
