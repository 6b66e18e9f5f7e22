#include "inlinerunner.h"

#include <QDateTime>

namespace pw {

void InlineRunner::start(const AttemptSpec &spec, const AttemptCallbacks &callbacks)
{
    AttemptOutcome out;
    out.started = out.ended = QDateTime::currentMSecsSinceEpoch();
    if (m_mode == Mode::Succeed) {
        out.state = AttemptState::Succeeded;
        out.exitCode = 0;
    } else {
        out.state = AttemptState::Failed;
        const QString what = spec.task.executor != Executor::Local
            ? QStringLiteral("executor '%1'").arg(toString(spec.task.executor))
            : QStringLiteral("task type '%1'").arg(toString(spec.task.type));
        out.error = AttemptError::unsupported(
            QStringLiteral("%1 is not supported yet by this version of Pipewright").arg(what));
    }
    callbacks.finished(out);
}

} // namespace pw
