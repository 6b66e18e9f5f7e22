#pragma once

#include <QString>

class QWidget;

namespace pw {

// Marks an input widget invalid inline (red border, the reason as tooltip) or clears it.
class FieldMarker
{
public:
    static void mark(QWidget *field, const QString &error);
};

} // namespace pw
