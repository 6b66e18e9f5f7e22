#pragma once

#include "engine/runrequest.h"
#include "history/records.h"
#include "model/flow.h"

#include <QDialog>
#include <QHash>
#include <QTimer>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QWidget;

namespace pw {

class HistoryReader;

// Run > Run (F5): a form generated from the flow's typed params (QDateEdit for date, QDateTimeEdit
// for datetime, combo for choice, spin box for int, check box for bool, a line for string),
// validated with ParamSpec::canonicalize. The plan's key is looked up in the history store (on
// the reader thread): a run with the same parameters is named, and the OK button becomes the
// right action — "Recover run 42" for a failed/cancelled/interrupted one, "Run all tasks again"
// (force) for a succeeded one; an active run refuses — never a silent duplicate.
// Main thread only.
class ParamsDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Action { Run, Recover, Force, Refused };

    ParamsDialog(const Flow &flow, HistoryReader *reader, QWidget *parent = nullptr);

    // Raw text of a param's editor, and setting it (tests, and --param-like prefills).
    QString value(const QString &name) const;
    void setValue(const QString &name, const QString &raw);
    QMap<QString, QString> values() const;
    // The plan for the current values, or why they are invalid.
    Result<RunPlan> plan() const;
    // What OK does now, and the existing run it concerns (if any).
    Action action() const { return m_action; }
    std::optional<RunRecord> existingRun() const { return m_existing; }
    QString message() const;
    bool isChecking() const { return m_checking; }
    // The request to submit after accept().
    RunRequest request() const;

Q_SIGNALS:
    // The existing-run lookup for the current values finished.
    void checked();

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *editorFor(const ParamSpec &p);
    void setInfo(const QString &text);
    void fitToContent();
    void changed();
    void lookUp();

    Flow m_flow;
    HistoryReader *m_reader;
    QHash<QString, QWidget *> m_editors;
    QHash<QString, QLabel *> m_errors;
    QLabel *m_info;
    QDialogButtonBox *m_buttons;
    QTimer m_debounce;
    Action m_action = Action::Run;
    std::optional<RunRecord> m_existing;
    bool m_checking = false;
    quint64 m_generation = 0;
};

} // namespace pw
