#include "flowinspector.h"

#include "durationedit.h"
#include "fieldmarker.h"
#include "flowdocument.h"
#include "inspectorform.h"
#include "setflowsettingscommand.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimeZone>
#include <QVBoxLayout>

namespace pw {

namespace {
using Form = InspectorForm<Flow>;

const QStringList kNotifyEvents{QStringLiteral("failure"), QStringLiteral("retry"),
    QStringLiteral("success"), QStringLiteral("sla")};

// An optional limit shown as 0 = unset.
Form::Binding<int> optionalLimit(std::optional<int> LimitsSpec::*member)
{
    return {[member](const Flow &f) { return (f.limits.*member).value_or(0); },
        [member](Flow &f, const int &v) {
            f.limits.*member = v > 0 ? std::optional<int>(v) : std::nullopt;
        }};
}
// One event of `notify.on`; the list keeps the order of kNotifyEvents.
Form::Binding<bool> notifyOn(const QString &event)
{
    return {[event](const Flow &f) { return f.notify.on.contains(event); },
        [event](Flow &f, const bool &on) {
            QStringList events;
            for (const QString &e : kNotifyEvents) {
                if (e == event ? on : f.notify.on.contains(e))
                    events << e;
            }
            f.notify.on = events;
        }};
}
// Text applied without surrounding white space.
Form::Binding<QString> trimmed(QString Flow::*member)
{
    return {[member](const Flow &f) { return f.*member; },
        [member](Flow &f, const QString &v) { f.*member = v.trimmed(); }};
}
template<typename S>
Form::Binding<QString> trimmed(S Flow::*outer, QString S::*inner)
{
    return {[outer, inner](const Flow &f) { return f.*outer.*inner; },
        [outer, inner](Flow &f, const QString &v) { f.*outer.*inner = v.trimmed(); }};
}

// Marks the cells `problems` name (their field relative to the table: {row key, ...});
// `column` picks the cells of one problem. Problems without a row mark the whole table.
void markCells(QTableWidget *table, const Errors &problems,
    const std::function<QList<int>(const QStringList &)> &columns)
{
    static const QColor tint(0xD5, 0x5E, 0x00, 60);
    QHash<QPair<int, int>, QStringList> cells;
    QStringList unplaced;
    for (const Error &e : problems) {
        int row = -1;
        for (int r = 0; r < table->rowCount() && !e.field.isEmpty(); ++r) {
            if (QTableWidgetItem *i = table->item(r, 0);
                i && i->text().trimmed() == e.field.first())
                row = r;
        }
        if (row < 0)
            unplaced << e.message;
        for (int c : row < 0 ? QList<int>() : columns(e.field))
            cells[{row, c}] << e.message;
    }
    for (int r = 0; r < table->rowCount(); ++r) {
        for (int c = 0; c < table->columnCount(); ++c) {
            QTableWidgetItem *item = table->item(r, c);
            if (!item)
                continue;
            const QStringList messages = cells.value({r, c});
            item->setData(Qt::BackgroundRole, messages.isEmpty() ? QVariant() : QVariant(tint));
            item->setData(Qt::ToolTipRole,
                messages.isEmpty() ? QVariant() : QVariant(messages.join(QLatin1Char('\n'))));
        }
    }
    FieldMarker::markProblem(table, unplaced.join(QLatin1Char('\n')));
}
} // namespace

FlowInspector::FlowInspector(FlowDocument *doc, QUndoStack *undo, QWidget *parent)
    : QWidget(parent), m_doc(doc)
{
    setObjectName(QStringLiteral("flowInspector"));
    m_form = new Form(
        this, undo, [doc] { return &doc->flow(); }, [doc] { return QList<Flow>{doc->settings()}; },
        [doc](const Flow &before, const Flow &after, const QString &key, const QString &merge) {
            return new SetFlowSettingsCommand(doc, before, after, key, merge);
        });
    Form &f = *m_form;
    f.addHeading(tr("Flow settings — select a task to edit it"));

    QFormLayout *general = f.addGroup(tr("Flow"));
    const QString idRule = tr("Letters, digits, _ . - only; must not start with . or -");
    auto checkId
        = [idRule](const QString &v) { return isValidId(v.trimmed()) ? QString() : idRule; };
    QLineEdit *id = f.lineEdit(general, tr("Id"), {"id", "flow"}, trimmed(&Flow::id), checkId);
    id->setObjectName(QStringLiteral("flowId"));
    connect(id, &QLineEdit::textEdited, this,
        [id, checkId](const QString &t) { FieldMarker::mark(id, checkId(t)); });
    f.lineEdit(general, tr("Title"), "title", Form::bind(&Flow::title));
    f.lineEdit(general, tr("Description"), "description", Form::bind(&Flow::description));

    addParamsTable(f.addBox(tr("Parameters")));

    QFormLayout *schedule = f.addGroup(tr("Schedule"));
    f.lineEdit(schedule, tr("Cron"), {"schedule", "schedule.cron"},
         trimmed(&Flow::schedule, &ScheduleSpec::cron))
        ->setPlaceholderText(tr("not scheduled (e.g. 0 3 * * *)"));
    QComboBox *zone = f.editableChoice(schedule, tr("Time zone"), {"timezone", "schedule.timezone"},
        Form::bind(&Flow::schedule, &ScheduleSpec::timezone), {}, true, [](const QString &v) {
            return v.isEmpty() || QTimeZone(v.toLatin1()).isValid() ? QString()
                                                                    : tr("Unknown time zone");
        });
    zone->addItem(QString());
    for (const QByteArray &z : QTimeZone::availableTimeZoneIds())
        zone->addItem(QString::fromLatin1(z));
    f.checkBox(schedule, tr("Run missed schedules (catch up)"), {"catchup", "schedule.catchup"},
        Form::bind(&Flow::schedule, &ScheduleSpec::catchup));
    f.lineEdit(schedule, tr("Start"), {"start", "schedule.start"},
         {[](const Flow &fl) {
              return fl.schedule.start ? fl.schedule.start->toString(Qt::ISODate) : QString();
          },
             [](Flow &fl, const QString &v) {
                 const QString t = v.trimmed();
                 fl.schedule.start = t.isEmpty()
                     ? std::nullopt
                     : std::optional<QDate>(QDate::fromString(t, Qt::ISODate));
             }},
         [](const QString &v) {
             const QString t = v.trimmed();
             return t.isEmpty() || QDate::fromString(t, Qt::ISODate).isValid()
                 ? QString()
                 : tr("A date like 2026-11-01");
         })
        ->setPlaceholderText(QStringLiteral("YYYY-MM-DD"));
    f.editableChoice(
        schedule, tr("Parameter"), {"schedule_param", "schedule.param"},
        Form::bind(&Flow::schedule, &ScheduleSpec::param),
        [doc] {
            QStringList names{QString()};
            for (const ParamSpec &p : doc->flow().params)
                names << p.name;
            return names;
        },
        true);
    f.durationEdit(schedule, tr("Offset"), {"offset", "schedule.offset"},
         Form::bind(&Flow::schedule, &ScheduleSpec::offsetMs))
        ->setPlaceholderText(tr("none (e.g. -1d)"));

    QFormLayout *limits = f.addGroup(tr("Limits and pools"));
    f.spinBox(limits, tr("Max parallel"), {"max_parallel", "limits.max_parallel"}, 0, 1024,
         optionalLimit(&LimitsSpec::maxParallel))
        ->setSpecialValueText(tr("engine default"));
    f.spinBox(limits, tr("Max active runs"), {"max_active_runs", "limits.max_active_runs"}, 0, 1024,
         optionalLimit(&LimitsSpec::maxActiveRuns))
        ->setSpecialValueText(tr("unlimited"));
    limits->addRow(tr("Pools"), poolsTable(limits->parentWidget()));
    auto *addPool = new QPushButton(tr("Add pool"), limits->parentWidget());
    connect(addPool, &QPushButton::clicked, this, [this] {
        QMap<QString, int> p = m_doc->flow().limits.pools;
        QString name = QStringLiteral("pool");
        for (int n = 2; p.contains(name); ++n)
            name = QStringLiteral("pool%1").arg(n);
        p.insert(name, 1);
        m_form->apply(QStringLiteral("pools+"), [p](Flow &fl) { fl.limits.pools = p; });
    });
    limits->addRow(QString(), addPool);

    f.retrySettings(f.addBox(tr("Task defaults")), &Flow::defaults, QStringLiteral("defaults."),
        {QStringLiteral("defaults")});

    QFormLayout *notify = f.addGroup(tr("Notifications and SLA"));
    auto *onRow = new QGridLayout;
    onRow->setContentsMargins(0, 0, 0, 0);
    for (int i = 0; i < kNotifyEvents.size(); ++i)
        onRow->addWidget(f.checkBox(nullptr, kNotifyEvents[i], {"notify.on", "notify.on"},
                             notifyOn(kNotifyEvents[i])),
            i / 2, i % 2);
    notify->addRow(tr("Notify on"), onRow);
    f.lineEdit(notify, tr("Command"), {"notify.command", "notify.command"},
         Form::bind(&Flow::notify, &NotifySpec::command))
        ->setPlaceholderText(QStringLiteral("notify-send {{flow}} {{state}}"));
    f.lineEdit(notify, tr("Webhook"), {"notify.webhook", "notify.webhook"},
         trimmed(&Flow::notify, &NotifySpec::webhook))
        ->setPlaceholderText(QStringLiteral("http://…"));
    f.durationEdit(notify, tr("SLA duration"), {"sla.duration", "sla.duration"},
         Form::bind(&Flow::sla, &SlaSpec::durationMs))
        ->setPlaceholderText(tr("none (e.g. 2h)"));
    f.lineEdit(notify, tr("SLA time"), {"sla.time", "sla.time"},
         trimmed(&Flow::sla, &SlaSpec::time),
         [](const QString &v) {
             const QString t = v.trimmed();
             return t.isEmpty() || QTime::fromString(t, QStringLiteral("HH:mm")).isValid()
                 ? QString()
                 : tr("A local time like 06:30");
         })
        ->setPlaceholderText(QStringLiteral("HH:MM"));
    f.finishPage();

    connect(doc, &FlowDocument::settingsChanged, this, &FlowInspector::refresh);
    connect(doc, &FlowDocument::reset, this, &FlowInspector::refresh);
    connect(doc, &FlowDocument::problemsChanged, this, &FlowInspector::markProblems);
    refresh();
}

void FlowInspector::addParamsTable(QGroupBox *box)
{
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);
    m_params = new QTableWidget(0, 5, box);
    m_params->setObjectName(QStringLiteral("params"));
    m_params->setHorizontalHeaderLabels(
        {tr("Name"), tr("Type"), tr("Default"), tr("Choices"), tr("Description")});
    m_params->horizontalHeader()->setStretchLastSection(true);
    m_params->verticalHeader()->hide();
    m_params->setMinimumHeight(110);
    m_params->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    // Name, type and default fit the dock; choices and description are edited below.
    m_params->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_params->horizontalHeader()->setDefaultSectionSize(100);
    m_params->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_params->setColumnHidden(3, true);
    m_params->setColumnHidden(4, true);
    m_params->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_params->setSelectionMode(QAbstractItemView::SingleSelection);
    connect(m_params, &QTableWidget::cellChanged, this, [this] {
        if (!m_form->isUpdating()) {
            const QList<ParamSpec> p = paramsFromTable();
            m_form->apply(QStringLiteral("params"), [p](Flow &fl) { fl.params = p; });
        }
    });
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add parameter"), box);
    auto *remove = new QPushButton(tr("Remove"), box);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    connect(add, &QPushButton::clicked, this, [this] {
        QList<ParamSpec> p = m_doc->flow().params;
        ParamSpec s;
        int n = int(p.size()) + 1;
        s.name = QStringLiteral("param%1").arg(n);
        while (m_doc->flow().param(s.name))
            s.name = QStringLiteral("param%1").arg(++n);
        s.type = ParamType::String;
        s.defaultValue = QString();
        p << s;
        m_form->apply(QStringLiteral("params+"), [p](Flow &fl) { fl.params = p; });
        // Name it at once.
        const int row = m_params->rowCount() - 1;
        if (QTableWidgetItem *name = m_params->item(row, 0)) {
            m_params->setCurrentCell(row, 0);
            m_params->setFocus();
            m_params->editItem(name);
        }
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_params->currentRow();
        QList<ParamSpec> p = m_doc->flow().params;
        if (row < 0 || row >= p.size())
            return;
        p.removeAt(row);
        m_form->apply(QStringLiteral("params-"), [p](Flow &fl) { fl.params = p; });
    });
    layout->addWidget(m_params);
    layout->addLayout(buttons);
    auto *details = new QFormLayout;
    details->setContentsMargins(0, 0, 0, 0);
    m_paramChoices = new QLineEdit(box);
    m_paramChoices->setObjectName(QStringLiteral("paramChoices"));
    m_paramChoices->setPlaceholderText(tr("a, b, c (choice parameters)"));
    m_paramDescription = new QLineEdit(box);
    m_paramDescription->setObjectName(QStringLiteral("paramDescription"));
    m_paramDescription->setPlaceholderText(tr("shown in the run dialog"));
    details->addRow(tr("Choices"), m_paramChoices);
    details->addRow(tr("Description"), m_paramDescription);
    layout->addLayout(details);
    connect(m_params, &QTableWidget::currentCellChanged, this, [this] { showParamDetails(); });
    connect(m_paramChoices, &QLineEdit::editingFinished, this,
        [this] { setParamCell(3, m_paramChoices->text()); });
    connect(m_paramDescription, &QLineEdit::editingFinished, this,
        [this] { setParamCell(4, m_paramDescription->text()); });
    // A problem of a parameter marks its cell: the name, or the key its path names.
    m_form->custom(
        m_params, {QStringLiteral("params")},
        [this](const Flow &fl) {
            if (paramsFromTable() != fl.params || m_params->rowCount() != fl.params.size())
                fillParams(fl.params);
            showParamDetails();
        },
        [this](const Errors &problems) {
            markCells(m_params, problems, [](const QStringList &field) {
                static const QStringList keys{QString(), QStringLiteral("type"),
                    QStringLiteral("default"), QStringLiteral("values"),
                    QStringLiteral("description")};
                return QList<int>{std::max(0, int(keys.indexOf(field.value(1))))};
            });
        });
}

