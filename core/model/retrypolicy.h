#pragma once

#include "attempterror.h"

#include <QString>
#include <QStringList>

namespace pw {

enum class Backoff { Fixed, Exponential };

// When and whether a failed attempt is retried (DESIGN §4, §1.4).
//
// Delay before the next attempt, where n is the number of the attempt that just failed
// *within the current try* (1 = first attempt of this try):
//   fixed:        base = retry_delay
//   exponential:  base = min(max_retry_delay, retry_delay * 2^(n-1))
//   jitter:       delay = base * (0.5 + 0.5 * h),  h in [0,1) = the first 8 bytes of
//                 SHA-256("RUN_ID/TASK/n") as an unsigned integer / 2^64
// so a recovered try computes exactly the same schedule as the first one.
//
// retry_on entries name AttemptError kinds: "exit:N" (that exit code), "exit" (any non-zero
// exit), "timeout", "signal", "spawn"; an empty list retries every failure except cancellation
// and unsupported task types.
struct RetryPolicy
{
    int retries = 0;
    qint64 retryDelayMs = 5 * 60 * 1000;
    Backoff backoff = Backoff::Fixed;
    qint64 maxRetryDelayMs = 60 * 60 * 1000;
    bool jitter = true;
    QStringList retryOn;

    qint64 delayAfterAttempt(int attemptInTry, qint64 runId, const QString &task) const;
    bool isRetryable(const AttemptError &error) const;
    // Deterministic h in [0,1) used for jitter.
    static double jitterFactor(qint64 runId, const QString &task, int attemptInTry);
    // A valid retry_on entry?
    static bool isValidCondition(const QString &condition);

    friend bool operator==(const RetryPolicy &, const RetryPolicy &) = default;
};

} // namespace pw
