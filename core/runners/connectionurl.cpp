#include "connectionurl.h"

#include "model/secretmask.h"

#include <QDir>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace pw {

namespace {

bool isOptionKey(const QString &k)
{
    static const QRegularExpression re(QStringLiteral("^[a-z_]+$"));
    return re.match(k).hasMatch();
}

// A libpq option value that cannot break out of its key=value pair.
bool isOptionValue(const QString &v)
{
    for (QChar c : v) {
        if (c.isSpace() || c == QLatin1Char('\'') || c == QLatin1Char('\\')
            || c == QLatin1Char(';'))
            return false;
    }
    return !v.isEmpty();
}

} // namespace

Result<ConnectionUrl> ConnectionUrl::parse(const QString &text, const QString &baseDir)
{
    ConnectionUrl c;
    const QString shown = redact(text);
    if (text.startsWith(QLatin1String("sqlite:"))) {
        c.driver = Driver::Sqlite;
        QString rest = text.mid(7);
        if (rest.startsWith(QLatin1String("//"))) {
            // sqlite:///abs/path: an empty authority, then the absolute path.
            rest = rest.mid(2);
            if (!rest.startsWith(QLatin1Char('/')))
                return fail(QStringLiteral("'%1': write sqlite:///ABSOLUTE/PATH or "
                                           "sqlite:RELATIVE/PATH")
                                .arg(shown));
        }
        if (rest.isEmpty())
            return fail(QStringLiteral("'%1' names no database file").arg(shown));
        // Not QDir::isRelativePath: to Qt, ":/x" is an absolute resource path.
        if (!rest.startsWith(QLatin1Char('/'))) {
            if (baseDir.isEmpty())
                return fail(QStringLiteral("'%1' is relative, but there is no flow directory to "
                                           "resolve it against")
                                .arg(shown));
            rest = QDir(baseDir).absolutePath() + QLatin1Char('/') + rest;
        }
        c.path = QDir::cleanPath(rest);
        return c;
    }
    if (text.startsWith(QLatin1String("postgresql://"))
        || text.startsWith(QLatin1String("postgres://"))) {
        c.driver = Driver::Postgres;
        // QUrl keeps a '%' that starts no escape, but not the same way when the URL is saved
        // and read back: the sql child would get other options than the ones checked here.
        static const QRegularExpression badEscape(QStringLiteral("%(?![0-9A-Fa-f]{2})"));
        if (text.contains(badEscape))
            return fail(QStringLiteral("'%1': a '%' must start an escape like %40 (write a "
                                       "percent sign as %25)")
                            .arg(shown));
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid())
            return fail(QStringLiteral("'%1' is not a valid URL").arg(shown));
        c.host = url.host();
        if (url.port() == 0)
            return fail(QStringLiteral("'%1' has an invalid port").arg(shown));
        c.port = url.port(5432);
        c.user = url.userName(QUrl::FullyDecoded);
        c.password = url.password(QUrl::FullyDecoded);
        c.database = url.path(QUrl::FullyDecoded);
        if (c.database.startsWith(QLatin1Char('/')))
            c.database.remove(0, 1);
        if (c.database.isEmpty() || c.database.contains(QLatin1Char('/')))
            return fail(QStringLiteral("'%1' names no database (postgresql://USER:PASSWORD@HOST:"
                                       "PORT/DATABASE)")
                            .arg(shown));
        QStringList options;
        for (const auto &[k, v] : QUrlQuery(url).queryItems(QUrl::FullyDecoded)) {
            if (!isOptionKey(k) || !isOptionValue(v))
                return fail(QStringLiteral("'%1': invalid connection option '%2'").arg(shown, k));
            options << k + QLatin1Char('=') + v;
        }
        c.options = options.join(QLatin1Char(';'));
        return c;
    }
    return fail(QStringLiteral("'%1' is not a supported connection URL (sqlite:///ABS/PATH, "
                               "sqlite:RELATIVE/PATH or postgresql://USER:PASSWORD@HOST:PORT/DB)")
                    .arg(shown));
}

QString ConnectionUrl::qtDriver() const
{
    return driver == Driver::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL");
}

QString ConnectionUrl::toString() const
{
    if (driver == Driver::Sqlite)
        return QStringLiteral("sqlite://") + path;
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setHost(host);
    url.setPort(port);
    url.setUserName(user);
    url.setPassword(password);
    url.setPath(QLatin1Char('/') + database);
    if (!options.isEmpty()) {
        QUrlQuery q;
        for (const QString &kv : options.split(QLatin1Char(';'))) {
            const qsizetype eq = kv.indexOf(QLatin1Char('='));
            q.addQueryItem(kv.left(eq), kv.mid(eq + 1));
        }
        url.setQuery(q);
    }
    return url.toString(QUrl::FullyEncoded);
}

QString ConnectionUrl::redacted() const
{
    // Built from the parts, not with redact(): that looks for the user info in the whole text,
    // and a database name may hold ':' and '@' (postgresql://u@h/a:b@c became
    // postgresql://u@h/a:***@c, another connection).
    ConnectionUrl c = *this;
    if (!c.password.isEmpty())
        c.password = SecretMask::mask();
    return c.toString();
}

QString ConnectionUrl::redact(const QString &url)
{
    // scheme://user:secret@host -> scheme://user:***@host (the last '@' ends the user info, so
    // a password with a raw '@' or '/' is hidden too).
    const qsizetype scheme = url.indexOf(QLatin1String("://"));
    if (scheme < 0)
        return url;
    const qsizetype from = scheme + 3;
    const qsizetype at = url.lastIndexOf(QLatin1Char('@'));
    if (at < from)
        return url;
    const qsizetype colon = url.indexOf(QLatin1Char(':'), from);
    if (colon < 0 || colon > at)
        return url;
    return url.left(colon + 1) + SecretMask::mask() + url.mid(at);
}

} // namespace pw
