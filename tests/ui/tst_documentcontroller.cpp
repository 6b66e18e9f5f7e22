// DocumentController: new, open, save, save as, revert, export, the recent files and the
// unsaved-changes prompts, on a document with its undo stack and scene but no main window.
// Dialogs are answered by the test as the operator would (offscreen, Qt's own file dialog).

#include "app/documentcontroller.h"
#include "editor/flowdocument.h"
#include "editor/flowscene.h"
#include "editor/setflowsettingscommand.h"
#include "modaldialogs.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include <memory>

using namespace pw;
using pw::test::pressButton;
using pw::test::whenShown;

namespace {
const QString kHello = QStringLiteral(PW_SOURCE_DIR "/resources/examples/hello.flow.yaml");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The file dialog: the file `path` (and, when given, the name filter `filter`), then OK. Qt's
// dialog loads a folder asynchronously and keeps the name field while it has the focus, so the
// folder and the name are set until both hold.
void chooseFile(const QString &path, bool *answered, const QString &filter = {})
{
    whenShown<QFileDialog>(
        [path, filter](QFileDialog *d) {
            if (!filter.isEmpty() && d->selectedNameFilter() != filter)
                d->selectNameFilter(filter);
            const QFileInfo target(path);
            if (d->directory().absolutePath() != target.absolutePath()) {
                d->setDirectory(target.absolutePath());
                return false;
            }
            auto *name = d->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
            if (name && name->text() != target.fileName())
                name->setText(target.fileName());
            if (d->selectedFiles().value(0) != path)
                return false;
            static_cast<QDialog *>(d)->accept(); // QFileDialog::accept is protected
            return true;
        },
        answered);
}

} // namespace

