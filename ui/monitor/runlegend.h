#pragma once

#include <QFrame>

namespace pw {

// The state legend of a run view (UI.md "States"): every state's icon and name, in two columns,
// on a small panel the canvas shows in its corner. Main thread only.
class RunLegend : public QFrame
{
    Q_OBJECT
public:
    explicit RunLegend(QWidget *parent = nullptr);
};

} // namespace pw
