#pragma once

#include "model/flow.h"
#include "model/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace pw {

class Home;

// Which flow definitions this user agreed to run (issue 12 "Trust"). A flow file is code: the
// GUI runs one only after its user saw what it runs and trusted it; the command line's run,
// rerun, backfill, recover and schedule of a file are that consent and record it; the scheduler
// runs a flow only while its current content is trusted.
//
// Trust is keyed by the file's absolute path and the SHA-256 of its canonical definition
// (FlowWriter::canonicalDefinition: what runs, not its layout or title), so moving nodes keeps
// it and changing a command asks again. Each trusted file has one record, HOME/trust/<hash of
// the path>.json, holding the definition trusted last (to show what changed since), written
// privately (0600 in a 0700 directory) and atomically. Not thread safe; separate processes may
// use the same home (a record is replaced whole).
class TrustStore
{
public:
    enum class Verdict {
        Trusted, // this definition of this file was trusted
        Unknown, // the file was never trusted
        Changed, // an earlier definition was trusted: `trustedDefinition` is that one
    };
    struct Check
    {
        Verdict verdict = Verdict::Unknown;
        QDateTime trustedAt;          // when the (earlier) definition was trusted
        QByteArray trustedDefinition; // its canonical JSON
    };
    // What a flow runs, for a prompt: a task's command or SQL, a notify command or webhook.
    struct Runnable
    {
        QString task; // empty for the flow's notify settings
        QString kind; // "shell", "sql", "notify", "webhook"
        QString text;
        QString detail; // working dir and environment of a command; the connection of SQL
    };

    explicit TrustStore(const Home &home);
    QString dir() const { return m_dir; }

    // SHA-256 hex of the canonical definition.
    static QString hashOf(const Flow &flow);
    // A flow without a source path was drawn here, by this user: trusted.
    Result<Check> check(const Flow &flow) const;
    Result<void> trust(const Flow &flow);

    static QList<Runnable> whatRuns(const Flow &flow);
    // What differs from an earlier canonical definition: "added task x", "removed task y",
    // "changed task z", "changed flow settings (notify, ...)"; in task order, then the rest.
    static QStringList changesSince(const QByteArray &trustedDefinition, const Flow &flow);

private:
    QString recordPath(const QString &flowPath) const;

    QString m_dir;
};

} // namespace pw
