#include "foreignrunnotifier.h"

#include "runsmodel.h"
#include "statepalette.h"

#include <QSettings>

namespace pw {

ForeignRunNotifier::ForeignRunNotifier(QObject *parent) : QObject(parent) { }

QStringList ForeignRunNotifier::flows() const
{
    QStringList out(m_flows.cbegin(), m_flows.cend());
    out.sort();
    return out;
}

void ForeignRunNotifier::setFlows(const QStringList &flowIds)
{
    m_flows = QSet<QString>(flowIds.cbegin(), flowIds.cend());
    m_flows.remove(QString());
}

void ForeignRunNotifier::loadSettings()
{
    setFlows(QSettings().value(QLatin1String(SettingsKey)).toStringList());
}

void ForeignRunNotifier::setFlowEnabled(const QString &flowId, bool on)
{
    if (flowId.isEmpty())
        return;
    if (on)
        m_flows.insert(flowId);
    else
        m_flows.remove(flowId);
    QSettings().setValue(QLatin1String(SettingsKey), flows());
}

QString ForeignRunNotifier::message(const RunRecord &run)
{
    QString text = tr("Run %1 %2").arg(run.id).arg(StatePalette::label(run.state));
    const QString params = RunsModel::compactParams(run.paramsJson);
    text += QStringLiteral(" · ") + run.flowId;
    if (!params.isEmpty())
        text += QLatin1Char(' ') + params;
    return text;
}

void ForeignRunNotifier::observe(const QList<RunRecord> &runs)
{
    for (const RunRecord &run : runs) {
        if (!isFinal(run.state)) {
            m_active.insert(run.id, run.state);
            continue;
        }
        // Only a change seen from active to final is announced (not runs that were already
        // final when first seen).
        if (!m_active.remove(run.id))
            continue;
        if (!m_flows.contains(run.flowId) || (m_owned && m_owned(run.id)))
            continue;
        Q_EMIT notified(run.id, message(run));
        Q_EMIT runEnded(run.id, run.state);
    }
}

} // namespace pw
