#pragma once

#include <QString>

class QWidget;

namespace pw {

// Marks an input widget invalid inline (red border, the reason as tooltip) or clears it. Two
// sources share one look: mark() is the widget's own check of what the operator typed (not
// applied), markProblem() a validation problem of the document at that field (Error::field).
// The input error wins while both are set; clearing one leaves the other shown. The widget's
// "pwInvalid" property says whether it is marked, "pwProblem" holds the problem text. A field's
// help text (setHelp) is its tooltip while it is not marked.
class FieldMarker
{
public:
    static void mark(QWidget *field, const QString &error);
    static void markProblem(QWidget *field, const QString &problem);
    static void setHelp(QWidget *field, const QString &help);

private:
    static void show(QWidget *field);
};

} // namespace pw
