// libFuzzer harness for connection URLs (docs/hardening.md says how to run it).
//
// Properties checked on every input (the bytes read as UTF-8):
// - ConnectionUrl::parse never crashes; an error has a message, and the message never shows
//   the password (the text between "scheme://user:" and the last '@', which redact() hides);
// - a parsed URL saved with toString() parses back into the same connection (the sql child
//   receives it that way), and redacted() parses into the same connection with the password
//   "***" (it is what error messages and logs show);
// - redacted() never contains the password.
#include "runners/connectionurl.h"

#include <QString>
#include <QUrl>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void fail(const char *what, const QString &input, const QString &got)
{
    std::fprintf(
        stderr, "%s\ninput: [%s]\ngot:   [%s]\n", what, qPrintable(input), qPrintable(got));
    std::abort();
}

bool sameTarget(const pw::ConnectionUrl &a, const pw::ConnectionUrl &b)
{
    return a.driver == b.driver && a.path == b.path && a.host == b.host && a.port == b.port
        && a.user == b.user && a.database == b.database && a.options == b.options;
}

// The password of a postgresql URL, or empty: as QUrl reads it when the text is a URL, else as
// redact() finds it (from "://user:" to the last '@'). Only a password that appears nowhere else
// in the text (and is long enough not to match by chance) can be looked for in a message.
QString secretOf(const QString &text)
{
    if (!text.startsWith(QLatin1String("postgres")))
        return {}; // a sqlite URL is a path, shown as it is
    const QUrl url(text, QUrl::StrictMode);
    if (url.isValid()) {
        const QString secret = url.password(QUrl::FullyDecoded);
        const QString rest = QUrl::fromPercentEncoding(url.toString(QUrl::RemovePassword).toUtf8());
        return secret.size() < 6 || rest.contains(secret) ? QString() : secret;
    }
    const qsizetype scheme = text.indexOf(QLatin1String("://"));
    const qsizetype at = text.lastIndexOf(QLatin1Char('@'));
    if (scheme < 0 || at < scheme + 3)
        return {};
    const qsizetype colon = text.indexOf(QLatin1Char(':'), scheme + 3);
    if (colon < 0 || colon > at)
        return {};
    const QString secret = text.mid(colon + 1, at - colon - 1);
    if (secret.size() < 6 || text.left(colon).contains(secret) || text.mid(at).contains(secret))
        return {};
    return secret;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size > 4096)
        return 0; // URLs are short; long inputs only slow the search down
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto url = pw::ConnectionUrl::parse(text, QStringLiteral("/flows"));
    // (A password that redact() leaves in the text by coincidence is not looked for, nor one
    // with "://", which the messages' examples of URLs hold.)
    QString secret = secretOf(text);
    if (pw::ConnectionUrl::redact(text).contains(secret) || secret.contains(QLatin1String("://")))
        secret.clear();
    if (!url) {
        if (url.error().message.isEmpty())
            fail("error without a message", text, QString());
        if (!secret.isEmpty() && url.error().message.contains(secret))
            fail("the error shows the password", text, url.error().message);
        return 0;
    }
    const QString saved = url->toString();
    const auto again = pw::ConnectionUrl::parse(saved);
    if (!again || !sameTarget(*again, *url) || again->password != url->password)
        fail("toString() does not parse back", text, saved);
    const QString shown = url->redacted();
    const auto redacted = pw::ConnectionUrl::parse(shown);
    if (!redacted || !sameTarget(*redacted, *url)
        || redacted->password != (url->password.isEmpty() ? QString() : QStringLiteral("***")))
        fail("redacted() does not parse into the same connection", text, shown);
    if (!secret.isEmpty() && shown.contains(secret))
        fail("redacted() shows the password", text, shown);
    return 0;
}
