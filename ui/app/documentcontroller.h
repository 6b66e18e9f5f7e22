#pragma once

#include "model/result.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QMenu;
class QUndoStack;
class QWidget;

namespace pw {

class FlowDocument;
class FlowScene;

// The designer's file operations on one FlowDocument: new, open, save, save as, revert, export,
// the recent files (QSettings "recentFiles", newest first, at most 8) and the "unsaved changes"
// prompts. The document is unmodified while the undo stack is clean.
//
// The functions without a dialog (newFlow, openFile, saveTo, exportTo) are the API for the
// command line, tests and the dialog variants; the dialog variants (the File menu's actions)
// ask with QFileDialog/QMessageBox on `dialogParent` and show failures there. What the window
// does with the result (fit the view, update its title) it does on the signals. Main thread
// only.
class DocumentController : public QObject
{
    Q_OBJECT
public:
    // `scene` renders the SVG and PNG exports.
    DocumentController(
        FlowDocument *doc, QUndoStack *undo, FlowScene *scene, QWidget *dialogParent);

    // The file the document was opened from or saved to (absolute), empty for a new flow.
    QString path() const { return m_path; }
    // The file name, or "Untitled".
    QString displayName() const;
    bool isModified() const;

    // Without dialogs.
    void newFlow();
    // Opens a flow; one with semantic problems (a cycle, an unknown template name) opens too,
    // so it can be fixed; the Problems dock lists them. A flow without positions is laid out
    // (not an undo step). Fails with the loader's errors, one FILE:LINE:COL line each.
    Result<void> openFile(const QString &path);
    // The first save of a new flow (id `new_flow`) takes its id from the file name
    // (`daily_sales.flow.yaml` -> `daily_sales`; an undo step), and says so; the id check (if
    // set) then warns when the history already has runs of that id from another file.
    Result<void> saveTo(const QString &path);
    using IdCheck = std::function<QString(const QString &flowId, const QString &path)>;
    void setIdCheck(IdCheck check) { m_idCheck = std::move(check); }
    // `daily_sales.flow.yaml` -> `daily_sales` (invalid characters become '_'); empty when no
    // valid id can be made.
    static QString idFromFileName(const QString &path);
    // format: yaml (or yml), json, dot, svg, png.
    Result<void> exportTo(const QString &path, const QString &format);

    // With dialogs.
    // The "unsaved changes" prompt (Save, Discard, Cancel) when the document is modified:
    // true when the caller may go on (saved or discarded, or nothing to save).
    bool maybeSave();
    void openDialog();
    void openRecent(const QString &path);
    bool save(); // Save As when the flow has no file yet
    bool saveAsDialog();
    void revert(); // asks, then reopens the file
    void exportDialog();

    QStringList recentFiles() const;
    // The File > Open Recent menu, kept up to date (owned by the controller's dialog parent).
    QMenu *recentMenu();

Q_SIGNALS:
    // A new document is shown: an empty flow (path empty) or a file just opened.
    void documentReplaced(const QString &path);
    // path() changed or the document was saved (the window title shows both).
    void fileChanged();
    // The document was written to path(): what it holds now is on disk.
    void saved();
    void statusMessage(const QString &message, int timeout);

private:
    void setPath(const QString &path);
    void addRecent(const QString &path);
    void rebuildRecentMenu();
    bool reportFailure(const QString &title, const Result<void> &r);

    FlowDocument *m_doc;
    QUndoStack *m_undo;
    IdCheck m_idCheck;
    FlowScene *m_scene;
    QWidget *m_dialogParent;
    QMenu *m_recentMenu = nullptr;
    QString m_path;
};

} // namespace pw
