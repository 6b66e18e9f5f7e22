#include "recoveryprompt.h"

#include "monitor/historyreader.h"
#include "monitor/runcontroller.h"
#include "monitor/runmonitor.h"
#include "monitor/runsmodel.h"
#include "monitor/statepalette.h"

#include "history/historystore.h"

#include <QCryptographicHash>
#include <QPushButton>
#include <QSettings>

namespace pw {

namespace {
constexpr int kRead = 50;           // interrupted runs read (newest first)
constexpr int kDismissedKept = 200; // dismissed ids remembered per store
} // namespace

RecoveryPrompt::RecoveryPrompt(RunMonitor *monitor, QWidget *parent)
    : MessageBar(parent), m_monitor(monitor)
{
    setObjectName(QStringLiteral("recoveryBar"));
    QPushButton *recover = addButton(tr("Recover…"), QStringLiteral("recoverInterrupted"));
    recover->setToolTip(tr("Preview a rerun of the failed and interrupted tasks of this run; "
                           "succeeded tasks are kept"));
    connect(recover, &QPushButton::clicked, this, [this] {
        if (!m_offered.isEmpty())
            m_monitor->requestRerun({m_offered.first().id}, RerunMode::Failed);
    });
    QPushButton *showRun = addButton(tr("Show"), QStringLiteral("showInterrupted"));
    connect(showRun, &QPushButton::clicked, this, [this] {
        if (!m_offered.isEmpty())
            m_monitor->showRun(m_offered.first().id);
    });
    QPushButton *dismissRun = addButton(tr("Dismiss"), QStringLiteral("dismissInterrupted"));
    connect(dismissRun, &QPushButton::clicked, this, [this] {
        if (!m_offered.isEmpty())
            dismiss(m_offered.first().id);
    });
    connect(
        m_monitor->controller()->reader(), &HistoryReader::changed, this, &RecoveryPrompt::refresh);
}

void RecoveryPrompt::refresh()
{
    if (!m_monitor->isStarted())
        return;
    if (m_reading) { // one read at a time; the last change is read once more
        m_readAgain = true;
        return;
    }
    m_reading = true;
    RunFilter filter;
    filter.state = RunState::Interrupted;
    filter.limit = kRead;
    m_monitor->controller()
        ->reader()
        ->read([filter](HistoryStore *store) {
            if (!store)
                return QList<RunRecord>();
            auto runs = store->runs(filter);
            return runs ? *runs : QList<RunRecord>();
        })
        .then(this, [this](const QList<RunRecord> &runs) {
            m_reading = false;
            show(runs);
            Q_EMIT refreshed();
            if (m_readAgain) {
                m_readAgain = false;
                refresh();
            }
        });
}

void RecoveryPrompt::dismiss(qint64 runId)
{
    QStringList ids = dismissed();
    ids.removeAll(QString::number(runId));
    ids.append(QString::number(runId));
    while (ids.size() > kDismissedKept)
        ids.removeFirst();
    QSettings().setValue(settingsKey(), ids);
    QList<RunRecord> rest = m_offered;
    rest.removeIf([runId](const RunRecord &r) { return r.id == runId; });
    show(rest);
}

void RecoveryPrompt::show(const QList<RunRecord> &interrupted)
{
    const QStringList gone = dismissed();
    QList<RunRecord> offered;
    for (const RunRecord &r : interrupted)
        if (!gone.contains(QString::number(r.id)))
            offered << r;
    const bool same = offered.size() == m_offered.size()
        && std::equal(offered.begin(), offered.end(), m_offered.begin(),
            [](const RunRecord &a, const RunRecord &b) { return a.id == b.id; });
    m_offered = offered;
    if (offered.isEmpty()) {
        setMessage(QString());
    } else {
        const RunRecord &r = offered.first();
        const QString params = RunsModel::compactParams(r.paramsJson);
        QString text = params.isEmpty()
            ? tr("Run %1 of %2 was interrupted: the process running it stopped.")
                  .arg(r.id)
                  .arg(r.flowId)
            : tr("Run %1 of %2 (%3) was interrupted: the process running it stopped.")
                  .arg(r.id)
                  .arg(r.flowId, params);
        if (offered.size() > 1)
            text += QLatin1Char(' ')
                + tr("%n more interrupted run(s) in the Runs dock.", nullptr,
                    int(offered.size() - 1));
        findChild<QPushButton *>(QStringLiteral("recoverInterrupted"))
            ->setEnabled(!m_monitor->controller()->isReadOnly());
        setMessage(text, StatePalette::icon(TaskState::Interrupted),
            tr("Recover… previews a rerun of its failed and interrupted tasks; "
               "nothing starts until you click Run"));
    }
    if (!same)
        Q_EMIT offeredChanged();
}

QString RecoveryPrompt::settingsKey() const
{
    // Per history store: the same run id means another run in another store.
    const QByteArray hash = QCryptographicHash::hash(
        m_monitor->controller()->historyPath().toUtf8(), QCryptographicHash::Sha1);
    return QStringLiteral("recovery/dismissed-") + QString::fromLatin1(hash.toHex().left(12));
}

QStringList RecoveryPrompt::dismissed() const
{
    return QSettings().value(settingsKey()).toStringList();
}

} // namespace pw
