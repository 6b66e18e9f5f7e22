#pragma once

#include "home.h"

#include "model/result.h"
#include "runners/sqlrunner.h"

#include <QMap>
#include <QString>

namespace pw {

// The named database connections of sql tasks (issue 10), kept beside the home, never in
// flows: HOME/connections.yaml holds `NAME: URL` per line (URL forms: ConnectionUrl), and
// PIPEWRIGHT_CONNECTION_<NAME>=<url> (NAME upper-cased, '.' and '-' become '_') defines or
// overrides one — the environment wins. The URLs hold passwords, so connections.yaml is
// refused when its group or others have any access to it (chmod 600), and is created 0600;
// errors and listings never show a password. A URL there may take its password (or any part)
// from a secret: postgresql://etl:{{secret:WAREHOUSE_PW}}@db/dw (Secrets), resolved by url().
//
// Last, a flow's own directory may provide password-free defaults: a connections.yaml next to
// the flow file, consulted only for names neither the environment nor the home defines, and
// holding only sqlite: URLs (anything else there is refused: no secrets next to flows). So an
// example or a project directory can ship a working local database (`demo: sqlite:demo.db`,
// relative to that directory) while the home still decides where a name really points.
class Connections
{
public:
    explicit Connections(Home home) : m_home(std::move(home)) { }

    QString path() const; // HOME/connections.yaml
    // PIPEWRIGHT_CONNECTION_<NAME> for `name`.
    static QString envName(const QString &name);

    // The URL of `name`: the environment, else the home's file, else `flowDir`'s
    // connections.yaml (sqlite: only). Or why there is none (not defined, the home's file is
    // readable by others, a file is malformed).
    Result<QString> url(const QString &name, const QString &flowDir = {}) const;
    // The entries of the home's connections.yaml (none when it does not exist).
    Result<QMap<QString, QString>> load() const;
    // The entries of DIR/connections.yaml beside flows (none when it does not exist); an entry
    // that is not a sqlite: URL is an error.
    static Result<QMap<QString, QString>> loadBeside(const QString &flowDir);
    // The connections the environment defines, by variable name.
    static QMap<QString, QString> fromEnvironment();
    // The sql runner's resolver: url(name, flowDir) of `home`'s connections.
    static SqlRunner::ConnectionResolver resolver(const Home &home);
    // Adds `name` or replaces its URL in connections.yaml (other lines and comments stay),
    // creating the file (and the home) with mode 0600. The URL must parse (ConnectionUrl).
    Result<void> set(const QString &name, const QString &url) const;

private:
    Home m_home;
};

} // namespace pw
