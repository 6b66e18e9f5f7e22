#include "documentcontroller.h"

#include "editor/autolayout.h"
#include "editor/flowdocument.h"
#include "editor/logging.h"
#include "editor/sceneexporter.h"
#include "editor/setflowsettingscommand.h"

#include "format/flowexport.h"
#include "format/flowloader.h"
#include "format/flowwriter.h"

#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QUndoStack>

namespace pw {

namespace {
constexpr int kMaxRecent = 8;
// The id File > New gives a flow; the first save replaces it with one from the file name.
constexpr char kNewFlowId[] = "new_flow";
const QString kRecentKey = QStringLiteral("recentFiles");

} // namespace

DocumentController::DocumentController(
    FlowDocument *doc, QUndoStack *undo, FlowScene *scene, QWidget *dialogParent)
    : QObject(dialogParent), m_doc(doc), m_undo(undo), m_scene(scene), m_dialogParent(dialogParent)
{ }

QString DocumentController::displayName() const
{
    return m_path.isEmpty() ? tr("Untitled") : QFileInfo(m_path).fileName();
}

bool DocumentController::isModified() const
{
    return !m_undo->isClean();
}

void DocumentController::newFlow()
{
    Flow f;
    f.id = QLatin1String(kNewFlowId);
    f.title = tr("New flow");
    m_doc->setFlow(f);
    m_undo->clear();
    setPath(QString());
    Q_EMIT documentReplaced(QString());
}

Result<void> DocumentController::openFile(const QString &path)
{
    QElapsedTimer timer;
    timer.start();
    auto loaded = FlowLoader::loadFileForEditing(path);
    if (!loaded) {
        QStringList lines;
        for (const Error &e : loaded.error())
            lines << e.toString();
        return fail(lines.join(QLatin1Char('\n')));
    }
    Flow flow = std::move(loaded->flow);
    const qint64 loadMs = timer.elapsed();
    bool missing = false;
    for (const TaskSpec &t : flow.tasks)
        missing = missing || !flow.layout.contains(t.id);
    if (missing) {
        const QHash<QString, QPointF> pos = AutoLayout::compute(flow);
        for (auto it = pos.cbegin(); it != pos.cend(); ++it)
            flow.layout.insert(it.key(), it.value());
    }
    const qint64 layoutMs = timer.elapsed() - loadMs;
    m_doc->setFlow(flow);
    m_undo->clear();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_doc->setSourcePath(absolute);
    const qint64 sceneMs = timer.elapsed() - loadMs - layoutMs;
    addRecent(absolute);
    setPath(absolute);
    Q_EMIT documentReplaced(absolute);
    Q_EMIT statusMessage(tr("Opened %1 (%n task(s))", nullptr, int(flow.tasks.size()))
                             .arg(QFileInfo(path).fileName()),
        5000);
    qCInfo(lcEditor, "opened %s: %lld tasks; load %lld ms, layout %lld ms, scene %lld ms",
        qPrintable(path), qlonglong(flow.tasks.size()), loadMs, layoutMs, sceneMs);
    return {};
}

QString DocumentController::idFromFileName(const QString &path)
{
    QString name = QFileInfo(path).fileName();
    for (const char *suffix : {".flow.yaml", ".flow.yml", ".flow.json", ".yaml", ".yml", ".json"}) {
        if (name.endsWith(QLatin1String(suffix), Qt::CaseInsensitive)) {
            name.chop(qsizetype(qstrlen(suffix)));
            break;
        }
    }
    for (QChar &c : name) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('_')
            && c != QLatin1Char('.') && c != QLatin1Char('-'))
            c = QLatin1Char('_');
    }
    while (name.startsWith(QLatin1Char('.')) || name.startsWith(QLatin1Char('-')))
        name.remove(0, 1);
    return isValidId(name) ? name : QString();
}

Result<void> DocumentController::saveTo(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList notes;
    const bool firstSave = m_path.isEmpty();
    if (firstSave && m_doc->flow().id == QLatin1String(kNewFlowId)) {
        const QString id = idFromFileName(path);
        if (!id.isEmpty() && id != m_doc->flow().id) {
            const Flow before = m_doc->settings();
            Flow after = before;
            after.id = id;
            m_undo->push(new SetFlowSettingsCommand(m_doc, before, after, QStringLiteral("id")));
            notes << tr("Its id is now '%1', from the file name (change it in the flow settings).")
                         .arg(id);
        }
    }
    if (firstSave && m_idCheck) {
        const QString warning = m_idCheck(m_doc->flow().id, absolute);
        if (!warning.isEmpty())
            notes << warning;
    }
    Result<void> r = FlowWriter::saveFile(m_doc->flow(), path);
    if (!r)
        return r;
    m_doc->setSourcePath(absolute);
    m_undo->setClean();
    addRecent(absolute);
    setPath(absolute); // fileChanged(), also when the path stayed: it is saved now
    Q_EMIT saved();
    notes.prepend(tr("Saved %1.").arg(QFileInfo(path).fileName()));
    Q_EMIT statusMessage(notes.join(QLatin1Char(' ')), notes.size() > 1 ? 15000 : 3000);
    return {};
}

