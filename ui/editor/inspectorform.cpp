#include "inspectorform.h"

#include "durationedit.h"
#include "fieldmarker.h"
#include "retrysettingseditor.h"

#include "model/flow.h"
#include "model/taskspec.h"

#include <QApplication>
#include <QCheckBox>
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
// While the selected subjects differ in a field, it shows empty with the placeholder "mixed";
// its own placeholder comes back when they agree. Text being typed is left alone.
void showMixed(QWidget *w, bool mixed)
{
    static const char kOwn[] = "pwOwnPlaceholder";
    auto swap = [mixed](auto *e) {
        if (mixed) {
            if (!e->property(kOwn).isValid())
                e->setProperty(kOwn, e->placeholderText());
            e->setPlaceholderText(InspectorFormBase::tr("mixed"));
        } else if (e->property(kOwn).isValid()) {
            e->setPlaceholderText(e->property(kOwn).toString());
            e->setProperty(kOwn, QVariant());
        }
    };
    if (auto *e = qobject_cast<QLineEdit *>(w)) {
        swap(e);
        if (mixed && !e->hasFocus())
            e->clear();
    } else if (auto *text = qobject_cast<QPlainTextEdit *>(w)) {
        swap(text);
        if (mixed && !text->hasFocus())
            text->clear();
    } else if (auto *c = qobject_cast<QComboBox *>(w)) {
        swap(c);
        if (mixed && !(c->isEditable() && c->lineEdit()->hasFocus())) {
            c->setCurrentIndex(-1);
            if (c->isEditable())
                c->lineEdit()->clear();
        }
    } else if (auto *b = qobject_cast<QSpinBox *>(w)) {
        if (auto *inner = b->findChild<QLineEdit *>()) {
            swap(inner);
            if (mixed && !inner->hasFocus())
                inner->clear();
        }
    }
}

void setTextIfChanged(QLineEdit *e, const QString &text)
{
    if (e->text() != text && !e->hasFocus()) {
        e->setText(text);
        e->setCursorPosition(0);
    }
}

// Does `path` hold the problem at `field`? An empty path holds only the subject itself.
bool holds(const QStringList &path, const QStringList &field)
{
    if (path.isEmpty())
        return field.isEmpty();
    return field.size() >= path.size() && std::equal(path.cbegin(), path.cend(), field.cbegin());
}
} // namespace

InspectorFormBase::Key::Key(const char *k, const char *p)
    : key(QString::fromLatin1(k)),
      path(p ? QString::fromLatin1(p).split(QLatin1Char('.')) : QStringList{key})
{ }

InspectorFormBase::InspectorFormBase(QWidget *owner) : QObject(owner)
{
    auto *outer = new QVBoxLayout(owner);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(owner);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(scroll);
    auto *page = new QWidget(scroll);
    scroll->setWidget(page);
    m_page = new QVBoxLayout(page);
    m_page->setContentsMargins(8, 8, 8, 8);
    m_page->setSpacing(8);
    // Moving the focus ends an editing session: the next edit is a new undo step.
    connect(qApp, &QApplication::focusChanged, this, [this] { ++m_session; });
}

QLabel *InspectorFormBase::addHeading(const QString &text, qreal scale)
{
    auto *heading = new QLabel(text, m_page->parentWidget());
    QFont font = heading->font();
    font.setBold(true);
    if (scale != 1.0)
        font.setPointSizeF(font.pointSizeF() * scale);
    heading->setFont(font);
    m_page->addWidget(heading);
    return heading;
}

QGroupBox *InspectorFormBase::addBox(const QString &title)
{
    auto *box = new QGroupBox(title, m_page->parentWidget());
    m_page->addWidget(box);
    return box;
}

QFormLayout *InspectorFormBase::addGroup(const QString &title, QGroupBox **box)
{
    QGroupBox *group = addBox(title);
    if (box)
        *box = group;
    auto *form = new QFormLayout(group);
    form->setContentsMargins(8, 8, 8, 8);
    form->setSpacing(8);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    return form;
}

void InspectorFormBase::finishPage()
{
    m_page->addStretch(1);
}

