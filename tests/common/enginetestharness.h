#pragma once

// Shared by engine-level tests: a real Engine on a temp home with a real SQLite store, runs
// flows given as YAML text, records the ordered event log and reads back the history.

#include "engine/engine.h"
#include "format/flowloader.h"
#include "format/runplanner.h"
#include "history/historystore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace pw::test {

class EngineHarness
{
public:
    explicit EngineHarness(int maxParallel, const QMap<QString, int> &pools = {})
    {
        QStandardPaths::setTestModeEnabled(true);
        EngineConfig cfg;
        cfg.home = m_dir.path() + QStringLiteral("/home");
        cfg.maxParallel = maxParallel;
        cfg.pools = pools;
        cfg.killGraceMs = 1000;
        m_config = cfg;
        restart();
    }

    void restart()
    {
        m_engine.reset();
        m_engine = std::make_unique<Engine>(m_config);
        QObject::connect(
            m_engine.get(), &Engine::events, m_engine.get(), [this](const EngineEvents &batch) {
                for (const EngineEvent &e : batch) {
                    if (e.kind == EngineEvent::Kind::TaskState)
                        m_log[e.runId] << e.task + QLatin1Char(':') + toString(e.taskState);
                    else if (e.kind == EngineEvent::Kind::RunState)
                        m_log[e.runId] << QStringLiteral("run:") + toString(e.runState);
                }
            });
        QObject::connect(m_engine.get(), &Engine::runFinished, m_engine.get(),
            [this](qint64 id, RunState s) { m_finished.insert(id, s); });
        const auto ok = m_engine->start();
        QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().message));
    }

    Engine &engine() { return *m_engine; }
    QString dir() const { return m_dir.path(); }
    QString home() const { return m_config.home; }

    // Writes `yaml` to DIR/NAME.flow.yaml and loads it.
    Flow flow(const QString &yaml, const QString &name = QStringLiteral("test"))
    {
        const QString path = m_dir.path() + QLatin1Char('/') + name + QStringLiteral(".flow.yaml");
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        f.write(yaml.toUtf8());
        f.close();
        auto loaded = FlowLoader::loadFile(path);
        if (!loaded) {
            for (const Error &e : loaded.error())
                qWarning("%s", qPrintable(e.toString()));
            qFatal("test flow does not load");
        }
        return *loaded;
    }

    // Submits and forgets an earlier end of the same run (a new try ends again). The main
    // thread does not process events while it waits, so this try's end is not seen yet.
    Result<qint64> submit(const RunRequest &req)
    {
        auto f = m_engine->submit(req);
        f.waitForFinished();
        const Result<qint64> r = f.result();
        if (r)
            m_finished.remove(*r);
        return r;
    }

    Result<qint64> start(
        const Flow &flow, const QMap<QString, QString> &params = {}, bool force = false)
    {
        PW_TRY_ASSIGN(plan, RunPlanner::plan(flow, params));
        RunRequest req;
        req.plan = plan;
        req.force = force;
        return submit(req);
    }

    // Waits (processing events) until run `id` finished; returns its final state.
    RunState wait(qint64 id, int timeoutMs = 30000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!m_finished.contains(id) && !deadline.hasExpired())
            QTest::qWait(10);
        if (!m_finished.contains(id))
            qWarning("run %lld did not finish in time", id);
        return m_finished.value(id, RunState::Running);
    }

    RunState runToEnd(
        const Flow &flow, const QMap<QString, QString> &params = {}, qint64 *runId = nullptr)
    {
        auto id = start(flow, params);
        if (!id) {
            qWarning("%s", qPrintable(id.error().message));
            return RunState::Queued;
        }
        if (runId)
            *runId = *id;
        return wait(*id);
    }

    QStringList log(qint64 runId) const { return m_log.value(runId); }
    // Event log restricted to one task ("running", "succeeded", ...).
    QStringList taskLog(qint64 runId, const QString &task) const
    {
        QStringList out;
        for (const QString &e : m_log.value(runId))
            if (e.startsWith(task + QLatin1Char(':')))
                out << e.mid(task.size() + 1);
        return out;
    }
    void clearFinished(qint64 id) { m_finished.remove(id); }

    // A separate reader connection, as the UI and CLI use.
    std::unique_ptr<HistoryStore> reader() const
    {
        HistoryStore::Options o;
        o.path = m_config.home + QStringLiteral("/history.sqlite");
        auto s = HistoryStore::open(o);
        if (!s)
            qFatal("cannot open store: %s", qPrintable(s.error().message));
        return std::move(*s);
    }

    QHash<QString, TaskRecord> tasks(qint64 runId) const
    {
        QHash<QString, TaskRecord> out;
        auto r = reader()->tasks(runId);
        if (r)
            for (const TaskRecord &t : *r)
                out.insert(t.task, t);
        return out;
    }

    QList<AttemptRecord> attempts(qint64 runId, const QString &task = {}) const
    {
        auto r = reader()->attempts(runId, task);
        return r ? *r : QList<AttemptRecord>{};
    }

private:
    QTemporaryDir m_dir;
    EngineConfig m_config;
    std::unique_ptr<Engine> m_engine;
    QHash<qint64, QStringList> m_log;
    QHash<qint64, RunState> m_finished;
};

// Maximum number of attempts whose [started, ended) intervals overlap.
inline int maxOverlap(const QList<AttemptRecord> &attempts)
{
    std::vector<std::pair<qint64, int>> points;
    for (const AttemptRecord &a : attempts) {
        points.emplace_back(a.started, +1);
        points.emplace_back(a.ended, -1);
    }
    std::sort(points.begin(), points.end()); // an end sorts before a start at the same ms
    int cur = 0;
    int best = 0;
    for (const auto &p : points) {
        cur += p.second;
        best = std::max(best, cur);
    }
    return best;
}

} // namespace pw::test
