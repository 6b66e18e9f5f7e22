#include "childenvironment.h"

namespace pw {

QProcessEnvironment ChildEnvironment::make()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys()) {
        if (name.startsWith(QLatin1String(kSecretPrefix))
            || name.startsWith(QLatin1String(kConnectionPrefix)))
            env.remove(name);
    }
    return env;
}

} // namespace pw
