#include "durationedit.h"

#include "fieldmarker.h"

#include "model/duration.h"

namespace pw {

DurationEdit::DurationEdit(QWidget *parent) : QLineEdit(parent)
{
    connect(this, &QLineEdit::textEdited, this, &DurationEdit::check);
    connect(this, &QLineEdit::editingFinished, this, [this] {
        check();
        if (m_valid)
            Q_EMIT committed();
    });
}

void DurationEdit::setValue(std::optional<qint64> ms)
{
    const QString text = ms ? Duration::format(*ms) : QString();
    if (text != this->text() && !(value() == ms && m_valid))
        setText(text);
    check();
}

std::optional<qint64> DurationEdit::value() const
{
    const QString t = text().trimmed();
    if (t.isEmpty())
        return std::nullopt;
    Result<qint64> r = Duration::parseMs(t);
    if (!r)
        return std::nullopt;
    return *r;
}

void DurationEdit::check()
{
    const QString t = text().trimmed();
    QString error;
    if (!t.isEmpty()) {
        Result<qint64> r = Duration::parseMs(t);
        if (!r)
            error = r.error().message;
    }
    m_valid = error.isEmpty();
    FieldMarker::mark(
        this, error.isEmpty() ? QString() : tr("%1 (e.g. 30s, 5m, 1h30m, 1d)").arg(error));
}

} // namespace pw
