#include "runners/sqlexecution.h"

#include <QCoreApplication>

// pipewright-sqlrun: runs one sql attempt for the engine (core/runners/sqlexecution.h). It is
// not meant to be started by hand: it reads the line "go", then its job as JSON, on stdin.
int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pipewright-sqlrun"));
    return pw::SqlExecution::childMain();
}
