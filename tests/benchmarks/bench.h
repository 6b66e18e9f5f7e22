#pragma once

// Shared by the benchmarks: their output stream and the random DAG they run or load.

#include "model/flow.h"

#include <QRandomGenerator>
#include <QStringList>
#include <QTextStream>

namespace pw::bench {

// stdout, flushed at exit.
inline QTextStream out(stdout);
struct FlushAtExit
{
    ~FlushAtExit() { out.flush(); }
};
inline FlushAtExit flushAtExit;

// Task i depends on up to `maxDeps` random tasks among the 50 before it: wide and deep enough.

inline QList<QStringList> randomDag(int n, quint32 seed, int maxDeps = 3)
{
    QRandomGenerator rng(seed);
    QList<QStringList> deps(n);
    for (int i = 1; i < n; ++i) {
        const int k = int(rng.bounded(maxDeps + 1));
        for (int j = 0; j < k; ++j) {
            const int d = i - 1 - int(rng.bounded(std::min(i, 50)));
            const QString name = QStringLiteral("t%1").arg(d);
            if (!deps[i].contains(name))
                deps[i] << name;
        }
    }
    return deps;
}

inline Flow makeFlow(
    const QString &id, const QList<QStringList> &deps, TaskType type, const QString &dir)
{
    Flow f;
    f.id = id;
    f.sourcePath = dir + QStringLiteral("/") + id + QStringLiteral(".flow.yaml");
    for (int i = 0; i < deps.size(); ++i) {
        TaskSpec t;
        t.id = QStringLiteral("t%1").arg(i);
        t.type = type;
        t.after = deps[i];
        if (type == TaskType::Shell)
            t.command = QStringLiteral("true");
        f.tasks << t;
    }
    return f;
}

} // namespace pw::bench
