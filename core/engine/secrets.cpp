#include "secrets.h"

#include "connections.h"
#include "namedvalues.h"

#include "model/secretmask.h"
#include "platform/privatefiles.h"
#include "runners/connectionurl.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

namespace pw {

QString Secrets::path() const
{
    return QDir(m_home.dir()).absoluteFilePath(QStringLiteral("secrets.yaml"));
}

QString Secrets::envName(const QString &name)
{
    return NamedValues::envName(kEnvPrefix, name);
}

Result<QMap<QString, QString>> Secrets::load() const
{
    if (!QFileInfo::exists(path()))
        return QMap<QString, QString>();
    PW_TRY(PrivateFiles::checkPrivate(path(), QStringLiteral("secrets")));
    return NamedValues::parseFile(path(), QStringLiteral("secret"));
}

Result<QString> Secrets::value(const QString &name) const
{
    const QString var = envName(name);
    QString found = qEnvironmentVariable(var.toLocal8Bit().constData());
    if (found.isEmpty()) {
        auto all = load();
        if (!all)
            return Unexpected(
                Error(QStringLiteral("secret '%1': %2").arg(name, all.error().toString())));
        const auto it = all->constFind(name);
        if (it == all->cend())
            return fail(
                QStringLiteral("secret '%1' is not defined: set %2 or add '%1: VALUE' to %3 "
                               "(mode 600)")
                    .arg(name, var, path()));
        found = *it;
    }
    SecretMask::add(found);
    return found;
}

Result<QHash<QString, QString>> Secrets::values(const Template &t) const
{
    QHash<QString, QString> out;
    for (const QString &name : t.secrets()) {
        PW_TRY_ASSIGN(v, value(name));
        out.insert(Template::secretPlaceholder(name), v);
    }
    return out;
}

Result<QString> Secrets::render(const QString &text) const
{
    if (!text.contains(QLatin1String("{{")))
        return text;
    PW_TRY_ASSIGN(t, Template::parse(text));
    PW_TRY(t.secretsOnly());
    PW_TRY_ASSIGN(v, values(t));
    return t.render(v, Template::Quoting::None);
}

Errors Secrets::check(const Flow &flow) const
{
    Errors out;
    QSet<QString> seen;
    auto checkText = [&](const QString &text, const QStringList &field, int line, int column) {
        const auto t = Template::parse(text);
        if (!t)
            return; // FlowValidator reports it
        for (const QString &name : t->secrets()) {
            if (seen.contains(name))
                continue;
            seen.insert(name);
            Error e(QString(), flow.sourcePath, line, column);
            e.at(field);
            const auto v = value(name);
            if (!v) {
                e.message = v.error().message;
            } else if (v->size() < SecretMask::kMinLength) {
                e.message = QStringLiteral("secret '%1' is shorter than %2 characters, so it is "
                                           "not masked in logs and history")
                                .arg(name)
                                .arg(SecretMask::kMinLength);
                e.severity = Error::Severity::Warning;
            } else {
                continue;
            }
            out.append(e);
        }
    };
    const QString notify = QStringLiteral("notify");
    checkText(flow.notify.command, {notify, QStringLiteral("command")}, 0, 0);
    checkText(flow.notify.webhook, {notify, QStringLiteral("webhook")}, 0, 0);
    for (const TaskSpec &t : flow.tasks) {
        const QStringList at{QStringLiteral("tasks"), t.id};
        checkText(t.command, at + QStringList{QStringLiteral("command")}, t.line, t.column);
        for (auto e = t.env.cbegin(); e != t.env.cend(); ++e)
            checkText(
                e.value(), at + QStringList{QStringLiteral("env"), e.key()}, t.line, t.column);
    }
    return out;
}

void Secrets::makeKnown(const Home &home)
{
    const Secrets secrets(home);
    QStringList values = NamedValues::fromEnvironment(kEnvPrefix).values();
    if (auto file = secrets.load())
        values += file->values();
    const Connections connections(home);
    QStringList urls = Connections::fromEnvironment().values();
    if (auto file = connections.load())
        urls += file->values();
    for (const QString &url : std::as_const(urls)) {
        if (auto parsed = ConnectionUrl::parse(url, QStringLiteral("/")))
            values.append(parsed->password);
    }
    for (const QString &v : std::as_const(values))
        SecretMask::add(v);
}

} // namespace pw