void InspectorFormBase::markProblems(const Errors &problems, const QStringList &subject)
{
    QList<Error> relative; // the problems of the subject, their fields under it
    for (const Error &e : problems) {
        if (e.isUnder(subject)) {
            relative << e;
            relative.last().field = e.field.mid(subject.size());
        }
    }
    const bool updating = m_updating;
    m_updating = true; // marking a table's cells must not read as an edit
    for (const Field &f : std::as_const(m_fields)) {
        Errors held;
        QStringList messages;
        for (const Error &e : std::as_const(relative)) {
            if (holds(f.path, e.field)) {
                held << e;
                held.last().field = e.field.mid(f.path.size());
                messages << e.message;
            }
        }
        if (f.mark)
            f.mark(held);
        else
            FieldMarker::markProblem(f.widget, messages.join(QLatin1Char('\n')));
    }
    m_updating = updating;
}

void InspectorFormBase::addField(Field field)
{
    m_fields << std::move(field);
}

void InspectorFormBase::refreshFields()
{
    m_updating = true;
    for (const Field &f : std::as_const(m_fields)) {
        if (f.refresh)
            f.refresh();
    }
    m_updating = false;
}

QString InspectorFormBase::mergeKey(const QString &key) const
{
    if (key.endsWith(QLatin1Char('+')) || key.endsWith(QLatin1Char('-')))
        return {};
    return key + QLatin1Char('#') + QString::number(m_session);
}

QString InspectorFormBase::macroText(const QString &key, int count)
{
    return tr("Change %1 of %n tasks", nullptr, count).arg(key);
}

QWidget *InspectorFormBase::parentFor(QFormLayout *form) const
{
    return form ? form->parentWidget() : m_page->parentWidget();
}

void InspectorFormBase::place(
    QWidget *widget, QFormLayout *form, const QString &label, const Key &key)
{
    widget->setObjectName(key.path.join(QLatin1Char('.')));
    if (form)
        form->addRow(label, widget);
}

template<typename T>
InspectorForm<T>::InspectorForm(
    QWidget *owner, QUndoStack *undo, Current current, Targets targets, MakeCommand command)
    : InspectorFormBase(owner),
      m_undo(undo),
      m_current(std::move(current)),
      m_targets(std::move(targets)),
      m_command(std::move(command))
{ }

template<typename T>
void InspectorForm<T>::apply(const QString &key, const Change &change)
{
    if (m_updating)
        return;
    QList<std::pair<T, T>> edits;
    for (const T &before : m_targets()) {
        T after = before;
        change(after);
        if (!(after == before))
            edits.append({before, std::move(after)});
    }
    if (edits.isEmpty())
        return;
    if (edits.size() == 1) {
        m_undo->push(m_command(edits.first().first, edits.first().second, key, mergeKey(key)));
        return;
    }
    m_undo->beginMacro(macroText(key, int(edits.size())));
    for (const auto &[before, after] : std::as_const(edits))
        m_undo->push(m_command(before, after, key, QString()));
    m_undo->endMacro();
}

template<typename T>
void InspectorForm<T>::applyText(QWidget *widget, const QString &key, const Binding<QString> &bind,
    const Check &check, const QString &text)
{
    const QString error = check ? check(text) : QString();
    if (check)
        FieldMarker::mark(widget, error);
    if (error.isEmpty())
        apply(key, [&bind, &text](T &t) { bind.set(t, text); });
}

template<typename T>
void InspectorForm<T>::refresh()
{
    if (!m_current())
        return;
    m_shown = m_targets();
    refreshFields();
}

template<typename T>
template<typename V>
bool InspectorForm<T>::isMixed(const Binding<V> &bind) const
{
    if (m_shown.size() < 2)
        return false;
    const V first = bind.get(m_shown.first());
    for (qsizetype i = 1; i < m_shown.size(); ++i) {
        if (!(bind.get(m_shown.at(i)) == first))
            return true;
    }
    return false;
}

template<typename T>
void InspectorForm<T>::bindField(
    QWidget *widget, const Key &key, std::function<void(const T &)> refresh)
{
    addField({widget, key.path,
        [this, refresh] {
            if (const T *t = m_current())
                refresh(*t);
        },
        {}});
}

