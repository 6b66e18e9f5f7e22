#pragma once

#include <QColor>
#include <QIcon>
#include <QPalette>

class QApplication;

namespace pw {

// The two looks of the GUI (UI.md): Fusion with a light or a dark palette, plus the canvas
// colours the editor paints with. Qt 6.4 cannot read the desktop's colour scheme reliably, so
// the choice is a setting (and --theme). Main thread only.
class Theme
{
public:
    bool dark = false;
    QColor canvas; // background
    QColor gridDot;
    QColor nodeFill;
    QColor nodeHeader;
    QColor nodeBorder;
    QColor text;
    QColor mutedText;
    QColor accent; // selection
    QColor edge;
    QColor invalid; // refused connections, errors
    QColor port;
    QColor minimapFill;

    static const Theme &current();
    static Theme light();
    static Theme darkTheme();
    // Fusion style + palette + the canvas colours for `dark`.
    static void apply(QApplication &app, bool dark);
    static QPalette palette(bool dark);
    // A toolbar/menu icon from resources/icons/NAME.svg; its neutral grey is lightened for
    // the dark theme. Rendered at 16-48 px so it stays crisp at 200% scale.
    static QIcon icon(const QString &name);
};

} // namespace pw
