#pragma once

#include "model/flow.h"

#include <QByteArray>

namespace pw {

// Graphviz DOT of a flow's DAG (left to right, one node per task labelled with id and type).
class DotExporter
{
public:
    static QByteArray toDot(const Flow &flow);
};

} // namespace pw