template<typename T>
QLineEdit *InspectorForm<T>::lineEdit(
    QFormLayout *form, const QString &label, const Key &key, Binding<QString> bind, Check check)
{
    auto *e = new QLineEdit(parentFor(form));
    place(e, form, label, key);
    connect(e, &QLineEdit::editingFinished, this,
        [this, e, key, bind, check] { applyText(e, key.key, bind, check, e->text()); });
    bindField(e, key, [this, e, bind](const T &t) {
        const bool mixed = isMixed(bind);
        showMixed(e, mixed);
        if (!mixed)
            setTextIfChanged(e, bind.get(t));
    });
    return e;
}

template<typename T>
QPlainTextEdit *InspectorForm<T>::codeEdit(
    QFormLayout *form, const QString &label, const Key &key, Binding<QString> bind)
{
    auto *e = new QPlainTextEdit(parentFor(form));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setStyleHint(QFont::TypeWriter);
    mono.setFixedPitch(true);
    e->setFont(mono);
    e->setTabChangesFocus(true);
    e->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    e->setMinimumHeight(60);
    e->setMaximumHeight(140);
    place(e, form, label, key);
    connect(e, &QPlainTextEdit::textChanged, this, [this, e, key, bind] {
        if (m_updating)
            return;
        const QString v = e->toPlainText();
        apply(key.key, [&bind, v](T &t) { bind.set(t, v); });
    });
    // The text is replaced when it shows another value (an undo), and also normalized when the
    // operator is not typing in it ("B=2\n\nA=1" is shown as "A=1\nB=2").
    bindField(e, key, [this, e, bind](const T &t) {
        const bool mixed = isMixed(bind);
        showMixed(e, mixed);
        const QString text = bind.get(t);
        if (mixed || e->toPlainText() == text)
            return;
        T typed = t;
        bind.set(typed, e->toPlainText());
        if (!e->hasFocus() || !(typed == t))
            e->setPlainText(text);
    });
    return e;
}

template<typename T>
DurationEdit *InspectorForm<T>::durationEdit(
    QFormLayout *form, const QString &label, const Key &key, Binding<std::optional<qint64>> bind)
{
    auto *e = new DurationEdit(parentFor(form));
    place(e, form, label, key);
    connect(e, &DurationEdit::committed, this, [this, e, key, bind] {
        const std::optional<qint64> v = e->value();
        apply(key.key, [&bind, v](T &t) { bind.set(t, v); });
    });
    bindField(e, key, [this, e, bind](const T &t) {
        const bool mixed = isMixed(bind);
        showMixed(e, mixed);
        if (!mixed && !e->hasFocus())
            e->setValue(bind.get(t));
    });
    return e;
}

template<typename T>
QSpinBox *InspectorForm<T>::spinBox(QFormLayout *form, const QString &label, const Key &key,
    int minimum, int maximum, Binding<int> bind)
{
    auto *box = new QSpinBox(parentFor(form));
    box->setRange(minimum, maximum);
    place(box, form, label, key);
    connect(box, &QSpinBox::valueChanged, this,
        [this, key, bind](int v) { apply(key.key, [&bind, v](T &t) { bind.set(t, v); }); });
    bindField(box, key, [this, box, bind](const T &t) {
        const bool mixed = isMixed(bind);
        showMixed(box, mixed);
        if (mixed)
            return;
        const int v = bind.get(t);
        box->setValue(v);
        // After "mixed" the text is empty while the value may not have changed: show it.
        if (auto *e = box->findChild<QLineEdit *>(); e && e->text().isEmpty())
            e->setText(v == box->minimum() && !box->specialValueText().isEmpty()
                    ? box->specialValueText()
                    : box->prefix() + QString::number(v) + box->suffix());
    });
    return box;
}

template<typename T>
QComboBox *InspectorForm<T>::choice(QFormLayout *form, const QString &label, const Key &key,
    Binding<int> bind, std::function<bool(int value)> confirm)
{
    auto *combo = new QComboBox(parentFor(form));
    place(combo, form, label, key);
    connect(combo, &QComboBox::activated, this, [this, combo, key, bind, confirm] {
        const int v = combo->currentData().toInt();
        if (confirm && !confirm(v)) {
            refresh();
            return;
        }
        apply(key.key, [&bind, v](T &t) { bind.set(t, v); });
    });
    bindField(combo, key, [this, combo, bind](const T &t) {
        const bool mixed = isMixed(bind);
        showMixed(combo, mixed);
        if (!mixed)
            combo->setCurrentIndex(combo->findData(bind.get(t)));
    });
    return combo;
}

