#include "attemptspecbuilder.h"
#include "secrets.h"

#include "model/runplan.h"
#include "model/template.h"
#include "runners/outputfiles.h"

#include <QDir>

namespace pw {

namespace {

// A template field as it renders; a field that does not parse (the loader rejects those) is
// used as written.
QString render(
    const QString &text, const QHash<QString, QString> &values, Template::Quoting quoting)
{
    auto t = Template::parse(text);
    return t ? t->render(values, quoting) : text;
}

// PW_PARAM_<NAME>: upper case, anything but [A-Z0-9_] becomes '_'.
QString envName(const QString &param)
{
    QString out = QStringLiteral("PW_PARAM_");
    for (QChar c : param.toUpper())
        out += (c.isLetterOrNumber() && c.unicode() < 128) || c == QLatin1Char('_')
            ? c
            : QLatin1Char('_');
    return out;
}

} // namespace

AttemptSpecBuilder::AttemptSpecBuilder(
    const Home &home, const RunPlan &plan, qint64 runId, int tryNo, qint64 killGraceMs)
    : m_home(home), m_plan(&plan), m_runId(runId), m_tryNo(tryNo), m_killGraceMs(killGraceMs)
{
    for (auto it = plan.params.cbegin(); it != plan.params.cend(); ++it)
        m_values.insert(it.key(), it.value());
    m_values.insert(QStringLiteral("flow"), plan.flow.id);
    m_values.insert(QStringLiteral("run_id"), QString::number(runId));
}

AttemptSpec AttemptSpecBuilder::build(const TaskSpec &task, int attempt) const
{
    AttemptSpec spec;
    spec.key = {m_runId, task.id, attempt};
    spec.tryNo = m_tryNo;
    spec.task = task;
    spec.timeoutMs = m_plan->flow.timeoutMs(task);
    spec.killGraceMs = m_killGraceMs;
    const bool local = task.executor == Executor::Local;
    if (!local || task.type == TaskType::Noop)
        return spec; // nothing rendered (the engine starts many noop attempts a second)
    QHash<QString, QString> values = m_values;
    values.insert(QStringLiteral("task"), task.id);
    values.insert(QStringLiteral("attempt"), QString::number(attempt));
    const QString base = m_plan->workdir.isEmpty() ? QDir::currentPath() : m_plan->workdir;
    if (task.type == TaskType::WaitFile && task.executor == Executor::Local) {
        // Relative to the flow file's directory (not the task's workdir).
        spec.waitPath = QDir::cleanPath(QDir(base).absoluteFilePath(
            render(task.waitFile.path, values, Template::Quoting::None)));
        return spec;
    }
    if (task.type == TaskType::Sql && task.executor == Executor::Local) {
        // The sql stays as written: its :name parameters are bound, never rendered into it.
        spec.task.partition.value = render(task.partition.value, values, Template::Quoting::None);
        for (auto v = values.cbegin(); v != values.cend(); ++v)
            spec.values.insert(v.key(), v.value());
        spec.workdir = base;
        spec.logPath = m_home.logPath(m_runId, task.id, attempt);
        return spec;
    }
    if (task.type != TaskType::Shell || task.executor != Executor::Local)
        return spec;

    QString wd = base;
    if (!task.workdir.isEmpty())
        wd = QDir(wd).absoluteFilePath(render(task.workdir, values, Template::Quoting::None));
    spec.workdir = QDir::cleanPath(wd);
    // Declared outputs, relative to the workdir: the task writes their temporary paths
    // ({{output.N}}, PW_OUTPUT_N); OutputFiles renames them when the attempt succeeds.
    for (int i = 0; i < task.outputs.size(); ++i) {
        const QString path = QDir::cleanPath(
            QDir(spec.workdir)
                .absoluteFilePath(render(task.outputs[i], values, Template::Quoting::None)));
        const AttemptOutput out{path, OutputFiles::tempPath(path, m_runId, attempt)};
        spec.outputs.append(out);
        values.insert(QStringLiteral("output.%1").arg(i + 1), out.temp);
        spec.env.insert(QStringLiteral("PW_OUTPUT_%1").arg(i + 1), out.temp);
    }
    // Commands and env values may name secrets; one that cannot be resolved fails the attempt
    // (its message names the secret, and nothing runs).
    const Secrets secrets(m_home);
    auto withSecrets = [&](const QString &text, Template::Quoting quoting) {
        auto t = Template::parse(text);
        if (!t)
            return text;
        if (t->secrets().isEmpty())
            return t->render(values, quoting);
        auto resolved = secrets.values(*t);
        if (!resolved) {
            if (!spec.failure)
                spec.failure = AttemptError::spawn(resolved.error().message);
            return QString();
        }
        resolved->insert(values);
        return t->render(*resolved, quoting);
    };
    spec.command = withSecrets(task.command, Template::Quoting::Shell);
    for (auto e = task.env.cbegin(); e != task.env.cend(); ++e)
        spec.env.insert(e.key(), withSecrets(e.value(), Template::Quoting::None));
    spec.env.insert(QStringLiteral("PW_FLOW"), m_plan->flow.id);
    spec.env.insert(QStringLiteral("PW_RUN_ID"), QString::number(m_runId));
    spec.env.insert(QStringLiteral("PW_TRY"), QString::number(m_tryNo));
    spec.env.insert(QStringLiteral("PW_TASK"), task.id);
    spec.env.insert(QStringLiteral("PW_ATTEMPT"), QString::number(attempt));
    for (auto p = m_plan->params.cbegin(); p != m_plan->params.cend(); ++p)
        spec.env.insert(envName(p.key()), p.value());
    spec.logPath = m_home.logPath(m_runId, task.id, attempt);
    return spec;
}

} // namespace pw
