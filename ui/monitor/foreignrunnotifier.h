#pragma once

#include "history/records.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <functional>

namespace pw {

// Tray notifications for runs of OTHER processes (CLI, schedulers, other GUIs) on the shared
// store, opt-in per flow (issue 5). Fed with the run records the GUI already polls (RunsModel,
// refreshed on every data_version change): a run seen active and now final, whose flow is opted
// in and that this GUI did not start, is announced once with notified()/runEnded(). The opt-in
// set is persisted in QSettings under "notify/flows". Main (GUI) thread only; never reads.
class ForeignRunNotifier : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *SettingsKey = "notify/flows";

    explicit ForeignRunNotifier(QObject *parent = nullptr);

    // Says whether a run was started by this GUI (its end is announced elsewhere).
    void setOwnedCheck(std::function<bool(qint64)> owned) { m_owned = std::move(owned); }

    // The opted-in flows; setFlows does not persist, the others read/write QSettings.
    QStringList flows() const;
    void setFlows(const QStringList &flowIds);
    void loadSettings();
    bool isFlowEnabled(const QString &flowId) const { return m_flows.contains(flowId); }
    void setFlowEnabled(const QString &flowId, bool on); // persists

    // The current records of some runs (e.g. the loaded rows of RunsModel after a change).
    void observe(const QList<RunRecord> &runs);

    static QString message(const RunRecord &run);

Q_SIGNALS:
    void notified(qint64 runId, const QString &text);
    void runEnded(qint64 runId, pw::RunState state);

private:
    QSet<QString> m_flows;
    QHash<qint64, RunState> m_active; // runs last seen active
    std::function<bool(qint64)> m_owned;
};

} // namespace pw
