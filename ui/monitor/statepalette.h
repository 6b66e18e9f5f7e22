#pragma once

#include "model/states.h"

#include <QColor>
#include <QIcon>

class QPainter;
class QRectF;

namespace pw {

// The one state palette of the GUI (UI.md "States"): a colour and an icon per task state, used
// by the canvas overlay, the runs table, the Gantt chart and the legend. Okabe–Ito hues, and
// every state also has its own shape, so colour-blind users can tell them apart. Run and attempt
// states map onto the task state of the same name. Main thread only (icons are QPixmaps).
class StatePalette
{
public:
    static QColor color(TaskState s);
    static QColor color(RunState s);
    static QColor color(AttemptState s);
    // The colour to draw text or outlines on top of color(s) (dark on the light yellow and greys).
    static QColor foreground(TaskState s);

    static QIcon icon(TaskState s);
    static QIcon icon(RunState s);
    static QIcon icon(AttemptState s);

    // Paints the state's icon (a filled disc in its colour with a white symbol, or the hollow
    // circle of `waiting`) into `r`.
    static void paintIcon(QPainter *p, const QRectF &r, TaskState s);

    // Translated, human-readable names ("retry wait", "upstream failed").
    static QString label(TaskState s);
    static QString label(RunState s);
    static QString label(AttemptState s);
    // What started a try: manual, schedule, backfill, recover, rerun, force (translated).
    static QString label(TryTrigger t);

    static TaskState taskState(RunState s);
    static TaskState taskState(AttemptState s);
    static QList<TaskState> allStates();
};

} // namespace pw
