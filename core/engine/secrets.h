#pragma once

#include "home.h"

#include "model/flow.h"
#include "model/result.h"
#include "model/template.h"
#include "platform/childenvironment.h"

#include <QHash>
#include <QMap>
#include <QString>

namespace pw {

// The values of `{{secret:NAME}}` (issue 12), kept beside the home, never in flows:
// PIPEWRIGHT_SECRET_<NAME> (NAME as for connections: upper-cased, '.' and '-' become '_'),
// else HOME/secrets.yaml, a mapping of NAME: VALUE that is refused when its group or others
// have any access to it (chmod 600), like ssh refuses an exposed key.
//
// Secrets may be used in shell commands and env values, notify commands and webhooks,
// connection URLs (the home's connections.yaml or PIPEWRIGHT_CONNECTION_<NAME>) and --db URLs;
// FlowValidator refuses them elsewhere. Every value read is made known to SecretMask, so the
// process masks it as "***" wherever it could show it. Errors name the secret, never a value.
class Secrets
{
public:
    static constexpr const char *kEnvPrefix = ChildEnvironment::kSecretPrefix;

    explicit Secrets(Home home) : m_home(std::move(home)) { }

    QString path() const; // HOME/secrets.yaml
    // PIPEWRIGHT_SECRET_<NAME> for `name`.
    static QString envName(const QString &name);

    // The value of `name`: the environment, else the home's file; or why there is none.
    Result<QString> value(const QString &name) const;
    // The values of the secrets `t` uses, by placeholder name ("secret:NAME": ready to join a
    // template's values); an error naming the first that cannot be resolved.
    Result<QHash<QString, QString>> values(const Template &t) const;
    // `text` with its {{secret:NAME}} placeholders replaced by their values, unquoted. For text
    // that is no other template (URLs): any other placeholder is an error.
    Result<QString> render(const QString &text) const;
    // Makes every secret this process can see known to SecretMask — the environment's
    // secrets and connection URLs' passwords, the home's secrets.yaml and connections.yaml —
    // before anything runs, so that what a task learns some other way (reading a file) is
    // masked too. Files that cannot be read are skipped: using them reports why.
    static void makeKnown(const Home &home);
    // What `validate` says about the secrets `flow` uses: one that cannot be resolved is an
    // error, one shorter than SecretMask::kMinLength (never masked) a warning; each located
    // at the task (or the flow's notify) that uses it.
    Errors check(const Flow &flow) const;

private:
    Result<QMap<QString, QString>> load() const;

    Home m_home;
};

} // namespace pw