class TestDocumentController : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    std::unique_ptr<QWidget> m_window; // the dialogs' parent
    FlowDocument *m_doc = nullptr;
    QUndoStack *m_undo = nullptr;
    DocumentController *m_docs = nullptr;

    QString path(const QString &name) const { return m_tmp.filePath(name); }
    // A copy of hello.flow.yaml at `name` in the temporary directory.
    QString copyOfHello(const QString &name) const
    {
        const QString file = path(name);
        QFile::remove(file);
        if (QFile::copy(kHello, file))
            QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
        return file;
    }
    // An edit as the inspector makes it: one undo command.
    void edit()
    {
        Flow after = m_doc->settings();
        after.title = QStringLiteral("Edited");
        m_undo->push(
            new SetFlowSettingsCommand(m_doc, m_doc->settings(), after, QStringLiteral("title")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_tmp.path());
        QCoreApplication::setOrganizationName(QStringLiteral("PipewrightTest"));
        QCoreApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
    }
    void init()
    {
        QSettings().remove(QStringLiteral("recentFiles"));
        m_window = std::make_unique<QWidget>();
        m_doc = new FlowDocument(m_window.get());
        m_undo = new QUndoStack(m_window.get());
        auto *scene = new FlowScene(m_doc, m_undo, m_window.get());
        m_docs = new DocumentController(m_doc, m_undo, scene, m_window.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    void cleanup()
    {
        m_undo->setClean();
        m_window.reset();
    }

    void newFlowIsUntitledAndUnmodified()
    {
        QSignalSpy replaced(m_docs, &DocumentController::documentReplaced);
        QVERIFY(m_docs->openFile(kHello).has_value());
        m_docs->newFlow();
        QCOMPARE(m_doc->flow().id, QStringLiteral("new_flow"));
        QVERIFY(m_doc->flow().tasks.isEmpty());
        QVERIFY(m_docs->path().isEmpty());
        QCOMPARE(m_docs->displayName(), QStringLiteral("Untitled"));
        QVERIFY(!m_docs->isModified());
        QCOMPARE(m_undo->count(), 0);
        QCOMPARE(replaced.size(), 2);
        QCOMPARE(replaced.last().first().toString(), QString());
    }

    void openLaysOutAndRemembers()
    {
        QSignalSpy replaced(m_docs, &DocumentController::documentReplaced);
        QSignalSpy status(m_docs, &DocumentController::statusMessage);
        const Result<void> r = m_docs->openFile(kHello);
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().message));
        const QString absolute = QFileInfo(kHello).absoluteFilePath();
        QCOMPARE(m_docs->path(), absolute);
        QCOMPARE(m_docs->displayName(), QStringLiteral("hello.flow.yaml"));
        QCOMPARE(m_doc->flow().sourcePath, absolute);
        QCOMPARE(m_doc->flow().layout.size(), 4); // the file has none
        QVERIFY(!m_docs->isModified());
        QCOMPARE(replaced.size(), 1);
        QCOMPARE(replaced.first().first().toString(), absolute);
        QVERIFY(
            status.last().first().toString().startsWith(QLatin1String("Opened hello.flow.yaml")));
        QCOMPARE(m_docs->recentFiles(), QStringList{absolute});
    }

    void openFailureKeepsTheDocument()
    {
        QVERIFY(m_docs->openFile(kHello).has_value());
        const QString bad = path(QStringLiteral("bad.flow.yaml"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("pipewright: 1\nflow: bad\ntasks:\n  a: {type: shell, comand: x}\n");
        f.close();
        QSignalSpy replaced(m_docs, &DocumentController::documentReplaced);
        const Result<void> r = m_docs->openFile(bad);
        QVERIFY(!r.has_value());
        QVERIFY2(r.error().message.startsWith(bad + QStringLiteral(":4:")),
            qPrintable(r.error().message));
        QCOMPARE(replaced.size(), 0);
        QCOMPARE(m_doc->flow().id, QStringLiteral("hello"));
        QCOMPARE(m_docs->path(), QFileInfo(kHello).absoluteFilePath());
        QCOMPARE(m_docs->recentFiles().size(), 1);
    }

    void saveToMarksSavedAndRemembers()
    {
        QVERIFY(m_docs->openFile(kHello).has_value());
        edit();
        QVERIFY(m_docs->isModified());
        QSignalSpy changed(m_docs, &DocumentController::fileChanged);
        const QString out = path(QStringLiteral("saved.flow.yaml"));
        QVERIFY(m_docs->saveTo(out).has_value());
        QVERIFY(!m_docs->isModified());
        QCOMPARE(m_docs->path(), out);
        QCOMPARE(m_doc->flow().sourcePath, out);
        QVERIFY(changed.size() >= 1);
        QCOMPARE(m_docs->recentFiles().first(), out);
        QVERIFY(readAll(out).contains("title: Edited"));
        QVERIFY(!m_docs->saveTo(path(QStringLiteral("no/such/dir/x.flow.yaml"))).has_value());
        QCOMPARE(m_docs->path(), out);
    }

    void recentFilesKeepEightNewestFirst()
    {
        QStringList opened;
        for (int i = 0; i < 10; ++i) {
            opened.prepend(copyOfHello(QStringLiteral("r%1.flow.yaml").arg(i)));
            QVERIFY(m_docs->openFile(opened.first()).has_value());
        }
        QVERIFY(m_docs->openFile(opened.at(3)).has_value()); // again: moves to the front
        QStringList expected = opened.mid(0, 8);
        expected.move(3, 0);
        QCOMPARE(m_docs->recentFiles(), expected);
        QCOMPARE(QSettings().value(QStringLiteral("recentFiles")).toStringList(), expected);

        // The menu lists them by name and opens one when chosen.
        QMenu *menu = m_docs->recentMenu();
        QCOMPARE(menu->actions().size(), 8);
        QCOMPARE(menu->actions().first()->text(), QFileInfo(expected.first()).fileName());
        QCOMPARE(menu->actions().last()->toolTip(), expected.last());
        menu->actions().last()->trigger();
        QCOMPARE(m_docs->path(), expected.last());
        QCOMPARE(m_docs->recentFiles().first(), expected.last());
    }

    void unsavedChangesPrompt_data()
    {
        QTest::addColumn<int>("button");
        QTest::addColumn<bool>("goOn");
        QTest::newRow("cancel stays") << int(QMessageBox::Cancel) << false;
        QTest::newRow("discard goes on") << int(QMessageBox::Discard) << true;
        QTest::newRow("save writes and goes on") << int(QMessageBox::Save) << true;
    }
    void unsavedChangesPrompt()
    {
        QFETCH(int, button);
        QFETCH(bool, goOn);
        const QString file = copyOfHello(QStringLiteral("prompt.flow.yaml"));
        QVERIFY(m_docs->openFile(file).has_value());
        QVERIFY(m_docs->maybeSave()); // nothing to save: no question
        edit();
        bool asked = false;
        pressButton(QMessageBox::StandardButton(button), &asked);
        QCOMPARE(m_docs->maybeSave(), goOn);
        QVERIFY(asked);
        QCOMPARE(readAll(file).contains("title: Edited"), button == int(QMessageBox::Save));
        QCOMPARE(m_docs->isModified(), button != int(QMessageBox::Save));
    }

    // Save on a flow without a file asks for one; a name without a flow suffix gets .flow.yaml.
    void saveAsksForANameAndAddsTheSuffix()
    {
        m_docs->newFlow();
        edit();
        bool chosen = false;
        chooseFile(path(QStringLiteral("plain")), &chosen);
        QVERIFY(m_docs->save());
        QVERIFY(chosen);
        QCOMPARE(m_docs->path(), path(QStringLiteral("plain.flow.yaml")));
        QVERIFY(!m_docs->isModified());
    }

    // The first save names a new flow after its file (issue 17 item 19): one undo step, said
    // in the status bar, with the id check's warning; later saves keep the id.
    void firstSaveTakesTheIdFromTheFileName()
    {
        QCOMPARE(DocumentController::idFromFileName(QStringLiteral("/x/daily_sales.flow.yaml")),
            QStringLiteral("daily_sales"));
        QCOMPARE(DocumentController::idFromFileName(QStringLiteral("/x/my report (v2).yml")),
            QStringLiteral("my_report__v2_"));
        QCOMPARE(DocumentController::idFromFileName(QStringLiteral("/x/-.flow.json")), QString());
        m_docs->newFlow();
        edit();
        QStringList checked;
        m_docs->setIdCheck([&](const QString &id, const QString &file) {
            checked << id + QLatin1Char('@') + file;
            return QStringLiteral("runs of another file use it");
        });
        QSignalSpy messages(m_docs, &DocumentController::statusMessage);
        const QString file = path(QStringLiteral("daily_sales.flow.yaml"));
        QVERIFY(m_docs->saveTo(file).has_value());
        QCOMPARE(m_doc->flow().id, QStringLiteral("daily_sales"));
        QVERIFY(readAll(file).contains("flow: daily_sales"));
        QVERIFY(!m_docs->isModified());
        QCOMPARE(checked, QStringList{QStringLiteral("daily_sales@") + file});
        const QString said = messages.last().first().toString();
        QVERIFY2(said.contains(QStringLiteral("'daily_sales'"))
                && said.contains(QStringLiteral("runs of another file use it")),
            qPrintable(said));
        QCOMPARE(m_undo->undoText(), QStringLiteral("Change flow id"));
        // Saved under another name later: the id stays.
        QVERIFY(m_docs->saveTo(path(QStringLiteral("copy.flow.yaml"))).has_value());
        QCOMPARE(m_doc->flow().id, QStringLiteral("daily_sales"));
        QCOMPARE(checked.size(), 1);
        m_docs->setIdCheck({});
    }

    // The "Save?" answer Save on an untitled flow goes on to the file dialog; cancelling it
    // cancels the whole operation.
    void promptSaveOnUntitledCanBeCancelledInTheFileDialog()
    {
        m_docs->newFlow();
        edit();
        bool asked = false, chosen = false;
        pressButton(QMessageBox::Save, &asked);
        whenShown<QFileDialog>(
            [](QFileDialog *d) {
                d->reject();
                return true;
            },
            &chosen);
        QVERIFY(!m_docs->maybeSave());
        QVERIFY(asked && chosen);
        QVERIFY(m_docs->isModified());
    }

    void revertAsksThenReloads_data()
    {
        QTest::addColumn<int>("button");
        QTest::newRow("no keeps the edit") << int(QMessageBox::No);
        QTest::newRow("yes reloads the file") << int(QMessageBox::Yes);
    }
    void revertAsksThenReloads()
    {
        QFETCH(int, button);
        QVERIFY(m_docs->openFile(kHello).has_value());
        edit();
        bool asked = false;
        pressButton(QMessageBox::StandardButton(button), &asked);
        m_docs->revert();
        QVERIFY(asked);
        const bool reverted = button == int(QMessageBox::Yes);
        QCOMPARE(m_doc->flow().title == QLatin1String("Edited"), !reverted);
        QCOMPARE(m_docs->isModified(), !reverted);
    }

    // The chosen filter decides the format, whatever the file is called.
    void exportDialogWritesTheChosenFormat()
    {
        QVERIFY(m_docs->openFile(kHello).has_value());
        QSignalSpy status(m_docs, &DocumentController::statusMessage);
        const QString out = path(QStringLiteral("graph.data"));
        bool chosen = false;
        chooseFile(out, &chosen, QStringLiteral("JSON (*.flow.json)"));
        m_docs->exportDialog();
        QVERIFY(chosen);
        QJsonParseError error;
        const QJsonDocument json = QJsonDocument::fromJson(readAll(out), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(json[QStringLiteral("flow")].toString(), QStringLiteral("hello"));
        QCOMPARE(status.last().first().toString(), QStringLiteral("Exported graph.data"));
        QVERIFY(!m_docs->exportTo(out, QStringLiteral("bmp")).has_value());
    }
};

QTEST_MAIN(TestDocumentController)
#include "tst_documentcontroller.moc"
