#include "problemswidget.h"

#include "flowdocument.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QPainter>

namespace pw {

ProblemsWidget::ProblemsWidget(FlowDocument *doc, QWidget *parent) : QTreeWidget(parent), m_doc(doc)
{
    setObjectName(QStringLiteral("problems"));
    setColumnCount(3);
    setHeaderLabels({tr("Problem"), tr("Task"), tr("Location")});
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setFrameShape(QFrame::NoFrame);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    connect(doc, &FlowDocument::problemsChanged, this, &ProblemsWidget::refresh);
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QString id = item->data(1, Qt::DisplayRole).toString();
        if (!id.isEmpty())
            Q_EMIT taskActivated(id);
    });
    refresh();
}

QSize ProblemsWidget::minimumSizeHint() const
{
    return QSize(QTreeWidget::minimumSizeHint().width(), fontMetrics().height() + 12);
}

void ProblemsWidget::paintEvent(QPaintEvent *event)
{
    QTreeWidget::paintEvent(event);
    if (topLevelItemCount() > 0)
        return;
    QPainter p(viewport());
    p.setPen(palette().color(QPalette::Disabled, QPalette::Text));
    p.drawText(
        viewport()->rect().adjusted(8, 4, -8, 0), Qt::AlignLeft | Qt::AlignTop, tr("No problems"));
}

void ProblemsWidget::refresh()
{
    clear();
    static const QIcon errorIcon(QStringLiteral(":/icons/error-badge.svg"));
    static const QIcon warningIcon(QStringLiteral(":/icons/warning-badge.svg"));
    QList<QTreeWidgetItem *> items;
    auto add = [&](const Error &e, const QIcon &icon) {
        QString where;
        if (e.line > 0)
            where = QFileInfo(e.file).fileName() + QLatin1Char(':') + QString::number(e.line)
                + (e.column > 0 ? QLatin1Char(':') + QString::number(e.column) : QString());
        auto *item = new QTreeWidgetItem({e.message, m_doc->taskOfProblem(e), where});
        item->setIcon(0, icon);
        item->setToolTip(0,
            e.isWarning() ? tr("Warning (the flow still runs): %1").arg(e.toString())
                          : e.toString());
        item->setData(0, Qt::UserRole, e.isWarning());
        items << item;
    };
    // Errors first: they stop a run; warnings (the idempotency lint) do not.
    for (const Error &e : m_doc->problems())
        add(e, errorIcon);
    for (const Error &w : m_doc->warnings())
        add(w, warningIcon);
    addTopLevelItems(items);
    setHeaderHidden(items.isEmpty());
    Q_EMIT countChanged(int(items.size()));
}

} // namespace pw
