#include "tasktypeinfo.h"

#include <QCoreApplication>
#include <QHash>
#include <QSvgRenderer>

namespace pw {

QList<TaskType> TaskTypeInfo::all()
{
    return {TaskType::Shell, TaskType::Sql, TaskType::WaitFile, TaskType::Noop};
}

QIcon TaskTypeInfo::icon(TaskType type)
{
    static QHash<int, QIcon> cache;
    auto it = cache.find(int(type));
    if (it == cache.end())
        it = cache.insert(
            int(type), QIcon(QStringLiteral(":/icons/type-%1.svg").arg(toString(type))));
    return *it;
}

void TaskTypeInfo::paintIcon(QPainter *painter, TaskType type, const QRectF &rect)
{
    paintSvg(painter, QStringLiteral(":/icons/type-%1.svg").arg(toString(type)), rect);
}

void TaskTypeInfo::paintSvg(QPainter *painter, const QString &resource, const QRectF &rect)
{
    // GUI thread only. Kept for the process's life: no QObject is destroyed after the
    // application object.
    static QHash<QString, QSvgRenderer *> cache;
    auto it = cache.find(resource);
    if (it == cache.end())
        it = cache.insert(resource, new QSvgRenderer(resource));
    (*it)->render(painter, rect);
}

QString TaskTypeInfo::label(TaskType type)
{
    switch (type) {
    case TaskType::Shell:
        return QCoreApplication::translate("pw::TaskTypeInfo", "Shell command");
    case TaskType::Sql:
        return QCoreApplication::translate("pw::TaskTypeInfo", "SQL statement");
    case TaskType::WaitFile:
        return QCoreApplication::translate("pw::TaskTypeInfo", "Wait for file");
    case TaskType::Noop:
        return QCoreApplication::translate("pw::TaskTypeInfo", "No-op (join point)");
    }
    return {};
}

QString TaskTypeInfo::description(TaskType type)
{
    switch (type) {
    case TaskType::Shell:
        return QCoreApplication::translate("pw::TaskTypeInfo", "Runs a command with /bin/sh");
    case TaskType::Sql:
        return QCoreApplication::translate(
            "pw::TaskTypeInfo", "Runs SQL in one transaction on a connection");
    case TaskType::WaitFile:
        return QCoreApplication::translate("pw::TaskTypeInfo", "Waits until a file exists");
    case TaskType::Noop:
        return QCoreApplication::translate("pw::TaskTypeInfo", "Does nothing; groups dependencies");
    }
    return {};
}

QColor TaskTypeInfo::colour(TaskType type)
{
    switch (type) {
    case TaskType::Shell:
        return QColor(0x00, 0x72, 0xB2);
    case TaskType::Sql:
        return QColor(0x00, 0x9E, 0x73);
    case TaskType::WaitFile:
        return QColor(0xE6, 0x9F, 0x00);
    case TaskType::Noop:
        return QColor(0x9E, 0x9E, 0x9E);
    }
    return {};
}

TaskSpec TaskTypeInfo::newTask(TaskType type, const QString &id)
{
    TaskSpec t;
    t.id = id;
    t.type = type;
    switch (type) {
    case TaskType::Shell:
        t.command = QStringLiteral("echo %1").arg(id);
        break;
    case TaskType::Sql:
        t.connection = QStringLiteral("warehouse");
        t.sql = QStringLiteral("SELECT 1");
        break;
    case TaskType::WaitFile:
        t.waitFile.path = QStringLiteral("data/ready.flag");
        break;
    case TaskType::Noop:
        break;
    }
    return t;
}

} // namespace pw
