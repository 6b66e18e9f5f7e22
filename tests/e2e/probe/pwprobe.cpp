// A test hook kept out of the product: a Qt "generic" plugin that the end-to-end tests load
// into the real `pipewright` binary with
//   QT_PLUGIN_PATH=<build>/tests/plugins QT_QPA_GENERIC_PLUGINS=pwprobe:FILE
// It writes the global centres of the widgets a user aims at to FILE (compact JSON
// {"key":[x,y],...}) ten times a second, so a test can click them with real X input (xdotool).
// It finds them by object name only, so it links Qt and nothing of Pipewright:
//   canvas          the visible canvas ("runView" while a run is shown, else "flowView")
//   runsRow0        the Flow cell of the first row of the Runs table ("runsTable")
//   paramsOk        the enabled OK button of the run parameters dialog ("paramsDialog")
//   confirmRerun    the Run button of a rerun preview ("confirmRerun")
//   trustButton     the Trust button of the trust prompt ("trustButton")
//   tab:TEXT        every tab of every tab bar (docks tabified together)
//   menu:NAME       every enabled, named action of the open popup menu

#include "monitor/runsmodel.h" // RunsModel::FlowColumn (an enum value; nothing is linked)

#include <QAbstractItemModel>
#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QGenericPlugin>
#include <QGraphicsView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QPushButton>
#include <QSaveFile>
#include <QTabBar>
#include <QTableView>
#include <QTimer>

namespace {

template<typename T>
T *visibleNamed(const QString &name)
{
    for (QWidget *top : QApplication::topLevelWidgets()) {
        if (!top->isVisible())
            continue;
        if (auto *self = qobject_cast<T *>(top); self && top->objectName() == name)
            return self;
        for (T *w : top->findChildren<T *>(name))
            if (w->isVisible())
                return w;
    }
    return nullptr;
}

QJsonObject probe()
{
    QJsonObject o;
    auto put = [&o](const QString &key, QWidget *w, QPoint local) {
        if (w && w->isVisible()) {
            const QPoint g = w->mapToGlobal(local);
            o.insert(key, QJsonArray{g.x(), g.y()});
        }
    };
    QGraphicsView *canvas = visibleNamed<QGraphicsView>(QStringLiteral("runView"));
    if (!canvas)
        canvas = visibleNamed<QGraphicsView>(QStringLiteral("flowView"));
    if (canvas)
        put(QStringLiteral("canvas"), canvas->viewport(), canvas->viewport()->rect().center());
    if (QTableView *table = visibleNamed<QTableView>(QStringLiteral("runsTable"));
        table && table->model() && table->model()->rowCount() > 0) {
        const QRect r = table->visualRect(table->model()->index(0, pw::RunsModel::FlowColumn));
        if (r.isValid() && table->viewport()->rect().contains(r.center()))
            put(QStringLiteral("runsRow0"), table->viewport(), r.center());
    }
    if (QDialog *d = visibleNamed<QDialog>(QStringLiteral("paramsDialog"))) {
        if (auto *box = d->findChild<QDialogButtonBox *>()) {
            QPushButton *ok = box->button(QDialogButtonBox::Ok);
            if (ok && ok->isEnabled())
                put(QStringLiteral("paramsOk"), ok, ok->rect().center());
        }
    }
    if (QPushButton *confirm = visibleNamed<QPushButton>(QStringLiteral("confirmRerun")))
        put(QStringLiteral("confirmRerun"), confirm, confirm->rect().center());
    if (QPushButton *trust = visibleNamed<QPushButton>(QStringLiteral("trustButton")))
        put(QStringLiteral("trustButton"), trust, trust->rect().center());
    for (QWidget *top : QApplication::topLevelWidgets()) {
        if (!top->isVisible())
            continue;
        for (QTabBar *bar : top->findChildren<QTabBar *>())
            for (int i = 0; i < bar->count(); ++i)
                put(QStringLiteral("tab:") + bar->tabText(i).remove(QLatin1Char('&')), bar,
                    bar->tabRect(i).center());
    }
    if (auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget())) {
        for (QAction *a : menu->actions())
            if (!a->objectName().isEmpty() && a->isEnabled())
                put(QStringLiteral("menu:") + a->objectName(), menu,
                    menu->actionGeometry(a).center());
    }
    return o;
}

} // namespace

class ProbePlugin : public QGenericPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID QGenericPluginFactoryInterface_iid FILE "pwprobe.json")
public:
    // Called while QApplication is constructed; the timer runs once the event loop does.
    QObject *create(const QString &key, const QString &file) override
    {
        if (key.compare(QLatin1String("pwprobe"), Qt::CaseInsensitive) != 0 || file.isEmpty())
            return nullptr;
        auto *timer = new QTimer;
        timer->setInterval(100);
        QObject::connect(timer, &QTimer::timeout, timer, [file] {
            QSaveFile f(file);
            if (f.open(QIODevice::WriteOnly)) {
                f.write(QJsonDocument(probe()).toJson(QJsonDocument::Compact));
                f.commit();
            }
        });
        timer->start();
        return timer;
    }
};

#include "pwprobe.moc"
