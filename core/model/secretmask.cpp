#include "secretmask.h"

#include <QMutex>
#include <QMutexLocker>

#include <algorithm>

namespace pw {

namespace {

struct Known
{
    QMutex mutex;
    QList<QByteArray> values; // longest first
};

Known &known()
{
    static Known k;
    return k;
}

} // namespace

void SecretMask::add(const QString &value)
{
    if (value.size() < kMinLength)
        return;
    const QByteArray utf8 = value.toUtf8();
    Known &k = known();
    const QMutexLocker lock(&k.mutex);
    if (k.values.contains(utf8))
        return;
    const auto at = std::find_if(k.values.begin(), k.values.end(),
        [&utf8](const QByteArray &v) { return v.size() < utf8.size(); });
    k.values.insert(at, utf8);
}

QList<QByteArray> SecretMask::values()
{
    Known &k = known();
    const QMutexLocker lock(&k.mutex);
    return k.values;
}

QString SecretMask::apply(QString text)
{
    if (text.isEmpty())
        return text;
    const QList<QByteArray> all = values();
    for (const QByteArray &v : all)
        text.replace(QString::fromUtf8(v), mask());
    return text;
}

QString SecretMask::apply(QString text, const QString &value)
{
    if (value.size() >= kMinLength)
        text.replace(value, mask());
    return text;
}

QByteArray SecretMask::apply(QByteArray data, const QList<QByteArray> &values)
{
    const QByteArray masked = mask().toUtf8();
    for (const QByteArray &v : values) {
        if (v.size() >= kMinLength)
            data.replace(v, masked);
    }
    return data;
}

} // namespace pw
