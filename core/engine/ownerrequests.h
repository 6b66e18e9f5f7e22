#pragma once

#include "model/result.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <optional>

#include <functional>
#include <vector>

namespace pw {

class HistoryStore;
struct RequestRecord;
struct RunRecord;

// Commands between processes that share one store (DESIGN §6): a `cancel` or `mark` of a run
// owned by another live process becomes a request row that its owner polls, executes and
// answers. This process both sends requests (send(), then await() the answer) and serves the
// ones addressed to its own runs (serve()).
//
// Thread rules: engine thread (the thread of `store`); await() needs its event loop.
class OwnerRequests : public QObject
{
    Q_OBJECT
public:
    OwnerRequests(HistoryStore *store, qint64 answerMs, QObject *parent = nullptr);

    // Adds a request row for the owner of `runId`; returns its id.
    Result<qint64> send(qint64 runId, const QString &task, const QString &kind, const QString &arg,
        const QString &who, qint64 now);
    // A cancel of run `runId` (task empty: the whole run), which this process does not run:
    // a request row for its live owner (its id), or why there is nothing to cancel.
    Result<qint64> forwardCancel(qint64 runId, const QString &task, const QString &who, qint64 now);
    // A mark of `run`, which this process does not run: when it is active in another live
    // process (not `selfOwnerId`), a request row for that owner (its id); nullopt when the run
    // is for this process to mark in the store.
    Result<std::optional<qint64>> forwardMark(const RunRecord &run, const QString &task,
        const QString &state, const QString &who, qint64 selfOwnerId, qint64 now);
    // Calls `done` once the owner has answered request `requestId` (its refusal as an error),
    // or with an Environment error naming the owner after `answerMs` without an answer.
    void await(qint64 requestId, std::function<void(const Result<void> &)> done);
    // Executes the pending requests for runs of `ownerId` with `execute` and records each
    // answer ("ok" or the error's message). A store that cannot be read now is tried again on
    // the next call.
    void serve(qint64 ownerId, const std::function<Result<void>(const RequestRecord &)> &execute);

private:
    void pollAnswers();
    qint64 now() const;

    struct Awaited
    {
        qint64 requestId = 0;
        qint64 deadline = 0;
        std::function<void(const Result<void> &)> done;
    };
    HistoryStore *m_store;
    qint64 m_answerMs;
    QTimer m_timer;
    std::vector<Awaited> m_awaited; // our requests to other owners, until they answer
};

} // namespace pw
