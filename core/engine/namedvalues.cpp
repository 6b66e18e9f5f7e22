#include "namedvalues.h"

#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace pw {

bool NamedValues::isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_.-]*$"));
    return re.match(name).hasMatch();
}

QString NamedValues::envName(const char *prefix, const QString &name)
{
    QString out = QLatin1String(prefix);
    for (QChar c : name.toUpper())
        out += c == QLatin1Char('.') || c == QLatin1Char('-') ? QLatin1Char('_') : c;
    return out;
}

QMap<QString, QString> NamedValues::fromEnvironment(const char *prefix)
{
    QMap<QString, QString> out;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &k : env.keys()) {
        if (k.startsWith(QLatin1String(prefix)) && !env.value(k).isEmpty())
            out.insert(k, env.value(k));
    }
    return out;
}

Result<QMap<QString, QString>> NamedValues::parseFile(const QString &file, const QString &what)
{
    const QString name = QFileInfo(file).fileName();
    const QString form = QStringLiteral("NAME: %1")
                             .arg(what == QLatin1String("connection") ? QStringLiteral("URL")
                                                                      : QStringLiteral("VALUE"));
    QMap<QString, QString> out;
    try {
        const YAML::Node root = YAML::LoadFile(file.toStdString());
        if (!root || root.IsNull())
            return out;
        if (!root.IsMap())
            return Unexpected(Error(QStringLiteral("%1 must be a mapping of %2").arg(name, form),
                file, root.Mark().line + 1, root.Mark().column + 1));
        for (const auto &kv : root) {
            const YAML::Mark m = kv.first.Mark();
            if (!kv.first.IsScalar() || !kv.second.IsScalar())
                return Unexpected(Error(QStringLiteral("each entry must be %1").arg(form), file,
                    m.line + 1, m.column + 1));
            const QString key = QString::fromStdString(kv.first.as<std::string>());
            if (!isValidName(key))
                return Unexpected(Error(QStringLiteral("invalid %1 name '%2'").arg(what, key), file,
                    m.line + 1, m.column + 1));
            out.insert(key, QString::fromStdString(kv.second.as<std::string>()));
        }
    } catch (const YAML::Exception &e) {
        // The message names the position only: the text around it may be a secret.
        return Unexpected(Error(QStringLiteral("%1 is not valid YAML").arg(name), file,
            e.mark.line + 1, e.mark.column + 1));
    }
    return out;
}

} // namespace pw
