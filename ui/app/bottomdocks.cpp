#include "bottomdocks.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QTabBar>

#include <algorithm>

namespace pw {

BottomDocks::BottomDocks(QMainWindow *window, QDockWidget *problems,
    const QList<QDockWidget *> &docks, std::function<bool()> problemsEmpty)
    : QObject(window),
      m_window(window),
      m_problems(problems),
      m_docks(docks),
      m_problemsEmpty(std::move(problemsEmpty))
{
    const int oneLine = problems->widget()->minimumSizeHint().height();
    for (QDockWidget *d : std::as_const(m_docks)) {
        // The area is as high as the highest minimum of its tabs: the others may shrink to the
        // Problems tab's one line when folded (hidden behind it then; clipped if dragged lower).
        if (d != problems)
            d->widget()->setMinimumHeight(oneLine);
        connect(d, &QDockWidget::visibilityChanged, this, [this, d](bool visible) {
            if (visible) // the tab it replaces may not be hidden yet
                fit(d);
        });
    }
}

// The tab in front of the bottom dock area (the others of the area are hidden behind it).
QDockWidget *BottomDocks::front() const
{
    for (QDockWidget *d : m_docks) {
        if (d->isVisible() && !d->isFloating()
            && m_window->dockWidgetArea(d) == Qt::BottomDockWidgetArea)
            return d;
    }
    return nullptr;
}

void BottomDocks::fit(QDockWidget *front)
{
    if (!m_window->isVisible())
        return; // sizes mean nothing before the first show
    if (!front)
        front = this->front();
    if (!front || front->isFloating()
        || m_window->dockWidgetArea(front) != Qt::BottomDockWidgetArea)
        return;
    const bool fold = front == m_problems && m_problemsEmpty();
    // By the area's height too: a window state restored folded unfolds for its first problem.
    const int area = areaHeight(front);
    if (fold && !m_folded) {
        if (area >= 120)
            m_height = area;
        m_window->resizeDocks({front}, {1}, Qt::Vertical); // its minimum: a title and one line
    } else if (!fold && (m_folded || area < 100)) {
        m_window->resizeDocks({front}, {m_height}, Qt::Vertical);
    }
    m_folded = fold;
}

int BottomDocks::height() const
{
    const QDockWidget *shown = front();
    return m_folded || !shown ? m_height : areaHeight(shown);
}

// The height of the area as resizeDocks() takes it: the tab in front and the tab bar below it.
int BottomDocks::areaHeight(const QDockWidget *front) const
{
    const QRect dock = front->geometry();
    int bottom = dock.bottom();
    for (const QTabBar *bar : m_window->findChildren<QTabBar *>(Qt::FindDirectChildrenOnly)) {
        const QRect r = bar->geometry();
        if (bar->isVisible() && r.top() >= dock.bottom() - 2 && r.left() < dock.right()
            && r.right() > dock.left())
            bottom = std::max(bottom, r.bottom());
    }
    return bottom - dock.top() + 1;
}

} // namespace pw
