// Files: open (auto layout when there is none), save -> reopen gives identical bytes, the
// window title, and File > Export writes valid YAML, JSON, DOT, SVG and PNG.

#include "app/mainwindow.h"
#include "editor/flowdocument.h"
#include "editor/flowscene.h"
#include "editor/nodeitem.h"
#include "editor/sceneexporter.h"
#include "editor/tasktypeinfo.h"

#include "format/flowloader.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>
#include <QXmlStreamReader>

using namespace pw;

namespace {
const QString kHello = QStringLiteral(PW_SOURCE_DIR "/resources/examples/hello.flow.yaml");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestFiles : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    std::unique_ptr<MainWindow> m_win;
    QString path(const QString &name) const { return m_tmp.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_tmp.path());
        QCoreApplication::setOrganizationName(QStringLiteral("PipewrightTest"));
    }
    void init()
    {
        m_win = std::make_unique<MainWindow>();
        m_win->resize(1200, 800);
        m_win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
    }
    void cleanup()
    {
        m_win->undoStack()->setClean();
        m_win.reset();
    }

    void openWithoutLayoutLaysOut()
    {
        const Result<void> r = m_win->openFile(kHello);
        QVERIFY2(r.has_value(), r.has_value() ? "" : qPrintable(r.error().message));
        const Flow &f = m_win->document()->flow();
        QCOMPARE(f.tasks.size(), 4);
        QCOMPARE(f.layout.size(), 4);
        QList<QRectF> boxes;
        for (const TaskSpec &t : f.tasks)
            boxes << QRectF(f.layout.value(t.id), QSizeF(NodeItem::Width, NodeItem::Height));
        for (int i = 0; i < boxes.size(); ++i)
            for (int j = i + 1; j < boxes.size(); ++j)
                QVERIFY(!boxes[i].intersects(boxes[j]));
        QVERIFY(m_win->undoStack()->isClean());
        QCOMPARE(m_win->windowTitle(), QStringLiteral("hello.flow.yaml[*] — Pipewright"));
        QVERIFY(!m_win->isWindowModified());
    }

    void saveReopenIdentical_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("yaml") << QStringLiteral("a.flow.yaml");
        QTest::newRow("json") << QStringLiteral("a.flow.json");
    }
    void saveReopenIdentical()
    {
        QFETCH(QString, name);
        QVERIFY(m_win->openFile(kHello).has_value());
        // Edit a little so more of the schema is written.
        FlowDocument *doc = m_win->document();
        TaskSpec t = *doc->task(QStringLiteral("transform"));
        t.retry.retries = 2;
        t.retry.retryDelayMs = 90'000;
        t.pool = QStringLiteral("warehouse");
        doc->setTask(t.id, t);
        Flow s = doc->settings();
        s.limits.pools.insert(QStringLiteral("warehouse"), 2);
        doc->setSettings(s);
        m_win->undoStack()->resetClean();

        const QString first = path(name);
        QVERIFY(m_win->saveTo(first).has_value());
        QVERIFY(m_win->undoStack()->isClean());
        QCOMPARE(m_win->currentFile(), first);
        const Flow saved = doc->flow();
        QVERIFY(m_win->openFile(first).has_value());
        QVERIFY(doc->flow() == saved);
        const QString second = path(QStringLiteral("b-") + name);
        QVERIFY(m_win->saveTo(second).has_value());
        QCOMPARE(readAll(second), readAll(first));
    }

    void titleShowsModified()
    {
        QVERIFY(m_win->openFile(kHello).has_value());
        m_win->scene()->addTask(TaskType::Noop, QPointF(0, 400));
        QVERIFY(m_win->isWindowModified());
        m_win->undoStack()->undo();
        QVERIFY(!m_win->isWindowModified());
    }

    void dockLayoutAndRecentFilesAreRemembered()
    {
        QVERIFY(m_win->openFile(kHello).has_value());
        auto *palette = m_win->findChild<QDockWidget *>(QStringLiteral("paletteDock"));
        QVERIFY(palette && palette->isVisible());
        palette->close();
        QVERIFY(m_win->close());
        m_win = std::make_unique<MainWindow>();
        m_win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
        QVERIFY(!m_win->findChild<QDockWidget *>(QStringLiteral("paletteDock"))->isVisible());
        QCOMPARE(QSettings().value(QStringLiteral("recentFiles")).toStringList().value(0),
            QFileInfo(kHello).absoluteFilePath());
        m_win->action(QStringLiteral("resetLayout"))->trigger();
        QVERIFY(m_win->findChild<QDockWidget *>(QStringLiteral("paletteDock"))->isVisible());
        QVERIFY(m_win->close());
    }

    void unsavedChangesPrompt_data()
    {
        QTest::addColumn<int>("button");
        QTest::addColumn<bool>("closes");
        QTest::newRow("cancel keeps the window") << int(QMessageBox::Cancel) << false;
        QTest::newRow("discard closes") << int(QMessageBox::Discard) << true;
        QTest::newRow("save writes and closes") << int(QMessageBox::Save) << true;
    }
    void unsavedChangesPrompt()
    {
        QFETCH(int, button);
        QFETCH(bool, closes);
        const QString file = path(QStringLiteral("prompt.flow.yaml"));
        QFile::remove(file);
        QVERIFY(QFile::copy(kHello, file));
        QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
        QVERIFY(m_win->openFile(file).has_value());
        m_win->scene()->addTask(TaskType::Noop, QPointF(0, 500));
        QVERIFY(m_win->isWindowModified());
        bool asked = false;
        QTimer::singleShot(0, this, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            QVERIFY(box);
            asked = true;
            box->button(QMessageBox::StandardButton(button))->click();
        });
        QCOMPARE(m_win->close(), closes);
        QVERIFY(asked);
        QCOMPARE(readAll(file).contains("\n  noop:\n"), button == int(QMessageBox::Save));
        m_win->undoStack()->setClean();
    }

    void exportWritesValidFiles_data()
    {
        QTest::addColumn<QString>("format");
        for (const char *f : {"yaml", "json", "dot", "svg", "png"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }
    void exportWritesValidFiles()
    {
        QFETCH(QString, format);
        QVERIFY(m_win->openFile(kHello).has_value());
        const QString out = path(QStringLiteral("export.") + format);
        const Result<void> r = m_win->exportTo(out, format);
        QVERIFY2(r.has_value(), r.has_value() ? "" : qPrintable(r.error().message));
        const QByteArray bytes = readAll(out);
        QVERIFY(!bytes.isEmpty());
        const Flow &flow = m_win->document()->flow();
        if (format == QLatin1String("yaml")) {
            Result<Flow, Errors> back = FlowLoader::loadData(bytes, out);
            QVERIFY(back.has_value());
            QCOMPARE(back->tasks, flow.tasks);
        } else if (format == QLatin1String("json")) {
            QJsonParseError err;
            QJsonDocument::fromJson(bytes, &err);
            QCOMPARE(err.error, QJsonParseError::NoError);
            QVERIFY(FlowLoader::loadData(bytes, out).has_value());
        } else if (format == QLatin1String("dot")) {
            QVERIFY(bytes.trimmed().startsWith("digraph"));
            QVERIFY(bytes.trimmed().endsWith("}"));
            for (const TaskSpec &t : flow.tasks)
                QVERIFY(bytes.contains(t.id.toUtf8()));
        } else if (format == QLatin1String("svg")) {
            QXmlStreamReader xml(bytes);
            int texts = 0;
            bool root = false;
            while (!xml.atEnd()) {
                if (xml.readNext() == QXmlStreamReader::StartElement) {
                    if (xml.name() == QLatin1String("svg"))
                        root = true;
                    if (xml.name() == QLatin1String("text"))
                        ++texts;
                }
            }
            QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
            QVERIFY(root);
            QVERIFY(texts >= flow.tasks.size());
        } else if (format == QLatin1String("png")) {
            QImage img;
            QVERIFY(img.loadFromData(bytes, "PNG"));
            const QRectF area = SceneExporter::exportRect(m_win->scene());
            QCOMPARE(img.size(),
                QSize(int(std::ceil(area.width() * 2)), int(std::ceil(area.height() * 2))));
            QSet<QRgb> colours;
            for (int y = 0; y < img.height(); y += 4)
                for (int x = 0; x < img.width(); x += 4)
                    colours.insert(img.pixel(x, y));
            QVERIFY2(colours.size() > 10, "the picture shows the graph, not a blank canvas");
        }
    }
};

QTEST_MAIN(TestFiles)
#include "tst_files.moc"