QTableWidget *FlowInspector::poolsTable(QWidget *parent)
{
    m_pools = new QTableWidget(0, 2, parent);
    m_pools->setObjectName(QStringLiteral("pools"));
    m_pools->setHorizontalHeaderLabels({tr("Pool"), tr("Slots")});
    m_pools->horizontalHeader()->setStretchLastSection(true);
    m_pools->verticalHeader()->hide();
    m_pools->setMinimumHeight(90);
    m_pools->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    connect(m_pools, &QTableWidget::cellChanged, this, [this] {
        if (!m_form->isUpdating()) {
            const QMap<QString, int> p = poolsFromTable();
            m_form->apply(QStringLiteral("pools"), [p](Flow &fl) { fl.limits.pools = p; });
        }
    });
    // A pool's problem (its name or its slots) marks its row.
    m_form->custom(
        m_pools, {QStringLiteral("limits"), QStringLiteral("pools")},
        [this](const Flow &fl) {
            if (poolsFromTable() != fl.limits.pools)
                fillPools(fl.limits.pools);
        },
        [this](const Errors &problems) {
            markCells(m_pools, problems, [](const QStringList &) { return QList<int>{0, 1}; });
        });
    return m_pools;
}

QList<ParamSpec> FlowInspector::paramsFromTable() const
{
    QList<ParamSpec> out;
    const QList<ParamSpec> &old = m_doc->flow().params;
    for (int r = 0; r < m_params->rowCount(); ++r) {
        ParamSpec p = r < old.size() ? old[r] : ParamSpec();
        auto text = [this, r](int c) {
            QTableWidgetItem *i = m_params->item(r, c);
            return i ? i->text().trimmed() : QString();
        };
        p.name = text(0);
        if (auto *combo = qobject_cast<QComboBox *>(m_params->cellWidget(r, 1)))
            p.type = paramTypeFromString(combo->currentText()).value_or(ParamType::String);
        const QString def = text(2);
        p.defaultValue = def.isEmpty() ? std::nullopt : std::optional<QString>(def);
        p.values.clear();
        for (const QString &v : text(3).split(QLatin1Char(','), Qt::SkipEmptyParts))
            p.values << v.trimmed();
        p.description = text(4);
        out << p;
    }
    return out;
}

