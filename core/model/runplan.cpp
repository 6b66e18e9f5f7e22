#include "runplan.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace pw {

QByteArray RunPlan::paramsJson() const
{
    QJsonObject o;
    for (auto it = params.cbegin(); it != params.cend(); ++it)
        o.insert(it.key(), it.value());
    return QJsonDocument(o).toJson(QJsonDocument::Compact); // QJsonObject keys are sorted
}

QString RunPlan::key() const
{
    return flow.id + QString::fromUtf8(paramsJson());
}

} // namespace pw
