// The real `pipewright` binary under Xvfb: opens the example flow, saves a screenshot of its
// window once the flow is shown (--screenshot), and exits. Also checks --help.

#include <QImage>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestGuiE2e : public QObject
{
    Q_OBJECT
private:
    QString m_xvfb;
    const QString m_binary = QStringLiteral(PW_BINARY_DIR "/app/gui/pipewright");

    QProcessEnvironment environment(const QTemporaryDir &tmp) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("QT_QPA_PLATFORM")); // ctest sets offscreen; here: real X
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), tmp.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), tmp.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), tmp.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("PIPEWRIGHT_HOME"), tmp.filePath(QStringLiteral("home")));
        return env;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_xvfb = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
        if (m_xvfb.isEmpty())
            QSKIP("xvfb-run is not installed (apt-get install xvfb xauth)");
        QVERIFY2(QFile::exists(m_binary), qPrintable(m_binary));
    }

    void screenshotOfExample_data()
    {
        QTest::addColumn<QStringList>("extraArgs");
        QTest::newRow("light, English") << QStringList{QStringLiteral("--theme"), QStringLiteral("light"),
                                                       QStringLiteral("--lang"), QStringLiteral("en")};
        QTest::newRow("dark, Korean") << QStringList{QStringLiteral("--theme"), QStringLiteral("dark"),
                                                     QStringLiteral("--lang"), QStringLiteral("ko")};
    }
    void screenshotOfExample()
    {
        QFETCH(QStringList, extraArgs);
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString shot = tmp.filePath(QStringLiteral("shot.png"));
        QProcess p;
        p.setProcessEnvironment(environment(tmp));
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(m_xvfb, QStringList{QStringLiteral("-a"), QStringLiteral("-s"), QStringLiteral("-screen 0 1600x1000x24"),
                                    m_binary, QStringLiteral(PW_SOURCE_DIR "/resources/examples/hello.flow.yaml"),
                                    QStringLiteral("--screenshot"), shot}
                            + extraArgs);
        QVERIFY(p.waitForStarted(10000));
        const bool finished = p.waitForFinished(90000);
        if (!finished) {
            p.kill();
            p.waitForFinished(5000);
        }
        const QByteArray out = p.readAll();
        QVERIFY2(finished, out.constData());
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, out.constData());

        QImage img;
        QVERIFY2(img.load(shot), out.constData());
        QCOMPARE(img.size(), QSize(1440, 900));
        // Non-blank: many distinct colours (text, icons, nodes), not one flat fill.
        QSet<QRgb> colours;
        for (int y = 0; y < img.height(); y += 3)
            for (int x = 0; x < img.width(); x += 3)
                colours.insert(img.pixel(x, y));
        QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));
    }

    void help()
    {
        QTemporaryDir tmp;
        QProcess p;
        p.setProcessEnvironment(environment(tmp));
        p.start(m_xvfb, {QStringLiteral("-a"), m_binary, QStringLiteral("--help")});
        QVERIFY(p.waitForFinished(60000));
        const QByteArray out = p.readAllStandardOutput();
        QCOMPARE(p.exitCode(), 0);
        for (const char *opt : {"--home", "--run", "--lang", "--theme", "--screenshot"})
            QVERIFY2(out.contains(opt), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestGuiE2e)
#include "tst_gui_e2e.moc"
