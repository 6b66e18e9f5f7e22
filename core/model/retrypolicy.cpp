#include "retrypolicy.h"

#include <QCryptographicHash>
#include <QtEndian>

#include <algorithm>
#include <cmath>

namespace pw {

double RetryPolicy::jitterFactor(qint64 runId, const QString &task, int attemptInTry)
{
    const QByteArray key
        = QByteArray::number(runId) + '/' + task.toUtf8() + '/' + QByteArray::number(attemptInTry);
    const QByteArray digest = QCryptographicHash::hash(key, QCryptographicHash::Sha256);
    const quint64 v = qFromBigEndian<quint64>(digest.constData());
    return double(v) / 18446744073709551616.0; // 2^64
}

qint64 RetryPolicy::delayAfterAttempt(int attemptInTry, qint64 runId, const QString &task) const
{
    const int n = std::max(1, attemptInTry);
    double base = double(retryDelayMs);
    if (backoff == Backoff::Exponential) {
        base = retryDelayMs * std::pow(2.0, std::min(n - 1, 62));
        base = std::min(base, double(maxRetryDelayMs));
    }
    if (jitter)
        base *= 0.5 + 0.5 * jitterFactor(runId, task, n);
    return qint64(std::llround(base));
}

bool RetryPolicy::isRetryable(const AttemptError &error) const
{
    using Kind = AttemptError::Kind;
    if (error.kind == Kind::Cancelled || error.kind == Kind::Unsupported)
        return false;
    if (retryOn.isEmpty())
        return true;
    // The text without the detail: "exit:75", "timeout".
    const QString text
        = error.kind == Kind::Exit ? QStringLiteral("exit:%1").arg(error.code) : error.text();
    for (const QString &c : retryOn) {
        if (c == text)
            return true;
        if ((c == QLatin1String("exit") && error.kind == Kind::Exit)
            || (c == QLatin1String("signal") && error.kind == Kind::Signal)
            || (c == QLatin1String("spawn") && error.kind == Kind::Spawn))
            return true;
    }
    return false;
}

bool RetryPolicy::isValidCondition(const QString &c)
{
    if (c == QLatin1String("exit") || c == QLatin1String("timeout") || c == QLatin1String("signal")
        || c == QLatin1String("spawn"))
        return true;
    if (c.startsWith(QLatin1String("exit:"))) {
        bool ok = false;
        const int code = c.mid(5).toInt(&ok);
        return ok && code > 0 && code < 256;
    }
    return false;
}

} // namespace pw
