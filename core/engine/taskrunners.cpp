#include "taskrunners.h"

#include "runners/inlinerunner.h"
#include "runners/shellrunner.h"
#include "runners/sqlrunner.h"
#include "runners/waitfilerunner.h"

#include <QCoreApplication>

namespace pw {

TaskRunners::TaskRunners(
    QThreadPool *pool, QObject *parent, SqlRunner::ConnectionResolver connections)
    : m_shell(new ShellRunner(pool, parent)),
      m_sensor(new WaitFileRunner(parent)),
      m_sql(std::make_unique<SqlRunner>(m_shell, std::move(connections))),
      m_noop(std::make_unique<InlineRunner>(InlineRunner::Mode::Succeed)),
      m_unsupported(std::make_unique<InlineRunner>(InlineRunner::Mode::Unsupported))
{ }

TaskRunners::~TaskRunners()
{
    m_sql.reset();
    delete m_shell; // waits for the pool's attempts
    delete m_sensor;
}

void TaskRunners::setLogLimit(qint64 bytes)
{
    m_shell->setLogLimit(bytes);
}

Runner *TaskRunners::forTask(const TaskSpec &spec) const
{
    if (spec.executor != Executor::Local)
        return m_unsupported.get();
    switch (spec.type) {
    case TaskType::Shell:
        return m_shell;
    case TaskType::Noop:
        return m_noop.get();
    case TaskType::WaitFile:
        return m_sensor;
    case TaskType::Sql:
        return m_sql.get();
    }
    return m_unsupported.get();
}

bool TaskRunners::holdsSlot(const TaskSpec &spec)
{
    return !(spec.type == TaskType::WaitFile && spec.executor == Executor::Local);
}

int TaskRunners::activeCount() const
{
    return m_shell->activeCount() + m_sensor->activeCount();
}

void TaskRunners::deliverPosted()
{
    QCoreApplication::sendPostedEvents(m_shell);
    QCoreApplication::sendPostedEvents(m_sensor);
}

} // namespace pw
