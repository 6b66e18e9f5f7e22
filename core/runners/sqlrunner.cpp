#include "sqlrunner.h"

#include "connectionurl.h"
#include "shellrunner.h"
#include "sqlexecution.h"
#include "sqlscript.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace pw {

namespace {

const char kProgramName[] = "pipewright-sqlrun";

bool isExecutable(const QString &path)
{
    const QFileInfo fi(path);
    return fi.isFile() && fi.isExecutable();
}

} // namespace

SqlRunner::SqlRunner(ShellRunner *processes, ConnectionResolver resolve, QString program)
    : m_processes(processes),
      m_resolve(std::move(resolve)),
      m_program(program.isEmpty() ? locateProgram() : std::move(program))
{ }

QString SqlRunner::locateProgram()
{
    const QString fromEnv = qEnvironmentVariable("PIPEWRIGHT_SQLRUN");
    if (!fromEnv.isEmpty())
        return isExecutable(fromEnv) ? fromEnv : QString();
    if (QCoreApplication::instance()) {
        const QString beside = QDir(QCoreApplication::applicationDirPath())
                                   .absoluteFilePath(QLatin1String(kProgramName));
        if (isExecutable(beside))
            return beside;
    }
#ifdef PW_SQLRUN_BUILD_PATH
    if (isExecutable(QStringLiteral(PW_SQLRUN_BUILD_PATH)))
        return QStringLiteral(PW_SQLRUN_BUILD_PATH);
#endif
    return {};
}

void SqlRunner::start(const AttemptSpec &spec, const AttemptCallbacks &callbacks)
{
    auto failNow = [&](AttemptError error) {
        AttemptOutcome o;
        o.state = AttemptState::Failed;
        o.error = std::move(error);
        o.started = o.ended = QDateTime::currentMSecsSinceEpoch();
        callbacks.finished(o);
    };
    if (m_program.isEmpty()) {
        return failNow(AttemptError::environment(
            QStringLiteral("%1 was not found next to %2 (set PIPEWRIGHT_SQLRUN to its path)")
                .arg(QLatin1String(kProgramName),
                    QCoreApplication::instance() ? QCoreApplication::applicationFilePath()
                                                 : QStringLiteral("this program"))));
    }
    const QString name = spec.task.connection;
    auto urlText = m_resolve ? m_resolve(name, spec.workdir)
                             : Result<QString>(fail(QStringLiteral("no connections")));
    if (!urlText)
        return failNow(AttemptError::spawn(urlText.error().message));
    auto url = ConnectionUrl::parse(*urlText, spec.workdir);
    if (!url)
        return failNow(AttemptError::spawn(
            QStringLiteral("connection '%1': %2").arg(name, url.error().message)));
    if (url->driver == ConnectionUrl::Driver::Sqlite
        && !QFileInfo(url->path).absoluteDir().exists())
        return failNow(AttemptError::spawn(
            QStringLiteral("connection '%1': the directory of %2 does not exist")
                .arg(name, url->path)));

    SqlExecution::Job job;
    job.url = url->toString();
    job.statements = SqlScript::split(spec.task.sql);
    if (job.statements.isEmpty())
        return failNow(AttemptError::spawn(QStringLiteral("the sql has no statements")));
    job.values = spec.values;
    job.partition = spec.task.partition;
    job.parentPid = QCoreApplication::applicationPid();
    if (!spec.logPath.isEmpty())
        job.resultPath = spec.logPath + QStringLiteral(".result.json");

    AttemptSpec child = spec;
    child.program = m_program;
    child.arguments.clear();
    child.command.clear();
    child.input = job.toJson();
    if (!job.resultPath.isEmpty())
        QFile::remove(job.resultPath); // a leftover of an earlier engine's attempt

    ++m_active;
    AttemptCallbacks cb;
    cb.started = callbacks.started;
    const QString resultPath = job.resultPath;
    cb.finished = [this, callbacks, resultPath](const AttemptOutcome &o) {
        --m_active;
        AttemptOutcome out = o;
        QFile f(resultPath);
        if (!resultPath.isEmpty() && f.open(QIODevice::ReadOnly)) {
            auto result = SqlExecution::Outcome::fromJson(f.readAll());
            f.close();
            f.remove();
            if (result && out.state == AttemptState::Succeeded)
                out.rows = result->rows;
            else if (result && out.error.kind == AttemptError::Kind::Exit)
                out.error.detail = result->error;
        }
        callbacks.finished(out);
    };
    m_processes->start(child, cb);
}

void SqlRunner::cancel(const AttemptKey &key)
{
    m_processes->cancel(key);
}

} // namespace pw
