#include "retrysettingseditor.h"

#include "durationedit.h"
#include "fieldmarker.h"

#include "model/retrypolicy.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace pw {

RetrySettingsEditor::RetrySettingsEditor(QWidget *parent) : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setSpacing(8);
    m_retries = new QSpinBox(this);
    m_retries->setRange(-1, 100);
    m_retries->setSpecialValueText(tr("default"));
    m_retries->setObjectName(QStringLiteral("retries"));
    m_delay = new DurationEdit(this);
    m_delay->setPlaceholderText(tr("default (5m)"));
    m_backoff = new QComboBox(this);
    m_backoff->addItem(tr("default"), QString());
    m_backoff->addItem(tr("fixed"), QStringLiteral("fixed"));
    m_backoff->addItem(tr("exponential"), QStringLiteral("exponential"));
    m_maxDelay = new DurationEdit(this);
    m_maxDelay->setPlaceholderText(tr("default (1h)"));
    m_jitter = new QComboBox(this);
    m_jitter->addItem(tr("default"), QString());
    m_jitter->addItem(tr("on"), QStringLiteral("on"));
    m_jitter->addItem(tr("off"), QStringLiteral("off"));
    m_retryOn = new QLineEdit(this);
    m_retryOn->setPlaceholderText(tr("every failure (e.g. exit:75, timeout)"));
    m_timeout = new DurationEdit(this);
    m_timeout->setPlaceholderText(tr("none"));
    m_timeout->setObjectName(QStringLiteral("timeout"));
    form->addRow(tr("Retries"), m_retries);
    form->addRow(tr("Retry delay"), m_delay);
    form->addRow(tr("Backoff"), m_backoff);
    form->addRow(tr("Max retry delay"), m_maxDelay);
    form->addRow(tr("Jitter"), m_jitter);
    form->addRow(tr("Retry on"), m_retryOn);
    form->addRow(tr("Timeout"), m_timeout);

    auto fire = [this](const QString &field) {
        if (!m_updating)
            Q_EMIT edited(field);
    };
    connect(m_retries, &QSpinBox::valueChanged, this, [fire] { fire(QStringLiteral("retries")); });
    connect(
        m_delay, &DurationEdit::committed, this, [fire] { fire(QStringLiteral("retry_delay")); });
    connect(m_backoff, &QComboBox::currentIndexChanged, this,
        [fire] { fire(QStringLiteral("backoff")); });
    connect(m_maxDelay, &DurationEdit::committed, this,
        [fire] { fire(QStringLiteral("max_retry_delay")); });
    connect(m_jitter, &QComboBox::currentIndexChanged, this,
        [fire] { fire(QStringLiteral("jitter")); });
    connect(m_timeout, &DurationEdit::committed, this, [fire] { fire(QStringLiteral("timeout")); });
    connect(m_retryOn, &QLineEdit::editingFinished, this, [this, fire] {
        QString bad;
        const QStringList parts = m_retryOn->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &p : parts) {
            if (!RetryPolicy::isValidCondition(p.trimmed()))
                bad = p.trimmed();
        }
        FieldMarker::mark(m_retryOn,
            bad.isEmpty()
                ? QString()
                : tr("“%1” is not a retry condition (exit, exit:N, timeout, signal, spawn)")
                      .arg(bad));
        if (bad.isEmpty())
            fire(QStringLiteral("retry_on"));
    });
}

const QStringList &RetrySettingsEditor::keys()
{
    static const QStringList k{QStringLiteral("retries"), QStringLiteral("retry_delay"),
        QStringLiteral("backoff"), QStringLiteral("max_retry_delay"), QStringLiteral("jitter"),
        QStringLiteral("retry_on"), QStringLiteral("timeout")};
    return k;
}

QWidget *RetrySettingsEditor::field(const QString &key) const
{
    const QList<QWidget *> widgets{
        m_retries, m_delay, m_backoff, m_maxDelay, m_jitter, m_retryOn, m_timeout};
    return widgets.value(keys().indexOf(key));
}

void RetrySettingsEditor::copy(const QString &key, const RetrySettings &from, RetrySettings &to)
{
    if (key == QLatin1String("retries"))
        to.retries = from.retries;
    else if (key == QLatin1String("retry_delay"))
        to.retryDelayMs = from.retryDelayMs;
    else if (key == QLatin1String("backoff"))
        to.backoff = from.backoff;
    else if (key == QLatin1String("max_retry_delay"))
        to.maxRetryDelayMs = from.maxRetryDelayMs;
    else if (key == QLatin1String("jitter"))
        to.jitter = from.jitter;
    else if (key == QLatin1String("retry_on"))
        to.retryOn = from.retryOn;
    else if (key == QLatin1String("timeout"))
        to.timeoutMs = from.timeoutMs;
}

void RetrySettingsEditor::setValue(const RetrySettings &s)
{
    m_updating = true;
    m_retries->setValue(s.retries.value_or(-1));
    m_delay->setValue(s.retryDelayMs);
    m_backoff->setCurrentIndex(!s.backoff ? 0 : (*s.backoff == Backoff::Fixed ? 1 : 2));
    m_maxDelay->setValue(s.maxRetryDelayMs);
    m_jitter->setCurrentIndex(!s.jitter ? 0 : (*s.jitter ? 1 : 2));
    const QString on = s.retryOn ? s.retryOn->join(QStringLiteral(", ")) : QString();
    if (!m_retryOn->hasFocus() && m_retryOn->text() != on)
        m_retryOn->setText(on);
    m_timeout->setValue(s.timeoutMs);
    m_updating = false;
}

RetrySettings RetrySettingsEditor::value() const
{
    RetrySettings s;
    if (m_retries->value() >= 0)
        s.retries = m_retries->value();
    if (m_delay->isValid())
        s.retryDelayMs = m_delay->value();
    if (m_backoff->currentIndex() > 0)
        s.backoff = m_backoff->currentIndex() == 1 ? Backoff::Fixed : Backoff::Exponential;
    if (m_maxDelay->isValid())
        s.maxRetryDelayMs = m_maxDelay->value();
    if (m_jitter->currentIndex() > 0)
        s.jitter = m_jitter->currentIndex() == 1;
    QStringList on;
    for (const QString &p : m_retryOn->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        on << p.trimmed();
    if (!on.isEmpty())
        s.retryOn = on;
    if (m_timeout->isValid())
        s.timeoutMs = m_timeout->value();
    return s;
}

} // namespace pw