QMap<QString, int> FlowInspector::poolsFromTable() const
{
    QMap<QString, int> out;
    for (int r = 0; r < m_pools->rowCount(); ++r) {
        QTableWidgetItem *n = m_pools->item(r, 0);
        QTableWidgetItem *s = m_pools->item(r, 1);
        if (n && !n->text().trimmed().isEmpty())
            out.insert(n->text().trimmed(), s ? s->text().toInt() : 0);
    }
    return out;
}

void FlowInspector::fillParams(const QList<ParamSpec> &params)
{
    m_params->setRowCount(int(params.size()));
    for (int r = 0; r < params.size(); ++r) {
        const ParamSpec &p = params[r];
        m_params->setItem(r, 0, new QTableWidgetItem(p.name));
        auto *combo = qobject_cast<QComboBox *>(m_params->cellWidget(r, 1));
        if (!combo) {
            combo = new QComboBox(m_params);
            for (ParamType t : {ParamType::String, ParamType::Int, ParamType::Bool, ParamType::Date,
                     ParamType::DateTime, ParamType::Choice})
                combo->addItem(toString(t));
            connect(combo, &QComboBox::activated, this, [this] {
                const QList<ParamSpec> ps = paramsFromTable();
                m_form->apply(QStringLiteral("params.type"), [ps](Flow &fl) { fl.params = ps; });
            });
            m_params->setCellWidget(r, 1, combo);
        }
        combo->setCurrentText(toString(p.type));
        m_params->setItem(r, 2, new QTableWidgetItem(p.defaultValue.value_or(QString())));
        m_params->setItem(r, 3, new QTableWidgetItem(p.values.join(QStringLiteral(", "))));
        m_params->setItem(r, 4, new QTableWidgetItem(p.description));
    }
}

