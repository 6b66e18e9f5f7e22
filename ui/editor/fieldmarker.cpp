#include "fieldmarker.h"

#include <QVariant>
#include <QWidget>

namespace pw {

void FieldMarker::mark(QWidget *field, const QString &error)
{
    field->setProperty("pwInputError", error);
    show(field);
}

void FieldMarker::markProblem(QWidget *field, const QString &problem)
{
    field->setProperty("pwProblem", problem);
    show(field);
}

void FieldMarker::show(QWidget *field)
{
    const QString input = field->property("pwInputError").toString();
    const QString error = input.isEmpty() ? field->property("pwProblem").toString() : input;
    const bool invalid = !error.isEmpty();
    if (field->property("pwInvalid").toBool() == invalid && field->toolTip() == error)
        return;
    field->setProperty("pwInvalid", invalid);
    field->setToolTip(error);
    field->setStyleSheet(invalid ? QStringLiteral("border: 1px solid #D55E00; border-radius: 3px;"
                                                  " padding: 2px 4px;")
                                 : QString());
}

} // namespace pw
