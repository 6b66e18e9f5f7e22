#include "cli.h"

#include <QCoreApplication>
#include <QLoggingCategory>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pipewright-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("pipewright"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    // The CLI reports every error itself in one line (DESIGN §7); the library's own log lines
    // (debug, info, warnings such as "history store failed") only when asked for (PW_DEBUG=1).
    if (qEnvironmentVariableIsEmpty("PW_DEBUG"))
        QLoggingCategory::setFilterRules(
            QStringLiteral("pw.*.debug=false\npw.*.info=false\npw.*.warning=false"));
    pw::Cli cli;
    return cli.exec(QCoreApplication::arguments());
}
