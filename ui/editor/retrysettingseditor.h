#pragma once

#include "model/taskspec.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace pw {

class DurationEdit;

// Edits a RetrySettings value (a task's own settings or the flow's `defaults`): retries,
// retry delay, backoff, max retry delay, jitter, retry_on, timeout. Unset fields show what
// applies instead. `edited(field)` fires after the operator changed one field.
class RetrySettingsEditor : public QWidget
{
    Q_OBJECT
public:
    explicit RetrySettingsEditor(QWidget *parent = nullptr);
    void setValue(const RetrySettings &settings);
    RetrySettings value() const;
    // The keys edited() names, in form order (retries, retry_delay, ..., timeout), and the
    // widget of each (for validation marks).
    static const QStringList &keys();
    QWidget *field(const QString &key) const;
    // Copies the one setting `key` from `from` to `to` (an edit of that field only).
    static void copy(const QString &key, const RetrySettings &from, RetrySettings &to);

Q_SIGNALS:
    void edited(const QString &field);

private:
    QSpinBox *m_retries;
    DurationEdit *m_delay;
    QComboBox *m_backoff;
    DurationEdit *m_maxDelay;
    QComboBox *m_jitter;
    QLineEdit *m_retryOn;
    DurationEdit *m_timeout;
    bool m_updating = false;
};

} // namespace pw
