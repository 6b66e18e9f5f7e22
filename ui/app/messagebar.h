#pragma once

#include <QFrame>
#include <QIcon>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace pw {

// A one-line bar across the top of the main window's canvas, like KDE's KMessageWidget: an
// icon and a wrapped text on a tinted background, e.g. "History at PATH is read-only: runs
// can be viewed but not started". Hidden while its text is empty. Main thread only.
class MessageBar : public QFrame
{
    Q_OBJECT
public:
    explicit MessageBar(QWidget *parent = nullptr);

    // Empty text hides the bar.
    void setMessage(const QString &text, const QIcon &icon = {}, const QString &toolTip = {});
    QString text() const;
    // A flat button at the right end of the bar (in order of adding), e.g. "Recover…".
    QPushButton *addButton(const QString &text, const QString &objectName);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QHBoxLayout *m_layout;
    QLabel *m_icon;
    QLabel *m_text;
};

} // namespace pw
