#include "flowinspector.h"

#include "durationedit.h"
#include "fieldmarker.h"
#include "flowdocument.h"
#include "retrysettingseditor.h"
#include "setflowsettingscommand.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimeZone>
#include <QUndoStack>
#include <QVBoxLayout>

namespace pw {

namespace {
QFormLayout *newForm(QWidget *parent)
{
    auto *form = new QFormLayout(parent);
    form->setContentsMargins(8, 8, 8, 8);
    form->setSpacing(8);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    return form;
}
void setTextIfChanged(QLineEdit *e, const QString &text)
{
    if (e->text() != text && !e->hasFocus()) {
        e->setText(text);
        e->setCursorPosition(0);
    }
}
const QStringList kNotifyEvents{QStringLiteral("failure"), QStringLiteral("retry"),
                                QStringLiteral("success"), QStringLiteral("sla")};
} // namespace

FlowInspector::FlowInspector(FlowDocument *doc, QUndoStack *undo, QWidget *parent)
    : QWidget(parent), m_doc(doc), m_undo(undo)
{
    setObjectName(QStringLiteral("flowInspector"));
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

    auto *hint = new QLabel(tr("Flow settings — select a task to edit it"), page);
    QFont hf = hint->font();
    hf.setBold(true);
    hint->setFont(hf);
    layout->addWidget(hint);

    auto *general = new QGroupBox(tr("Flow"), page);
    auto *gf = newForm(general);
    m_id = new QLineEdit(general);
    m_id->setObjectName(QStringLiteral("flowId"));
    connect(m_id, &QLineEdit::textEdited, this, [this](const QString &t) {
        FieldMarker::mark(m_id, isValidId(t) ? QString()
                                             : tr("Letters, digits, _ . - only; must not start with . or -"));
    });
    connect(m_id, &QLineEdit::editingFinished, this, [this] {
        const QString v = m_id->text().trimmed();
        if (isValidId(v))
            apply(QStringLiteral("id"), [v](Flow &f) { f.id = v; });
    });
    m_title = lineEdit(QStringLiteral("title"), [](Flow &f, const QString &v) { f.title = v; });
    m_description = lineEdit(QStringLiteral("description"), [](Flow &f, const QString &v) { f.description = v; });
    gf->addRow(tr("Id"), m_id);
    gf->addRow(tr("Title"), m_title);
    gf->addRow(tr("Description"), m_description);
    layout->addWidget(general);

    // Params
    auto *paramsGroup = new QGroupBox(tr("Parameters"), page);
    auto *pl = new QVBoxLayout(paramsGroup);
    pl->setContentsMargins(8, 8, 8, 8);
    pl->setSpacing(8);
    m_params = new QTableWidget(0, 5, paramsGroup);
    m_params->setObjectName(QStringLiteral("params"));
    m_params->setHorizontalHeaderLabels({tr("Name"), tr("Type"), tr("Default"), tr("Choices"), tr("Description")});
    m_params->horizontalHeader()->setStretchLastSection(true);
    m_params->verticalHeader()->hide();
    m_params->setMinimumHeight(110);
    m_params->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_params->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_params->horizontalHeader()->setDefaultSectionSize(80);
    connect(m_params, &QTableWidget::cellChanged, this, [this] {
        if (!m_updating) {
            const QList<ParamSpec> p = paramsFromTable();
            apply(QStringLiteral("params"), [p](Flow &f) { f.params = p; });
        }
    });
    auto *pButtons = new QHBoxLayout;
    auto *addParam = new QPushButton(tr("Add parameter"), paramsGroup);
    auto *removeParam = new QPushButton(tr("Remove"), paramsGroup);
    pButtons->addWidget(addParam);
    pButtons->addWidget(removeParam);
    pButtons->addStretch(1);
    connect(addParam, &QPushButton::clicked, this, [this] {
        QList<ParamSpec> p = m_doc->flow().params;
        ParamSpec s;
        int n = int(p.size()) + 1;
        s.name = QStringLiteral("param%1").arg(n);
        while (m_doc->flow().param(s.name))
            s.name = QStringLiteral("param%1").arg(++n);
        s.type = ParamType::String;
        s.defaultValue = QString();
        p << s;
        apply(QStringLiteral("params+"), [p](Flow &f) { f.params = p; });
    });
    connect(removeParam, &QPushButton::clicked, this, [this] {
        const int row = m_params->currentRow();
        QList<ParamSpec> p = m_doc->flow().params;
        if (row < 0 || row >= p.size())
            return;
        p.removeAt(row);
        apply(QStringLiteral("params-"), [p](Flow &f) { f.params = p; });
    });
    pl->addWidget(m_params);
    pl->addLayout(pButtons);
    layout->addWidget(paramsGroup);

    // Schedule
    auto *schedule = new QGroupBox(tr("Schedule"), page);
    auto *sf = newForm(schedule);
    m_cron = lineEdit(QStringLiteral("schedule"), [](Flow &f, const QString &v) { f.schedule.cron = v.trimmed(); });
    m_cron->setPlaceholderText(tr("not scheduled (e.g. 0 3 * * *)"));
    m_timezone = new QComboBox(schedule);
    m_timezone->setEditable(true);
    m_timezone->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_timezone->setMinimumContentsLength(8);
    m_timezone->addItem(QString());
    for (const QByteArray &z : QTimeZone::availableTimeZoneIds())
        m_timezone->addItem(QString::fromLatin1(z));
    connect(m_timezone, &QComboBox::currentTextChanged, this, [this](const QString &v) {
        if (m_updating)
            return;
        const bool ok = v.isEmpty() || QTimeZone(v.toLatin1()).isValid();
        FieldMarker::mark(m_timezone, ok ? QString() : tr("Unknown time zone"));
        if (ok)
            apply(QStringLiteral("timezone"), [v](Flow &f) { f.schedule.timezone = v; });
    });
    m_catchup = new QCheckBox(tr("Run missed schedules (catch up)"), schedule);
    connect(m_catchup, &QCheckBox::toggled, this, [this](bool on) {
        apply(QStringLiteral("catchup"), [on](Flow &f) { f.schedule.catchup = on; });
    });
    m_start = new QLineEdit(schedule);
    m_start->setPlaceholderText(QStringLiteral("YYYY-MM-DD"));
    connect(m_start, &QLineEdit::editingFinished, this, [this] {
        const QString v = m_start->text().trimmed();
        const QDate d = QDate::fromString(v, Qt::ISODate);
        FieldMarker::mark(m_start, v.isEmpty() || d.isValid() ? QString() : tr("A date like 2026-11-01"));
        if (v.isEmpty() || d.isValid())
            apply(QStringLiteral("start"), [v, d](Flow &f) {
                f.schedule.start = v.isEmpty() ? std::nullopt : std::optional<QDate>(d);
            });
    });
    m_scheduleParam = new QComboBox(schedule);
    m_scheduleParam->setEditable(true);
    m_scheduleParam->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_scheduleParam->setMinimumContentsLength(8);
    connect(m_scheduleParam, &QComboBox::currentTextChanged, this, [this](const QString &v) {
        if (!m_updating)
            apply(QStringLiteral("schedule_param"), [v](Flow &f) { f.schedule.param = v; });
    });
    m_offset = new DurationEdit(schedule);
    m_offset->setPlaceholderText(tr("none (e.g. -1d)"));
    connect(m_offset, &DurationEdit::committed, this, [this] {
        const auto v = m_offset->value();
        apply(QStringLiteral("offset"), [v](Flow &f) { f.schedule.offsetMs = v; });
    });
    sf->addRow(tr("Cron"), m_cron);
    sf->addRow(tr("Time zone"), m_timezone);
    sf->addRow(QString(), m_catchup);
    sf->addRow(tr("Start"), m_start);
    sf->addRow(tr("Parameter"), m_scheduleParam);
    sf->addRow(tr("Offset"), m_offset);
    layout->addWidget(schedule);

    // Limits
    auto *limits = new QGroupBox(tr("Limits and pools"), page);
    auto *lf = newForm(limits);
    m_maxParallel = new QSpinBox(limits);
    m_maxParallel->setRange(0, 1024);
    m_maxParallel->setSpecialValueText(tr("engine default"));
    connect(m_maxParallel, &QSpinBox::valueChanged, this, [this](int v) {
        apply(QStringLiteral("max_parallel"), [v](Flow &f) {
            f.limits.maxParallel = v > 0 ? std::optional<int>(v) : std::nullopt;
        });
    });
    m_maxActiveRuns = new QSpinBox(limits);
    m_maxActiveRuns->setRange(0, 1024);
    m_maxActiveRuns->setSpecialValueText(tr("unlimited"));
    connect(m_maxActiveRuns, &QSpinBox::valueChanged, this, [this](int v) {
        apply(QStringLiteral("max_active_runs"), [v](Flow &f) {
            f.limits.maxActiveRuns = v > 0 ? std::optional<int>(v) : std::nullopt;
        });
    });
    m_pools = new QTableWidget(0, 2, limits);
    m_pools->setObjectName(QStringLiteral("pools"));
    m_pools->setHorizontalHeaderLabels({tr("Pool"), tr("Slots")});
    m_pools->horizontalHeader()->setStretchLastSection(true);
    m_pools->verticalHeader()->hide();
    m_pools->setMinimumHeight(90);
    m_pools->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    connect(m_pools, &QTableWidget::cellChanged, this, [this] {
        if (!m_updating) {
            const QMap<QString, int> p = poolsFromTable();
            apply(QStringLiteral("pools"), [p](Flow &f) { f.limits.pools = p; });
        }
    });
    auto *addPool = new QPushButton(tr("Add pool"), limits);
    connect(addPool, &QPushButton::clicked, this, [this] {
        QMap<QString, int> p = m_doc->flow().limits.pools;
        QString name = QStringLiteral("pool");
        for (int n = 2; p.contains(name); ++n)
            name = QStringLiteral("pool%1").arg(n);
        p.insert(name, 1);
        apply(QStringLiteral("pools+"), [p](Flow &f) { f.limits.pools = p; });
    });
    lf->addRow(tr("Max parallel"), m_maxParallel);
    lf->addRow(tr("Max active runs"), m_maxActiveRuns);
    lf->addRow(tr("Pools"), m_pools);
    lf->addRow(QString(), addPool);
    layout->addWidget(limits);

    // Defaults
    auto *defaults = new QGroupBox(tr("Task defaults"), page);
    auto *dl = new QVBoxLayout(defaults);
    dl->setContentsMargins(8, 8, 8, 8);
    m_defaults = new RetrySettingsEditor(defaults);
    dl->addWidget(m_defaults);
    connect(m_defaults, &RetrySettingsEditor::edited, this, [this](const QString &field) {
        const RetrySettings v = m_defaults->value();
        apply(QStringLiteral("defaults.") + field, [field, v](Flow &f) {
            RetrySettings &s = f.defaults;
            if (field == QLatin1String("retries")) s.retries = v.retries;
            else if (field == QLatin1String("retry_delay")) s.retryDelayMs = v.retryDelayMs;
            else if (field == QLatin1String("backoff")) s.backoff = v.backoff;
            else if (field == QLatin1String("max_retry_delay")) s.maxRetryDelayMs = v.maxRetryDelayMs;
            else if (field == QLatin1String("jitter")) s.jitter = v.jitter;
            else if (field == QLatin1String("retry_on")) s.retryOn = v.retryOn;
            else if (field == QLatin1String("timeout")) s.timeoutMs = v.timeoutMs;
        });
    });
    layout->addWidget(defaults);

    // Notify + SLA
    auto *notify = new QGroupBox(tr("Notifications and SLA"), page);
    auto *nf = newForm(notify);
    auto *onRow = new QGridLayout;
    onRow->setContentsMargins(0, 0, 0, 0);
    for (const QString &ev : kNotifyEvents) {
        auto *cb = new QCheckBox(ev, notify);
        onRow->addWidget(cb, int(m_notifyOn.size()) / 2, int(m_notifyOn.size()) % 2);
        m_notifyOn << cb;
        connect(cb, &QCheckBox::toggled, this, [this] {
            QStringList on;
            for (int i = 0; i < m_notifyOn.size(); ++i) {
                if (m_notifyOn[i]->isChecked())
                    on << kNotifyEvents[i];
            }
            apply(QStringLiteral("notify.on"), [on](Flow &f) { f.notify.on = on; });
        });
    }
    m_notifyCommand = lineEdit(QStringLiteral("notify.command"), [](Flow &f, const QString &v) { f.notify.command = v; });
    m_notifyCommand->setPlaceholderText(QStringLiteral("notify-send {{flow}} {{state}}"));
    m_webhook = lineEdit(QStringLiteral("notify.webhook"), [](Flow &f, const QString &v) { f.notify.webhook = v.trimmed(); });
    m_webhook->setPlaceholderText(QStringLiteral("http://…"));
    m_slaDuration = new DurationEdit(notify);
    m_slaDuration->setPlaceholderText(tr("none (e.g. 2h)"));
    connect(m_slaDuration, &DurationEdit::committed, this, [this] {
        const auto v = m_slaDuration->value();
        apply(QStringLiteral("sla.duration"), [v](Flow &f) { f.sla.durationMs = v; });
    });
    m_slaTime = new QLineEdit(notify);
    m_slaTime->setPlaceholderText(QStringLiteral("HH:MM"));
    connect(m_slaTime, &QLineEdit::editingFinished, this, [this] {
        const QString v = m_slaTime->text().trimmed();
        const bool ok = v.isEmpty() || QTime::fromString(v, QStringLiteral("HH:mm")).isValid();
        FieldMarker::mark(m_slaTime, ok ? QString() : tr("A local time like 06:30"));
        if (ok)
            apply(QStringLiteral("sla.time"), [v](Flow &f) { f.sla.time = v; });
    });
    nf->addRow(tr("Notify on"), onRow);
    nf->addRow(tr("Command"), m_notifyCommand);
    nf->addRow(tr("Webhook"), m_webhook);
    nf->addRow(tr("SLA duration"), m_slaDuration);
    nf->addRow(tr("SLA time"), m_slaTime);
    layout->addWidget(notify);
    layout->addStretch(1);

    connect(doc, &FlowDocument::settingsChanged, this, &FlowInspector::refresh);
    connect(qApp, &QApplication::focusChanged, this, [this] { ++m_session; });
    connect(doc, &FlowDocument::reset, this, &FlowInspector::refresh);
    refresh();
}

QLineEdit *FlowInspector::lineEdit(const QString &field,
                                   const std::function<void(Flow &, const QString &)> &set)
{
    auto *e = new QLineEdit(this);
    e->setObjectName(field);
    connect(e, &QLineEdit::editingFinished, this, [this, e, field, set] {
        const QString v = e->text();
        apply(field, [&set, v](Flow &f) { set(f, v); });
    });
    return e;
}

void FlowInspector::apply(const QString &field, const std::function<void(Flow &)> &change)
{
    if (m_updating)
        return;
    const Flow before = m_doc->settings();
    Flow after = before;
    change(after);
    if (after == before)
        return;
    // "+"/"-" suffixed fields (add/remove buttons) never merge with typing.
    const bool merge = !field.endsWith(QLatin1Char('+')) && !field.endsWith(QLatin1Char('-'));
    m_undo->push(new SetFlowSettingsCommand(m_doc, before, after, field,
                                            merge ? field + QLatin1Char('#') + QString::number(m_session) : QString()));
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
                apply(QStringLiteral("params.type"), [ps](Flow &f) { f.params = ps; });
            });
            m_params->setCellWidget(r, 1, combo);
        }
        combo->setCurrentText(toString(p.type));
        m_params->setItem(r, 2, new QTableWidgetItem(p.defaultValue.value_or(QString())));
        m_params->setItem(r, 3, new QTableWidgetItem(p.values.join(QStringLiteral(", "))));
        m_params->setItem(r, 4, new QTableWidgetItem(p.description));
    }
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
    m_updating = true;
    const Flow &f = m_doc->flow();
    setTextIfChanged(m_id, f.id);
    setTextIfChanged(m_title, f.title);
    setTextIfChanged(m_description, f.description);
    if (paramsFromTable() != f.params || m_params->rowCount() != f.params.size())
        fillParams(f.params);
    setTextIfChanged(m_cron, f.schedule.cron);
    if (!m_timezone->lineEdit()->hasFocus())
        m_timezone->setCurrentText(f.schedule.timezone);
    m_catchup->setChecked(f.schedule.catchup);
    setTextIfChanged(m_start, f.schedule.start ? f.schedule.start->toString(Qt::ISODate) : QString());
    QStringList names{QString()};
    for (const ParamSpec &p : f.params)
        names << p.name;
    m_scheduleParam->clear();
    m_scheduleParam->addItems(names);
    m_scheduleParam->setCurrentText(f.schedule.param);
    if (!m_offset->hasFocus())
        m_offset->setValue(f.schedule.offsetMs);
    m_maxParallel->setValue(f.limits.maxParallel.value_or(0));
    m_maxActiveRuns->setValue(f.limits.maxActiveRuns.value_or(0));
    if (poolsFromTable() != f.limits.pools)
        fillPools(f.limits.pools);
    m_defaults->setValue(f.defaults);
    for (int i = 0; i < m_notifyOn.size(); ++i)
        m_notifyOn[i]->setChecked(f.notify.on.contains(kNotifyEvents[i]));
    setTextIfChanged(m_notifyCommand, f.notify.command);
    setTextIfChanged(m_webhook, f.notify.webhook);
    if (!m_slaDuration->hasFocus())
        m_slaDuration->setValue(f.sla.durationMs);
    setTextIfChanged(m_slaTime, f.sla.time);
    m_updating = false;
}

} // namespace pw
