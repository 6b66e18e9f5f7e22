// `pipewright`: the GUI. Parses the arguments of DESIGN §7 and wires ui/ together.
//   pipewright [FLOW] [--home DIR] [--run RUN_ID] [--lang ko|en] [--theme light|dark]
//              [--screenshot PNG]

#include "app/mainwindow.h"
#include "editor/flowview.h"
#include "editor/theme.h"
#include "monitor/runmonitor.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>
#include <QTranslator>
#include <QWindow>

#include <cstdio>

namespace {

// Saves the window once it is exposed and has painted the flow (and, with --run, the run's
// state), then quits (exit 0, or 3 if the picture cannot be written).
void screenshotWhenReady(
    pw::MainWindow *window, const QString &path, QElapsedTimer started, bool withRun)
{
    auto *poll = new QTimer(window);
    poll->setInterval(50);
    QObject::connect(poll, &QTimer::timeout, window, [window, path, poll, started, withRun] {
        QWindow *handle = window->windowHandle();
        if (!(handle && handle->isExposed()) && started.elapsed() < 10000)
            return;
        if (withRun && !window->monitor()->isRunDrawn() && started.elapsed() < 10000)
            return;
        poll->stop();
        // One more turn of the event loop so that queued validation and repaints are done.
        QTimer::singleShot(200, window, [window, path, started] {
            const QPixmap shot = window->grab();
            const bool ok = shot.save(path, "PNG");
            std::fprintf(stderr, "pipewright: screenshot %s (%dx%d) after %lld ms\n",
                qPrintable(path), shot.width(), shot.height(),
                static_cast<long long>(started.elapsed()));
            QCoreApplication::exit(ok ? 0 : 3);
        });
    });
    poll->start();
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer started;
    started.start();
    // --help/--version and --screenshot need no screen: without a display, render offscreen.
    const bool noDisplay
        = qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
    bool headlessOk = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        headlessOk = headlessOk || a == "-h" || a == "--help" || a == "--help-all" || a == "-v"
            || a == "--version" || a == "--screenshot" || a.startsWith("--screenshot=");
    }
    if (noDisplay && headlessOk && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Pipewright"));
    QApplication::setApplicationName(QStringLiteral("Pipewright"));
    QApplication::setApplicationDisplayName(QStringLiteral("Pipewright"));
    QApplication::setApplicationVersion(QStringLiteral(PW_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("pipewright"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Pipewright: draw, run and recover data pipelines."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FLOW"),
        QStringLiteral("Flow file to open (*.flow.yaml, *.flow.json)."), QStringLiteral("[FLOW]"));
    const QCommandLineOption home(QStringLiteral("home"),
        QStringLiteral("Pipewright home (history, logs, config); default $PIPEWRIGHT_HOME."),
        QStringLiteral("DIR"));
    const QCommandLineOption run(QStringLiteral("run"),
        QStringLiteral("Show this run of the flow."), QStringLiteral("RUN_ID"));
    const QCommandLineOption lang(QStringLiteral("lang"),
        QStringLiteral("User interface language: ko or en (default: system)."),
        QStringLiteral("LANG"));
    const QCommandLineOption theme(QStringLiteral("theme"),
        QStringLiteral("light or dark (default: the saved setting)."), QStringLiteral("THEME"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Save a picture of the window once the flow is shown, then exit."),
        QStringLiteral("PNG"));
    parser.addOptions({home, run, lang, theme, screenshot});
    parser.process(app);

    auto usageError = [](const QString &msg) {
        std::fprintf(stderr, "pipewright: %s\n", qPrintable(msg));
        return 2;
    };

    // Language: --lang, else the system locale.
    QString language = parser.value(lang);
    if (!language.isEmpty() && language != QLatin1String("ko") && language != QLatin1String("en"))
        return usageError(QStringLiteral("--lang must be ko or en"));
    if (language.isEmpty())
        language = QLocale::system().name().startsWith(QLatin1String("ko")) ? QStringLiteral("ko")
                                                                            : QStringLiteral("en");
    QTranslator qtTranslator, appTranslator;
    if (language == QLatin1String("ko")) {
        QLocale::setDefault(QLocale(QLocale::Korean, QLocale::SouthKorea));
        if (qtTranslator.load(QLocale(QLocale::Korean), QStringLiteral("qtbase"),
                QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QApplication::installTranslator(&qtTranslator);
        if (appTranslator.load(QStringLiteral(":/i18n/pipewright_ko.qm")))
            QApplication::installTranslator(&appTranslator);
        else
            std::fprintf(stderr, "pipewright: Korean translation not found\n");
    }

    // Theme: --theme, else the saved setting.
    QString themeName = parser.value(theme);
    if (!themeName.isEmpty() && themeName != QLatin1String("light")
        && themeName != QLatin1String("dark"))
        return usageError(QStringLiteral("--theme must be light or dark"));
    if (themeName.isEmpty())
        themeName
            = QSettings().value(QStringLiteral("ui/theme"), QStringLiteral("light")).toString();
    pw::Theme::apply(app, themeName == QLatin1String("dark"));

    qint64 runId = 0;
    if (parser.isSet(run)) {
        bool ok = false;
        runId = parser.value(run).toLongLong(&ok);
        if (!ok || runId <= 0)
            return usageError(QStringLiteral("--run needs a positive run id"));
    }
    const QStringList args = parser.positionalArguments();
    if (args.size() > 1)
        return usageError(QStringLiteral("at most one FLOW"));

    pw::MainWindow window;
    window.setHome(parser.isSet(home) ? QDir(parser.value(home)).absolutePath()
                                      : qEnvironmentVariable("PIPEWRIGHT_HOME"));
    const bool shooting = parser.isSet(screenshot);
    if (shooting)
        window.resize(1440, 900); // a fixed size: pictures do not depend on saved geometry
    window.show();
    if (!args.isEmpty()) {
        pw::Result<void> r = window.openFile(args.first());
        if (!r) {
            if (shooting)
                return usageError(r.error().message);
            QMessageBox::critical(&window, QObject::tr("Cannot open flow"), r.error().message);
        } else {
            // Fit once the window has its final size.
            QTimer::singleShot(0, &window, [&window] { window.view()->fitOpened(); });
        }
    }
    if (runId > 0)
        window.setRunToShow(runId);
    if (shooting)
        screenshotWhenReady(&window, QDir::current().absoluteFilePath(parser.value(screenshot)),
            started, runId > 0);
    return app.exec();
}
