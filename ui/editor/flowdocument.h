#pragma once

#include "model/error.h"
#include "model/flow.h"

#include <QHash>
#include <QObject>
#include <QPointF>
#include <QStringList>

namespace pw {

// The editor's document: one pw::Flow plus the editor positions of its tasks, addressed by task
// id. It is the single source of truth of the designer; the scene, inspector and problems list
// build themselves from its signals and never keep their own copy of the truth. Every edit an
// operator makes goes through an undo command (ui/editor/*command.h) that calls the mutators
// below; nothing else calls them (except setFlow() when a file is opened).
//
// Validation (FlowValidator) and the idempotency lint (FlowLint) run coalesced after changes;
// problems() then holds every error, warnings() every warning, and problemsChanged() is emitted.
// Errors stop a run; warnings do not. Main (GUI) thread only.
class FlowDocument : public QObject
{
    Q_OBJECT
public:
    explicit FlowDocument(QObject *parent = nullptr);

    const Flow &flow() const { return m_flow; }
    // Replaces the whole flow (open, new, revert). Emits reset().
    void setFlow(const Flow &flow);

    bool hasTask(const QString &id) const { return indexOf(id) >= 0; }
    const TaskSpec *task(const QString &id) const;
    int indexOf(const QString &id) const;
    QStringList taskIds() const;
    QPointF taskPos(const QString &id) const { return m_flow.layout.value(id); }
    QStringList downstreamOf(const QString &id) const; // direct successors, in flow order

    // Mutators (for undo commands). Each checks its preconditions and does nothing (returning
    // false) when they do not hold.
    // Adds `task` at `index` (-1 = end). Every id in task.after must exist already.
    bool addTask(const TaskSpec &task, QPointF pos, int index = -1);
    // Removes the task and every edge touching it (emits edgeRemoved for each first).
    bool removeTask(const QString &id);
    // Renames a task, rewriting the `after` lists that name it and its layout entry.
    bool renameTask(const QString &oldId, const QString &newId);
    // Replaces a task's settings (same id); a changed `after` list emits edge signals.
    bool setTask(const QString &id, const TaskSpec &task);
    // Edge from -> to: `to` runs after `from`. `index` is the position in to.after (-1 = end).
    // Named connectTasks/disconnectTasks so they do not hide QObject::connect/disconnect.
    bool connectTasks(const QString &from, const QString &to, int index = -1);
    bool disconnectTasks(const QString &from, const QString &to);
    bool moveTask(const QString &id, QPointF pos);
    // Flow-level settings: everything of `settings` except tasks, layout and sourcePath.
    void setSettings(const Flow &settings);
    Flow settings() const; // the flow without tasks and layout
    void setSourcePath(const QString &path) { m_flow.sourcePath = path; }

    // Why from -> to cannot be added, or an empty string if it can (unknown task, self edge,
    // duplicate, or a cycle — checked with FlowValidator::wouldCreateCycle).
    QString connectionProblem(const QString &from, const QString &to) const;
    // `base` if free, else base_2, base_3, ...
    QString uniqueTaskId(const QString &base) const;

    // Validation results, refreshed after every change (coalesced).
    const Errors &problems() const { return m_problems; }
    // Errors attributed to one task: by their field path ({"tasks", ID, ...}), else by the
    // task's source line. problemsOf() gives their messages (node badges).
    Errors taskProblems(const QString &id) const { return m_taskProblems.value(id); }
    QStringList problemsOf(const QString &id) const;
    QString taskOfProblem(const Error &error) const;
    // The cycle the validation found, as a closed path of ids (a -> b -> c -> a: {a, b, c, a}),
    // empty when there is none. Every task on it has the cycle among its problems.
    const QStringList &cycle() const { return m_cycle; }
    // The lint's warnings (Error::isWarning()), and those of one task (node badges).
    const Errors &warnings() const { return m_warnings; }
    QStringList warningsOf(const QString &id) const;
    // Runs the validation now (normally it runs from the event loop after changes).
    void validateNow();

Q_SIGNALS:
    void reset();
    void taskAdded(const QString &id);
    void taskAboutToBeRemoved(const QString &id);
    void taskRemoved(const QString &id);
    void taskRenamed(const QString &oldId, const QString &newId);
    void taskChanged(const QString &id);
    void taskMoved(const QString &id, QPointF pos);
    void edgeAdded(const QString &from, const QString &to);
    void edgeRemoved(const QString &from, const QString &to);
    void settingsChanged();
    void changed();
    void problemsChanged();

private:
    void touched();
    void rebuildIndex() const;

    Flow m_flow;
    mutable QHash<QString, int> m_index;
    mutable bool m_indexValid = false;
    Errors m_problems;
    QHash<QString, Errors> m_taskProblems;
    Errors m_warnings;
    QStringList m_cycle;
    QHash<QString, QStringList> m_taskWarnings;
    bool m_validationQueued = false;
};

} // namespace pw
