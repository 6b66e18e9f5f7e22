#include "taskinspector.h"

#include "durationedit.h"
#include "fieldmarker.h"
#include "flowdocument.h"
#include "renametaskcommand.h"
#include "retrysettingseditor.h"
#include "settaskcommand.h"
#include "tasktypeinfo.h"

#include <QApplication>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSpinBox>
#include <QUndoStack>
#include <QVBoxLayout>

namespace pw {

namespace {
void setTextIfChanged(QLineEdit *e, const QString &text)
{
    if (e->text() != text && !e->hasFocus()) {
        e->setText(text);
        e->setCursorPosition(0);
    }
}
void setTextIfChanged(QPlainTextEdit *e, const QString &text)
{
    if (e->toPlainText() != text)
        e->setPlainText(text);
}
QFormLayout *newForm(QWidget *parent)
{
    auto *form = new QFormLayout(parent);
    form->setContentsMargins(8, 8, 8, 8);
    form->setSpacing(8);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    return form;
}
} // namespace

TaskInspector::TaskInspector(FlowDocument *doc, QUndoStack *undo, QWidget *parent)
    : QWidget(parent), m_doc(doc), m_undo(undo)
{
    setObjectName(QStringLiteral("taskInspector"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(scroll);
    auto *page = new QWidget(scroll);
    scroll->setWidget(page);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);

    m_heading = new QLabel(page);
    QFont hf = m_heading->font();
    hf.setBold(true);
    hf.setPointSizeF(hf.pointSizeF() * 1.1);
    m_heading->setFont(hf);
    m_heading->setWordWrap(true);
    layout->addWidget(m_heading);

    // General
    auto *general = new QGroupBox(tr("Task"), page);
    auto *gf = newForm(general);
    m_id = new QLineEdit(general);
    m_id->setObjectName(QStringLiteral("taskId"));
    connect(m_id, &QLineEdit::textEdited, this, [this](const QString &text) {
        QString err;
        if (m_ids.size() == 1 && text != m_ids.first()) {
            if (!isValidId(text))
                err = tr("Letters, digits, _ . - only; must not start with . or -");
            else if (m_doc->hasTask(text))
                err = tr("Another task has this id");
        }
        FieldMarker::mark(m_id, err);
    });
    connect(m_id, &QLineEdit::editingFinished, this, [this] {
        if (m_updating || m_ids.size() != 1)
            return;
        const QString newId = m_id->text().trimmed();
        const QString oldId = m_ids.first();
        if (newId == oldId || !isValidId(newId) || m_doc->hasTask(newId))
            return;
        m_undo->push(new RenameTaskCommand(m_doc, oldId, newId));
    });
    m_type = new QComboBox(general);
    for (TaskType t : TaskTypeInfo::all())
        m_type->addItem(TaskTypeInfo::icon(t), toString(t), int(t));
    connect(m_type, &QComboBox::activated, this, [this] {
        const auto t = TaskType(m_type->currentData().toInt());
        apply(QStringLiteral("type"), [t](TaskSpec &s) { s.type = t; });
    });
    m_description = lineEdit(QStringLiteral("description"), [](TaskSpec &s, const QString &v) { s.description = v; });
    m_after = new QLabel(general);
    m_after->setWordWrap(true);
    m_after->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_trigger = new QComboBox(general);
    for (TriggerRule r : {TriggerRule::AllSuccess, TriggerRule::AllDone, TriggerRule::OneFailed})
        m_trigger->addItem(toString(r), int(r));
    connect(m_trigger, &QComboBox::activated, this, [this] {
        const auto r = TriggerRule(m_trigger->currentData().toInt());
        apply(QStringLiteral("trigger"), [r](TaskSpec &s) { s.trigger = r; });
    });
    m_priority = new QSpinBox(general);
    m_priority->setRange(-1000, 1000);
    connect(m_priority, &QSpinBox::valueChanged, this, [this](int v) {
        apply(QStringLiteral("priority"), [v](TaskSpec &s) { s.priority = v; });
    });
    m_pool = new QComboBox(general);
    m_pool->setEditable(true);
    m_pool->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_pool->setMinimumContentsLength(8);
    m_pool->setObjectName(QStringLiteral("pool"));
    connect(m_pool->lineEdit(), &QLineEdit::editingFinished, this, [this] {
        const QString v = m_pool->currentText().trimmed();
        apply(QStringLiteral("pool"), [v](TaskSpec &s) { s.pool = v; });
    });
    connect(m_pool, &QComboBox::activated, this, [this] {
        const QString v = m_pool->currentText().trimmed();
        apply(QStringLiteral("pool"), [v](TaskSpec &s) { s.pool = v; });
    });
    m_executor = new QComboBox(general);
    m_executor->addItem(QStringLiteral("local"), int(Executor::Local));
    m_executor->addItem(QStringLiteral("slurm"), int(Executor::Slurm));
    connect(m_executor, &QComboBox::activated, this, [this] {
        const auto e = Executor(m_executor->currentData().toInt());
        apply(QStringLiteral("executor"), [e](TaskSpec &s) { s.executor = e; });
    });
    gf->addRow(tr("Id"), m_id);
    gf->addRow(tr("Type"), m_type);
    gf->addRow(tr("Description"), m_description);
    gf->addRow(tr("Runs after"), m_after);
    gf->addRow(tr("Trigger"), m_trigger);
    gf->addRow(tr("Priority"), m_priority);
    gf->addRow(tr("Pool"), m_pool);
    gf->addRow(tr("Executor"), m_executor);
    layout->addWidget(general);

    // Shell
    m_shellGroup = new QGroupBox(tr("Shell command"), page);
    auto *sf = newForm(m_shellGroup);
    m_command = codeEdit(QStringLiteral("command"), [](TaskSpec &s, const QString &v) { s.command = v; });
    m_command->setObjectName(QStringLiteral("command"));
    m_command->setPlaceholderText(tr("./extract.sh --date {{date}}"));
    m_workdir = lineEdit(QStringLiteral("workdir"), [](TaskSpec &s, const QString &v) { s.workdir = v; });
    m_workdir->setPlaceholderText(tr("the flow file's directory"));
    m_env = codeEdit(QStringLiteral("env"), [](TaskSpec &s, const QString &v) {
        s.env.clear();
        for (const QString &line : v.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const int eq = line.indexOf(QLatin1Char('='));
            if (eq > 0)
                s.env.insert(line.left(eq).trimmed(), line.mid(eq + 1));
        }
    });
    m_env->setPlaceholderText(QStringLiteral("KEY=value"));
    m_env->setMaximumHeight(70);
    m_outputs = codeEdit(QStringLiteral("outputs"), [](TaskSpec &s, const QString &v) {
        s.outputs.clear();
        for (const QString &line : v.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            s.outputs << line.trimmed();
    });
    m_outputs->setPlaceholderText(tr("one file per line"));
    m_outputs->setMaximumHeight(70);
    sf->addRow(tr("Command"), m_command);
    sf->addRow(tr("Working dir"), m_workdir);
    sf->addRow(tr("Environment"), m_env);
    sf->addRow(tr("Outputs"), m_outputs);
    layout->addWidget(m_shellGroup);

    // SQL
    m_sqlGroup = new QGroupBox(tr("SQL"), page);
    auto *qf = newForm(m_sqlGroup);
    m_connection = lineEdit(QStringLiteral("connection"), [](TaskSpec &s, const QString &v) { s.connection = v; });
    m_connection->setPlaceholderText(tr("name in the home's connections.yaml"));
    m_sql = codeEdit(QStringLiteral("sql"), [](TaskSpec &s, const QString &v) { s.sql = v; });
    m_sql->setPlaceholderText(QStringLiteral("INSERT INTO sales SELECT :date, amount FROM staging"));
    m_partTable = lineEdit(QStringLiteral("partition"), [](TaskSpec &s, const QString &v) { s.partition.table = v; });
    m_partColumn = lineEdit(QStringLiteral("partition"), [](TaskSpec &s, const QString &v) { s.partition.column = v; });
    m_partValue = lineEdit(QStringLiteral("partition"), [](TaskSpec &s, const QString &v) { s.partition.value = v; });
    m_partTable->setPlaceholderText(tr("table (optional)"));
    m_partColumn->setPlaceholderText(tr("column"));
    m_partValue->setPlaceholderText(QStringLiteral("{{date}}"));
    qf->addRow(tr("Connection"), m_connection);
    qf->addRow(tr("SQL"), m_sql);
    qf->addRow(tr("Partition table"), m_partTable);
    qf->addRow(tr("Partition column"), m_partColumn);
    qf->addRow(tr("Partition value"), m_partValue);
    layout->addWidget(m_sqlGroup);

    // wait_file
    m_waitGroup = new QGroupBox(tr("Wait for file"), page);
    auto *wf = newForm(m_waitGroup);
    m_waitPath = lineEdit(QStringLiteral("wait_file"), [](TaskSpec &s, const QString &v) { s.waitFile.path = v; });
    m_poke = new DurationEdit(m_waitGroup);
    m_poke->setPlaceholderText(tr("default (30s)"));
    connect(m_poke, &DurationEdit::committed, this, [this] {
        const auto v = m_poke->value();
        apply(QStringLiteral("poke_interval"), [v](TaskSpec &s) { s.waitFile.pokeIntervalMs = v; });
    });
    wf->addRow(tr("Path"), m_waitPath);
    wf->addRow(tr("Poke interval"), m_poke);
    layout->addWidget(m_waitGroup);

    // Slurm
    m_slurmGroup = new QGroupBox(tr("Slurm"), page);
    auto *lf = newForm(m_slurmGroup);
    m_slurmPartition = lineEdit(QStringLiteral("slurm"), [](TaskSpec &s, const QString &v) { s.slurm.partition = v; });
    m_slurmTime = lineEdit(QStringLiteral("slurm"), [](TaskSpec &s, const QString &v) { s.slurm.time = v; });
    m_slurmCpus = new QSpinBox(m_slurmGroup);
    m_slurmCpus->setRange(0, 4096);
    m_slurmCpus->setSpecialValueText(tr("default"));
    connect(m_slurmCpus, &QSpinBox::valueChanged, this, [this](int v) {
        apply(QStringLiteral("slurm_cpus"), [v](TaskSpec &s) {
            s.slurm.cpus = v > 0 ? std::optional<int>(v) : std::nullopt;
        });
    });
    m_slurmMem = lineEdit(QStringLiteral("slurm"), [](TaskSpec &s, const QString &v) { s.slurm.mem = v; });
    m_slurmAccount = lineEdit(QStringLiteral("slurm"), [](TaskSpec &s, const QString &v) { s.slurm.account = v; });
    m_slurmQos = lineEdit(QStringLiteral("slurm"), [](TaskSpec &s, const QString &v) { s.slurm.qos = v; });
    m_slurmArgs = lineEdit(QStringLiteral("slurm"), [](TaskSpec &s, const QString &v) {
        s.slurm.extraArgs = v.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    });
    lf->addRow(tr("Partition"), m_slurmPartition);
    lf->addRow(tr("Time limit"), m_slurmTime);
    lf->addRow(tr("CPUs"), m_slurmCpus);
    lf->addRow(tr("Memory"), m_slurmMem);
    lf->addRow(tr("Account"), m_slurmAccount);
    lf->addRow(tr("QoS"), m_slurmQos);
    lf->addRow(tr("Extra arguments"), m_slurmArgs);
    layout->addWidget(m_slurmGroup);

    // Retries and timeout
    auto *retryGroup = new QGroupBox(tr("Retries and timeout"), page);
    auto *rl = new QVBoxLayout(retryGroup);
    rl->setContentsMargins(8, 8, 8, 8);
    m_retry = new RetrySettingsEditor(retryGroup);
    rl->addWidget(m_retry);
    connect(m_retry, &RetrySettingsEditor::edited, this, [this](const QString &field) {
        const RetrySettings v = m_retry->value();
        apply(field, [field, v](TaskSpec &s) {
            if (field == QLatin1String("retries")) s.retry.retries = v.retries;
            else if (field == QLatin1String("retry_delay")) s.retry.retryDelayMs = v.retryDelayMs;
            else if (field == QLatin1String("backoff")) s.retry.backoff = v.backoff;
            else if (field == QLatin1String("max_retry_delay")) s.retry.maxRetryDelayMs = v.maxRetryDelayMs;
            else if (field == QLatin1String("jitter")) s.retry.jitter = v.jitter;
            else if (field == QLatin1String("retry_on")) s.retry.retryOn = v.retryOn;
            else if (field == QLatin1String("timeout")) s.retry.timeoutMs = v.timeoutMs;
        });
    });
    layout->addWidget(retryGroup);
    layout->addStretch(1);

    connect(doc, &FlowDocument::taskChanged, this, [this](const QString &id) {
        if (m_ids.contains(id))
            refresh();
    });
    connect(doc, &FlowDocument::taskRenamed, this, [this](const QString &oldId, const QString &newId) {
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
    connect(doc, &FlowDocument::problemsChanged, this, [this] { refresh(); });
    connect(qApp, &QApplication::focusChanged, this, [this] { ++m_session; });
}

QLineEdit *TaskInspector::lineEdit(const QString &field,
                                   const std::function<void(TaskSpec &, const QString &)> &set)
{
    auto *e = new QLineEdit(this);
    e->setObjectName(field);
    connect(e, &QLineEdit::editingFinished, this, [this, e, field, set] {
        const QString v = e->text();
        apply(field, [&set, v](TaskSpec &s) { set(s, v); });
    });
    return e;
}

QPlainTextEdit *TaskInspector::codeEdit(const QString &field,
                                        const std::function<void(TaskSpec &, const QString &)> &set)
{
    auto *e = new QPlainTextEdit(this);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setStyleHint(QFont::TypeWriter);
    mono.setFixedPitch(true);
    e->setFont(mono);
    e->setTabChangesFocus(true);
    e->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    e->setMinimumHeight(60);
    e->setMaximumHeight(140);
    connect(e, &QPlainTextEdit::textChanged, this, [this, e, field, set] {
        if (m_updating)
            return;
        const QString v = e->toPlainText();
        apply(field, [&set, v](TaskSpec &s) { set(s, v); });
    });
    return e;
}

void TaskInspector::setTasks(const QStringList &ids)
{
    ++m_session;
    m_ids = ids;
    refresh();
}

void TaskInspector::apply(const QString &field, const std::function<void(TaskSpec &)> &change)
{
    if (m_updating || m_ids.isEmpty())
        return;
    QList<QPair<TaskSpec, TaskSpec>> edits;
    for (const QString &id : std::as_const(m_ids)) {
        const TaskSpec *t = m_doc->task(id);
        if (!t)
            continue;
        TaskSpec after = *t;
        change(after);
        if (!(after == *t))
            edits.append({*t, after});
    }
    if (edits.isEmpty())
        return;
    if (edits.size() == 1) {
        m_undo->push(new SetTaskCommand(m_doc, edits.first().first, edits.first().second, field,
                                        field + QLatin1Char('#') + QString::number(m_session)));
        return;
    }
    m_undo->beginMacro(tr("Change %1 of %n tasks", nullptr, int(edits.size())).arg(field));
    for (const auto &e : std::as_const(edits))
        m_undo->push(new SetTaskCommand(m_doc, e.first, e.second, field));
    m_undo->endMacro();
}

void TaskInspector::updateVisibility(const TaskSpec &t)
{
    m_shellGroup->setVisible(t.type == TaskType::Shell);
    m_sqlGroup->setVisible(t.type == TaskType::Sql);
    m_waitGroup->setVisible(t.type == TaskType::WaitFile);
    m_slurmGroup->setVisible(t.executor == Executor::Slurm);
}

void TaskInspector::refresh()
{
    const TaskSpec *t = m_ids.isEmpty() ? nullptr : m_doc->task(m_ids.first());
    if (!t)
        return;
    m_updating = true;
    if (m_ids.size() == 1) {
        m_heading->setText(t->id);
    } else {
        m_heading->setText(tr("%n tasks selected — a change applies to all of them", nullptr,
                              int(m_ids.size())));
    }
    m_id->setEnabled(m_ids.size() == 1);
    setTextIfChanged(m_id, t->id);
    if (!m_id->hasFocus())
        FieldMarker::mark(m_id, QString());
    m_type->setCurrentIndex(m_type->findData(int(t->type)));
    setTextIfChanged(m_description, t->description);
    m_after->setText(t->after.isEmpty() ? tr("— (drag from another task's output port)")
                                        : t->after.join(QStringLiteral(", ")));
    m_trigger->setCurrentIndex(m_trigger->findData(int(t->trigger)));
    m_priority->setValue(t->priority);
    QStringList pools = m_doc->flow().limits.pools.keys();
    pools.prepend(QString());
    QStringList current;
    for (int i = 0; i < m_pool->count(); ++i)
        current << m_pool->itemText(i);
    if (current != pools) {
        m_pool->clear();
        m_pool->addItems(pools);
    }
    if (!m_pool->lineEdit()->hasFocus())
        m_pool->setCurrentText(t->pool);
    m_executor->setCurrentIndex(m_executor->findData(int(t->executor)));
    setTextIfChanged(m_command, t->command);
    setTextIfChanged(m_workdir, t->workdir);
    QStringList env;
    for (auto it = t->env.cbegin(); it != t->env.cend(); ++it)
        env << it.key() + QLatin1Char('=') + it.value();
    if (!m_env->hasFocus())
        setTextIfChanged(m_env, env.join(QLatin1Char('\n')));
    if (!m_outputs->hasFocus())
        setTextIfChanged(m_outputs, t->outputs.join(QLatin1Char('\n')));
    setTextIfChanged(m_connection, t->connection);
    setTextIfChanged(m_sql, t->sql);
    setTextIfChanged(m_partTable, t->partition.table);
    setTextIfChanged(m_partColumn, t->partition.column);
    setTextIfChanged(m_partValue, t->partition.value);
    setTextIfChanged(m_waitPath, t->waitFile.path);
    if (!m_poke->hasFocus())
        m_poke->setValue(t->waitFile.pokeIntervalMs);
    setTextIfChanged(m_slurmPartition, t->slurm.partition);
    setTextIfChanged(m_slurmTime, t->slurm.time);
    m_slurmCpus->setValue(t->slurm.cpus.value_or(0));
    setTextIfChanged(m_slurmMem, t->slurm.mem);
    setTextIfChanged(m_slurmAccount, t->slurm.account);
    setTextIfChanged(m_slurmQos, t->slurm.qos);
    setTextIfChanged(m_slurmArgs, t->slurm.extraArgs.join(QLatin1Char(' ')));
    m_retry->setValue(t->retry);
    updateVisibility(*t);

    // Inline marks from validation: a problem naming a field marks that field.
    const QStringList problems = m_doc->problemsOf(t->id);
    auto markIf = [&problems](QWidget *w, const QStringList &keys) {
        QString msg;
        for (const QString &p : problems) {
            for (const QString &k : keys) {
                if (p.contains(k, Qt::CaseInsensitive))
                    msg = p;
            }
        }
        FieldMarker::mark(w, msg);
    };
    markIf(m_command, {QStringLiteral("command"), QStringLiteral("{{")});
    markIf(m_sql, {QStringLiteral("sql")});
    markIf(m_connection, {QStringLiteral("connection")});
    markIf(m_pool, {QStringLiteral("pool")});
    markIf(m_waitPath, {QStringLiteral("wait_file"), QStringLiteral("path")});
    m_updating = false;
}

} // namespace pw
