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

void FieldMarker::setHelp(QWidget *field, const QString &help)
{
    field->setProperty("pwHelp", help);
    show(field);
}

void FieldMarker::show(QWidget *field)
{
    const QString input = field->property("pwInputError").toString();
    const QString error = input.isEmpty() ? field->property("pwProblem").toString() : input;
    const bool invalid = !error.isEmpty();
    const QString tip = invalid ? error : field->property("pwHelp").toString();
    if (field->property("pwInvalid").toBool() == invalid && field->toolTip() == tip)
        return;
    field->setProperty("pwInvalid", invalid);
    field->setToolTip(tip);
    field->setStyleSheet(invalid ? QStringLiteral("border: 1px solid #D55E00; border-radius: 3px;"
                                                  " padding: 2px 4px;")
                                 : QString());
}

} // namespace pw
