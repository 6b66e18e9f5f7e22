#pragma once

#include <QProcessEnvironment>

namespace pw {

// The environment Pipewright gives the programs it starts (shell and sql attempts, notify
// commands). Variables that hold secrets are Pipewright's own and reach no child (issue 12):
// PIPEWRIGHT_SECRET_<NAME> (Secrets) and PIPEWRIGHT_CONNECTION_<NAME> (connection URLs with
// their passwords); a task gets a secret only as a {{secret:NAME}} its definition names.
namespace ChildEnvironment {
inline constexpr const char *kSecretPrefix = "PIPEWRIGHT_SECRET_";
inline constexpr const char *kConnectionPrefix = "PIPEWRIGHT_CONNECTION_";

// This process's environment without those variables.
QProcessEnvironment make();
} // namespace ChildEnvironment

} // namespace pw
