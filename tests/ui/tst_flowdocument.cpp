// FlowDocument and the undo commands: the document announces every change, refuses cycles and
// duplicates, and undo/redo of every kind of edit restores the exact previous flow.

#include "editor/addtaskscommand.h"
#include "editor/connectcommand.h"
#include "editor/disconnectcommand.h"
#include "editor/flowdocument.h"
#include "editor/movetaskscommand.h"
#include "editor/removetaskscommand.h"
#include "editor/renametaskcommand.h"
#include "editor/setflowsettingscommand.h"
#include "editor/settaskcommand.h"
#include "editor/tasktypeinfo.h"

#include "format/flowloader.h"
#include "format/flowwriter.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QUndoStack>

using namespace pw;

using FlowChange = std::function<void(Flow &)>;
Q_DECLARE_METATYPE(FlowChange)

class TestFlowDocument : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void signals_()
    {
        FlowDocument doc;
        QSignalSpy added(&doc, &FlowDocument::taskAdded);
        QSignalSpy edges(&doc, &FlowDocument::edgeAdded);
        QSignalSpy removedEdges(&doc, &FlowDocument::edgeRemoved);
        QSignalSpy renamed(&doc, &FlowDocument::taskRenamed);
        QVERIFY(doc.addTask(TaskTypeInfo::newTask(TaskType::Shell, QStringLiteral("a")), {0, 0}));
        QVERIFY(doc.addTask(TaskTypeInfo::newTask(TaskType::Noop, QStringLiteral("b")), {200, 0}));
        QVERIFY(!doc.addTask(TaskTypeInfo::newTask(TaskType::Noop, QStringLiteral("b")), {}));
        QCOMPARE(added.size(), 2);
        QVERIFY(doc.connectTasks(QStringLiteral("a"), QStringLiteral("b")));
        QCOMPARE(edges.size(), 1);
        QVERIFY(doc.renameTask(QStringLiteral("a"), QStringLiteral("extract")));
        QCOMPARE(renamed.size(), 1);
        QCOMPARE(doc.task(QStringLiteral("b"))->after, QStringList{QStringLiteral("extract")});
        QCOMPARE(doc.taskPos(QStringLiteral("extract")), QPointF(0, 0));
        QVERIFY(doc.removeTask(QStringLiteral("extract")));
        QCOMPARE(removedEdges.size(), 1);
        QVERIFY(doc.task(QStringLiteral("b"))->after.isEmpty());
    }

    void connectionProblems_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("expect"); // substring of the reason, empty = allowed
        QTest::newRow("new edge") << "a"
                                  << "c"
                                  << "";
        QTest::newRow("self") << "b"
                              << "b"
                              << "itself";
        QTest::newRow("duplicate") << "a"
                                   << "b"
                                   << "already";
        QTest::newRow("cycle") << "c"
                               << "a"
                               << "cycle";
        QTest::newRow("long cycle") << "c"
                                    << "b"
                                    << "cycle";
        QTest::newRow("unknown") << "a"
                                 << "zzz"
                                 << "Unknown";
    }
    void connectionProblems()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, expect);
        FlowDocument doc;
        for (const char *id : {"a", "b", "c"})
            doc.addTask(TaskTypeInfo::newTask(TaskType::Noop, QLatin1String(id)), {});
        doc.connectTasks(QStringLiteral("a"), QStringLiteral("b"));
        doc.connectTasks(QStringLiteral("b"), QStringLiteral("c"));
        const QString problem = doc.connectionProblem(from, to);
        if (expect.isEmpty())
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        else
            QVERIFY2(problem.contains(expect, Qt::CaseInsensitive), qPrintable(problem));
    }

    // Every kind of command, applied one after another to the example flow: undoing walks back
    // through exactly the same states, redoing walks forward again.
    void undoRedoExactState()
    {
        Result<Flow, Errors> loaded = FlowLoader::loadFile(
            QStringLiteral(PW_SOURCE_DIR "/resources/examples/hello.flow.yaml"));
        QVERIFY(loaded.has_value());
        FlowDocument doc;
        Flow start = *loaded;
        for (int i = 0; i < start.tasks.size(); ++i)
            start.layout.insert(start.tasks[i].id, QPointF(i * 220, 0));
        doc.setFlow(start);
        QUndoStack undo;
        QList<Flow> states{doc.flow()};
        QList<QByteArray> yaml{FlowWriter::toYaml(doc.flow())};
        auto push = [&](QUndoCommand *c) {
            undo.push(c);
            states << doc.flow();
            yaml << FlowWriter::toYaml(doc.flow());
        };
        TaskSpec extra = TaskTypeInfo::newTask(TaskType::Sql, QStringLiteral("load"));
        extra.after = {QStringLiteral("transform")};
        push(new AddTasksCommand(&doc, {extra}, {QPointF(660, 100)}, QStringLiteral("add")));
        push(new ConnectCommand(&doc, QStringLiteral("check"), QStringLiteral("load")));
        push(new MoveTasksCommand(&doc, {{QStringLiteral("load"), QPointF(660, 100)}},
            {{QStringLiteral("load"), QPointF(680, 140)}}, 1, QStringLiteral("move")));
        TaskSpec before = *doc.task(QStringLiteral("transform"));
        TaskSpec after = before;
        after.retry.retries = 2;
        after.pool = QStringLiteral("warehouse");
        push(new SetTaskCommand(&doc, before, after, QStringLiteral("retries")));
        push(new RenameTaskCommand(&doc, QStringLiteral("transform"), QStringLiteral("clean")));
        push(new DisconnectCommand(&doc, QStringLiteral("extract"), QStringLiteral("check")));
        // Removing a task in the middle: its edges to report and load go too.
        push(new RemoveTasksCommand(&doc, {QStringLiteral("clean")}));
        Flow settingsAfter = doc.settings();
        settingsAfter.title = QStringLiteral("Renamed");
        settingsAfter.limits.pools.insert(QStringLiteral("warehouse"), 2);
        push(new SetFlowSettingsCommand(
            &doc, doc.settings(), settingsAfter, QStringLiteral("title")));
        push(new RemoveTasksCommand(&doc, {QStringLiteral("extract"), QStringLiteral("report")}));

        for (int i = int(states.size()) - 2; i >= 0; --i) {
            undo.undo();
            QVERIFY2(doc.flow() == states[i],
                qPrintable(QStringLiteral("after undo to state %1").arg(i)));
            QCOMPARE(FlowWriter::toYaml(doc.flow()), yaml[i]);
        }
        for (int i = 1; i < states.size(); ++i) {
            undo.redo();
            QVERIFY2(doc.flow() == states[i],
                qPrintable(QStringLiteral("after redo to state %1").arg(i)));
            QCOMPARE(FlowWriter::toYaml(doc.flow()), yaml[i]);
        }
    }

    void moveMergesPerDrag()
    {
        FlowDocument doc;
        doc.addTask(TaskTypeInfo::newTask(TaskType::Noop, QStringLiteral("a")), {0, 0});
        QUndoStack undo;
        for (int step = 1; step <= 5; ++step)
            undo.push(
                new MoveTasksCommand(&doc, {{QStringLiteral("a"), QPointF((step - 1) * 20, 0)}},
                    {{QStringLiteral("a"), QPointF(step * 20, 0)}}, 7, QStringLiteral("move")));
        QCOMPARE(undo.count(), 1);
        undo.push(new MoveTasksCommand(&doc, {{QStringLiteral("a"), QPointF(100, 0)}},
            {{QStringLiteral("a"), QPointF(100, 40)}}, 8, QStringLiteral("move")));
        QCOMPARE(undo.count(), 2);
        undo.undo();
        undo.undo();
        QCOMPARE(doc.taskPos(QStringLiteral("a")), QPointF(0, 0));
    }

    void validationNamesTasks()
    {
        FlowDocument doc;
        QSignalSpy spy(&doc, &FlowDocument::problemsChanged);
        TaskSpec bad = TaskTypeInfo::newTask(TaskType::Shell, QStringLiteral("broken"));
        bad.command = QStringLiteral("echo {{nosuchparam}}");
        doc.addTask(bad, {});
        doc.addTask(TaskTypeInfo::newTask(TaskType::Shell, QStringLiteral("fine")), {});
        QVERIFY(spy.wait(2000));
        QVERIFY(!doc.problems().isEmpty());
        QVERIFY2(!doc.problemsOf(QStringLiteral("broken")).isEmpty(),
            qPrintable(doc.problems().first().toString()));
        QVERIFY(doc.problemsOf(QStringLiteral("fine")).isEmpty());
    }

    // A problem belongs to the task its field path names ({"tasks", ID, ...}), never to a task
    // whose id merely appears quoted in the message.
    void problemsBelongToTheTaskTheirFieldNames_data()
    {
        QTest::addColumn<FlowChange>("mutate"); // tasks a and b, both fine
        QTest::addColumn<QString>("task");      // the owner, or none
        QTest::addColumn<QString>("quoted");    // in the message too
        QTest::newRow("parameter named like a task") << FlowChange([](Flow &f) {
            ParamSpec p;
            p.name = QStringLiteral("a");
            p.type = ParamType::Int;
            p.defaultValue = QStringLiteral("ten");
            f.params << p;
        }) << QString() << "'a'";
        QTest::newRow("pool named like a task")
            << FlowChange([](Flow &f) { f.limits.pools.insert(QStringLiteral("b"), 0); })
            << QString() << "'b'";
        QTest::newRow("after lists another task twice") << FlowChange([](Flow &f) {
            f.tasks[1].after = {QStringLiteral("a"), QStringLiteral("a")};
        }) << "b"
                                                        << "'a'";
    }
    void problemsBelongToTheTaskTheirFieldNames()
    {
        QFETCH(FlowChange, mutate);
        QFETCH(QString, task);
        QFETCH(QString, quoted);
        Flow f;
        f.id = QStringLiteral("f");
        f.tasks = {TaskTypeInfo::newTask(TaskType::Noop, QStringLiteral("a")),
            TaskTypeInfo::newTask(TaskType::Noop, QStringLiteral("b"))};
        mutate(f);
        FlowDocument doc;
        doc.setFlow(f);
        doc.validateNow();
        QCOMPARE(doc.problems().size(), 1);
        const Error &problem = doc.problems().first();
        QVERIFY2(problem.message.contains(quoted), qPrintable(problem.message));
        QCOMPARE(doc.taskOfProblem(problem), task);
        for (const char *id : {"a", "b"})
            QCOMPARE(doc.problemsOf(QLatin1String(id)).size(), task == QLatin1String(id) ? 1 : 0);
    }
};

QTEST_MAIN(TestFlowDocument)
#include "tst_flowdocument.moc"
