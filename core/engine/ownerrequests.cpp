#include "ownerrequests.h"

#include "history/historystore.h"

#include <QDateTime>

namespace pw {

OwnerRequests::OwnerRequests(HistoryStore *store, qint64 answerMs, QObject *parent)
    : QObject(parent), m_store(store), m_answerMs(answerMs)
{
    m_timer.setParent(this);
    connect(&m_timer, &QTimer::timeout, this, &OwnerRequests::pollAnswers);
}

qint64 OwnerRequests::now() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

Result<qint64> OwnerRequests::send(qint64 runId, const QString &task, const QString &kind,
    const QString &arg, const QString &who, qint64 time)
{
    RequestRecord req;
    req.runId = runId;
    req.task = task;
    req.kind = kind;
    req.arg = arg;
    req.requestedBy = who;
    req.created = time;
    return m_store->addRequest(req);
}

Result<qint64> OwnerRequests::forwardCancel(
    qint64 runId, const QString &task, const QString &who, qint64 time)
{
    PW_TRY_ASSIGN(rec, m_store->run(runId));
    if (!rec)
        return fail(QStringLiteral("no run with id %1").arg(runId));
    if (isFinal(rec->state))
        return fail(
            QStringLiteral("run %1 is not active (%2)").arg(runId).arg(toString(rec->state)));
    auto owner = m_store->owner(rec->ownerId);
    if (!owner || !*owner || !(*owner)->alive)
        return fail(
            QStringLiteral("run %1 has no live owner; it will be marked interrupted").arg(runId));
    return send(runId, task, QStringLiteral("cancel"), {}, who, time);
}

Result<std::optional<qint64>> OwnerRequests::forwardMark(const RunRecord &run, const QString &task,
    const QString &state, const QString &who, qint64 selfOwnerId, qint64 time)
{
    if (isFinal(run.state))
        return std::optional<qint64>();
    auto owner = m_store->owner(run.ownerId);
    if (!owner || !*owner || !(*owner)->alive || (*owner)->id == selfOwnerId)
        return std::optional<qint64>();
    PW_TRY_ASSIGN(id, send(run.id, task, QStringLiteral("mark"), state, who, time));
    return std::optional<qint64>(id);
}

void OwnerRequests::await(qint64 requestId, std::function<void(const Result<void> &)> done)
{
    m_awaited.push_back({requestId, now() + m_answerMs, std::move(done)});
    if (!m_timer.isActive())
        m_timer.start(100);
}

void OwnerRequests::pollAnswers()
{
    std::vector<Awaited> awaited = std::move(m_awaited);
    m_awaited.clear();
    std::vector<Awaited> waiting;
    for (Awaited &a : awaited) {
        auto row = m_store->request(a.requestId);
        if (row && *row && (*row)->handled > 0) {
            const QString result = (*row)->result;
            if (result == QLatin1String("ok"))
                a.done({});
            else
                a.done(fail(QStringLiteral("refused by the run's owner: ") + result));
            continue;
        }
        if (now() < a.deadline) {
            waiting.push_back(std::move(a));
            continue;
        }
        QString owner = QStringLiteral("its owner");
        if (row && *row) {
            auto run = m_store->run((*row)->runId);
            if (run && *run) {
                auto o = m_store->owner((*run)->ownerId);
                if (o && *o)
                    owner = QStringLiteral("owner %1 (pid %2 on %3)")
                                .arg((*o)->id)
                                .arg((*o)->pid)
                                .arg((*o)->host);
            }
        }
        a.done(failEnvironment(
            QStringLiteral("no answer within %1 s: request %2 is still queued with %3, "
                           "which carries it out when it next reads its requests")
                .arg(m_answerMs / 1000.0)
                .arg(a.requestId)
                .arg(owner)));
    }
    // Requests awaited by the callbacks above were added to m_awaited meanwhile.
    m_awaited.insert(m_awaited.begin(), std::make_move_iterator(waiting.begin()),
        std::make_move_iterator(waiting.end()));
    if (m_awaited.empty())
        m_timer.stop();
}

void OwnerRequests::serve(
    qint64 ownerId, const std::function<Result<void>(const RequestRecord &)> &execute)
{
    auto reqs = m_store->pendingRequests(ownerId);
    if (!reqs)
        return; // transient (locked): try again next tick
    for (const RequestRecord &r : std::as_const(*reqs)) {
        const Result<void> res = execute(r);
        (void)m_store->completeRequest(
            r.id, res ? QStringLiteral("ok") : res.error().message, now());
    }
}

} // namespace pw
