#pragma once

#include "model/taskspec.h"

#include <QWidget>

class QLineEdit;
class QListWidget;
class QMimeData;

namespace pw {

// The Palette dock: the task types with icons and a search field. Drag a type onto the canvas
// to create a task there (mime type FlowView::TaskTypeMime); double-click adds one at the
// centre of the view (addRequested). A chosen type is not left highlighted (after a drop, an
// add, or while the palette is disabled), and its icon keeps its colours when highlighted.
class PaletteWidget : public QWidget
{
    Q_OBJECT
public:
    explicit PaletteWidget(QWidget *parent = nullptr);
    static QMimeData *mimeDataFor(TaskType type);
    QListWidget *list() const { return m_list; }
    QLineEdit *searchField() const { return m_search; }

Q_SIGNALS:
    void addRequested(pw::TaskType type);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QLineEdit *m_search;
    QListWidget *m_list;
    QPoint m_pressPos;
    int m_pressRow = -1;
};

} // namespace pw
