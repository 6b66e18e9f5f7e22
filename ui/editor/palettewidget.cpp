#include "palettewidget.h"

#include "flowview.h"
#include "tasktypeinfo.h"

#include <QApplication>
#include <QDrag>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QMouseEvent>
#include <QVBoxLayout>

namespace pw {

PaletteWidget::PaletteWidget(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("palette"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search task types…"));
    m_search->setClearButtonEnabled(true);
    m_list = new QListWidget(this);
    m_list->setIconSize(QSize(24, 24));
    m_list->setSpacing(2);
    m_list->setDragEnabled(false); // we start our own QDrag with our mime type
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setToolTip(tr("Drag onto the canvas, or double-click to add at the centre"));
    for (TaskType t : TaskTypeInfo::all()) {
        // The same picture when highlighted: the style would tint it with the highlight colour,
        // in which a blue icon vanishes.
        QIcon icon;
        for (int size : {24, 48}) {
            const QPixmap pm = TaskTypeInfo::icon(t).pixmap(size, size);
            icon.addPixmap(pm, QIcon::Normal);
            icon.addPixmap(pm, QIcon::Selected);
        }
        auto *item
            = new QListWidgetItem(icon, toString(t) + QLatin1Char('\n') + TaskTypeInfo::label(t));
        item->setData(Qt::UserRole, toString(t));
        item->setToolTip(TaskTypeInfo::description(t));
        m_list->addItem(item);
    }
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    m_list->viewport()->installEventFilter(this);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        for (int i = 0; i < m_list->count(); ++i) {
            QListWidgetItem *item = m_list->item(i);
            item->setHidden(!text.isEmpty() && !item->text().contains(text, Qt::CaseInsensitive)
                && !item->toolTip().contains(text, Qt::CaseInsensitive));
        }
    });
    connect(m_list, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem *item) {
        if (auto t = taskTypeFromString(item->data(Qt::UserRole).toString()))
            Q_EMIT addRequested(*t);
        m_list->clearSelection();
    });
}

void PaletteWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::EnabledChange && !isEnabled())
        m_list->clearSelection();
    QWidget::changeEvent(event);
}

QMimeData *PaletteWidget::mimeDataFor(TaskType type)
{
    auto *mime = new QMimeData;
    mime->setData(QLatin1String(FlowView::TaskTypeMime), toString(type).toUtf8());
    mime->setText(toString(type));
    return mime;
}

bool PaletteWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_list->viewport())
        return QWidget::eventFilter(watched, event);
    if (event->type() == QEvent::MouseButtonPress) {
        auto *m = static_cast<QMouseEvent *>(event);
        m_pressPos = m->position().toPoint();
        QListWidgetItem *item = m_list->itemAt(m_pressPos);
        m_pressRow = item ? m_list->row(item) : -1;
    } else if (event->type() == QEvent::MouseMove && m_pressRow >= 0) {
        auto *m = static_cast<QMouseEvent *>(event);
        if (!(m->buttons() & Qt::LeftButton)
            || (m->position().toPoint() - m_pressPos).manhattanLength()
                < QApplication::startDragDistance())
            return false;
        QListWidgetItem *item = m_list->item(m_pressRow);
        m_pressRow = -1;
        const auto type = taskTypeFromString(item->data(Qt::UserRole).toString());
        if (!type)
            return false;
        auto *drag = new QDrag(this);
        drag->setMimeData(mimeDataFor(*type));
        drag->setPixmap(TaskTypeInfo::icon(*type).pixmap(QSize(32, 32), devicePixelRatioF()));
        drag->setHotSpot(QPoint(16, 16));
        drag->exec(Qt::CopyAction);
        m_list->clearSelection();
        return true;
    } else if (event->type() == QEvent::MouseButtonRelease) {
        m_pressRow = -1;
    }
    return false;
}

} // namespace pw
