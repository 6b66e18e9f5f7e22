#pragma once

#include <QString>

class QWidget;

namespace pw {

// Marks an input widget invalid inline (red border, the reason as tooltip) or clears it. Two
// sources share one look: mark() is the widget's own check of what the operator typed (not
// applied), markProblem() a validation problem of the document at that field (Error::field).
// The input error wins while both are set; clearing one leaves the other shown. The widget's
// "pwInvalid" property says whether it is marked, "pwProblem" holds the problem text.
class FieldMarker
{
public:
    static void mark(QWidget *field, const QString &error);
    static void markProblem(QWidget *field, const QString &problem);

private:
    static void show(QWidget *field);
};

} // namespace pw
