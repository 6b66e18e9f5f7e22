#include "attempterror.h"

namespace pw {

QString AttemptError::text() const
{
    auto withDetail = [this](const QString &prefix) -> QString {
        return detail.isEmpty() ? QString(prefix) : prefix + QStringLiteral(": ") + detail;
    };
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::Exit:
        return withDetail(QLatin1String("exit:") + QString::number(code));
    case Kind::Signal:
        return QStringLiteral("signal:") + QString::number(code);
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::Spawn:
        return withDetail(QStringLiteral("spawn"));
    case Kind::Cancelled:
        return withDetail(QStringLiteral("cancelled"));
    case Kind::Unsupported:
        return withDetail(QStringLiteral("unsupported"));
    case Kind::Environment:
        return withDetail(QStringLiteral("environment"));
    case Kind::Output:
        return withDetail(QStringLiteral("output"));
    }
    return {};
}

} // namespace pw
