#include "flow.h"

namespace pw {

int Flow::indexOf(const QString &taskId) const
{
    for (int i = 0; i < tasks.size(); ++i) {
        if (tasks[i].id == taskId)
            return i;
    }
    return -1;
}

const TaskSpec *Flow::task(const QString &taskId) const
{
    const int i = indexOf(taskId);
    return i < 0 ? nullptr : &tasks[i];
}

TaskSpec *Flow::task(const QString &taskId)
{
    const int i = indexOf(taskId);
    return i < 0 ? nullptr : &tasks[i];
}

const ParamSpec *Flow::param(const QString &name) const
{
    for (const ParamSpec &p : params) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

RetryPolicy Flow::retryPolicy(const TaskSpec &t) const
{
    RetryPolicy p;
    const RetrySettings &d = defaults;
    const RetrySettings &s = t.retry;
    p.retries = s.retries.value_or(d.retries.value_or(p.retries));
    p.retryDelayMs = s.retryDelayMs.value_or(d.retryDelayMs.value_or(p.retryDelayMs));
    p.backoff = s.backoff.value_or(d.backoff.value_or(p.backoff));
    p.maxRetryDelayMs = s.maxRetryDelayMs.value_or(d.maxRetryDelayMs.value_or(p.maxRetryDelayMs));
    p.jitter = s.jitter.value_or(d.jitter.value_or(p.jitter));
    p.retryOn = s.retryOn.value_or(d.retryOn.value_or(p.retryOn));
    if (!t.idempotent)
        p.retries = 0; // never retried automatically (DESIGN §1.5); defaults do not apply
    return p;
}

std::optional<qint64> Flow::timeoutMs(const TaskSpec &t) const
{
    if (t.retry.timeoutMs)
        return t.retry.timeoutMs;
    return defaults.timeoutMs;
}

bool isValidId(const QString &id)
{
    // ^[A-Za-z0-9_][A-Za-z0-9_.-]*$ without a regular expression (100,000 task ids load in a
    // blink); like the expression's '$', a single final newline is let through.
    const QStringView s = id.endsWith(QLatin1Char('\n')) ? QStringView(id).chopped(1) : id;
    if (s.isEmpty())
        return false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t c = s[i].unicode();
        const bool word = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')
            || (c >= u'0' && c <= u'9') || c == u'_';
        if (!word && (i == 0 || (c != u'.' && c != u'-')))
            return false;
    }
    return true;
}

} // namespace pw
