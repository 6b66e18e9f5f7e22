#include "paramsdialog.h"

#include "format/runplanner.h"
#include "history/historystore.h"
#include "historyreader.h"
#include "statepalette.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace pw {

namespace {

QDate defaultDate(const ParamSpec &p)
{
    auto c = p.canonicalize(
        p.defaultValue.value_or(QStringLiteral("today")), QDateTime::currentDateTime());
    const QDate d = c ? QDate::fromString(*c, Qt::ISODate) : QDate();
    return d.isValid() ? d : QDate::currentDate();
}

} // namespace

ParamsDialog::ParamsDialog(const Flow &flow, HistoryReader *reader, QWidget *parent)
    : QDialog(parent), m_flow(flow), m_reader(reader)
{
    setObjectName(QStringLiteral("paramsDialog"));
    setWindowTitle(tr("Run %1").arg(flow.title.isEmpty() ? flow.id : flow.title));
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(8);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    for (const ParamSpec &p : flow.params) {
        QWidget *editor = editorFor(p);
        editor->setObjectName(QStringLiteral("param_") + p.name);
        QLabel *help = nullptr;
        if (!p.description.isEmpty()) {
            editor->setToolTip(p.description);
            help = new QLabel(p.description, this);
            help->setObjectName(QStringLiteral("help_") + p.name);
            help->setWordWrap(true);
            help->setTextFormat(Qt::PlainText);
            help->setForegroundRole(QPalette::PlaceholderText);
        }
        auto *error = new QLabel(this);
        error->setObjectName(QStringLiteral("error_") + p.name);
        error->setStyleSheet(QStringLiteral("color: #D55E00"));
        error->setWordWrap(true);
        error->hide();
        auto *cell = new QWidget(this);
        auto *v = new QVBoxLayout(cell);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(2);
        v->addWidget(editor);
        if (help)
            v->addWidget(help);
        v->addWidget(error);
        form->addRow(p.name + QStringLiteral(" (") + toString(p.type) + QStringLiteral(")"), cell);
        m_editors.insert(p.name, editor);
        m_errors.insert(p.name, error);
    }
    if (flow.params.isEmpty())
        form->addRow(new QLabel(tr("This flow has no parameters."), this));
    layout->addLayout(form);

    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("existingRun"));
    m_info->setWordWrap(true);
    m_info->setMinimumWidth(360);
    m_info->setTextFormat(Qt::PlainText);
    layout->addWidget(m_info);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, &ParamsDialog::lookUp);
    changed();
}

// The line under the parameters says what OK will do; the dialog grows to show all of it (a
// word-wrapped label's height depends on its width, which the layout's size hint ignores).
void ParamsDialog::setInfo(const QString &text)
{
    m_info->setText(text);
    fitToContent();
}

void ParamsDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    fitToContent();
}

void ParamsDialog::fitToContent()
{
    QLayout *l = layout();
    if (!l)
        return;
    l->activate();
    const int h
        = l->hasHeightForWidth() ? l->totalHeightForWidth(width()) : l->totalSizeHint().height();
    setMinimumHeight(h);
    if (height() < h)
        resize(width(), h);
}

QWidget *ParamsDialog::editorFor(const ParamSpec &p)
{
    const QString def = p.defaultValue.value_or(QString());
    switch (p.type) {
    case ParamType::Date: {
        auto *e = new QDateEdit(defaultDate(p), this);
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        connect(e, &QDateEdit::dateChanged, this, &ParamsDialog::changed);
        return e;
    }
    case ParamType::DateTime: {
        auto c = p.canonicalize(
            def.isEmpty() ? QStringLiteral("now") : def, QDateTime::currentDateTime());
        QDateTime dt = c ? QDateTime::fromString(*c, Qt::ISODate) : QDateTime::currentDateTimeUtc();
        auto *e = new QDateTimeEdit(dt.toUTC(), this);
        e->setTimeSpec(Qt::UTC);
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
        connect(e, &QDateTimeEdit::dateTimeChanged, this, &ParamsDialog::changed);
        return e;
    }
    case ParamType::Int: {
        auto *e = new QSpinBox(this);
        e->setRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
        e->setValue(def.toInt());
        connect(e, &QSpinBox::valueChanged, this, &ParamsDialog::changed);
        return e;
    }
    case ParamType::Bool: {
        auto *e = new QCheckBox(this);
        auto c = p.canonicalize(
            def.isEmpty() ? QStringLiteral("false") : def, QDateTime::currentDateTime());
        e->setChecked(c && *c == QLatin1String("true"));
        connect(e, &QCheckBox::toggled, this, &ParamsDialog::changed);
        return e;
    }
    case ParamType::Choice: {
        auto *e = new QComboBox(this);
        e->addItems(p.values);
        if (!def.isEmpty())
            e->setCurrentText(def);
        connect(e, &QComboBox::currentTextChanged, this, &ParamsDialog::changed);
        return e;
    }
    case ParamType::String: {
        auto *e = new QLineEdit(def, this);
        connect(e, &QLineEdit::textChanged, this, &ParamsDialog::changed);
        return e;
    }
    }
    return new QWidget(this);
}

