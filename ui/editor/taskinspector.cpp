#include "taskinspector.h"

#include "durationedit.h"
#include "fieldmarker.h"
#include "flowdocument.h"
#include "inspectorform.h"
#include "renametaskcommand.h"
#include "settaskcommand.h"
#include "sqlhighlighter.h"
#include "tasktypeinfo.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QUndoStack>

namespace pw {

namespace {
using Form = InspectorForm<TaskSpec>;

// "KEY=value" lines <-> the env map; one path per line <-> outputs.
Form::Binding<QString> envLines()
{
    return {[](const TaskSpec &t) {
                QStringList lines;
                for (auto it = t.env.cbegin(); it != t.env.cend(); ++it)
                    lines << it.key() + QLatin1Char('=') + it.value();
                return lines.join(QLatin1Char('\n'));
            },
        [](TaskSpec &t, const QString &v) {
            t.env.clear();
            for (const QString &line : v.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
                const int eq = int(line.indexOf(QLatin1Char('=')));
                if (eq > 0)
                    t.env.insert(line.left(eq).trimmed(), line.mid(eq + 1));
            }
        }};
}
Form::Binding<QString> outputLines()
{
    return {[](const TaskSpec &t) { return t.outputs.join(QLatin1Char('\n')); },
        [](TaskSpec &t, const QString &v) {
            t.outputs.clear();
            for (const QString &line : v.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
                t.outputs << line.trimmed();
        }};
}
// An optional count shown as 0 = unset.
Form::Binding<int> optionalCount(std::optional<int> SlurmSpec::*member)
{
    return {[member](const TaskSpec &t) { return (t.slurm.*member).value_or(0); },
        [member](TaskSpec &t, const int &v) {
            t.slurm.*member = v > 0 ? std::optional<int>(v) : std::nullopt;
        }};
}
template<typename E>
Form::Binding<int> enumValue(E TaskSpec::*member)
{
    return {[member](const TaskSpec &t) { return int(t.*member); },
        [member](TaskSpec &t, const int &v) { t.*member = E(v); }};
}
} // namespace

TaskInspector::TaskInspector(FlowDocument *doc, QUndoStack *undo, QWidget *parent)
    : QWidget(parent), m_doc(doc), m_undo(undo)
{
    setObjectName(QStringLiteral("taskInspector"));
    m_form = new Form(
        this, undo,
        [this]() -> const TaskSpec * {
            return m_ids.isEmpty() ? nullptr : m_doc->task(m_ids.first());
        },
        [this] {
            QList<TaskSpec> targets;
            for (const QString &id : std::as_const(m_ids)) {
                if (const TaskSpec *t = m_doc->task(id))
                    targets << *t;
            }
            return targets;
        },
        [this](const TaskSpec &before, const TaskSpec &after, const QString &key,
            const QString &merge) { return new SetTaskCommand(m_doc, before, after, key, merge); });
    Form &f = *m_form;

    m_heading = f.addHeading(QString(), 1.1);
    m_heading->setWordWrap(true);

    // General
    QFormLayout *general = f.addGroup(tr("Task"));
    general->addRow(tr("Id"), idField(general->parentWidget()));
    // Changing the type of many tasks drops their type's settings: ask first.
    QComboBox *type
        = f.choice(general, tr("Type"), "type", enumValue(&TaskSpec::type), [this](int value) {
              if (m_ids.size() < 2)
                  return true;
              return QMessageBox::question(this,
                         tr("Change the type of %n tasks", nullptr, int(m_ids.size())),
                         tr("Make all %n selected tasks %1 tasks? Settings of their current types "
                            "that %1 tasks do not have are dropped (undo brings them back).",
                             nullptr, int(m_ids.size()))
                             .arg(toString(TaskType(value))))
                  == QMessageBox::Yes;
          });
    for (TaskType t : TaskTypeInfo::all())
        type->addItem(TaskTypeInfo::icon(t), toString(t), int(t));
    f.lineEdit(general, tr("Description"), "description", Form::bind(&TaskSpec::description));
    f.label(general, tr("Runs after"), "after", [](const TaskSpec &t) {
        return t.after.isEmpty() ? tr("— (drag from another task's output port)")
                                 : t.after.join(QStringLiteral(", "));
    });
    QComboBox *trigger = f.choice(general, tr("Trigger"), "trigger", enumValue(&TaskSpec::trigger));
    for (TriggerRule r : {TriggerRule::AllSuccess, TriggerRule::AllDone, TriggerRule::OneFailed})
        trigger->addItem(toString(r), int(r));
    f.spinBox(general, tr("Priority"), "priority", -1000, 1000, Form::bind(&TaskSpec::priority));
    f.editableChoice(
        general, tr("Pool"), "pool",
        {[](const TaskSpec &t) { return t.pool; },
            [](TaskSpec &t, const QString &v) { t.pool = v.trimmed(); }},
        [this] { return QStringList{QString()} + m_doc->flow().limits.pools.keys(); }, false);
    QComboBox *executor
        = f.choice(general, tr("Executor"), "executor", enumValue(&TaskSpec::executor));
    executor->addItem(QStringLiteral("local"), int(Executor::Local));
    executor->addItem(QStringLiteral("slurm"), int(Executor::Slurm));

    // Shell
    QFormLayout *shell = f.addGroup(tr("Shell command"), &m_shellGroup);
    QPlainTextEdit *command
        = f.codeEdit(shell, tr("Command"), "command", Form::bind(&TaskSpec::command));
    command->setPlaceholderText(tr("./extract.sh --date {{date}}"));
    FieldMarker::setHelp(command,
        tr("Runs with /bin/sh in the working dir. A {{param}} value is "
           "shell-quoted where it is put in: {{date}} becomes '2026-12-01'.\n"
           "Inside double quotes those quotes stay in the text, so write "
           "\"orders for \"{{date}} rather than \"orders for {{date}}\", or "
           "use {{date|raw}} for a value that is safe to paste in."));
    f.lineEdit(shell, tr("Working dir"), "workdir", Form::bind(&TaskSpec::workdir))
        ->setPlaceholderText(tr("the flow file's directory"));
    QPlainTextEdit *env = f.codeEdit(shell, tr("Environment"), "env", envLines());
    env->setPlaceholderText(QStringLiteral("KEY=value"));
    env->setMaximumHeight(70);
    QPlainTextEdit *outputs = f.codeEdit(shell, tr("Outputs"), "outputs", outputLines());
    outputs->setPlaceholderText(tr("one file per line"));
    outputs->setMaximumHeight(70);

    // SQL
    QFormLayout *sql = f.addGroup(tr("SQL"), &m_sqlGroup);
    f.lineEdit(sql, tr("Connection"), "connection", Form::bind(&TaskSpec::connection))
        ->setPlaceholderText(tr("name in the home's connections.yaml"));
    QPlainTextEdit *sqlText = f.codeEdit(sql, tr("SQL"), "sql", Form::bind(&TaskSpec::sql));
    sqlText->setPlaceholderText(
        QStringLiteral("INSERT INTO sales SELECT :date, amount FROM staging"));
    new SqlHighlighter(sqlText);
    f.lineEdit(sql, tr("Partition table"), {"partition", "partition.table"},
         Form::bind(&TaskSpec::partition, &PartitionSpec::table))
        ->setPlaceholderText(tr("table (optional)"));
    f.lineEdit(sql, tr("Partition column"), {"partition", "partition.column"},
         Form::bind(&TaskSpec::partition, &PartitionSpec::column))
        ->setPlaceholderText(tr("column"));
    f.lineEdit(sql, tr("Partition value"), {"partition", "partition.value"},
         Form::bind(&TaskSpec::partition, &PartitionSpec::value))
        ->setPlaceholderText(QStringLiteral("{{date}}"));

    // wait_file
    QFormLayout *wait = f.addGroup(tr("Wait for file"), &m_waitGroup);
    f.lineEdit(wait, tr("Path"), {"wait_file", "wait_file.path"},
        Form::bind(&TaskSpec::waitFile, &WaitFileSpec::path));
    f.durationEdit(wait, tr("Poke interval"), {"poke_interval", "wait_file.poke_interval"},
         Form::bind(&TaskSpec::waitFile, &WaitFileSpec::pokeIntervalMs))
        ->setPlaceholderText(tr("default (30s)"));
    f.durationEdit(wait, tr("Stable for"), {"stable_for", "wait_file.stable_for"},
         Form::bind(&TaskSpec::waitFile, &WaitFileSpec::stableForMs))
        ->setPlaceholderText(tr("0 (existing is enough)"));

    // Slurm
    QFormLayout *slurm = f.addGroup(tr("Slurm"), &m_slurmGroup);
    f.lineEdit(slurm, tr("Partition"), {"slurm", "slurm.partition"},
        Form::bind(&TaskSpec::slurm, &SlurmSpec::partition));
    f.lineEdit(slurm, tr("Time limit"), {"slurm", "slurm.time"},
        Form::bind(&TaskSpec::slurm, &SlurmSpec::time));
    f.spinBox(
         slurm, tr("CPUs"), {"slurm_cpus", "slurm.cpus"}, 0, 4096, optionalCount(&SlurmSpec::cpus))
        ->setSpecialValueText(tr("default"));
    f.lineEdit(
        slurm, tr("Memory"), {"slurm", "slurm.mem"}, Form::bind(&TaskSpec::slurm, &SlurmSpec::mem));
    f.lineEdit(slurm, tr("Account"), {"slurm", "slurm.account"},
        Form::bind(&TaskSpec::slurm, &SlurmSpec::account));
    f.lineEdit(
        slurm, tr("QoS"), {"slurm", "slurm.qos"}, Form::bind(&TaskSpec::slurm, &SlurmSpec::qos));
    f.lineEdit(slurm, tr("Extra arguments"), {"slurm", "slurm.extra_args"},
        {[](const TaskSpec &t) { return t.slurm.extraArgs.join(QLatin1Char(' ')); },
            [](TaskSpec &t, const QString &v) {
                t.slurm.extraArgs = v.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            }});

    // Retry safety (DESIGN §1.5): a task that must not run twice is never retried, and a rerun
    // of it asks for a confirmation showing what to check first.
    QFormLayout *safety = f.addGroup(tr("Safe to repeat"));
    f.checkBox(safety, tr("Idempotent (safe to run again)"), "idempotent",
        Form::bind(&TaskSpec::idempotent));
    f.lineEdit(safety, tr("Check before rerun"), "check", Form::bind(&TaskSpec::check))
        ->setPlaceholderText(tr("what to verify before it runs again"));

    // Retries and timeout: the keys sit on the task itself (retries, retry_delay, ...).
    f.retrySettings(f.addBox(tr("Retries and timeout")), &TaskSpec::retry, QString(), {});
    f.finishPage();
    m_shellGroup->setObjectName(QStringLiteral("shellGroup"));
    m_sqlGroup->setObjectName(QStringLiteral("sqlGroup"));
    m_waitGroup->setObjectName(QStringLiteral("waitGroup"));
    m_slurmGroup->setObjectName(QStringLiteral("slurmGroup"));

    connect(doc, &FlowDocument::taskChanged, this, [this](const QString &id) {
        if (m_ids.contains(id))
            refresh();
    });
    connect(
        doc, &FlowDocument::taskRenamed, this, [this](const QString &oldId, const QString &newId) {
            const qsizetype i = m_ids.indexOf(oldId);
            if (i >= 0) {
                m_ids[i] = newId;
                refresh();
            }
        });
    connect(doc, &FlowDocument::edgeAdded, this, [this](const QString &, const QString &to) {
        if (m_ids.contains(to))
            refresh();
    });
    connect(doc, &FlowDocument::edgeRemoved, this, [this](const QString &, const QString &to) {
        if (m_ids.contains(to))
            refresh();
    });
    connect(doc, &FlowDocument::problemsChanged, this, &TaskInspector::markProblems);
}

// The id is the task's key: renaming is its own undo command, refused while the new id is
// invalid or taken (marked as typed).
QLineEdit *TaskInspector::idField(QWidget *parent)
{
    auto *id = new QLineEdit(parent);
    id->setObjectName(QStringLiteral("taskId"));
    connect(id, &QLineEdit::textEdited, this, [this, id](const QString &text) {
        QString err;
        if (m_ids.size() == 1 && text != m_ids.first()) {
            if (!isValidId(text))
                err = tr("Letters, digits, _ . - only; must not start with . or -");
            else if (m_doc->hasTask(text))
                err = tr("Another task has this id");
        }
        FieldMarker::mark(id, err);
    });
    connect(id, &QLineEdit::editingFinished, this, [this, id] {
        if (m_form->isUpdating() || m_ids.size() != 1)
            return;
        const QString newId = id->text().trimmed();
        const QString oldId = m_ids.first();
        if (newId == oldId || !isValidId(newId) || m_doc->hasTask(newId))
            return;
        m_undo->push(new RenameTaskCommand(m_doc, oldId, newId));
    });
    // Its path is the task itself: problems of the id (invalid, duplicate) mark it.
    m_form->custom(id, {}, [this, id](const TaskSpec &t) {
        id->setEnabled(m_ids.size() == 1);
        if (!id->hasFocus()) {
            if (id->text() != t.id) {
                id->setText(t.id);
                id->setCursorPosition(0);
            }
            FieldMarker::mark(id, QString());
        }
    });
    return id;
}

void TaskInspector::setTasks(const QStringList &ids)
{
    m_form->newSession();
    m_ids = ids;
    refresh();
}

void TaskInspector::refresh()
{
    const TaskSpec *t = m_ids.isEmpty() ? nullptr : m_doc->task(m_ids.first());
    if (!t)
        return;
    m_heading->setText(m_ids.size() == 1 ? t->id
                                         : tr("%n tasks selected — a change applies to all of them",
                                             nullptr, int(m_ids.size())));
    m_form->refresh();
    // Only the settings every selected task has (all shell, all on Slurm, ...).
    bool shell = true, sql = true, wait = true, slurm = true;
    for (const QString &id : std::as_const(m_ids)) {
        if (const TaskSpec *s = m_doc->task(id)) {
            shell = shell && s->type == TaskType::Shell;
            sql = sql && s->type == TaskType::Sql;
            wait = wait && s->type == TaskType::WaitFile;
            slurm = slurm && s->executor == Executor::Slurm;
        }
    }
    m_shellGroup->setVisible(shell);
    m_sqlGroup->setVisible(sql);
    m_waitGroup->setVisible(wait);
    m_slurmGroup->setVisible(slurm);
    markProblems();
}

// Validation problems of the shown task, each on the field its path names.
void TaskInspector::markProblems()
{
    if (m_ids.isEmpty() || !m_doc->hasTask(m_ids.first()))
        return;
    const QString id = m_ids.first();
    m_form->markProblems(m_doc->taskProblems(id), {QStringLiteral("tasks"), id});
}

} // namespace pw
