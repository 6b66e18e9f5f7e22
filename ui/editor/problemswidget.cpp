#include "problemswidget.h"

#include "flowdocument.h"

#include <QFileInfo>
#include <QHeaderView>

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

void ProblemsWidget::refresh()
{
    clear();
    static const QIcon icon(QStringLiteral(":/icons/error-badge.svg"));
    QList<QTreeWidgetItem *> items;
    for (const Error &e : m_doc->problems()) {
        QString where;
        if (e.line > 0)
            where = QFileInfo(e.file).fileName() + QLatin1Char(':') + QString::number(e.line)
                + (e.column > 0 ? QLatin1Char(':') + QString::number(e.column) : QString());
        auto *item = new QTreeWidgetItem({e.message, m_doc->taskOfProblem(e), where});
        item->setIcon(0, icon);
        item->setToolTip(0, e.toString());
        items << item;
    }
    addTopLevelItems(items);
    Q_EMIT countChanged(int(items.size()));
}

} // namespace pw
