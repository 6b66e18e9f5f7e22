#pragma once

#include <QTreeWidget>

namespace pw {

class FlowDocument;

// The Problems dock: every validation error of the document (message, task, location), then
// every warning of the idempotency lint (a warning icon; Qt::UserRole of column 0 is true).
// Double-click (or Enter) on a row asks to select its task (taskActivated). Empty, it is one line
// ("No problems"), without a header, so the window can fold it to almost nothing.
class ProblemsWidget : public QTreeWidget
{
    Q_OBJECT
public:
    explicit ProblemsWidget(FlowDocument *doc, QWidget *parent = nullptr);
    int count() const { return topLevelItemCount(); }
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void taskActivated(const QString &id);
    void countChanged(int count);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void refresh();

    FlowDocument *m_doc;
};

} // namespace pw
