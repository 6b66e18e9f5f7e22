#pragma once

#include "model/taskspec.h"

#include <QStringList>
#include <QWidget>

class QGroupBox;
class QLabel;
class QLineEdit;
class QUndoStack;

namespace pw {

class FlowDocument;
template<typename T>
class InspectorForm;

// Inspector page for the selected task(s): every field of TaskSpec with a widget that fits
// (combo boxes for enums, spin boxes, duration fields, monospace editors for command and SQL),
// declared on an InspectorForm. With several tasks selected it shows the first one and an edit
// applies that one field to all of them. Every edit is a SetTaskCommand (or a
// RenameTaskCommand) on the undo stack. Validation problems of the shown task mark the field
// their Error::field names.
class TaskInspector : public QWidget
{
    Q_OBJECT
public:
    TaskInspector(FlowDocument *doc, QUndoStack *undo, QWidget *parent = nullptr);
    void setTasks(const QStringList &ids);
    const QStringList &tasks() const { return m_ids; }

Q_SIGNALS:
    void statusMessage(const QString &message, int timeout);

private:
    void refresh();
    void markProblems();
    QLineEdit *idField(QWidget *parent);

    FlowDocument *m_doc;
    QUndoStack *m_undo;
    InspectorForm<TaskSpec> *m_form;
    QStringList m_ids;

    QLabel *m_heading;
    QGroupBox *m_shellGroup = nullptr;
    QGroupBox *m_sqlGroup = nullptr;
    QGroupBox *m_waitGroup = nullptr;
    QGroupBox *m_slurmGroup = nullptr;
};

} // namespace pw
