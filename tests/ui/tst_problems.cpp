// Live validation: an invalid task gets an error badge (tooltip = message), the Problems dock
// lists every problem, and double-clicking a problem selects its task.

#include "app/mainwindow.h"
#include "editor/edgeitem.h"
#include "editor/flowdocument.h"
#include "editor/flowscene.h"
#include "editor/flowview.h"
#include "editor/nodeitem.h"
#include "editor/problemswidget.h"
#include "editor/tasktypeinfo.h"
#include "format/flowloader.h"

#include <QDockWidget>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
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

    // A cycle a -> b -> c -> a (issue 17 item 2): every task on it has the badge, its edges are
    // drawn in the error colour, and the edge that closes it runs under the nodes, not hidden
    // behind them on their line.
    // An empty Problems list says so in one line without a header; the first problem brings the
    // Problems tab to the front, whichever bottom tab was there (issue 17 item 10).
    void firstProblemRaisesTheDock()
    {
        MainWindow win;
        win.resize(1440, 900);
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        FlowDocument *doc = win.document();
        auto *dock = win.findChild<QDockWidget *>(QStringLiteral("problemsDock"));
        auto *undo = win.findChild<QDockWidget *>(QStringLiteral("undoDock"));
        QVERIFY(dock && undo);
        ProblemsWidget *problems = win.problems();
        TaskSpec task = TaskTypeInfo::newTask(TaskType::Shell, QStringLiteral("extract"));
        task.command = QStringLiteral("echo hello");
        doc->addTask(task, {0, 0});
        doc->validateNow();
        QCOMPARE(problems->count(), 0);
        QVERIFY(problems->isHeaderHidden());
        QVERIFY(problems->minimumSizeHint().height() < 40);

        undo->raise();
        QTRY_VERIFY(dock->visibleRegion().isEmpty());
        task.command = QStringLiteral("echo {{nosuch}}");
        doc->setTask(QStringLiteral("extract"), task);
        doc->validateNow();
        QCOMPARE(problems->count(), 1);
        QVERIFY(!problems->isHeaderHidden());
        QTRY_VERIFY(!dock->visibleRegion().isEmpty());
    }

    // An empty Problems tab in front folds the bottom docks to their tabs and one line, so the
    // canvas gets the room; another tab in front, or a problem, unfolds them to the height they
    // had, the operator's once dragged (issue 17 item 10).
    void emptyProblemsFoldTheBottomDocks()
    {
        MainWindow win;
        win.resize(1440, 900);
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        auto *problemsDock = win.findChild<QDockWidget *>(QStringLiteral("problemsDock"));
        auto *runsDock = win.findChild<QDockWidget *>(QStringLiteral("runsDock"));
        auto *chartsDock = win.findChild<QDockWidget *>(QStringLiteral("chartsDock"));
        QVERIFY(problemsDock && runsDock && chartsDock);
        FlowView *canvas = win.activeView();
        const int folded = 70; // the title bar and "No problems"
        QTRY_VERIFY2(
            problemsDock->height() <= folded, qPrintable(QString::number(problemsDock->height())));
        QVERIFY(canvas->height() > 600);

        runsDock->raise();
        QTRY_VERIFY2(runsDock->height() >= 200, qPrintable(QString::number(runsDock->height())));
        QVERIFY(canvas->height() < 600);
        win.resizeDocks({runsDock}, {300}, Qt::Vertical); // as the operator drags it
        QTRY_VERIFY(runsDock->height() > 250);            // 300 with the tab bar
        const int dragged = runsDock->height();
        problemsDock->raise();
        QTRY_VERIFY(problemsDock->height() <= folded);
        chartsDock->raise(); // the charts scroll below their legible height
        QTRY_COMPARE(chartsDock->height(), dragged);

        problemsDock->raise();
        QTRY_VERIFY(problemsDock->height() <= folded);
        TaskSpec task = TaskTypeInfo::newTask(TaskType::Shell, QStringLiteral("extract"));
        task.command = QStringLiteral("echo {{nosuch}}");
        win.document()->addTask(task, {0, 0});
        win.document()->validateNow();
        QCOMPARE(win.problems()->count(), 1);
        QTRY_COMPARE(problemsDock->height(), dragged);
        task.command = QStringLiteral("echo fixed"); // fixed: folds again
        win.document()->setTask(task.id, task);
        win.document()->validateNow();
        QTRY_VERIFY(problemsDock->height() <= folded);
        win.undoStack()->setClean();
    }

    void cycleIsVisible()
    {
        MainWindow win;
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        auto loaded = FlowLoader::loadDataForEditing(
            "pipewright: 1\nflow: loop\ntasks:\n"
            "  a: {type: noop, after: [c]}\n"
            "  b: {type: noop, after: [a]}\n"
            "  c: {type: noop, after: [b]}\n"
            "  d: {type: noop, after: [c]}\n"
            "layout: {a: [0, 0], b: [240, 0], c: [480, 0], d: [720, 0]}\n");
        QVERIFY(loaded.has_value());
        FlowDocument *doc = win.document();
        QSignalSpy validated(doc, &FlowDocument::problemsChanged);
        doc->setFlow(loaded->flow);
        doc->validateNow();
        for (const char *id : {"a", "b", "c"})
            QVERIFY2(win.scene()->node(QLatin1String(id))->hasProblems(), id);
        QVERIFY(!win.scene()->node(QStringLiteral("d"))->hasProblems());
        for (auto [from, to] : {std::pair{"a", "b"}, {"b", "c"}, {"c", "a"}})
            QVERIFY2(win.scene()->edge(QLatin1String(from), QLatin1String(to))->isInvalid(), from);
        QVERIFY(!win.scene()->edge(QStringLiteral("c"), QStringLiteral("d"))->isInvalid());
        EdgeItem *back = win.scene()->edge(QStringLiteral("c"), QStringLiteral("a"));
        const QRectF nodes
            = win.scene()
                  ->node(QStringLiteral("a"))
                  ->sceneBoundingRect()
                  .united(win.scene()->node(QStringLiteral("c"))->sceneBoundingRect());
        QVERIFY(back->sceneBoundingRect().bottom() > nodes.bottom() + 10);
        if (qEnvironmentVariableIsSet("PW_TEST_SHOTS"))
            win.grab().save(qEnvironmentVariable("PW_TEST_SHOTS") + QStringLiteral("/cycle.png"));
        // Broken: marks go.
        TaskSpec a = *doc->task(QStringLiteral("a"));
        a.after.clear();
        doc->setTask(a.id, a);
        doc->validateNow();
        QVERIFY(!win.scene()->node(QStringLiteral("b"))->hasProblems());
        QVERIFY(!win.scene()->edge(QStringLiteral("a"), QStringLiteral("b"))->isInvalid());
        win.undoStack()->setClean();
    }

    // The idempotency lint: a warning badge on the node (not an error), a warning row in the
    // Problems dock after the errors, "valid · 1 warning" in the status bar; it does not count
    // as a problem, so the flow still runs.
    void lintWarningsAreShownButDoNotBlock()
    {
        MainWindow win;
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        FlowDocument *doc = win.document();
        QSignalSpy validated(doc, &FlowDocument::problemsChanged);
        TaskSpec append = TaskTypeInfo::newTask(TaskType::Shell, QStringLiteral("append"));
        append.command = QStringLiteral("date >> totals.txt");
        doc->addTask(append, {0, 0});
        TaskSpec bad = TaskTypeInfo::newTask(TaskType::Shell, QStringLiteral("bad"));
        bad.command = QStringLiteral("echo {{nosuch}}");
        doc->addTask(bad, {0, 200});
        QVERIFY(validated.wait(2000));

        NodeItem *node = win.scene()->node(QStringLiteral("append"));
        QVERIFY(node->hasWarnings());
        QVERIFY(!node->hasProblems());
        QVERIFY2(
            node->toolTip().contains(QLatin1String("totals.txt")), qPrintable(node->toolTip()));
        QCOMPARE(doc->problems().size(), 1);
        QCOMPARE(doc->warnings().size(), 1);
        QCOMPARE(doc->warningsOf(QStringLiteral("append")).size(), 1);

        ProblemsWidget *problems = win.problems();
        QCOMPARE(problems->topLevelItemCount(), 2);
        QCOMPARE(problems->topLevelItem(0)->text(1), QStringLiteral("bad")); // errors first
        QCOMPARE(problems->topLevelItem(0)->data(0, Qt::UserRole).toBool(), false);
        QTreeWidgetItem *warning = problems->topLevelItem(1);
        QCOMPARE(warning->text(1), QStringLiteral("append"));
        QCOMPARE(warning->data(0, Qt::UserRole).toBool(), true);
        QVERIFY(warning->text(0).contains(QLatin1String(">>")));

        // Fixed error: the flow is valid, the warning stays and says so in the status bar.
        TaskSpec fixed = *doc->task(QStringLiteral("bad"));
        fixed.command = QStringLiteral("echo ok");
        doc->setTask(fixed.id, fixed);
        QVERIFY(validated.wait(2000));
        QVERIFY(doc->problems().isEmpty());
        QCOMPARE(problems->topLevelItemCount(), 1);
        const auto labels = win.statusBar()->findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.begin(), labels.end(),
            [](QLabel *l) { return l->text().contains(QLatin1String("1 warning")); }));
        // A parameter in the file name silences it.
        Flow settings = doc->settings();
        ParamSpec date;
        date.name = QStringLiteral("date");
        date.type = ParamType::Date;
        settings.params << date;
        doc->setSettings(settings);
        TaskSpec perDay = *doc->task(QStringLiteral("append"));
        perDay.command = QStringLiteral("date >> totals_{{date}}.txt");
        doc->setTask(perDay.id, perDay);
        QVERIFY(validated.wait(2000));
        QVERIFY(!node->hasWarnings());
        QCOMPARE(problems->topLevelItemCount(), 0);
        win.undoStack()->setClean();
    }
};

QTEST_MAIN(TestProblems)
#include "tst_problems.moc"