Result<void> DocumentController::exportTo(const QString &path, const QString &format)
{
    if (const auto text = FlowExport::formatFromName(format))
        return FlowExport::writeFile(m_doc->flow(), *text, path);
    const QString f = format.toLower();
    if (f == QLatin1String("svg"))
        return SceneExporter::toSvg(m_scene, path, m_doc->flow().title);
    if (f == QLatin1String("png"))
        return SceneExporter::toPng(m_scene, path);
    return fail(tr("Unknown export format %1 (yaml, json, dot, svg, png)").arg(format));
}

bool DocumentController::maybeSave()
{
    if (m_undo->isClean())
        return true;
    const auto answer = QMessageBox::warning(m_dialogParent, tr("Unsaved changes"),
        tr("“%1” has unsaved changes. Save them?")
            .arg(m_path.isEmpty() ? m_doc->flow().id : QFileInfo(m_path).fileName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void DocumentController::openDialog()
{
    if (!maybeSave())
        return;
    const QString dir = m_path.isEmpty() ? QString() : QFileInfo(m_path).absolutePath();
    const QString path = QFileDialog::getOpenFileName(m_dialogParent, tr("Open flow"), dir,
        tr("Flows (*.flow.yaml *.flow.yml *.flow.json *.yaml *.yml *.json);;All files (*)"));
    if (!path.isEmpty())
        reportFailure(tr("Cannot open flow"), openFile(path));
}

void DocumentController::openRecent(const QString &path)
{
    if (maybeSave())
        reportFailure(tr("Cannot open flow"), openFile(path));
}

bool DocumentController::save()
{
    if (m_path.isEmpty())
        return saveAsDialog();
    return reportFailure(tr("Cannot save"), saveTo(m_path));
}

bool DocumentController::saveAsDialog()
{
    const QString suggestion
        = m_path.isEmpty() ? m_doc->flow().id + QStringLiteral(".flow.yaml") : m_path;
    QString path = QFileDialog::getSaveFileName(m_dialogParent, tr("Save flow as"), suggestion,
        tr("Flow YAML (*.flow.yaml);;Flow JSON (*.flow.json)"));
    if (path.isEmpty())
        return false;
    if (!path.endsWith(QLatin1String(".json")) && !path.endsWith(QLatin1String(".yaml"))
        && !path.endsWith(QLatin1String(".yml")))
        path += QStringLiteral(".flow.yaml");
    return reportFailure(tr("Cannot save"), saveTo(path));
}

void DocumentController::revert()
{
    if (m_path.isEmpty() || m_undo->isClean())
        return;
    if (QMessageBox::question(
            m_dialogParent, tr("Revert"), tr("Discard all changes since the last save?"))
        != QMessageBox::Yes)
        return;
    reportFailure(tr("Cannot revert"), openFile(m_path));
}

void DocumentController::exportDialog()
{
    const QString base = m_path.isEmpty()
        ? m_doc->flow().id
        : QFileInfo(m_path).absolutePath() + QLatin1Char('/') + m_doc->flow().id;
    QString selected;
    const QString yaml = tr("YAML (*.flow.yaml)"), json = tr("JSON (*.flow.json)"),
                  dot = tr("Graphviz DOT (*.dot)"), svg = tr("SVG picture (*.svg)"),
                  png = tr("PNG picture (*.png)");
    const QString path
        = QFileDialog::getSaveFileName(m_dialogParent, tr("Export"), base + QStringLiteral(".svg"),
            QStringList{svg, png, dot, yaml, json}.join(QStringLiteral(";;")), &selected);
    if (path.isEmpty())
        return;
    // The chosen filter decides the format; the file name's suffix when none matches.
    const QHash<QString, QString> formats{{yaml, QStringLiteral("yaml")},
        {json, QStringLiteral("json")}, {dot, QStringLiteral("dot")}, {svg, QStringLiteral("svg")},
        {png, QStringLiteral("png")}};
    const QString format = formats.value(selected, QFileInfo(path).suffix().toLower());
    if (reportFailure(tr("Cannot export"), exportTo(path, format)))
        Q_EMIT statusMessage(tr("Exported %1").arg(QFileInfo(path).fileName()), 4000);
}

QStringList DocumentController::recentFiles() const
{
    return QSettings().value(kRecentKey).toStringList();
}

QMenu *DocumentController::recentMenu()
{
    if (!m_recentMenu) {
        m_recentMenu = new QMenu(tr("Open &Recent"), m_dialogParent);
        m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
        rebuildRecentMenu();
    }
    return m_recentMenu;
}

void DocumentController::setPath(const QString &path)
{
    m_path = path;
    Q_EMIT fileChanged();
}

void DocumentController::addRecent(const QString &path)
{
    QStringList recent = recentFiles();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

void DocumentController::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList recent = recentFiles();
    for (const QString &path : recent) {
        QAction *a = m_recentMenu->addAction(QFileInfo(path).fileName());
        a->setToolTip(path);
        connect(a, &QAction::triggered, this, [this, path] { openRecent(path); });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

bool DocumentController::reportFailure(const QString &title, const Result<void> &r)
{
    if (!r)
        QMessageBox::critical(m_dialogParent, title, r.error().message);
    return r.has_value();
}

} // namespace pw
