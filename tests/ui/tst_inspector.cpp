// The inspector edits the selected task(s) and the flow through undo commands, with the
// right widget per field, and marks invalid values inline: what the operator types, and the
// document's validation problems on exactly the field their Error::field names.

#include "app/mainwindow.h"
#include "editor/durationedit.h"
#include "editor/flowdocument.h"
#include "editor/flowinspector.h"
#include "editor/flowscene.h"
#include "editor/inspectorwidget.h"
#include "editor/taskinspector.h"
#include "editor/tasktypeinfo.h"
#include "modaldialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace pw;

using TaskChange = std::function<void(TaskSpec &)>;
using FlowChange = std::function<void(Flow &)>;
Q_DECLARE_METATYPE(TaskChange)
Q_DECLARE_METATYPE(FlowChange)

namespace {
// The names of the widgets under `page` that show a validation problem.
QStringList markedFields(const QWidget *page)
{
    QStringList names;
    for (const QWidget *w : page->findChildren<QWidget *>()) {
        if (!w->property("pwProblem").toString().isEmpty())
            names << w->objectName();
    }
    names.sort();
    return names;
}
} // namespace

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
        QCOMPARE(
            m_win->inspector()->currentWidget()->objectName(), QStringLiteral("flowInspector"));
        m_win->scene()->selectTasks({QStringLiteral("a")});
        QCOMPARE(
            m_win->inspector()->currentWidget()->objectName(), QStringLiteral("taskInspector"));
    }

    void typingACommandIsOneUndoStep()
    {
        m_win->scene()->selectTasks({QStringLiteral("a")});
        auto *command = ti()->findChild<QPlainTextEdit *>(QStringLiteral("command"));
        QVERIFY(command && command->isVisible());
        QVERIFY(command->font().fixedPitch());
        // Its help explains the quoting of values where the user types (issue 17 item 8).
        QVERIFY(command->toolTip().contains(QStringLiteral("shell-quoted")));
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

    // Retry safety: `idempotent` is a check box, `check` a line; both one undo step each and
    // written back; `stable_for` of a sensor is a duration.
    void retrySafetyFields()
    {
        m_win->scene()->selectTasks({QStringLiteral("a")});
        auto *idempotent = ti()->findChild<QCheckBox *>(QStringLiteral("idempotent"));
        auto *check = ti()->findChild<QLineEdit *>(QStringLiteral("check"));
        QVERIFY(idempotent && idempotent->isVisible() && idempotent->isChecked());
        QVERIFY(check && check->isVisible());
        idempotent->click();
        QCOMPARE(doc()->task(QStringLiteral("a"))->idempotent, false);
        check->setFocus();
        QTest::keyClicks(check, QStringLiteral("no rows for {{date}} in sales"));
        QTest::keyClick(check, Qt::Key_Return);
        QCOMPARE(doc()->task(QStringLiteral("a"))->check,
            QStringLiteral("no rows for {{date}} in sales"));
        QCOMPARE(m_win->undoStack()->count(), 2);
        m_win->undoStack()->undo();
        QVERIFY(doc()->task(QStringLiteral("a"))->check.isEmpty());
        m_win->undoStack()->undo();
        QCOMPARE(doc()->task(QStringLiteral("a"))->idempotent, true);
        QVERIFY(idempotent->isChecked());

        TaskSpec w = *doc()->task(QStringLiteral("b"));
        w.type = TaskType::WaitFile;
        w.waitFile.path = QStringLiteral("in/{{date}}.csv");
        doc()->setTask(w.id, w);
        m_win->scene()->selectTasks({QStringLiteral("b")});
        auto *stable = ti()->findChild<DurationEdit *>(QStringLiteral("wait_file.stable_for"));
        QVERIFY(stable && stable->isVisible());
        stable->setFocus();
        QTest::keyClicks(stable, QStringLiteral("2m"));
        QTest::keyClick(stable, Qt::Key_Return);
        QCOMPARE(
            doc()->task(QStringLiteral("b"))->waitFile.stableForMs, std::optional<qint64>(120000));
    }

    // Several tasks with different values (issue 17 item 3): a differing field shows "mixed"
    // (empty; a partly checked box), an agreeing one its value; only groups every task has are
    // shown; an edit sets the field for all; changing the type of many asks first.
    void mixedValuesShowAsMixed()
    {
        TaskSpec b = *doc()->task(QStringLiteral("b"));
        b.idempotent = false;
        b.description = QStringLiteral("same");
        doc()->setTask(b.id, b);
        TaskSpec a = *doc()->task(QStringLiteral("a"));
        a.description = QStringLiteral("same");
        doc()->setTask(a.id, a);
        m_win->scene()->selectTasks({QStringLiteral("a"), QStringLiteral("b")});
        auto *command = ti()->findChild<QPlainTextEdit *>(QStringLiteral("command"));
        QVERIFY(command->toPlainText().isEmpty());
        QCOMPARE(command->placeholderText(), QStringLiteral("mixed"));
        auto *description = ti()->findChild<QLineEdit *>(QStringLiteral("description"));
        QCOMPARE(description->text(), QStringLiteral("same"));
        auto *idempotent = ti()->findChild<QCheckBox *>(QStringLiteral("idempotent"));
        QCOMPARE(idempotent->checkState(), Qt::PartiallyChecked);
        QVERIFY(ti()->findChild<QGroupBox *>(QStringLiteral("shellGroup"))->isVisible());

        // A click sets it for both; the field agrees again.
        idempotent->click();
        QVERIFY(doc()->task(QStringLiteral("a"))->idempotent);
        QVERIFY(doc()->task(QStringLiteral("b"))->idempotent);
        QCOMPARE(idempotent->checkState(), Qt::Checked);
        QVERIFY(!idempotent->isTristate());

        // A sql task among them: the shell settings are not every task's, so they hide.
        TaskSpec c = TaskTypeInfo::newTask(TaskType::Sql, QStringLiteral("c"));
        doc()->addTask(c, {0, 240});
        m_win->scene()->selectTasks({QStringLiteral("a"), QStringLiteral("c")});
        QVERIFY(!ti()->findChild<QGroupBox *>(QStringLiteral("shellGroup"))->isVisible());
        QVERIFY(!ti()->findChild<QGroupBox *>(QStringLiteral("sqlGroup"))->isVisible());
        auto *type = ti()->findChild<QComboBox *>(QStringLiteral("type"));
        QCOMPARE(type->currentIndex(), -1);
        QCOMPARE(type->placeholderText(), QStringLiteral("mixed"));

        // Changing the type of both asks; No keeps them, Yes changes both in one undo step.
        const int noop = type->findData(int(TaskType::Noop));
        bool asked = false;
        pw::test::pressButton(QMessageBox::No, &asked);
        type->setCurrentIndex(noop);
        Q_EMIT type->activated(noop);
        QTRY_VERIFY(asked);
        QCOMPARE(int(doc()->task(QStringLiteral("a"))->type), int(TaskType::Shell));
        QCOMPARE(type->currentIndex(), -1);
        asked = false;
        const int steps = m_win->undoStack()->count();
        pw::test::pressButton(QMessageBox::Yes, &asked);
        type->setCurrentIndex(noop);
        Q_EMIT type->activated(noop);
        QTRY_VERIFY(asked);
        QCOMPARE(int(doc()->task(QStringLiteral("a"))->type), int(TaskType::Noop));
        QCOMPARE(int(doc()->task(QStringLiteral("c"))->type), int(TaskType::Noop));
        QCOMPARE(m_win->undoStack()->count(), steps + 1);
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
        // The new name is being edited at once (issue 17 item 12); the table keeps name, type
        // and default, choices and description are edited below it for the selected row.
        QCOMPARE(params->currentRow(), before);
        auto *nameEditor = params->viewport()->findChild<QLineEdit *>();
        QVERIFY(nameEditor && nameEditor->isVisible());
        QCOMPARE(nameEditor->text(), doc()->flow().params.last().name);
        QVERIFY(params->isColumnHidden(3) && params->isColumnHidden(4));
        auto *description
            = m_win->inspector()->findChild<QLineEdit *>(QStringLiteral("paramDescription"));
        QVERIFY(description && description->isEnabled());
        description->setText(QStringLiteral("how many"));
        Q_EMIT description->editingFinished();
        QCOMPARE(doc()->flow().params.last().description, QStringLiteral("how many"));
        m_win->undoStack()->undo();
        // Edit the new parameter's default in the table.
        params->item(before, 2)->setText(QStringLiteral("42"));
        QCOMPARE(
            doc()->flow().params.last().defaultValue, std::optional<QString>(QStringLiteral("42")));
        m_win->undoStack()->undo();
        m_win->undoStack()->undo();
        QCOMPARE(doc()->flow().params.size(), before);
        QCOMPARE(params->rowCount(), before);
    }

    // A task problem marks the one field its path names, even when its message mentions the
    // names of other fields (what the old word search in messages marked too).
    void problemMarksItsField_data()
    {
        QTest::addColumn<TaskChange>("change"); // to shell task "a"
        QTest::addColumn<QString>("field");     // object name of the marked widget
        QTest::addColumn<QStringList>("words"); // in the message: names of other fields
        QTest::newRow("workdir naming {{sql}}")
            << TaskChange([](TaskSpec &t) { t.workdir = QStringLiteral("out/{{sql}}"); })
            << "workdir" << QStringList{"sql", "{{"};
        QTest::newRow("env PATH naming {{pool}}") << TaskChange([](TaskSpec &t) {
            t.env.insert(QStringLiteral("PATH"), QStringLiteral("{{pool}}"));
        }) << "env" << QStringList{"PATH", "pool"};
        QTest::newRow("command naming {{connection}}")
            << TaskChange([](TaskSpec &t) { t.command = QStringLiteral("echo {{connection}}"); })
            << "command" << QStringList{"connection"};
        QTest::newRow("invalid pool name")
            << TaskChange([](TaskSpec &t) { t.pool = QStringLiteral("a b"); }) << "pool"
            << QStringList{};
        QTest::newRow("zero timeout (in the retry settings)")
            << TaskChange([](TaskSpec &t) { t.retry.timeoutMs = 0; }) << "timeout" << QStringList{};
        QTest::newRow("partition without column") << TaskChange([](TaskSpec &t) {
            t.type = TaskType::Sql;
            t.sql = QStringLiteral("select 1");
            t.connection = QStringLiteral("dw");
            t.partition = {QStringLiteral("sales"), QString(), QStringLiteral("{{run_id}}")};
        }) << "partition.column" << QStringList{"table", "value"};
        QTest::newRow("upstream listed twice") << TaskChange([](TaskSpec &t) {
            t.after = {QStringLiteral("b"), QStringLiteral("b")};
        }) << "after" << QStringList{"'b'"};
        QTest::newRow("negative stable_for") << TaskChange([](TaskSpec &t) {
            t.type = TaskType::WaitFile;
            t.waitFile.path = QStringLiteral("in/x.csv");
            t.waitFile.stableForMs = -1000;
        }) << "wait_file.stable_for" << QStringList{};
        QTest::newRow("retries on a task that must not repeat") << TaskChange([](TaskSpec &t) {
            t.idempotent = false;
            t.retry.retries = 2;
        }) << "retries" << QStringList{"idempotent"};
        QTest::newRow("slurm cpus") << TaskChange([](TaskSpec &t) {
            t.executor = Executor::Slurm;
            t.slurm.cpus = 0;
        }) << "slurm.cpus" << QStringList{"slurm"};
    }
    void problemMarksItsField()
    {
        QFETCH(TaskChange, change);
        QFETCH(QString, field);
        QFETCH(QStringList, words);
        m_win->scene()->selectTasks({QStringLiteral("a")});
        QVERIFY(markedFields(ti()).isEmpty());
        const TaskSpec before = *doc()->task(QStringLiteral("a"));
        TaskSpec t = before;
        change(t);
        QSignalSpy validated(doc(), &FlowDocument::problemsChanged);
        doc()->setTask(t.id, t);
        QVERIFY(validated.wait(2000));
        QCOMPARE(markedFields(ti()), QStringList{field});
        auto *marked = ti()->findChild<QWidget *>(field);
        QVERIFY(marked->property("pwInvalid").toBool());
        const QString message = marked->toolTip();
        QCOMPARE(doc()->problemsOf(QStringLiteral("a")).join(QLatin1Char('\n')), message);
        for (const QString &word : words)
            QVERIFY2(message.contains(word), qPrintable(message));
        // Fixed: the mark goes.
        doc()->setTask(t.id, before);
        QVERIFY(validated.wait(2000));
        QVERIFY(markedFields(ti()).isEmpty());
        QVERIFY(!marked->property("pwInvalid").toBool());
    }

    void flowProblemMarksItsField_data()
    {
        QTest::addColumn<FlowChange>("change");
        QTest::addColumn<QString>("field");
        QTest::newRow("time zone (the message starts with schedule:)") << FlowChange([](Flow &f) {
            f.schedule.cron = QStringLiteral("0 3 * * *");
            f.schedule.timezone = QStringLiteral("Mars/Olympus");
        }) << "schedule.timezone";
        QTest::newRow("webhook") << FlowChange([](Flow &f) {
            f.notify.on = {QStringLiteral("failure")};
            f.notify.webhook = QStringLiteral("ftp://example.invalid");
        }) << "notify.webhook";
        QTest::newRow("sla time") << FlowChange([](Flow &f) {
            f.sla.time = QStringLiteral("25:00");
        }) << "sla.time";
        QTest::newRow("defaults retries")
            << FlowChange([](Flow &f) { f.defaults.retries = -1; }) << "retries";
        QTest::newRow("invalid flow id")
            << FlowChange([](Flow &f) { f.id = QStringLiteral("-x"); }) << "flowId";
    }
    void flowProblemMarksItsField()
    {
        QFETCH(FlowChange, change);
        QFETCH(QString, field);
        m_win->scene()->selectTasks({});
        QWidget *page = m_win->inspector()->flowInspector();
        Flow f = doc()->settings();
        change(f);
        QSignalSpy validated(doc(), &FlowDocument::problemsChanged);
        doc()->setSettings(f);
        QVERIFY(validated.wait(2000));
        QCOMPARE(markedFields(page), QStringList{field});
        QVERIFY(page->findChild<QWidget *>(field)->property("pwInvalid").toBool());
    }

    // Table rows: a parameter's problem marks its cell, a pool's its row.
    void tableProblemsMarkTheirCells()
    {
        m_win->scene()->selectTasks({});
        Flow f = doc()->settings();
        ParamSpec day;
        day.name = QStringLiteral("day");
        day.type = ParamType::Date;
        day.defaultValue = QStringLiteral("soon");
        f.params = {day};
        f.limits.pools
            = {{QStringLiteral("a"), 0}, {QStringLiteral("big"), 4}}; // "a" is a task too
        QSignalSpy validated(doc(), &FlowDocument::problemsChanged);
        doc()->setSettings(f);
        QVERIFY(validated.wait(2000));
        auto *params = m_win->inspector()->findChild<QTableWidget *>(QStringLiteral("params"));
        QVERIFY(params->item(0, 2)->toolTip().contains(QLatin1String("invalid default")));
        QVERIFY(params->item(0, 0)->toolTip().isEmpty());
        auto *pools = m_win->inspector()->findChild<QTableWidget *>(QStringLiteral("pools"));
        QVERIFY(pools->item(0, 1)->toolTip().contains(QLatin1String("at least 1 slot")));
        QVERIFY(pools->item(1, 1)->toolTip().isEmpty());
        QVERIFY(doc()->problemsOf(QStringLiteral("a")).isEmpty());
        // Undo of a cell marking is nothing: marks are not edits.
        QCOMPARE(m_win->undoStack()->count(), 0);
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
