#pragma once

// Shared by the end-to-end tests of pipewright-cli (tests/cli, tests/postgres): where the binary
// is, waiting for one command and capturing what it did, and reading its JSON output (e.g.
// `show --json`). Each test starts the process itself (its home, environment, working
// directory or stdin differ) and hands it to finishCli().

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtDebug>

namespace pw::test {

// The binary under test: $PW_CLI (set by ctest), else the one in this build tree.
inline QString cliBinary()
{
    const QString fromEnv = qEnvironmentVariable("PW_CLI");
    return fromEnv.isEmpty() ? QStringLiteral(PW_BINARY_DIR "/app/cli/pipewright-cli") : fromEnv;
}

// What one command did: its exit code (-1 when it crashed or timed out), stdout and stderr.
struct CliOutput
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

// Waits up to `timeoutMs` for the started command `p` (run with `args`, named in the warning);
// one that does not finish is killed, and its output is left empty.
inline CliOutput finishCli(QProcess &p, const QStringList &args, int timeoutMs = 60000)
{
    CliOutput o;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        qWarning("pipewright-cli %s timed out", qPrintable(args.join(' ')));
        return o;
    }
    o.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    o.out = p.readAllStandardOutput();
    o.err = p.readAllStandardError();
    return o;
}

// The JSON object a command printed (empty, with a warning, if its output is not JSON).
inline QJsonObject jsonObject(const QByteArray &out)
{
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(out, &e);
    if (e.error != QJsonParseError::NoError)
        qWarning("not JSON: %s\n%s", qPrintable(e.errorString()), out.constData());
    return d.object();
}

} // namespace pw::test
