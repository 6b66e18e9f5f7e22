#include "attempterror.h"

namespace pw {

QString AttemptError::text() const
{
    auto withDetail = [this](QLatin1String prefix) -> QString {
        return detail.isEmpty() ? QString(prefix) : prefix + QStringLiteral(": ") + detail;
    };
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::Exit:
        return QStringLiteral("exit:") + QString::number(code);
    case Kind::Signal:
        return QStringLiteral("signal:") + QString::number(code);
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::Spawn:
        return withDetail(QLatin1String("spawn"));
    case Kind::Cancelled:
        return withDetail(QLatin1String("cancelled"));
    case Kind::Unsupported:
        return withDetail(QLatin1String("unsupported"));
    case Kind::Environment:
        return withDetail(QLatin1String("environment"));
    case Kind::Output:
        return withDetail(QLatin1String("output"));
    }
    return {};
}

} // namespace pw
