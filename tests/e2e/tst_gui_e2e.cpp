// The real `pipewright` binary under Xvfb: opens the example flow, saves a screenshot of its
// window once the flow is shown (--screenshot), and exits. Also checks --help.

#include <QFile>
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
        QTest::newRow("light, English") << QStringList{QStringLiteral("--theme"),
            QStringLiteral("light"), QStringLiteral("--lang"), QStringLiteral("en")};
        QTest::newRow("dark, Korean") << QStringList{QStringLiteral("--theme"),
            QStringLiteral("dark"), QStringLiteral("--lang"), QStringLiteral("ko")};
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
        p.start(m_xvfb,
            QStringList{QStringLiteral("-a"), QStringLiteral("-s"),
                QStringLiteral("-screen 0 1600x1000x24"), m_binary,
                QStringLiteral(PW_SOURCE_DIR "/resources/examples/hello.flow.yaml"),
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

    // A real QDrag from the Palette onto the canvas, then Ctrl+S: the file gains the task.
    void dragFromPaletteAndSave()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("xdotool")).isEmpty())
            QSKIP("xdotool is not installed");
        QTemporaryDir tmp;
        const QString flow = tmp.filePath(QStringLiteral("e2e.flow.yaml"));
        QVERIFY(
            QFile::copy(QStringLiteral(PW_SOURCE_DIR "/resources/examples/hello.flow.yaml"), flow));
        QFile::setPermissions(flow, QFile::ReadOwner | QFile::WriteOwner);
        const QString script = tmp.filePath(QStringLiteral("drive.sh"));
        {
            QFile f(script);
            QVERIFY(f.open(QIODevice::WriteOnly));
            // The window sits at 0,0 (no window manager); 1440x900 by default. The palette's
            // fourth entry (noop) is at about (57, 230); the canvas centre at about (600, 420).
            f.write(R"(#!/bin/bash
"$1" "$2" --lang en & pid=$!
for _ in $(seq 200); do xdotool search --name "Pipewright" >/dev/null 2>&1 && break; sleep 0.05; done
sleep 0.5
xdotool mousemove 57 230 mousedown 1
for p in "62 232" "70 235" "200 300" "400 380" "600 420"; do sleep 0.1; xdotool mousemove $p; done
sleep 0.2; xdotool mouseup 1
sleep 0.3; xdotool key ctrl+s
for _ in $(seq 100); do grep -q "^  noop:" "$2" && break; sleep 0.05; done
kill $pid; wait $pid 2>/dev/null; exit 0
)");
        }
        QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QProcess p;
        p.setProcessEnvironment(environment(tmp));
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(m_xvfb,
            {QStringLiteral("-a"), QStringLiteral("-s"), QStringLiteral("-screen 0 1600x1000x24"),
                script, m_binary, flow});
        QVERIFY(p.waitForStarted(10000));
        const bool finished = p.waitForFinished(90000);
        if (!finished) {
            p.kill();
            p.waitForFinished(5000);
        }
        QVERIFY2(finished, p.readAll().constData());
        QFile f(flow);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray saved = f.readAll();
        QVERIFY2(saved.contains("\n  noop:\n    type: noop\n"), saved.constData());
        QVERIFY2(saved.contains("\n  noop: ["), saved.constData()); // its position is saved
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
