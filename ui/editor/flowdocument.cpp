#include "flowdocument.h"

#include "format/flowlint.h"
#include "format/flowvalidator.h"

#include "logging.h"

#include <QTimer>

namespace pw {

FlowDocument::FlowDocument(QObject *parent) : QObject(parent)
{
    m_flow.id = QStringLiteral("new_flow");
}

void FlowDocument::setFlow(const Flow &flow)
{
    m_flow = flow;
    m_indexValid = false;
    // Drop layout entries of tasks that do not exist; the scene relies on ids being tasks.
    for (auto it = m_flow.layout.begin(); it != m_flow.layout.end();) {
        if (indexOf(it.key()) < 0)
            it = m_flow.layout.erase(it);
        else
            ++it;
    }
    Q_EMIT reset();
    touched();
}

const TaskSpec *FlowDocument::task(const QString &id) const
{
    const int i = indexOf(id);
    return i < 0 ? nullptr : &m_flow.tasks[i];
}

void FlowDocument::rebuildIndex() const
{
    m_index.clear();
    m_index.reserve(m_flow.tasks.size());
    for (int i = 0; i < m_flow.tasks.size(); ++i)
        m_index.insert(m_flow.tasks[i].id, i);
    m_indexValid = true;
}

int FlowDocument::indexOf(const QString &id) const
{
    if (!m_indexValid)
        rebuildIndex();
    return m_index.value(id, -1);
}

QStringList FlowDocument::taskIds() const
{
    QStringList ids;
    ids.reserve(m_flow.tasks.size());
    for (const TaskSpec &t : m_flow.tasks)
        ids << t.id;
    return ids;
}

QStringList FlowDocument::downstreamOf(const QString &id) const
{
    QStringList out;
    for (const TaskSpec &t : m_flow.tasks) {
        if (t.after.contains(id))
            out << t.id;
    }
    return out;
}

bool FlowDocument::addTask(const TaskSpec &task, QPointF pos, int index)
{
    if (task.id.isEmpty() || hasTask(task.id))
        return false;
    for (const QString &up : task.after) {
        if (!hasTask(up))
            return false;
    }
    if (index < 0 || index > m_flow.tasks.size())
        index = int(m_flow.tasks.size());
    m_flow.tasks.insert(index, task);
    m_flow.layout.insert(task.id, pos);
    if (index == m_flow.tasks.size() - 1 && m_indexValid)
        m_index.insert(task.id, index);
    else
        m_indexValid = false;
    Q_EMIT taskAdded(task.id);
    for (const QString &up : task.after)
        Q_EMIT edgeAdded(up, task.id);
    touched();
    return true;
}

bool FlowDocument::removeTask(const QString &id)
{
    const int i = indexOf(id);
    if (i < 0)
        return false;
    Q_EMIT taskAboutToBeRemoved(id);
    for (TaskSpec &t : m_flow.tasks) {
        if (t.after.removeAll(id) > 0)
            Q_EMIT edgeRemoved(id, t.id);
    }
    const QStringList ups = m_flow.tasks[i].after;
    for (const QString &up : ups)
        Q_EMIT edgeRemoved(up, id);
    m_flow.tasks.removeAt(i);
    m_flow.layout.remove(id);
    m_indexValid = false;
    Q_EMIT taskRemoved(id);
    touched();
    return true;
}

bool FlowDocument::renameTask(const QString &oldId, const QString &newId)
{
    const int i = indexOf(oldId);
    if (i < 0 || newId.isEmpty() || hasTask(newId))
        return false;
    m_flow.tasks[i].id = newId;
    for (TaskSpec &t : m_flow.tasks) {
        for (QString &up : t.after) {
            if (up == oldId)
                up = newId;
        }
    }
    m_flow.layout.insert(newId, m_flow.layout.take(oldId));
    m_indexValid = false;
    Q_EMIT taskRenamed(oldId, newId);
    touched();
    return true;
}

bool FlowDocument::setTask(const QString &id, const TaskSpec &task)
{
    const int i = indexOf(id);
    if (i < 0 || task.id != id)
        return false;
    for (const QString &up : task.after) {
        if (!hasTask(up) || up == id)
            return false;
    }
    const QStringList before = m_flow.tasks[i].after;
    m_flow.tasks[i] = task;
    for (const QString &up : before) {
        if (!task.after.contains(up))
            Q_EMIT edgeRemoved(up, id);
    }
    for (const QString &up : task.after) {
        if (!before.contains(up))
            Q_EMIT edgeAdded(up, id);
    }
    Q_EMIT taskChanged(id);
    touched();
    return true;
}

bool FlowDocument::connectTasks(const QString &from, const QString &to, int index)
{
    const int i = indexOf(to);
    if (i < 0 || !hasTask(from) || from == to || m_flow.tasks[i].after.contains(from))
        return false;
    QStringList &after = m_flow.tasks[i].after;
    if (index < 0 || index > after.size())
        index = int(after.size());
    after.insert(index, from);
    Q_EMIT edgeAdded(from, to);
    Q_EMIT taskChanged(to);
    touched();
    return true;
}

bool FlowDocument::disconnectTasks(const QString &from, const QString &to)
{
    const int i = indexOf(to);
    if (i < 0 || !m_flow.tasks[i].after.removeOne(from))
        return false;
    Q_EMIT edgeRemoved(from, to);
    Q_EMIT taskChanged(to);
    touched();
    return true;
}

bool FlowDocument::moveTask(const QString &id, QPointF pos)
{
    if (!hasTask(id))
        return false;
    auto it = m_flow.layout.find(id);
    if (it != m_flow.layout.end() && *it == pos)
        return true;
    m_flow.layout.insert(id, pos);
    Q_EMIT taskMoved(id, pos);
    Q_EMIT changed();
    return true;
}

Flow FlowDocument::settings() const
{
    Flow f = m_flow;
    f.tasks.clear();
    f.layout.clear();
    return f;
}

void FlowDocument::setSettings(const Flow &s)
{
    QList<TaskSpec> tasks = std::move(m_flow.tasks);
    QMap<QString, QPointF> layout = std::move(m_flow.layout);
    const QString source = m_flow.sourcePath;
    m_flow = s;
    m_flow.tasks = std::move(tasks);
    m_flow.layout = std::move(layout);
    m_flow.sourcePath = source;
    Q_EMIT settingsChanged();
    touched();
}

QString FlowDocument::connectionProblem(const QString &from, const QString &to) const
{
    const TaskSpec *target = task(to);
    if (!target || !hasTask(from))
        return tr("Unknown task");
    if (from == to)
        return tr("A task cannot run after itself");
    if (target->after.contains(from))
        return tr("%1 already runs after %2").arg(to, from);
    if (FlowValidator::wouldCreateCycle(m_flow, from, to))
        return tr("%1 -> %2 would create a cycle: %2 already leads to %1").arg(from, to);
    return {};
}

QString FlowDocument::uniqueTaskId(const QString &base) const
{
    QString stem = base.isEmpty() ? QStringLiteral("task") : base;
    if (!hasTask(stem))
        return stem;
    // "load_3" -> stem "load"
    const int us = stem.lastIndexOf(QLatin1Char('_'));
    if (us > 0) {
        bool numeric = false;
        stem.mid(us + 1).toInt(&numeric);
        if (numeric)
            stem.truncate(us);
    }
    for (int n = 2;; ++n) {
        const QString candidate = stem + QLatin1Char('_') + QString::number(n);
        if (!hasTask(candidate))
            return candidate;
    }
}

QString FlowDocument::taskOfProblem(const Error &error) const
{
    if (!error.field.isEmpty()) {
        const bool ofTask = error.field.size() > 1 && error.field.first() == QLatin1String("tasks");
        return ofTask && hasTask(error.field.at(1)) ? error.field.at(1) : QString();
    }
    if (error.line > 0) { // an error without a field path: the task defined on its line
        for (const TaskSpec &t : m_flow.tasks) {
            if (t.line == error.line)
                return t.id;
        }
    }
    return {};
}

QStringList FlowDocument::problemsOf(const QString &id) const
{
    QStringList messages;
    for (const Error &e : m_taskProblems.value(id))
        messages << e.message;
    return messages;
}

QStringList FlowDocument::warningsOf(const QString &id) const
{
    return m_taskWarnings.value(id);
}

void FlowDocument::validateNow()
{
    m_validationQueued = false;
    m_problems = FlowValidator::validate(m_flow);
    m_taskProblems.clear();
    for (const Error &e : std::as_const(m_problems)) {
        const QString id = taskOfProblem(e);
        if (!id.isEmpty())
            m_taskProblems[id] << e;
    }
    // The validator reports a cycle once, on its first task: every task on it gets it.
    m_cycle = FlowValidator::findCycle(m_flow);
    for (const Error &e : std::as_const(m_problems)) {
        if (!e.message.startsWith(QLatin1String("cycle: ")))
            continue;
        for (qsizetype i = 1; i + 1 < m_cycle.size(); ++i)
            m_taskProblems[m_cycle.at(i)] << e;
    }
    m_warnings = FlowLint::warnings(m_flow);
    m_taskWarnings.clear();
    for (const Error &w : std::as_const(m_warnings)) {
        const QString id = taskOfProblem(w);
        if (!id.isEmpty())
            m_taskWarnings[id] << w.message;
    }
    qCDebug(lcEditor) << "validated" << m_flow.tasks.size() << "tasks:" << m_problems.size()
                      << "problems," << m_warnings.size() << "warnings";
    Q_EMIT problemsChanged();
}

void FlowDocument::touched()
{
    Q_EMIT changed();
    if (m_validationQueued)
        return;
    m_validationQueued = true;
    QTimer::singleShot(0, this, [this] {
        if (m_validationQueued)
            validateNow();
    });
}

} // namespace pw
