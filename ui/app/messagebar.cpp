#include "messagebar.h"

#include "monitor/statepalette.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>

namespace pw {

MessageBar::MessageBar(QWidget *parent) : QFrame(parent)
{
    setFrameShape(QFrame::NoFrame);
    auto *h = m_layout = new QHBoxLayout(this);
    h->setContentsMargins(8, 6, 8, 6);
    h->setSpacing(8);
    m_icon = new QLabel(this);
    m_icon->setFixedSize(16, 16);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("messageBarText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    h->addWidget(m_icon, 0, Qt::AlignTop);
    h->addWidget(m_text, 1);
    hide();
}

void MessageBar::setMessage(const QString &text, const QIcon &icon, const QString &toolTip)
{
    m_text->setText(text);
    m_icon->setPixmap(icon.isNull() ? QPixmap() : icon.pixmap(16, 16, QIcon::Normal));
    m_icon->setVisible(!icon.isNull());
    setToolTip(toolTip);
    setVisible(!text.isEmpty());
}

QString MessageBar::text() const
{
    return m_text->text();
}

QPushButton *MessageBar::addButton(const QString &text, const QString &objectName)
{
    auto *b = new QPushButton(text, this);
    b->setObjectName(objectName);
    m_layout->addWidget(b, 0, Qt::AlignVCenter);
    return b;
}

// The window colour tinted with the retry_wait orange (the warning tint of the run banner) and
// a 1 px line below in that hue. Painted, not set as a palette, so a theme switch applies.
void MessageBar::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QColor base = palette().color(QPalette::Window);
    const QColor tint = StatePalette::color(TaskState::RetryWait);
    constexpr qreal a = 0.22;
    p.fillRect(rect(),
        QColor::fromRgbF(base.redF() * (1 - a) + tint.redF() * a,
            base.greenF() * (1 - a) + tint.greenF() * a,
            base.blueF() * (1 - a) + tint.blueF() * a));
    p.fillRect(QRect(0, height() - 1, width(), 1), tint);
}

} // namespace pw
