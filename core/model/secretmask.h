#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace pw {

// The one rule for hiding secret values (issue 12): every occurrence of a known value becomes
// "***" wherever text leaves Pipewright — task logs, attempt errors, the history store,
// notifications, the command line's output. The known values are the process's: the secrets
// it resolved ({{secret:NAME}}, Secrets) and the passwords of its connection URLs; Secrets
// adds them here when it reads them, so every writer of the process masks the same set without
// being handed it. A value shorter than kMinLength is never masked (it would hit ordinary text
// everywhere); `validate` warns about such secrets instead.
//
// Thread rules: add() and the masking functions may be called from any thread.
class SecretMask
{
public:
    static constexpr int kMinLength = 3;

    static QString mask() { return QStringLiteral("***"); }
    // Makes `value` known to the process (ignored when shorter than kMinLength).
    static void add(const QString &value);
    // The known values, UTF-8, longest first (so a value containing another is masked whole).
    static QList<QByteArray> values();

    // `text` with every known value replaced by "***".
    static QString apply(QString text);
    // Replaces only the given values: the sql child masks the one password it holds; a task
    // log, the values known when the attempt started (values()).
    static QString apply(QString text, const QString &value);
    static QByteArray apply(QByteArray data, const QList<QByteArray> &values);
};

} // namespace pw
