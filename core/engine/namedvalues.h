#pragma once

#include "model/result.h"

#include <QMap>
#include <QString>

namespace pw {

// What connections.yaml and secrets.yaml have in common (issue 10, 12): a YAML mapping of
// NAME: VALUE whose values are secret, names by one rule, and an environment variable per name
// that defines or overrides one.
namespace NamedValues {
// [A-Za-z0-9_][A-Za-z0-9_.-]*
bool isValidName(const QString &name);
// `prefix` + NAME upper-cased, '.' and '-' becoming '_': PIPEWRIGHT_CONNECTION_WAREHOUSE.
QString envName(const char *prefix, const QString &name);
// The variables of this process's environment that start with `prefix` and are not empty, by
// variable name.
QMap<QString, QString> fromEnvironment(const char *prefix);
// The entries of `file`; `what` names an entry in messages ("connection", "secret"). Errors
// name positions only: the text around them may be a secret.
Result<QMap<QString, QString>> parseFile(const QString &file, const QString &what);
} // namespace NamedValues

} // namespace pw
