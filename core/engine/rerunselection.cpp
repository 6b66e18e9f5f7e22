#include "rerunselection.h"

namespace pw {

QSet<QString> RerunSelection::withDownstream(const Flow &flow, const QSet<QString> &roots)
{
    QHash<QString, QStringList> children;
    for (const TaskSpec &t : flow.tasks) {
        for (const QString &up : t.after)
            children[up].append(t.id);
    }
    QSet<QString> out;
    QStringList stack(roots.cbegin(), roots.cend());
    while (!stack.isEmpty()) {
        const QString id = stack.takeLast();
        if (out.contains(id) || !flow.task(id))
            continue;
        out.insert(id);
        stack.append(children.value(id));
    }
    return out;
}

QSet<QString> RerunSelection::select(const Flow &flow, const QHash<QString, TaskState> &states,
                                     RerunMode mode, const QString &task)
{
    switch (mode) {
    case RerunMode::All: {
        QSet<QString> all;
        for (const TaskSpec &t : flow.tasks)
            all.insert(t.id);
        return all;
    }
    case RerunMode::From:
        return withDownstream(flow, {task});
    case RerunMode::Task:
        return flow.task(task) ? QSet<QString>{task} : QSet<QString>{};
    case RerunMode::Failed:
        break;
    }
    QSet<QString> roots;
    for (const TaskSpec &t : flow.tasks) {
        const TaskState s = states.value(t.id, TaskState::Waiting);
        if (!isSuccessLike(s))
            roots.insert(t.id); // failed-like or never finished
    }
    return withDownstream(flow, roots);
}

} // namespace pw