template<typename T>
QComboBox *InspectorForm<T>::editableChoice(QFormLayout *form, const QString &label, const Key &key,
    Binding<QString> bind, std::function<QStringList()> items, bool whileTyping, Check check)
{
    auto *combo = new QComboBox(parentFor(form));
    combo->setEditable(true);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(8);
    place(combo, form, label, key);
    auto commit = [this, combo, key, bind, check](const QString &v) {
        if (!m_updating)
            applyText(combo, key.key, bind, check, v);
    };
    if (whileTyping) {
        connect(combo, &QComboBox::currentTextChanged, this, commit);
    } else {
        connect(combo->lineEdit(), &QLineEdit::editingFinished, this,
            [combo, commit] { commit(combo->currentText()); });
        connect(
            combo, &QComboBox::activated, this, [combo, commit] { commit(combo->currentText()); });
    }
    bindField(combo, key, [this, combo, bind, items](const T &t) {
        if (items) {
            const QStringList wanted = items();
            QStringList shown;
            for (int i = 0; i < combo->count(); ++i)
                shown << combo->itemText(i);
            if (shown != wanted) {
                combo->clear();
                combo->addItems(wanted);
            }
        }
        const bool mixed = isMixed(bind);
        showMixed(combo, mixed);
        if (!mixed && !combo->lineEdit()->hasFocus())
            combo->setCurrentText(bind.get(t));
    });
    return combo;
}

template<typename T>
QCheckBox *InspectorForm<T>::checkBox(
    QFormLayout *form, const QString &text, const Key &key, Binding<bool> bind)
{
    auto *box = new QCheckBox(text, parentFor(form));
    place(box, form, QString(), key);
    // clicked, not toggled: a click on a "mixed" (partly checked) box checks it for all.
    connect(box, &QCheckBox::clicked, this, [this, box, key, bind] {
        const bool on = box->checkState() != Qt::Unchecked;
        apply(key.key, [&bind, on](T &t) { bind.set(t, on); });
    });
    bindField(box, key, [this, box, bind](const T &t) {
        const bool mixed = isMixed(bind);
        box->setTristate(mixed);
        box->setCheckState(
            mixed ? Qt::PartiallyChecked : (bind.get(t) ? Qt::Checked : Qt::Unchecked));
    });
    return box;
}

template<typename T>
QLabel *InspectorForm<T>::label(
    QFormLayout *form, const QString &name, const Key &key, std::function<QString(const T &)> text)
{
    auto *l = new QLabel(parentFor(form));
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    place(l, form, name, key);
    bindField(l, key, [l, text](const T &t) { l->setText(text(t)); });
    return l;
}

template<typename T>
RetrySettingsEditor *InspectorForm<T>::retrySettings(QGroupBox *box, RetrySettings T::*member,
    const QString &keyPrefix, const QStringList &pathPrefix)
{
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(8, 8, 8, 8);
    auto *editor = new RetrySettingsEditor(box);
    layout->addWidget(editor);
    connect(editor, &RetrySettingsEditor::edited, this,
        [this, editor, member, keyPrefix](const QString &key) {
            const RetrySettings v = editor->value();
            apply(keyPrefix + key,
                [member, key, v](T &t) { RetrySettingsEditor::copy(key, v, t.*member); });
        });
    addField({editor, {},
        [this, editor, member] {
            if (const T *t = m_current())
                editor->setValue(t->*member);
        },
        // The editor itself is never marked; its fields are (below).
        [](const Errors &) {}});
    for (const QString &key : RetrySettingsEditor::keys())
        addField({editor->field(key), pathPrefix + QStringList{key}, {}, {}});
    return editor;
}

template<typename T>
void InspectorForm<T>::custom(QWidget *widget, const QStringList &path,
    std::function<void(const T &)> refresh, std::function<void(const Errors &)> mark)
{
    addField({widget, path,
        [this, refresh] {
            if (const T *t = m_current())
                refresh(*t);
        },
        std::move(mark)});
}

template class InspectorForm<Flow>;
template class InspectorForm<TaskSpec>;

} // namespace pw
