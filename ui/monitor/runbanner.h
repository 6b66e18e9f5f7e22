#pragma once

#include <QFrame>

class QCheckBox;
class QLabel;
class QPushButton;

namespace pw {

// The bar across the top of the run canvas (UI.md): "Run 42 · 2026-11-24 · definition differs
// from the open file — Show current", and during a rerun preview a second line "7 tasks will run
// again, 12 are kept — Run · Cancel" (plus a note on which definition runs). When the open file
// differs from the run's definition, a line says how ("2 tasks changed: load, report") and asks
// "Use the current file" or "Keep the run's definition" before Run is enabled. When the
// rerun includes tasks that must not run twice (`idempotent: false`), a third line shows their
// check text with a box to tick: Run stays disabled until it is ticked. A plain widget over the
// view's viewport, not a proxy item. Main thread only.
class RunBanner : public QFrame
{
    Q_OBJECT
public:
    explicit RunBanner(QWidget *parent = nullptr);

    void setRunText(const QString &text, bool warn);
    // Empty text hides the preview line.
    void setPreviewText(const QString &text, const QString &warning = {});
    // The confirmation line (empty hides it and unticks the box); `canRun`: whether Run may be
    // enabled at all (something runs again).
    void setConfirmation(const QString &text, bool canRun);
    // The definition choice (empty hides it): when the open file differs from the run's
    // definition, Run stays disabled until the operator picks "Use the current file" or
    // "Keep the run's definition" (DESIGN §1 rule 1 stays the default only once chosen).
    void setDefinitionChoice(const QString &difference);
    bool isChoosingDefinition() const;
    QPushButton *useCurrentButton() const { return m_useCurrent; }
    QPushButton *keepStoredButton() const { return m_keepStored; }
    bool needsConfirmation() const;
    QCheckBox *confirmBox() const { return m_confirmBox; }
    QString runText() const;
    QString previewText() const;
    bool isPreviewing() const;
    QPushButton *showCurrentButton() const { return m_showCurrent; }
    QPushButton *confirmButton() const { return m_confirm; }
    QPushButton *cancelButton() const { return m_cancel; }
    // Places itself across the top of its parent.
    void reposition();

Q_SIGNALS:
    void showCurrentClicked();
    void confirmClicked();
    void cancelClicked();
    void useCurrentClicked();
    void keepStoredClicked();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateRunButton();

    QLabel *m_run;
    QPushButton *m_showCurrent;
    QWidget *m_previewRow;
    QLabel *m_preview;
    QLabel *m_warning;
    QPushButton *m_confirm;
    QPushButton *m_cancel;
    QWidget *m_confirmRow;
    QLabel *m_confirmText;
    QCheckBox *m_confirmBox;
    QWidget *m_choiceRow;
    QLabel *m_choiceText;
    QPushButton *m_useCurrent;
    QPushButton *m_keepStored;
    bool m_canRun = false;
};

} // namespace pw
