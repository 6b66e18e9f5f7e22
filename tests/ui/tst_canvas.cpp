// The canvas driven like an operator does: drops from the palette, port drags, refused
// cycles, moves, rubber band and Ctrl+click selection, keyboard editing, clipboard, zoom.

#include "app/mainwindow.h"
#include "editor/edgeitem.h"
#include "editor/flowdocument.h"
#include "editor/flowscene.h"
#include "editor/flowview.h"
#include "editor/nodeitem.h"
#include "editor/palettewidget.h"
#include "editor/tasktypeinfo.h"
#include "editor/theme.h"

#include "format/flowloader.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace pw;

class TestCanvas : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    std::unique_ptr<MainWindow> m_win;

    FlowDocument *doc() const { return m_win->document(); }
    FlowScene *scene() const { return m_win->scene(); }
    FlowView *view() const { return m_win->view(); }
    QWidget *vp() const { return m_win->view()->viewport(); }
    QPoint at(QPointF scenePos) const { return view()->mapFromScene(scenePos); }

    void addAt(const QString &id, QPointF pos, TaskType type = TaskType::Shell)
    {
        QVERIFY(doc()->addTask(TaskTypeInfo::newTask(type, id), pos));
    }
    QPointF outPort(const QString &id) const { return scene()->node(id)->outputPortScenePos(); }
    QPointF inPort(const QString &id) const { return scene()->node(id)->inputPortScenePos(); }

    // Press at `from`, move in steps, release at `to` (viewport coordinates).
    void drag(QPoint from, QPoint to, Qt::KeyboardModifiers mods = {})
    {
        QTest::mousePress(vp(), Qt::LeftButton, mods, from);
        for (int i = 1; i <= 6; ++i)
            QTest::mouseMove(vp(), from + (to - from) * i / 6);
        QTest::mouseRelease(vp(), Qt::LeftButton, mods, to);
    }

    void sendDrop(TaskType type, QPoint pos)
    {
        std::unique_ptr<QMimeData> mime(PaletteWidget::mimeDataFor(type));
        QDragEnterEvent enter(pos, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(vp(), &enter);
        QVERIFY(enter.isAccepted());
        QDragMoveEvent move(pos, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(vp(), &move);
        QVERIFY(move.isAccepted());
        QDropEvent drop(QPointF(pos), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(vp(), &drop);
        QVERIFY(drop.isAccepted());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_tmp.path());
        QCoreApplication::setOrganizationName(QStringLiteral("PipewrightTest"));
    }

    void init()
    {
        m_win = std::make_unique<MainWindow>();
        m_win->resize(1200, 800);
        m_win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
        m_win->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_win.get()));
        view()->resetZoom();
        view()->centerOn(QPointF(300, 200));
    }

    void cleanup()
    {
        m_win->undoStack()->setClean(); // no unsaved-changes prompt
        m_win.reset();
    }

    void dropFromPaletteCreatesNodeAtDropPoint_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QPoint>("offset"); // from the viewport centre
        QTest::newRow("shell centre") << int(TaskType::Shell) << QPoint(0, 0);
        QTest::newRow("sql left") << int(TaskType::Sql) << QPoint(-300, 120);
        QTest::newRow("wait_file top right") << int(TaskType::WaitFile) << QPoint(250, -200);
        QTest::newRow("noop") << int(TaskType::Noop) << QPoint(100, 100);
    }
    void dropFromPaletteCreatesNodeAtDropPoint()
    {
        QFETCH(int, type);
        QFETCH(QPoint, offset);
        const QPoint pos = vp()->rect().center() + offset;
        sendDrop(TaskType(type), pos);
        QCOMPARE(doc()->flow().tasks.size(), 1);
        const TaskSpec &t = doc()->flow().tasks.first();
        QCOMPARE(int(t.type), type);
        QCOMPARE(t.id, toString(TaskType(type)));
        const QRectF box = scene()->node(t.id)->sceneBoundingRect();
        const QPointF dropped = view()->mapToScene(pos);
        QVERIFY2(box.contains(dropped), "the node is where it was dropped");
        // Centred on the drop point, up to the 20 px grid snap.
        QVERIFY(QLineF(box.center(), dropped).length() < 20);
        QCOMPARE(m_win->undoStack()->count(), 1);
        QVERIFY(scene()->node(t.id)->isSelected());
    }

    void paletteDoubleClickAddsAtViewCentre()
    {
        PaletteWidget *palette = m_win->palette();
        Q_EMIT palette->addRequested(TaskType::Noop);
        QCOMPARE(doc()->flow().tasks.size(), 1);
        QVERIFY(QLineF(scene()->node(QStringLiteral("noop"))->sceneBoundingRect().center(),
                    view()->viewCentre())
                    .length()
            < 30);
    }

    void dragPortToPortConnects_data()
    {
        QTest::addColumn<bool>("ontoNodeBody");
        QTest::addColumn<bool>("fromInput");
        QTest::newRow("output to input port") << false << false;
        QTest::newRow("output onto node") << true << false;
        QTest::newRow("input back to output") << false << true;
    }
    void dragPortToPortConnects()
    {
        QFETCH(bool, ontoNodeBody);
        QFETCH(bool, fromInput);
        addAt(QStringLiteral("a"), {0, 100});
        addAt(QStringLiteral("b"), {400, 260});
        if (fromInput)
            drag(at(inPort(QStringLiteral("b"))), at(outPort(QStringLiteral("a"))));
        else
            drag(at(outPort(QStringLiteral("a"))),
                at(ontoNodeBody ? scene()->node(QStringLiteral("b"))->sceneBoundingRect().center()
                                : inPort(QStringLiteral("b"))));
        QCOMPARE(doc()->task(QStringLiteral("b"))->after, QStringList{QStringLiteral("a")});
        QVERIFY(scene()->edge(QStringLiteral("a"), QStringLiteral("b")));
        QCOMPARE(m_win->undoStack()->count(), 1);
        QVERIFY(!scene()->isConnecting());
        m_win->undoStack()->undo();
        QVERIFY(doc()->task(QStringLiteral("b"))->after.isEmpty());
        QVERIFY(!scene()->edge(QStringLiteral("a"), QStringLiteral("b")));
    }

    void refusedConnections_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("reason");
        QTest::newRow("cycle") << "c"
                               << "a"
                               << "cycle";
        QTest::newRow("short cycle") << "b"
                                     << "a"
                                     << "cycle";
        QTest::newRow("duplicate") << "a"
                                   << "b"
                                   << "already";
    }
    void refusedConnections()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, reason);
        addAt(QStringLiteral("a"), {0, 0});
        addAt(QStringLiteral("b"), {260, 0});
        addAt(QStringLiteral("c"), {520, 160});
        doc()->connectTasks(QStringLiteral("a"), QStringLiteral("b"));
        doc()->connectTasks(QStringLiteral("b"), QStringLiteral("c"));
        const Flow before = doc()->flow();
        QSignalSpy messages(scene(), &FlowScene::statusMessage);

        const QPoint start = at(outPort(from));
        const QPoint target = at(inPort(to));
        QTest::mousePress(vp(), Qt::LeftButton, {}, start);
        for (int i = 1; i <= 6; ++i)
            QTest::mouseMove(vp(), start + (target - start) * i / 6);
        // While dragging over the refused target: a dashed red edge and a reason.
        QVERIFY(scene()->isConnecting());
        bool sawReason = false;
        for (const auto &args : std::as_const(messages))
            sawReason = sawReason || args.at(0).toString().contains(reason, Qt::CaseInsensitive);
        QVERIFY2(sawReason, "the status bar says why");
        QVERIFY(m_win->statusBar()->currentMessage().contains(reason, Qt::CaseInsensitive));
        QTest::mouseRelease(vp(), Qt::LeftButton, {}, target);
        QVERIFY(doc()->flow() == before);
        QCOMPARE(m_win->undoStack()->count(), 0);
        QVERIFY(!scene()->isConnecting());
    }

    void dragMoveIsOneUndoStep()
    {
        addAt(QStringLiteral("a"), {0, 0});
        m_win->undoStack()->clear();
        const QPoint start = at(QPointF(90, 40));
        drag(start, start + QPoint(200, 120));
        QCOMPARE(doc()->taskPos(QStringLiteral("a")), QPointF(200, 120));
        QCOMPARE(scene()->node(QStringLiteral("a"))->pos(), QPointF(200, 120));
        QCOMPARE(m_win->undoStack()->count(), 1);
        m_win->undoStack()->undo();
        QCOMPARE(doc()->taskPos(QStringLiteral("a")), QPointF(0, 0));
        QCOMPARE(scene()->node(QStringLiteral("a"))->pos(), QPointF(0, 0));
    }

    void rubberBandAndCtrlClick()
    {
        addAt(QStringLiteral("a"), {0, 0});
        addAt(QStringLiteral("b"), {0, 120});
        addAt(QStringLiteral("c"), {400, 0});
        drag(at(QPointF(-60, -40)), at(QPointF(200, 200)));
        QCOMPARE(
            scene()->selectedTaskIds(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QTest::mouseClick(vp(), Qt::LeftButton, Qt::ControlModifier, at(QPointF(490, 40)));
        QCOMPARE(scene()->selectedTaskIds().size(), 3);
        QTest::mouseClick(vp(), Qt::LeftButton, Qt::ControlModifier, at(QPointF(90, 40)));
        QCOMPARE(
            scene()->selectedTaskIds(), (QStringList{QStringLiteral("b"), QStringLiteral("c")}));
    }

    void keyboardSelectAllDeleteUndo()
    {
        addAt(QStringLiteral("a"), {0, 0});
        addAt(QStringLiteral("b"), {260, 0});
        addAt(QStringLiteral("c"), {520, 0});
        doc()->connectTasks(QStringLiteral("a"), QStringLiteral("b"));
        doc()->connectTasks(QStringLiteral("b"), QStringLiteral("c"));
        const Flow before = doc()->flow();
        view()->setFocus();
        QTest::keyClick(vp(), Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(scene()->selectedTaskIds().size(), 3);
        QTest::mouseClick(vp(), Qt::LeftButton, {}, at(QPointF(350, 40)));
        QCOMPARE(scene()->selectedTaskIds(), QStringList{QStringLiteral("b")});
        QTest::keyClick(vp(), Qt::Key_Delete);
        QCOMPARE(doc()->flow().tasks.size(), 2);
        QVERIFY(doc()->task(QStringLiteral("c"))->after.isEmpty());
        QCOMPARE(scene()->edgeCount(), 0);
        QTest::keyClick(vp(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(doc()->flow() == before);
        QCOMPARE(scene()->edgeCount(), 2);
        QTest::keyClick(vp(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(doc()->flow().tasks.size(), 2);
    }

    void copyPasteRoundTrips()
    {
        addAt(QStringLiteral("extract"), {0, 0});
        addAt(QStringLiteral("load"), {260, 0}, TaskType::Sql);
        addAt(QStringLiteral("other"), {0, 200}, TaskType::Noop);
        doc()->connectTasks(QStringLiteral("extract"), QStringLiteral("load"));
        doc()->connectTasks(QStringLiteral("other"), QStringLiteral("load"));
        TaskSpec load = *doc()->task(QStringLiteral("load"));
        load.retry.retries = 3;
        load.pool = QStringLiteral("warehouse");
        doc()->setTask(QStringLiteral("load"), load);
        scene()->selectTasks({QStringLiteral("extract"), QStringLiteral("load")});
        view()->setFocus();
        QTest::keyClick(vp(), Qt::Key_C, Qt::ControlModifier);
        const QString text = QApplication::clipboard()->text();
        QVERIFY2(text.contains(QLatin1String("extract:")) && text.contains(QLatin1String("load:")),
            qPrintable(text));
        QVERIFY(!text.contains(QLatin1String("other:")));
        // The clipboard is a flow file: it loads as one.
        QVERIFY(FlowLoader::loadData(text.toUtf8()).has_value());

        QTest::keyClick(vp(), Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(doc()->flow().tasks.size(), 5);
        const TaskSpec *copy = doc()->task(QStringLiteral("load_2"));
        QVERIFY(copy);
        QCOMPARE(
            copy->after, QStringList{QStringLiteral("extract_2")}); // edge to "other" not copied
        TaskSpec expected = load;
        expected.id = QStringLiteral("load_2");
        expected.after = {QStringLiteral("extract_2")};
        QVERIFY(*copy == expected);
        QCOMPARE(scene()->selectedTaskIds(),
            (QStringList{QStringLiteral("extract_2"), QStringLiteral("load_2")}));
        // Relative placement is kept.
        QCOMPARE(
            doc()->taskPos(QStringLiteral("load_2")) - doc()->taskPos(QStringLiteral("extract_2")),
            QPointF(260, 0));

        // Into an empty flow: the same tasks.
        m_win->undoStack()->setClean();
        m_win->newFlow();
        QTest::keyClick(vp(), Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(doc()->flow().tasks.size(), 2);
        QVERIFY(*doc()->task(QStringLiteral("load")) == [&] {
            TaskSpec t = load;
            t.after = {QStringLiteral("extract")};
            return t;
        }());

        // Cut = copy + delete, one undo step each way.
        QTest::keyClick(vp(), Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(vp(), Qt::Key_X, Qt::ControlModifier);
        QCOMPARE(doc()->flow().tasks.size(), 0);
        QTest::keyClick(vp(), Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(doc()->flow().tasks.size(), 2);
    }

    void duplicate()
    {
        addAt(QStringLiteral("a"), {0, 0});
        scene()->selectTasks({QStringLiteral("a")});
        view()->setFocus();
        QTest::keyClick(vp(), Qt::Key_D, Qt::ControlModifier);
        QCOMPARE(doc()->flow().tasks.size(), 2);
        // Below the original, clear of it (issue 17 item 18), named for what it was.
        const QRectF original(
            doc()->taskPos(QStringLiteral("a")), QSizeF(NodeItem::Width, NodeItem::Height));
        const QRectF copy(
            doc()->taskPos(QStringLiteral("a_2")), QSizeF(NodeItem::Width, NodeItem::Height));
        QVERIFY(!original.intersects(copy));
        QCOMPARE(copy.left(), original.left());
        QCOMPARE(scene()->selectedTaskIds(), QStringList{QStringLiteral("a_2")});
        QCOMPARE(m_win->undoStack()->undoText(), QStringLiteral("Duplicate a_2"));
    }

    // Selecting a task never scrolls the view (issue 17 item 11): the node stays where the
    // click found it, also on the first click (when the inspector switches to the task page).
    void clickingATaskDoesNotScroll_data()
    {
        QTest::addColumn<QSize>("window");
        QTest::newRow("1200x800") << QSize(1200, 800);
        QTest::newRow("1440x900") << QSize(1440, 900);
        QTest::newRow("1024x640 (a laptop)") << QSize(1024, 640);
        QTest::newRow("800x600") << QSize(800, 600);
    }
    void clickingATaskDoesNotScroll()
    {
        QFETCH(QSize, window);
        m_win->resize(window);
        QTest::qWait(50);
        addAt(QStringLiteral("a"), {0, 0});
        addAt(QStringLiteral("b"), {300, 200});
        view()->fitAll();
        QApplication::processEvents();
        NodeItem *b = scene()->node(QStringLiteral("b"));
        const QPoint before = view()->mapFromScene(b->sceneBoundingRect().center());
        QTest::mouseClick(vp(), Qt::LeftButton, {}, before);
        QTRY_COMPARE(scene()->selectedTaskIds(), QStringList{QStringLiteral("b")});
        QTest::qWait(50);
        QCOMPARE(view()->mapFromScene(b->sceneBoundingRect().center()), before);
        QTest::mouseClick(vp(), Qt::LeftButton, {}, view()->mapFromScene(QPointF(-300, -300)));
        QTest::qWait(50);
        QCOMPARE(view()->mapFromScene(b->sceneBoundingRect().center()), before);
    }

    // A long id is elided at its end on the node; the tooltip has all of it and the
    // description (issue 17 item 6).
    void longNameTooltip()
    {
        TaskSpec t
            = TaskTypeInfo::newTask(TaskType::Shell, QStringLiteral("check_regional_refunds_034"));
        t.description = QStringLiteral("Compares refunds per region with the ledger");
        doc()->addTask(t, {0, 0});
        NodeItem *n = scene()->node(t.id);
        QVERIFY(n);
        QCOMPARE(n->toolTip(),
            QStringLiteral(
                "check_regional_refunds_034\nCompares refunds per region with the ledger"));
    }

    void ctrlWheelZoomsAndFit()
    {
        addAt(QStringLiteral("a"), {0, 0});
        addAt(QStringLiteral("b"), {3000, 2000});
        const qreal before = view()->zoom();
        QWheelEvent wheel(QPointF(vp()->rect().center()),
            QPointF(vp()->mapToGlobal(vp()->rect().center())), QPoint(), QPoint(0, 120),
            Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(vp(), &wheel);
        QVERIFY(view()->zoom() > before * 1.1);
        view()->setFocus();
        // Too large to fit legibly: the first Ctrl+0 shows its start at the smallest legible
        // zoom, the second all of it (issue 17 item 10).
        QTest::keyClick(vp(), Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(view()->zoom(), FlowView::LegibleZoom);
        QRectF visible = view()->mapToScene(vp()->rect()).boundingRect();
        QVERIFY(visible.contains(scene()->node(QStringLiteral("a"))->sceneBoundingRect()));
        QVERIFY(!visible.contains(scene()->nodesBoundingRect()));
        QTest::keyClick(vp(), Qt::Key_0, Qt::ControlModifier);
        QVERIFY(view()->zoom() < 0.5);
        visible = view()->mapToScene(vp()->rect()).boundingRect();
        QVERIFY(visible.contains(scene()->nodesBoundingRect()));
    }

    void renameInPlace_data()
    {
        QTest::addColumn<bool>("byKey"); // F2, else double-click on the node
        QTest::addColumn<QString>("typed");
        QTest::addColumn<bool>("escape");
        QTest::addColumn<QString>("expected");
        QTest::newRow("F2") << true << "extract" << false << "extract";
        QTest::newRow("double-click") << false << "load_sales" << false << "load_sales";
        QTest::newRow("escape cancels") << true << "zzz" << true << "a";
        QTest::newRow("invalid refused") << true << "-bad" << false << "a";
        QTest::newRow("taken refused") << true << "b" << false << "a";
    }
    void renameInPlace()
    {
        QFETCH(bool, byKey);
        QFETCH(QString, typed);
        QFETCH(bool, escape);
        QFETCH(QString, expected);
        addAt(QStringLiteral("a"), {0, 0});
        addAt(QStringLiteral("b"), {0, 200});
        doc()->connectTasks(QStringLiteral("a"), QStringLiteral("b"));
        scene()->selectTasks({QStringLiteral("a")});
        view()->setFocus();
        if (byKey)
            QTest::keyClick(vp(), Qt::Key_F2);
        else
            QTest::mouseDClick(vp(), Qt::LeftButton, {}, at(QPointF(90, 45)));
        QLineEdit *editor = view()->nameEditor();
        QVERIFY(editor && editor->isVisible() && editor->hasFocus());
        QTest::keyClicks(editor, typed);
        QTest::keyClick(editor, escape ? Qt::Key_Escape : Qt::Key_Return);
        QVERIFY(!view()->nameEditor());
        QVERIFY(doc()->hasTask(expected));
        QCOMPARE(doc()->task(QStringLiteral("b"))->after, QStringList{expected});
        if (expected != QLatin1String("a")) {
            QTest::keyClick(vp(), Qt::Key_Z, Qt::ControlModifier);
            QVERIFY(doc()->hasTask(QStringLiteral("a")));
        }
    }

    void panWithMiddleAndSpaceDrag()
    {
        addAt(QStringLiteral("a"), {0, 0});
        const QPointF before = view()->viewCentre();
        const QPoint c = vp()->rect().center();
        QTest::mousePress(vp(), Qt::MiddleButton, {}, c);
        QTest::mouseMove(vp(), c + QPoint(50, 20));
        QTest::mouseMove(vp(), c + QPoint(100, 40));
        QTest::mouseRelease(vp(), Qt::MiddleButton, {}, c + QPoint(100, 40));
        QVERIFY(QLineF(view()->viewCentre(), before - QPointF(100, 40)).length() < 2);
        const QPointF mid = view()->viewCentre();
        view()->setFocus();
        QTest::keyPress(view(), Qt::Key_Space);
        drag(c, c + QPoint(-60, -30));
        QTest::keyRelease(view(), Qt::Key_Space);
        QVERIFY(QLineF(view()->viewCentre(), mid + QPointF(60, 30)).length() < 2);
        QCOMPARE(doc()->taskPos(QStringLiteral("a")), QPointF(0, 0)); // nothing moved
        QVERIFY(scene()->selectedTaskIds().isEmpty());                // no rubber band
    }

    void clickEdgeAndDelete()
    {
        addAt(QStringLiteral("a"), {0, 0});
        addAt(QStringLiteral("b"), {300, 0});
        doc()->connectTasks(QStringLiteral("a"), QStringLiteral("b"));
        view()->setFocus();
        QTest::mouseClick(vp(), Qt::LeftButton, {}, at(QPointF(240, 32)));
        QVERIFY(scene()->edge(QStringLiteral("a"), QStringLiteral("b"))->isSelected());
        QTest::keyClick(vp(), Qt::Key_Delete);
        QVERIFY(doc()->task(QStringLiteral("b"))->after.isEmpty());
        QCOMPARE(doc()->flow().tasks.size(), 2);
        QTest::keyClick(vp(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(doc()->task(QStringLiteral("b"))->after, QStringList{QStringLiteral("a")});
    }

    // The palette (issue 17 item 15): a highlighted type keeps its icon's colours, and nothing
    // stays highlighted after an add or while the palette is disabled (a run is shown).
    void paletteHighlight()
    {
        QListWidget *list = m_win->palette()->list();
        QListWidgetItem *shell = list->item(0);
        QCOMPARE(shell->icon().pixmap(24, QIcon::Selected).toImage(),
            shell->icon().pixmap(24, QIcon::Normal).toImage());
        list->setCurrentItem(shell);
        QVERIFY(shell->isSelected());
        Q_EMIT list->itemDoubleClicked(shell);
        QVERIFY(list->selectedItems().isEmpty());
        list->setCurrentItem(shell);
        m_win->palette()->setEnabled(false);
        QVERIFY(list->selectedItems().isEmpty());
        m_win->palette()->setEnabled(true);
    }

    // Disabled toolbar icons are faded well below the enabled ones, on both themes (item 16).
    void disabledIconsFade()
    {
        auto alpha = [](const QImage &img) {
            qint64 sum = 0;
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    sum += qAlpha(img.pixel(x, y));
            return sum;
        };
        for (bool dark : {false, true}) {
            Theme::apply(*qApp, dark);
            const QIcon run = Theme::icon(QStringLiteral("run"));
            const qint64 on = alpha(run.pixmap(24, QIcon::Normal).toImage());
            const qint64 off = alpha(run.pixmap(24, QIcon::Disabled).toImage());
            QVERIFY2(
                on > 0 && off * 2 < on, qPrintable(QStringLiteral("%1 vs %2").arg(off).arg(on)));
        }
        Theme::apply(*qApp, false);
    }

    void paletteSearchFilters()
    {
        PaletteWidget *palette = m_win->palette();
        QTest::keyClicks(palette->searchField(), QStringLiteral("sql"));
        int visible = 0;
        for (int i = 0; i < palette->list()->count(); ++i)
            visible += palette->list()->item(i)->isHidden() ? 0 : 1;
        QCOMPARE(visible, 1);
    }

    void quickAddWithTab()
    {
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_Tab);
        auto *popup = m_win->findChild<QWidget *>(QStringLiteral("searchPopup"));
        QVERIFY(popup && popup->isVisible());
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("wait"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QCOMPARE(doc()->flow().tasks.size(), 1);
        QVERIFY(doc()->flow().tasks.first().type == TaskType::WaitFile);
    }
};

QTEST_MAIN(TestCanvas)
#include "tst_canvas.moc"
