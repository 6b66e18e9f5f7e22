#include "home.h"
#include "secrets.h"

#include "runners/connectionurl.h"

#include "model/duration.h"
#include "platform/privatefiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace pw {

QString Home::resolve(const QString &explicitDir)
{
    if (!explicitDir.isEmpty())
        return QDir(explicitDir).absolutePath();
    const QString env = qEnvironmentVariable("PIPEWRIGHT_HOME");
    if (!env.isEmpty())
        return QDir(env).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/pipewright");
}

Result<StoreLocation> StoreLocation::resolve(const QString &homeArg, const QString &dbUrl)
{
    const QString home = Home::resolve(homeArg);
    QString path;
    if (!dbUrl.isEmpty()) {
        // A URL may name secrets (a password): messages show it as given.
        auto url = Secrets(Home(home)).render(dbUrl);
        if (!url)
            return fail(QStringLiteral("--db: %1").arg(url.error().message));
        if (!url->startsWith(QLatin1String("sqlite://")) || url->size() <= 9)
            return fail(QStringLiteral(
                "unsupported --db URL '%1' (sqlite:///ABS/PATH; PostgreSQL comes in a "
                "later version)")
                            .arg(ConnectionUrl::redact(dbUrl)));
        path = url->mid(9);
    }
    return of(home, path);
}

StoreLocation StoreLocation::of(const QString &home, const QString &historyPath)
{
    return {home, historyPath.isEmpty() ? Home(home).historyPath() : historyPath};
}

Home::Home(QString dir) : m_dir(std::move(dir)) { }

QString Home::historyPath() const
{
    return m_dir + QStringLiteral("/history.sqlite");
}
QString Home::logsDir() const
{
    return m_dir + QStringLiteral("/logs");
}
QString Home::configPath() const
{
    return m_dir + QStringLiteral("/config.yaml");
}

QString Home::logPath(qint64 runId, const QString &task, int attempt) const
{
    return logsDir() + QLatin1Char('/') + QString::number(runId) + QLatin1Char('/') + task
        + QStringLiteral("/attempt-") + QString::number(attempt) + QStringLiteral(".log");
}

namespace {

// Why `path` cannot be written, or nullopt (also when it does not exist). access(2) reports a
// read-only mount (EROFS) even to root, whom permissions do not stop.
std::optional<QString> notWritable(const QString &path)
{
    if (::access(QFile::encodeName(path).constData(), W_OK) == 0)
        return std::nullopt;
    const int e = errno;
    if (e == ENOENT)
        return std::nullopt;
    if (e == EROFS)
        return QStringLiteral("%1 is on a read-only file system").arg(path);
    if (e == EACCES || e == EPERM)
        return QStringLiteral("%1 is not writable (permission denied)").arg(path);
    return QStringLiteral("%1 is not writable (%2)")
        .arg(path, QString::fromLocal8Bit(std::strerror(e)));
}

} // namespace

Result<void> Home::ensureExists() const
{
    if (!PrivateFiles::makeDirs(m_dir))
        return fail(QStringLiteral("cannot create home directory '%1'").arg(m_dir));
    if (auto why = notWritable(m_dir))
        return fail(QStringLiteral("home directory is not writable: %1").arg(*why));
    return {};
}

std::optional<QString> Home::readOnlyReason(const QString &historyPath) const
{
    const QString store = historyPath.isEmpty() ? this->historyPath() : historyPath;
    for (const QString &path : {m_dir, QFileInfo(store).absolutePath(), store}) {
        if (auto why = notWritable(path))
            return why;
    }
    return std::nullopt;
}

