#include "commandline.h"

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace pw::cli {

namespace {

int g_stopFd[2] = {-1, -1};

void onStopSignal(int)
{
    const char c = 1;
    [[maybe_unused]] auto n = ::write(g_stopFd[1], &c, 1);
}

} // namespace

int fail(QTextStream &err, int code, const QString &message)
{
    err << "pipewright-cli: " << message << "\n";
    err.flush();
    return code;
}

void addCommonOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(QStringLiteral("Pipewright command line"));
    p.addHelpOption();
    p.addOption({QStringLiteral("home"), QStringLiteral("Pipewright home directory."),
        QStringLiteral("DIR")});
    p.addOption({QStringLiteral("db"), QStringLiteral("History store URL (sqlite:///ABS/PATH)."),
        QStringLiteral("URL")});
}

std::optional<int> parseCommand(QCommandLineParser &p, const QStringList &args,
    const char *synopsis, QTextStream &out, QTextStream &err, EngineHost::Options *host,
    StoreLocation *location)
{
    if (!p.parse(args))
        return fail(err, BadInput, p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out << "Usage: " << synopsis << "\n\n" << p.helpText().section(QLatin1Char('\n'), 2);
        out.flush();
        return Ok;
    }
    EngineHost::Options options;
    options.home = p.value(QStringLiteral("home"));
    options.db = p.value(QStringLiteral("db"));
    auto where = EngineHost::locate(options);
    if (!where)
        return fail(err, BadInput, where.error().message);
    if (host)
        *host = options;
    if (location)
        *location = *where;
    return std::nullopt;
}

QCommandLineOption confirmOption()
{
    return {QStringLiteral("confirm"),
        QStringLiteral("Confirm rerunning TASK, which is not idempotent, after checking what its "
                       "'check' says (repeatable)."),
        QStringLiteral("TASK")};
}

QCommandLineOption allTasksOption()
{
    return {QStringLiteral("all-tasks"),
        QStringLiteral("List every task in the result (default: up to 50 tasks; a larger run "
                       "lists the counts per state and the tasks that failed or retried).")};
}

QCommandLineOption quietOption()
{
    return {QStringLiteral("quiet"),
        QStringLiteral("Print no progress while the run goes (the totals line and the result "
                       "still follow).")};
}

QString isoSeconds(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

bool StopSignals::install()
{
    if (g_stopFd[0] >= 0)
        return true;
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_stopFd) != 0)
        return false;
    struct sigaction sa = {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    return true;
}

int StopSignals::fd()
{
    return g_stopFd[0];
}

void StopSignals::acknowledge()
{
    char c;
    [[maybe_unused]] auto n = ::read(g_stopFd[0], &c, 1);
}

} // namespace pw::cli
