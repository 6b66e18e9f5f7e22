#pragma once

#include "model/error.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QUndoCommand;
class QUndoStack;
class QVBoxLayout;
class QWidget;

namespace pw {

class DurationEdit;
class RetrySettingsEditor;
struct RetrySettings;

// The form machinery both inspectors (FlowInspector, TaskInspector) share: a scrolling page of
// group boxes on the 8 px grid; builders that bind a widget to one value of the inspected
// subject; one apply path to the undo stack; refresh; and validation marks. An inspector only
// declares its fields.
//
// Every field has
// - a key: it names the undo command ("Change retries of load") and merges typing: edits with
//   the same key in one editing session (until the focus moves or the selection changes) are
//   one undo step; keys ending in '+' or '-' (add and remove buttons) never merge;
// - a path under the subject in the flow file's schema ({"schedule", "timezone"}; by default
//   the key): a validation problem whose Error::field lies at or under that path marks the
//   widget (FieldMarker::markProblem). An empty path is the subject's own id: it takes only the
//   problems of exactly the subject ({"tasks", ID}).
//
// InspectorFormBase holds what does not depend on the subject's type; InspectorForm<T> (T =
// Flow or TaskSpec, instantiated in inspectorform.cpp) adds the apply path and the builders.
// Main (GUI) thread only.
class InspectorFormBase : public QObject
{
    Q_OBJECT
public:
    // A field's key and its schema path, written "retry_delay" or {"partition", "partition.table"}
    // (the path dotted: the schema's own keys have no dots).
    struct Key
    {
        Key(const char *key, const char *path = nullptr);
        QString key;
        QStringList path;
    };

    // Builds the scrolling page inside `owner` (which must not have a layout yet).
    explicit InspectorFormBase(QWidget *owner);

    QVBoxLayout *page() const { return m_page; }
    // A bold heading at the top of the page (`scale` times the normal size).
    QLabel *addHeading(const QString &text, qreal scale = 1.0);
    // A titled group box on the page, empty or with a form layout (8 px margins and spacing).
    QGroupBox *addBox(const QString &title);
    QFormLayout *addGroup(const QString &title, QGroupBox **box = nullptr);
    // Ends the page (the stretch below the last group).
    void finishPage();

    bool isUpdating() const { return m_updating; }
    // Starts a new editing session, so the next edit is a new undo step.
    void newSession() { ++m_session; }

    // Shows `problems` (errors at or under `subject`, e.g. {"tasks", "load"}; {} = the flow) on
    // the fields whose path holds them, and clears the marks of the others.
    void markProblems(const Errors &problems, const QStringList &subject = {});

protected:
    struct Field
    {
        QWidget *widget = nullptr;
        QStringList path;
        std::function<void()> refresh; // widget <- subject, while isUpdating()
        // Custom marks (tables); gets the problems with `field` made relative to the path.
        std::function<void(const Errors &)> mark;
    };
    void addField(Field field);
    // Runs every field's refresh with isUpdating() set, then marks nothing (see markProblems).
    void refreshFields();
    QString mergeKey(const QString &key) const;
    // The undo text of one edit applied to `count` tasks.
    static QString macroText(const QString &key, int count);
    // The widget a builder creates for `form` (its group box, or the page without a form).
    QWidget *parentFor(QFormLayout *form) const;
    // Names `widget` after `key`'s dotted path and adds it to `form` as the row `label` (when
    // there is a form).
    static void place(QWidget *widget, QFormLayout *form, const QString &label, const Key &key);

    bool m_updating = false;

private:
    QList<Field> m_fields;
    QVBoxLayout *m_page;
    int m_session = 0;
};

template<typename T>
class InspectorForm : public InspectorFormBase
{
public:
    using Change = std::function<void(T &)>;
    template<typename V>
    struct Binding
    {
        std::function<V(const T &)> get;
        std::function<void(T &, const V &)> set;
    };
    // The subject shown (nullptr: nothing to show); with several tasks selected, the first.
    using Current = std::function<const T *()>;
    // The values an edit changes: the flow's settings, or every selected task.
    using Targets = std::function<QList<T>()>;
    // The undo command that turns `before` into `after`.
    using MakeCommand = std::function<QUndoCommand *(
        const T &before, const T &after, const QString &key, const QString &mergeKey)>;

