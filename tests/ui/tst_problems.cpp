// Live validation: an invalid task gets an error badge (tooltip = message), the Problems dock
// lists every problem, and double-clicking a problem selects its task.

#include "app/mainwindow.h"
#include "editor/flowdocument.h"
#include "editor/flowscene.h"
#include "editor/nodeitem.h"
#include "editor/problemswidget.h"
#include "editor/tasktypeinfo.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace pw;

class TestProblems : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_tmp.path());
        QCoreApplication::setOrganizationName(QStringLiteral("PipewrightTest"));
    }

    void badgeListAndSelect_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("expect"); // in the message
        QTest::newRow("unknown template name") << "echo {{nosuch}}"
                                               << "nosuch";
        QTest::newRow("unterminated template") << "echo {{date"
                                               << "{{";
    }
    void badgeListAndSelect()
    {
        QFETCH(QString, command);
        QFETCH(QString, expect);
        MainWindow win;
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        FlowDocument *doc = win.document();
        QSignalSpy validated(doc, &FlowDocument::problemsChanged);
        doc->addTask(TaskTypeInfo::newTask(TaskType::Shell, QStringLiteral("good")), {0, 0});
        TaskSpec bad = TaskTypeInfo::newTask(TaskType::Shell, QStringLiteral("bad"));
        bad.command = command;
        doc->addTask(bad, {0, 200});
        QVERIFY(validated.wait(2000));

        NodeItem *badNode = win.scene()->node(QStringLiteral("bad"));
        QVERIFY(badNode->hasProblems());
        QVERIFY2(badNode->toolTip().contains(expect), qPrintable(badNode->toolTip()));
        QVERIFY(!win.scene()->node(QStringLiteral("good"))->hasProblems());

        ProblemsWidget *problems = win.problems();
        QVERIFY(problems->topLevelItemCount() >= 1);
        QTreeWidgetItem *row = problems->topLevelItem(0);
        QCOMPARE(row->text(1), QStringLiteral("bad"));
        QVERIFY(row->text(0).contains(expect));

        problems->scrollToItem(row);
        const QPoint p = problems->visualItemRect(row).center();
        QTest::mouseClick(problems->viewport(), Qt::LeftButton, {}, p);
        QTest::mouseDClick(problems->viewport(), Qt::LeftButton, {}, p);
        QCOMPARE(win.scene()->selectedTaskIds(), QStringList{QStringLiteral("bad")});

        // Fixing the command clears the badge and the list.
        TaskSpec fixed = *doc->task(QStringLiteral("bad"));
        fixed.command = QStringLiteral("echo ok");
        doc->setTask(fixed.id, fixed);
        QVERIFY(validated.wait(2000));
        QVERIFY(!badNode->hasProblems());
        QCOMPARE(problems->topLevelItemCount(), 0);
        win.undoStack()->setClean();
    }
};

QTEST_MAIN(TestProblems)
#include "tst_problems.moc"
