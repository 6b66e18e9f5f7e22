#include "searchpopup.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QScreen>
#include <QVBoxLayout>

namespace pw {

SearchPopup::SearchPopup(QWidget *parent) : QFrame(parent, Qt::Popup)
{
    setObjectName(QStringLiteral("searchPopup"));
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);
    m_search = new QLineEdit(this);
    m_search->setClearButtonEnabled(true);
    m_list = new QListWidget(this);
    m_list->setIconSize(QSize(20, 20));
    m_list->setUniformItemSizes(true);
    layout->addWidget(m_search);
    layout->addWidget(m_list);
    resize(320, 300);
    m_search->installEventFilter(this);
    connect(m_search, &QLineEdit::textChanged, this, &SearchPopup::filter);
    connect(m_search, &QLineEdit::returnPressed, this, &SearchPopup::choose);
    connect(m_list, &QListWidget::itemActivated, this, [this] { choose(); });
    connect(m_list, &QListWidget::itemClicked, this, [this] { choose(); });
}

void SearchPopup::setPlaceholder(const QString &text)
{
    m_search->setPlaceholderText(text);
}

void SearchPopup::clearItems()
{
    m_list->clear();
}

void SearchPopup::addItem(
    const QIcon &icon, const QString &text, const QString &key, const QString &detail)
{
    auto *item = new QListWidgetItem(
        icon, detail.isEmpty() ? text : text + QStringLiteral("  —  ") + detail);
    item->setData(Qt::UserRole, key);
    item->setData(Qt::UserRole + 1, text);
    m_list->addItem(item);
}

void SearchPopup::popup(QPoint globalPos)
{
    m_search->clear();
    filter({});
    QRect geo(globalPos, size());
    if (const QScreen *s = screen()) {
        const QRect avail = s->availableGeometry();
        if (geo.right() > avail.right())
            geo.moveRight(avail.right());
        if (geo.bottom() > avail.bottom())
            geo.moveBottom(avail.bottom());
    }
    move(geo.topLeft());
    show();
    m_search->setFocus();
}

void SearchPopup::filter(const QString &text)
{
    QListWidgetItem *first = nullptr;
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        const bool match = text.isEmpty() || item->text().contains(text, Qt::CaseInsensitive);
        item->setHidden(!match);
        if (match && !first)
            first = item;
    }
    m_list->setCurrentItem(first);
}

void SearchPopup::choose()
{
    QListWidgetItem *item = m_list->currentItem();
    if (!item || item->isHidden())
        return;
    const QString key = item->data(Qt::UserRole).toString();
    hide();
    Q_EMIT chosen(key);
}

bool SearchPopup::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto *k = static_cast<QKeyEvent *>(event);
        if (k->key() == Qt::Key_Down || k->key() == Qt::Key_Up) {
            int row = m_list->currentRow();
            const int step = k->key() == Qt::Key_Down ? 1 : -1;
            for (int r = row + step; r >= 0 && r < m_list->count(); r += step) {
                if (!m_list->item(r)->isHidden()) {
                    m_list->setCurrentRow(r);
                    break;
                }
            }
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

} // namespace pw
