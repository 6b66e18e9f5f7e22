#include "runplanner.h"

#include "model/secretmask.h"

#include "flowloader.h"
#include "flowvalidator.h"
#include "flowwriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <utility>

namespace pw {

namespace {

QString sha256Hex(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

// Definition, hashes and task hashes of a plan whose flow, params and definition are set.
void finish(RunPlan &plan, RunPlanner::TaskHashes taskHashes)
{
    plan.definitionHash = sha256Hex(plan.definition);
    const QByteArray planJson = QByteArrayLiteral("{\"definition\":\"")
        + plan.definitionHash.toLatin1() + QByteArrayLiteral("\",\"params\":") + plan.paramsJson()
        + QByteArrayLiteral("}");
    plan.hash = sha256Hex(planJson);
    plan.taskHashes.clear();
    if (taskHashes == RunPlanner::TaskHashes::Skip)
        return;
    for (const TaskSpec &t : std::as_const(plan.flow.tasks))
        plan.taskHashes.insert(t.id, sha256Hex(FlowWriter::canonicalTask(plan.flow, t)));
}

QString workdirOf(const QString &sourcePath)
{
    if (sourcePath.isEmpty())
        return QDir::currentPath();
    return QFileInfo(sourcePath).absolutePath();
}

} // namespace

Result<RunPlan> RunPlanner::plan(const Flow &flow, const QMap<QString, QString> &given,
    const QDateTime &now, TaskHashes taskHashes)
{
    const Errors problems = FlowValidator::validate(flow);
    if (!problems.isEmpty()) {
        Error e = problems.first();
        e.message = QStringLiteral("invalid flow: ") + e.message;
        return Unexpected(e);
    }
    QStringList declared;
    for (const ParamSpec &p : flow.params)
        declared.append(p.name);
    for (auto it = given.cbegin(); it != given.cend(); ++it) {
        if (!flow.param(it.key()))
            return fail(
                QStringLiteral("unknown parameter '%1' (%2)")
                    .arg(it.key(),
                        declared.isEmpty()
                            ? QStringLiteral("flow '%1' declares no parameters").arg(flow.id)
                            : QStringLiteral("declared: ") + declared.join(QStringLiteral(", "))));
    }
    RunPlan plan;
    plan.flow = flow;
    for (const ParamSpec &p : flow.params) {
        const auto g = given.constFind(p.name);
        QString raw;
        if (g != given.cend()) {
            raw = *g;
        } else if (p.defaultValue) {
            raw = *p.defaultValue;
        } else {
            QString hint;
            if (p.type == ParamType::Choice)
                hint = QStringLiteral(": one of ") + p.values.join(QStringLiteral(", "));
            else
                hint = QStringLiteral(" (%1)").arg(toString(p.type));
            return fail(QStringLiteral("missing required parameter '%1'%2; pass -p %1=VALUE")
                            .arg(p.name, hint));
        }
        auto value = p.canonicalize(raw, now);
        if (!value) {
            Error e = value.error();
            e.message = SecretMask::apply(e.message);
            return Unexpected(e);
        }
        // Parameters are recorded and shown everywhere, and a masked one could not be run
        // again: a secret is no parameter value.
        if (SecretMask::apply(*value) != *value)
            return fail(QStringLiteral("parameter '%1' holds the value of a secret; refer to the "
                                       "secret as {{secret:NAME}} in the flow instead")
                            .arg(p.name));
        plan.params.insert(p.name, *value);
    }
    plan.definition = FlowWriter::canonicalDefinition(flow);
    plan.sourcePath = flow.sourcePath;
    plan.workdir = workdirOf(flow.sourcePath);
    finish(plan, taskHashes);
    return plan;
}

Result<RunPlan> RunPlanner::fromSnapshot(const QByteArray &definition, const QByteArray &paramsJson,
    const QString &sourcePath, const QString &workdir, TaskHashes taskHashes)
{
    auto flow = FlowLoader::loadData(definition, QStringLiteral("<definition>"));
    if (!flow) {
        Error e = flow.error().first();
        e.message = QStringLiteral("stored definition is unreadable: ") + e.message;
        return Unexpected(e);
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(paramsJson, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QStringLiteral("stored parameters are not a JSON object: ") + pe.errorString());
    RunPlan plan;
    plan.flow = std::move(*flow);
    plan.flow.sourcePath = sourcePath;
    const QJsonObject o = doc.object();
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        if (!it.value().isString())
            return fail(QStringLiteral("stored parameter '%1' is not a string").arg(it.key()));
        plan.params.insert(it.key(), it.value().toString());
    }
    plan.definition = definition; // hashed as stored, so the plan keeps its identity
    plan.sourcePath = sourcePath;
    plan.workdir = workdir.isEmpty() ? workdirOf(sourcePath) : workdir;
    finish(plan, taskHashes);
    return plan;
}

} // namespace pw
