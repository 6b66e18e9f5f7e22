#pragma once

#include <QLineEdit>

#include <optional>

namespace pw {

// A duration field ("5m", "1h30m", "-1d", "90s", "250ms"; core's Duration syntax). Empty means
// "not set" (the placeholder shows what applies then). Invalid text is marked inline (red
// border + tooltip) and not committed. `committed` fires when a valid value was entered.
class DurationEdit : public QLineEdit
{
    Q_OBJECT
public:
    explicit DurationEdit(QWidget *parent = nullptr);
    void setValue(std::optional<qint64> ms);
    std::optional<qint64> value() const;
    bool isValid() const { return m_valid; }

Q_SIGNALS:
    void committed();

private:
    void check();

    bool m_valid = true;
};

} // namespace pw
