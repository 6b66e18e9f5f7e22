#pragma once

#include <QFrame>
#include <QIcon>

class QLineEdit;
class QListWidget;

namespace pw {

// A small popup with a search field over a list (quick-add of a task type, find a task by
// name). Typing filters (substring, case-insensitive), Up/Down move, Enter or a click chooses.
class SearchPopup : public QFrame
{
    Q_OBJECT
public:
    explicit SearchPopup(QWidget *parent = nullptr);
    void setPlaceholder(const QString &text);
    void clearItems();
    void addItem(
        const QIcon &icon, const QString &text, const QString &key, const QString &detail = {});
    void popup(QPoint globalPos);
    QLineEdit *searchField() const { return m_search; }
    QListWidget *list() const { return m_list; }

Q_SIGNALS:
    void chosen(const QString &key);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void filter(const QString &text);
    void choose();

    QLineEdit *m_search;
    QListWidget *m_list;
};

} // namespace pw
