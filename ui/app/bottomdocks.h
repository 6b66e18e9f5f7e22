#pragma once

#include <QList>
#include <QObject>

#include <functional>

class QDockWidget;
class QMainWindow;

namespace pw {

// The docks tabbed together at the bottom of the main window (Problems, Undo History, Runs, Log,
// Charts) and their height (issue 17 item 10): an empty Problems tab in front has nothing to
// show, so the area folds to its tabs and one line ("No problems") and the canvas gets the room;
// any other tab in front, or a problem, unfolds it to the height it had — the operator's, once
// dragged, kept across sessions (height()/setHeight()). Main thread only.
class BottomDocks : public QObject
{
    Q_OBJECT
public:
    // `problems` is among `docks`; `problemsEmpty` says whether it has nothing to show.
    BottomDocks(QMainWindow *window, QDockWidget *problems, const QList<QDockWidget *> &docks,
        std::function<bool()> problemsEmpty);

    // Folds or unfolds for what is in front now (call when the problems change).
    void fit(QDockWidget *front = nullptr);
    // The unfolded height of the area (as QMainWindow::resizeDocks() takes it).
    int height() const;
    void setHeight(int height) { m_height = height; }

private:
    QDockWidget *front() const;
    int areaHeight(const QDockWidget *front) const;

    QMainWindow *m_window;
    QDockWidget *m_problems;
    QList<QDockWidget *> m_docks;
    std::function<bool()> m_problemsEmpty;
    int m_height = 220;
    bool m_folded = false; // folded by fit()
};

} // namespace pw
