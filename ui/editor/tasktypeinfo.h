#pragma once

#include "model/taskspec.h"

#include <QColor>
#include <QIcon>
#include <QList>
#include <QString>

class QPainter;

namespace pw {

// What the editor shows for each task type: icon (resources/icons/type-*.svg), label,
// description, accent colour, and the settings a freshly created task starts with.
class TaskTypeInfo
{
public:
    static QList<TaskType> all();
    static QIcon icon(TaskType type);
    // Draws the type's icon as vectors into `rect` of `painter` (sharp at any zoom; an icon's
    // pixmap would be scaled up and blur).
    static void paintIcon(QPainter *painter, TaskType type, const QRectF &rect);
    // The same for any SVG resource (":/icons/error-badge.svg").
    static void paintSvg(QPainter *painter, const QString &resource, const QRectF &rect);
    static QString label(TaskType type);
    static QString description(TaskType type);
    static QColor colour(TaskType type);
    // A new task of `type` with id `id` whose settings pass validation.
    static TaskSpec newTask(TaskType type, const QString &id);
};

} // namespace pw