void FlowInspector::showParamDetails()
{
    const int row = m_params->currentRow();
    const bool any = row >= 0 && row < m_params->rowCount();
    auto cell = [this, row](int column) {
        QTableWidgetItem *i = m_params->item(row, column);
        return i ? i->text() : QString();
    };
    for (auto [edit, column] : {std::pair{m_paramChoices, 3}, {m_paramDescription, 4}}) {
        edit->setEnabled(any);
        if (!edit->hasFocus())
            edit->setText(any ? cell(column) : QString());
    }
}

void FlowInspector::setParamCell(int column, const QString &text)
{
    const int row = m_params->currentRow();
    QTableWidgetItem *i = row >= 0 ? m_params->item(row, column) : nullptr;
    if (i && i->text() != text)
        i->setText(text); // cellChanged applies it
}

void FlowInspector::fillPools(const QMap<QString, int> &pools)
{
    m_pools->setRowCount(int(pools.size()));
    int r = 0;
    for (auto it = pools.cbegin(); it != pools.cend(); ++it, ++r) {
        m_pools->setItem(r, 0, new QTableWidgetItem(it.key()));
        auto *slots = new QTableWidgetItem;
        slots->setData(Qt::EditRole, it.value());
        m_pools->setItem(r, 1, slots);
    }
}

void FlowInspector::refresh()
{
    m_form->refresh();
    markProblems(); // the tables' cells may be new
}

// Validation problems of the flow's own settings (task problems are the task inspector's).
void FlowInspector::markProblems()
{
    m_form->markProblems(m_doc->problems());
}

} // namespace pw