QString ParamsDialog::value(const QString &name) const
{
    QWidget *w = m_editors.value(name);
    if (auto *e = qobject_cast<QDateTimeEdit *>(w)) {
        if (qobject_cast<QDateEdit *>(w))
            return e->date().toString(Qt::ISODate);
        return e->dateTime().toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
    }
    if (auto *e = qobject_cast<QSpinBox *>(w))
        return QString::number(e->value());
    if (auto *e = qobject_cast<QCheckBox *>(w))
        return e->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    if (auto *e = qobject_cast<QComboBox *>(w))
        return e->currentText();
    if (auto *e = qobject_cast<QLineEdit *>(w))
        return e->text();
    return {};
}

void ParamsDialog::setValue(const QString &name, const QString &raw)
{
    QWidget *w = m_editors.value(name);
    if (auto *e = qobject_cast<QDateEdit *>(w))
        e->setDate(QDate::fromString(raw, Qt::ISODate));
    else if (auto *dt = qobject_cast<QDateTimeEdit *>(w))
        dt->setDateTime(QDateTime::fromString(raw, Qt::ISODate).toUTC());
    else if (auto *s = qobject_cast<QSpinBox *>(w))
        s->setValue(raw.toInt());
    else if (auto *c = qobject_cast<QCheckBox *>(w))
        c->setChecked(raw == QLatin1String("true"));
    else if (auto *cb = qobject_cast<QComboBox *>(w))
        cb->setCurrentText(raw);
    else if (auto *l = qobject_cast<QLineEdit *>(w))
        l->setText(raw);
}

QMap<QString, QString> ParamsDialog::values() const
{
    QMap<QString, QString> out;
    for (const ParamSpec &p : m_flow.params)
        out.insert(p.name, value(p.name));
    return out;
}

Result<RunPlan> ParamsDialog::plan() const
{
    return RunPlanner::plan(m_flow, values());
}

void ParamsDialog::changed()
{
    bool valid = true;
    const QDateTime now = QDateTime::currentDateTime();
    for (const ParamSpec &p : m_flow.params) {
        auto c = p.canonicalize(value(p.name), now);
        QLabel *error = m_errors.value(p.name);
        error->setVisible(!c);
        if (!c) {
            error->setText(c.error().message);
            valid = false;
        }
    }
    ++m_generation;
    m_existing.reset();
    m_action = Action::Run;
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Run"));
    if (!valid) {
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
        m_info->clear();
        return;
    }
    // Until the lookup answers, OK waits: a duplicate must never start silently.
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_checking = true;
    setInfo(tr("Looking for an earlier run with these parameters…"));
    m_debounce.start();
}

void ParamsDialog::lookUp()
{
    auto p = plan();
    if (!p) {
        m_checking = false;
        setInfo(p.error().message);
        Q_EMIT checked();
        return;
    }
    const QString key = p->key();
    const quint64 generation = m_generation;
    m_reader
        ->read([key](HistoryStore *store) -> Result<std::optional<RunRecord>> {
            if (!store)
                return std::optional<RunRecord>(); // no history yet: nothing ran
            return store->runByKey(key);
        })
        .then(this, [this, generation](const Result<std::optional<RunRecord>> &r) {
            if (generation != m_generation)
                return;
            m_checking = false;
            QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
            ok->setEnabled(true);
            if (!r) {
                setInfo(tr("Cannot check earlier runs: %1").arg(r.error().message));
            } else if (!*r) {
                setInfo(tr("No run with these parameters yet."));
            } else {
                m_existing = **r;
                const RunRecord &run = *m_existing;
                const QString when
                    = QDateTime::fromMSecsSinceEpoch(run.started ? run.started : run.created)
                          .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
                switch (run.state) {
                case RunState::Failed:
                case RunState::Cancelled:
                case RunState::Interrupted:
                    m_action = Action::Recover;
                    setInfo(tr("Run %1 with these parameters ended %2 (%3). Recovering it runs its "
                               "failed tasks and everything after them again and keeps the "
                               "succeeded ones.")
                                .arg(run.id)
                                .arg(StatePalette::label(run.state), when));
                    ok->setText(tr("Recover run %1").arg(run.id));
                    break;
                case RunState::Succeeded:
                    m_action = Action::Force;
                    setInfo(tr("Run %1 with these parameters succeeded (%2). Running it again runs "
                               "all of its tasks again.")
                                .arg(run.id)
                                .arg(when));
                    ok->setText(tr("Run all tasks again"));
                    break;
                case RunState::Queued:
                case RunState::Running:
                    m_action = Action::Refused;
                    setInfo(tr("Run %1 with these parameters is %2 (since %3). Wait for it or "
                               "cancel it first.")
                                .arg(run.id)
                                .arg(StatePalette::label(run.state), when));
                    ok->setEnabled(false);
                    break;
                }
            }
            Q_EMIT checked();
        });
}

QString ParamsDialog::message() const
{
    return m_info->text();
}

RunRequest ParamsDialog::request() const
{
    RunRequest req;
    req.kind = RunRequest::Kind::Run;
    auto p = plan();
    if (p)
        req.plan = *p;
    req.force = m_action == Action::Force;
    return req;
}

} // namespace pw
