#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pipewright-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QTextStream(stdout) << "pipewright-cli\n";
    return 0;
}
