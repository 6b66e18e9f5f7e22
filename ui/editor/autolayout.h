#pragma once

#include "model/flow.h"

#include <QHash>
#include <QPointF>

namespace pw {

// Layered left-to-right layout of a flow's DAG (Sugiyama style): layers by longest path from
// the sources, order within a layer by barycenter sweeps, then each node placed near the mean
// height of its upstream nodes without overlapping its layer. Our own implementation rather
// than Graphviz `dot`: it is linear-ish in tasks + edges (a 2,000-task flow lays out in a few
// milliseconds) and keeps the build free of another C library. Cycles (only possible in an
// invalid flow) are broken by ignoring the edges that close them.
class AutoLayout
{
public:
    static constexpr qreal LayerSpacing = 260; // node width 180 + 80
    static constexpr qreal RowSpacing = 100;   // node height 64 + 36

    // Top-left positions of every task; the first layer starts at x = 0, y >= 0.
    static QHash<QString, QPointF> compute(const Flow &flow);
};

} // namespace pw
