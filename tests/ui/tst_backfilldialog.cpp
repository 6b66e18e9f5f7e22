// Run > Backfill… (issue 5) with a real Engine in a temporary home (offscreen): the dialog
// defaults to the last 7 days, shows how many runs it will create, and a backfill of 3 days of a
// 2-task noop flow creates 3 succeeded runs with trigger backfill and one date each (read back
// from the store), while the GUI thread keeps processing events.

#include "format/flowloader.h"
#include "history/historystore.h"
#include "monitor/backfilldialog.h"
#include "monitor/runcontroller.h"

#include <QDateEdit>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pw;

namespace {
const char *kFlow = R"(pipewright: 1
flow: backfill_me
params:
  date: {type: date, default: "2026-11-24"}
tasks:
  a: {type: noop}
  b: {type: noop, after: [a]}
)";
} // namespace

class TestBackfillDialog : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<RunController> m_controller;
    Flow m_flow;

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_controller = std::make_unique<RunController>();
        auto ok = m_controller->start(m_dir->path() + QStringLiteral("/home"), 4);
        QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().message));
        const QString path = m_dir->path() + QStringLiteral("/backfill_me.flow.yaml");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kFlow);
        f.close();
        auto loaded = FlowLoader::loadFile(path);
        QVERIFY2(loaded.has_value(), loaded ? "" : qPrintable(loaded.error().first().toString()));
        m_flow = *loaded;
    }

    void cleanup()
    {
        m_controller.reset();
        m_dir.reset();
    }

    void defaults()
    {
        BackfillDialog dialog(m_controller.get(), m_flow);
        const QDate today = QDate::currentDate();
        QCOMPARE(dialog.from(), today.addDays(-7));
        QCOMPARE(dialog.to(), today.addDays(-1));
        QCOMPARE(dialog.maxActiveRuns(), 1);
        QCOMPARE(dialog.plannedRuns(), 7);
        dialog.setRange(QDate(2026, 11, 3), QDate(2026, 11, 1));
        QCOMPARE(dialog.plannedRuns(), -1);
        QVERIFY(!dialog.start());
    }

    void threeDaysThreeRuns()
    {
        BackfillDialog dialog(m_controller.get(), m_flow);
        dialog.setRange(QDate(2026, 11, 20), QDate(2026, 11, 22));
        dialog.setMaxActiveRuns(2);
        QCOMPARE(dialog.plannedRuns(), 3);
        QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("backfillPlan"))
                    ->text()
                    .contains(QLatin1String("3")));

        QSignalSpy finished(&dialog, &BackfillDialog::backfillFinished);
        QSignalSpy status(&dialog, &BackfillDialog::statusMessage);
        QVERIFY(dialog.start());
        QVERIFY(dialog.isRunning());
        // start() returned at once: the runs are created while the event loop turns.
        QVERIFY(finished.wait(30000));
        QVERIFY(!dialog.isRunning());
        QCOMPARE(dialog.summary().succeeded, 3);
        QCOMPARE(dialog.summary().failed, 0);
        QVERIFY(!status.isEmpty());
        auto *progress = dialog.findChild<QProgressBar *>(QStringLiteral("backfillProgress"));
        QCOMPARE(progress->value(), 3);

        HistoryStore::Options o;
        o.path = m_controller->historyPath();
        o.readOnly = true;
        auto store = HistoryStore::open(o);
        QVERIFY2(store.has_value(), store ? "" : qPrintable(store.error().message));
        RunFilter filter;
        filter.flowId = m_flow.id;
        auto runs = (*store)->runs(filter);
        QVERIFY(runs.has_value());
        QCOMPARE(runs->size(), 3);
        QStringList dates;
        for (const RunRecord &r : *runs) {
            QCOMPARE(toString(r.state), toString(RunState::Succeeded));
            QVERIFY(r.trigger == TryTrigger::Backfill);
            dates << QJsonDocument::fromJson(r.paramsJson)
                         .object()
                         .value(QStringLiteral("date"))
                         .toString();
        }
        dates.sort();
        QCOMPARE(dates,
            (QStringList{QStringLiteral("2026-11-20"), QStringLiteral("2026-11-21"),
                QStringLiteral("2026-11-22")}));

        // Again: every date already succeeded, so nothing new runs.
        BackfillDialog again(m_controller.get(), m_flow);
        again.setRange(QDate(2026, 11, 20), QDate(2026, 11, 22));
        QSignalSpy finished2(&again, &BackfillDialog::backfillFinished);
        QVERIFY(again.start());
        QVERIFY(finished2.wait(30000));
        QCOMPARE(again.summary().skipped, 3);
        QCOMPARE((*store)->runs(filter)->size(), 3);
    }
};

QTEST_MAIN(TestBackfillDialog)
#include "tst_backfilldialog.moc"
