#include "cli.h"

#include <QCoreApplication>
#include <QLoggingCategory>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pipewright-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("pipewright"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    // Pipewright's debug logging only when asked for (PW_DEBUG=1).
    if (qEnvironmentVariableIsEmpty("PW_DEBUG"))
        QLoggingCategory::setFilterRules(QStringLiteral("pw.*.debug=false"));
    pw::Cli cli;
    return cli.exec(QCoreApplication::arguments());
}