    InspectorForm(
        QWidget *owner, QUndoStack *undo, Current current, Targets targets, MakeCommand command);

    // The one apply path: `change` applied to each target; the ones it changes become one undo
    // step (a macro for several tasks), merged with the previous edit of the same key in this
    // editing session. Does nothing while the form refreshes.
    void apply(const QString &key, const Change &change);
    // Shows the current subject in every field; a field in which the targets (several selected
    // tasks) differ shows "mixed" (empty, a partly checked box) until an edit sets it for all.
    void refresh();

    // Builders: each makes a widget (in `form`, as a row named `label`; `form` may be null, then
    // the caller places it) named after its dotted path ("partition.table"), applies the
    // operator's edits under its key and shows the subject's value on refresh. `check` (optional)
    // returns why typed text is invalid: it is marked on the widget and not applied.
    using Check = std::function<QString(const QString &)>;
    // Text applied when editing finishes; refreshed while it does not have the focus.
    QLineEdit *lineEdit(QFormLayout *form, const QString &label, const Key &key,
        Binding<QString> bind, Check check = {});
    // Monospace text applied as it is typed (command, SQL, env as KEY=value lines).
    QPlainTextEdit *codeEdit(
        QFormLayout *form, const QString &label, const Key &key, Binding<QString> bind);
    DurationEdit *durationEdit(QFormLayout *form, const QString &label, const Key &key,
        Binding<std::optional<qint64>> bind);
    QSpinBox *spinBox(QFormLayout *form, const QString &label, const Key &key, int minimum,
        int maximum, Binding<int> bind);
    // A fixed list; the caller adds the items with their int data (the value). `confirm`
    // (optional) may refuse a choice before it applies (the combo then shows the value again).
    QComboBox *choice(QFormLayout *form, const QString &label, const Key &key, Binding<int> bind,
        std::function<bool(int value)> confirm = {});
    // Free text with suggestions (`items`, refreshed; or added once by the caller when null),
    // applied as typed (`whileTyping`) or when editing finishes or an item is chosen.
    QComboBox *editableChoice(QFormLayout *form, const QString &label, const Key &key,
        Binding<QString> bind, std::function<QStringList()> items, bool whileTyping,
        Check check = {});
    QCheckBox *checkBox(QFormLayout *form, const QString &text, const Key &key, Binding<bool> bind);
    // Read-only text (marked like a field).
    QLabel *label(QFormLayout *form, const QString &label, const Key &key,
        std::function<QString(const T &)> text);
    // The retry and timeout settings of `member` in `box`: keys keyPrefix + "retries", ...;
    // paths pathPrefix + {"retries"}, ...
    RetrySettingsEditor *retrySettings(QGroupBox *box, RetrySettings T::*member,
        const QString &keyPrefix, const QStringList &pathPrefix);
    // A field the inspector builds itself (tables, the task id).
    void custom(QWidget *widget, const QStringList &path, std::function<void(const T &)> refresh,
        std::function<void(const Errors &)> mark = {});

    // Bindings to a member, or to a member of a member.
    template<typename V>
    static Binding<V> bind(V T::*member)
    {
        return {[member](const T &t) { return t.*member; },
            [member](T &t, const V &v) { t.*member = v; }};
    }
    template<typename S, typename V>
    static Binding<V> bind(S T::*outer, V S::*inner)
    {
        return {[outer, inner](const T &t) { return t.*outer.*inner; },
            [outer, inner](T &t, const V &v) { t.*outer.*inner = v; }};
    }

private:
    // Applies typed `text` under `key` unless `check` finds it invalid (then marks `widget`).
    void applyText(QWidget *widget, const QString &key, const Binding<QString> &bind,
        const Check &check, const QString &text);
    // Registers `widget` at `key`'s path with `refresh` run on the current subject.
    void bindField(QWidget *widget, const Key &key, std::function<void(const T &)> refresh);

    // Whether the subjects shown (the selected tasks) differ in `bind`'s value.
    template<typename V>
    bool isMixed(const Binding<V> &bind) const;

    QUndoStack *m_undo;
    Current m_current;
    Targets m_targets;
    MakeCommand m_command;
    QList<T> m_shown; // the targets at the last refresh
};

} // namespace pw