Result<HomeConfig> Home::loadConfig() const
{
    HomeConfig cfg;
    const QString path = configPath();
    if (!QFileInfo::exists(path))
        return cfg;
    auto err = [&](const YAML::Mark &m, const QString &msg) {
        return Unexpected(Error(msg, path, m.line + 1, m.column + 1));
    };
    // Durations: "500ms", "2s", "1m" (a bare number is seconds), more than 0 and at most 1d
    // (timers and SQLite take int milliseconds).
    auto duration = [&](const YAML::Node &v, const char *name) -> Result<qint64> {
        if (!v.IsScalar())
            return err(v.Mark(),
                QStringLiteral("%1 must be a duration such as 500ms, 2s or 1m")
                    .arg(QLatin1String(name)));
        auto ms = Duration::parseMs(QString::fromStdString(v.as<std::string>()));
        if (!ms)
            return err(
                v.Mark(), QStringLiteral("%1: %2").arg(QLatin1String(name), ms.error().message));
        if (*ms <= 0 || *ms > 86400000)
            return err(v.Mark(),
                QStringLiteral("%1 must be more than 0 and at most 1d").arg(QLatin1String(name)));
        return *ms;
    };
    // Sizes: "1500B", "512KB", "100MB", "2GB" (1024-based; the unit is required, so that a bare
    // 100 is not taken for bytes), more than 0 and at most 1024GB.
    auto size = [&](const YAML::Node &v, const char *name) -> Result<qint64> {
        auto bad = [&] {
            return err(v.Mark(),
                QStringLiteral("%1 must be a size such as 512KB, 100MB or 2GB")
                    .arg(QLatin1String(name)));
        };
        if (!v.IsScalar())
            return bad();
        static const QRegularExpression re(QStringLiteral("^\\s*([0-9]{1,13})\\s*([KMG]?B)\\s*$"),
            QRegularExpression::CaseInsensitiveOption);
        const auto m = re.match(QString::fromStdString(v.as<std::string>()));
        if (!m.hasMatch())
            return bad();
        const QString unit = m.captured(2).toUpper();
        const int shift = unit == QLatin1String("GB") ? 30
            : unit == QLatin1String("MB")             ? 20
            : unit == QLatin1String("KB")             ? 10
                                                      : 0;
        const qint64 n = m.captured(1).toLongLong();
        if (n <= 0 || n > (qint64(1) << (40 - shift)))
            return err(v.Mark(),
                QStringLiteral("%1 must be more than 0 and at most 1024GB")
                    .arg(QLatin1String(name)));
        return n << shift;
    };
    YAML::Mark heartbeatMark, staleMark;
    bool heartbeatSet = false, staleSet = false;
    try {
        const YAML::Node root = YAML::LoadFile(path.toStdString());
        if (!root || root.IsNull())
            return cfg;
        if (!root.IsMap())
            return err(root.Mark(), QStringLiteral("config.yaml must be a mapping"));
        for (const auto &kv : root) {
            const QString key = QString::fromStdString(kv.first.as<std::string>());
            const YAML::Node &v = kv.second;
            if (key == QLatin1String("max_parallel")) {
                const int n = v.as<int>();
                if (n < 1)
                    return err(v.Mark(), QStringLiteral("max_parallel must be at least 1"));
                cfg.maxParallel = n;
            } else if (key == QLatin1String("pools")) {
                if (!v.IsMap())
                    return err(v.Mark(), QStringLiteral("pools must be a mapping of name: slots"));
                for (const auto &p : v) {
                    const int slots = p.second.as<int>();
                    if (slots < 1)
                        return err(
                            p.second.Mark(), QStringLiteral("pool slots must be at least 1"));
                    cfg.pools.insert(QString::fromStdString(p.first.as<std::string>()), slots);
                }
            } else if (key == QLatin1String("durability")) {
                const std::string d = v.as<std::string>();
                if (d != "full" && d != "normal")
                    return err(v.Mark(), QStringLiteral("durability must be 'normal' or 'full'"));
                cfg.synchronousFull = d == "full";
            } else if (key == QLatin1String("busy_timeout")) {
                PW_TRY_ASSIGN(ms, duration(v, "busy_timeout"));
                cfg.busyTimeoutMs = int(ms);
            } else if (key == QLatin1String("heartbeat_interval")) {
                PW_TRY_ASSIGN(ms, duration(v, "heartbeat_interval"));
                cfg.heartbeatMs = ms;
                heartbeatMark = v.Mark();
                heartbeatSet = true;
            } else if (key == QLatin1String("stale_limit")) {
                PW_TRY_ASSIGN(ms, duration(v, "stale_limit"));
                cfg.staleLimitMs = ms;
                staleMark = v.Mark();
                staleSet = true;
            } else if (key == QLatin1String("log_limit")) {
                PW_TRY_ASSIGN(bytes, size(v, "log_limit"));
                cfg.logLimit = bytes;
            } else {
                return err(kv.first.Mark(),
                    QStringLiteral("unknown key '%1' (known: max_parallel, pools, durability, "
                                   "busy_timeout, heartbeat_interval, stale_limit, log_limit)")
                        .arg(key));
            }
        }
        // An owner must heartbeat more often than others declare it dead. Point at the key the
        // user set (the later one when both are set).
        if (cfg.heartbeatMs >= cfg.staleLimitMs) {
            const YAML::Mark at = staleSet && (!heartbeatSet || staleMark.pos > heartbeatMark.pos)
                ? staleMark
                : heartbeatMark;
            return err(at,
                QStringLiteral("heartbeat_interval (%1) must be shorter than stale_limit (%2)")
                    .arg(Duration::format(cfg.heartbeatMs), Duration::format(cfg.staleLimitMs)));
        }
    } catch (const YAML::Exception &e) {
        return err(e.mark, QString::fromStdString(e.msg));
    }
    return cfg;
}

int Home::storeBusyTimeoutMs() const
{
    auto cfg = loadConfig();
    return cfg ? cfg->busyTimeoutMs : HomeConfig::kDefaultBusyTimeoutMs;
}

} // namespace pw
