// The inspector edits the selected task(s) and the flow through undo commands, with the
// right widget per field, and marks invalid values inline.

#include "app/mainwindow.h"
#include "editor/durationedit.h"
#include "editor/flowdocument.h"
#include "editor/flowscene.h"
#include "editor/inspectorwidget.h"
#include "editor/taskinspector.h"
#include "editor/tasktypeinfo.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace pw;

class TestInspector : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    std::unique_ptr<MainWindow> m_win;
    FlowDocument *doc() const { return m_win->document(); }
    TaskInspector *ti() const { return m_win->inspector()->taskInspector(); }

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
        m_win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
        doc()->addTask(TaskTypeInfo::newTask(TaskType::Shell, QStringLiteral("a")), {0, 0});
        doc()->addTask(TaskTypeInfo::newTask(TaskType::Shell, QStringLiteral("b")), {0, 120});
        m_win->undoStack()->clear();
    }
    void cleanup()
    {
        m_win->undoStack()->setClean();
        m_win.reset();
    }

    void showsFlowWhenNothingSelected()
    {
        m_win->scene()->selectTasks({});
        QCOMPARE(m_win->inspector()->currentWidget()->objectName(), QStringLiteral("flowInspector"));
        m_win->scene()->selectTasks({QStringLiteral("a")});
        QCOMPARE(m_win->inspector()->currentWidget()->objectName(), QStringLiteral("taskInspector"));
    }

    void typingACommandIsOneUndoStep()
    {
        m_win->scene()->selectTasks({QStringLiteral("a")});
        auto *command = ti()->findChild<QPlainTextEdit *>(QStringLiteral("command"));
        QVERIFY(command && command->isVisible());
        QVERIFY(command->font().fixedPitch());
        command->setFocus();
        command->selectAll();
        QTest::keyClicks(command, QStringLiteral("./run.sh {{date}}"));
        QCOMPARE(doc()->task(QStringLiteral("a"))->command, QStringLiteral("./run.sh {{date}}"));
        QCOMPARE(m_win->undoStack()->count(), 1);
        m_win->undoStack()->undo();
        QCOMPARE(doc()->task(QStringLiteral("a"))->command, QStringLiteral("echo a"));
        QCOMPARE(command->toPlainText(), QStringLiteral("echo a"));
    }

    void separateEditingSessionsAreSeparateSteps()
    {
        m_win->scene()->selectTasks({QStringLiteral("a")});
        auto *command = ti()->findChild<QPlainTextEdit *>(QStringLiteral("command"));
        command->setFocus();
        command->moveCursor(QTextCursor::End);
        QTest::keyClicks(command, QStringLiteral(" one"));
        ti()->findChild<QLineEdit *>(QStringLiteral("description"))->setFocus();
        command->setFocus();
        command->moveCursor(QTextCursor::End);
        QTest::keyClicks(command, QStringLiteral(" two"));
        QCOMPARE(m_win->undoStack()->count(), 2);
        m_win->undoStack()->undo();
        QCOMPARE(doc()->task(QStringLiteral("a"))->command, QStringLiteral("echo a one"));
    }

    void retriesApplyToAllSelected()
    {
        m_win->scene()->selectTasks({QStringLiteral("a"), QStringLiteral("b")});
        auto *retries = ti()->findChild<QSpinBox *>(QStringLiteral("retries"));
        QVERIFY(retries);
        retries->setFocus();
        QTest::keyClick(retries, Qt::Key_Up); // default -> 0
        QTest::keyClick(retries, Qt::Key_Up); // 1
        QTest::keyClick(retries, Qt::Key_Up); // 2
        QCOMPARE(doc()->task(QStringLiteral("a"))->retry.retries, std::optional<int>(2));
        QCOMPARE(doc()->task(QStringLiteral("b"))->retry.retries, std::optional<int>(2));
    }

    void invalidDurationIsMarkedNotApplied()
    {
        m_win->scene()->selectTasks({QStringLiteral("a")});
        auto *timeout = ti()->findChild<DurationEdit *>(QStringLiteral("timeout"));
        QVERIFY(timeout);
        timeout->setFocus();
        QTest::keyClicks(timeout, QStringLiteral("ten minutes"));
        QTest::keyClick(timeout, Qt::Key_Return);
        QVERIFY(!timeout->isValid());
        QVERIFY(timeout->property("pwInvalid").toBool());
        QVERIFY(!doc()->task(QStringLiteral("a"))->retry.timeoutMs.has_value());
        timeout->selectAll();
        QTest::keyClicks(timeout, QStringLiteral("10m"));
        QTest::keyClick(timeout, Qt::Key_Return);
        QVERIFY(timeout->isValid());
        QVERIFY(!timeout->property("pwInvalid").toBool());
        QCOMPARE(doc()->task(QStringLiteral("a"))->retry.timeoutMs, std::optional<qint64>(600'000));
    }

    void renameViaIdField()
    {
        m_win->scene()->selectTasks({QStringLiteral("a")});
        auto *id = ti()->findChild<QLineEdit *>(QStringLiteral("taskId"));
        QVERIFY(id);
        id->setFocus();
        id->selectAll();
        QTest::keyClicks(id, QStringLiteral("b"));
        QVERIFY(id->property("pwInvalid").toBool()); // taken
        QTest::keyClicks(id, QStringLiteral("_new"));
        QVERIFY(!id->property("pwInvalid").toBool());
        QTest::keyClick(id, Qt::Key_Return);
        QVERIFY(doc()->hasTask(QStringLiteral("b_new")));
        QVERIFY(!doc()->hasTask(QStringLiteral("a")));
    }

    void addParameterAndPool()
    {
        m_win->scene()->selectTasks({});
        auto *params = m_win->inspector()->findChild<QTableWidget *>(QStringLiteral("params"));
        QVERIFY(params);
        const int before = int(doc()->flow().params.size());
        QPushButton *add = nullptr;
        for (QPushButton *b : m_win->inspector()->findChildren<QPushButton *>())
            if (b->text() == QLatin1String("Add parameter"))
                add = b;
        QVERIFY(add);
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(doc()->flow().params.size(), before + 1);
        QCOMPARE(params->rowCount(), before + 1);
        // Edit the new parameter's default in the table.
        params->item(before, 2)->setText(QStringLiteral("42"));
        QCOMPARE(doc()->flow().params.last().defaultValue, std::optional<QString>(QStringLiteral("42")));
        m_win->undoStack()->undo();
        m_win->undoStack()->undo();
        QCOMPARE(doc()->flow().params.size(), before);
        QCOMPARE(params->rowCount(), before);
    }

    void flowTitle()
    {
        m_win->scene()->selectTasks({});
        auto *title = m_win->inspector()->findChild<QLineEdit *>(QStringLiteral("title"));
        QVERIFY(title);
        const QString before = doc()->flow().title;
        title->setFocus();
        title->selectAll();
        QTest::keyClicks(title, QStringLiteral("Daily sales"));
        QTest::keyClick(title, Qt::Key_Return);
        QCOMPARE(doc()->flow().title, QStringLiteral("Daily sales"));
        m_win->undoStack()->undo();
        QCOMPARE(doc()->flow().title, before);
    }
};

QTEST_MAIN(TestInspector)
#include "tst_inspector.moc"
