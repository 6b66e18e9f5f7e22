// The try planner's rules (TryPlanner::decide): which plan and which tasks a new try of a run
// executes. Pure: no engine, no store. tst_recovery checks the same rules end to end.

#include "engine/tryplanner.h"
#include "format/flowloader.h"
#include "format/runplanner.h"

#include <QtTest>

using namespace pw;

namespace {

// The stored definition: a -> b -> c, a -> d, e alone.
const char *kBase = R"(pipewright: 1
flow: f
tasks:
  a: {type: shell, command: echo a}
  b: {type: shell, command: echo b, after: [a]}
  c: {type: shell, command: echo c, after: [b]}
  d: {type: shell, command: echo d, after: [a]}
  e: {type: shell, command: echo e}
)";

// The flow file as it is now, for `current` (empty = unchanged).
QByteArray currentYaml(const QString &variant)
{
    QByteArray y = kBase;
    if (variant == QLatin1String("b changed"))
        y.replace("echo b", "echo b2");
    else if (variant == QLatin1String("d removed, f new"))
        y.replace("  d: {type: shell, command: echo d, after: [a]}\n",
            "  f: {type: shell, command: echo f, after: [a]}\n");
    return y;
}

RunPlan planOf(const QByteArray &yaml)
{
    auto flow = FlowLoader::loadData(yaml, QStringLiteral("f.flow.yaml"));
    if (!flow)
        qFatal("test flow does not load");
    auto plan = RunPlanner::plan(*flow, {});
    if (!plan)
        qFatal("test flow does not plan");
    return *plan;
}

// "a=succeeded b=failed" -> states
QHash<QString, TaskState> statesOf(const QString &text)
{
    QHash<QString, TaskState> out;
    for (const QString &pair : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QStringList kv = pair.split(QLatin1Char('='));
        const auto s = taskStateFromString(kv.value(1));
        if (kv.size() != 2 || !s)
            qFatal("bad state '%s'", qPrintable(pair));
        out.insert(kv[0], *s);
    }
    return out;
}

QString joined(QStringList list, bool sort = true)
{
    if (sort)
        list.sort();
    return list.join(QLatin1Char(' '));
}

const QString kAllOk
    = QStringLiteral("a=succeeded b=succeeded c=succeeded d=succeeded e=succeeded");

// The request of a row: `kind` run | rerun, `mode` failed | all | from | task (rerun), run id 7.
RunRequest requestOf(
    const QString &kind, bool force, const QString &mode, const QString &task, const RunPlan &plan)
{
    RunRequest req;
    req.kind = kind == QLatin1String("run") ? RunRequest::Kind::Run : RunRequest::Kind::Rerun;
    req.plan = plan;
    req.force = force;
    req.runId = 7;
    const QHash<QString, RerunMode> modes{{"failed", RerunMode::Failed}, {"all", RerunMode::All},
        {"from", RerunMode::From}, {"task", RerunMode::Task}};
    req.mode = modes.value(mode, RerunMode::Failed);
    req.task = task;
    return req;
}

// The run of a row as recorded: run 7 of `plan` in `runState` after `tryNo` tries; none if
// `runState` is empty.
std::optional<RunRecord> recordOf(const QString &runState, const RunPlan &plan, int tryNo)
{
    std::optional<RunRecord> run;
    if (!runState.isEmpty()) {
        run.emplace();
        run->id = 7;
        run->key = plan.key();
        run->state = *runStateFromString(runState);
        run->tryNo = tryNo;
    }
    return run;
}

QTestData &row(const char *name)
{
    return QTest::newRow(name);
}

const QString none;

} // namespace

class TestTryPlanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decide_data();
    void decide();
    void withDownstream_data();
    void withDownstream();
    void confirm_data();
    void confirm();
    void confirmationText();
};

// A row: the request (kind, force, mode, task, --current-definition and the flow file now), the
// run as recorded (its state, empty = no run; its stored plan readable or not; its tasks'
// states) and what the planner decides (an error containing `error`, or the selection,
// trigger, note, which plan, unfinished tasks counted interrupted and removed tasks).
// clang-format off
void TestTryPlanner::decide_data()
{
    QTest::addColumn<QString>("kind");         // run | rerun
    QTest::addColumn<bool>("force");
    QTest::addColumn<QString>("mode");         // failed | all | from | task (rerun)
    QTest::addColumn<QString>("task");
    QTest::addColumn<bool>("currentDefinition");
    QTest::addColumn<QString>("file");         // the flow file now: "" | b changed | d removed, f new
    QTest::addColumn<QString>("runState");     // "" = no run
    QTest::addColumn<bool>("storedReadable");
    QTest::addColumn<QString>("states");
    QTest::addColumn<QString>("error");        // expected error (substring); empty = a decision
    QTest::addColumn<QString>("selected");
    QTest::addColumn<QString>("trigger");
    QTest::addColumn<QString>("note");
    QTest::addColumn<QString>("plan");         // stored | file
    QTest::addColumn<QString>("leftUnfinished");
    QTest::addColumn<QString>("removed");

    // --- run FLOW: by key ---
    row("new key: every task, the request's trigger")
        << "run" << false << "" << none << false << "" << "" << true << "" << none
        << "a b c d e" << "schedule" << "" << "file" << "" << "";
    row("succeeded key: refused")
        << "run" << false << "" << none << false << "" << "succeeded" << true << kAllOk
        << "already succeeded; use --force" << "" << "" << "" << "" << "" << "";
    row("succeeded key --force: every task, the file's plan")
        << "run" << true << "" << none << false << "b changed" << "succeeded" << true << kAllOk << none
        << "a b c d e" << "force" << "--force" << "file" << "" << "";
    row("--force does not need the stored plan")
        << "run" << true << "" << none << false << "" << "succeeded" << false << kAllOk << none
        << "a b c d e" << "force" << "--force" << "file" << "" << "";
    row("--force drops tasks the file no longer has")
        << "run" << true << "" << none << false << "d removed, f new" << "succeeded" << true << kAllOk << none
        << "a b c e f" << "force" << "--force" << "file" << "" << "d";
    row("failed key: recovered, failed tasks and their downstream")
        << "run" << false << "" << none << false << "" << "failed" << true
        << "a=succeeded b=failed c=upstream_failed d=succeeded e=succeeded" << none
        << "b c" << "recover" << "recover" << "stored" << "" << "";
    row("failed key, file changed since: the stored plan, said so")
        << "run" << false << "" << none << false << "b changed" << "failed" << true
        << "a=succeeded b=succeeded c=failed d=succeeded e=succeeded" << none
        << "c" << "recover"
        << "recover; the flow file changed since this run: using the run's stored definition" << "stored" << "" << "";
    row("interrupted key: interrupted and unfinished tasks and their downstream")
        << "run" << false << "" << none << false << "" << "interrupted" << true
        << "a=succeeded b=interrupted c=interrupted d=interrupted e=succeeded" << none
        << "b c d" << "recover" << "recover" << "stored" << "" << "";
    row("cancelled key: the cancelled task")
        << "run" << false << "" << none << false << "" << "cancelled" << true
        << "a=succeeded b=succeeded c=succeeded d=succeeded e=cancelled" << none
        << "e" << "recover" << "recover" << "stored" << "" << "";
    row("failed key, skipped tasks are kept")
        << "run" << false << "" << none << false << "" << "failed" << true
        << "a=succeeded b=succeeded c=skipped d=failed e=succeeded" << none
        << "d" << "recover" << "recover" << "stored" << "" << "";
    row("failed key, stored plan unreadable: an error")
        << "run" << false << "" << none << false << "" << "failed" << false
        << "a=succeeded b=failed" << "stored plan unreadable" << "" << "" << "" << "" << "" << "";
    row("active run: an error")
        << "run" << false << "" << none << false << "" << "running" << true << "a=running"
        << "is still active" << "" << "" << "" << "" << "" << "";

    // --- rerun RUN_ID: the stored plan ---
    row("rerun of no run")
        << "rerun" << false << "failed" << none << false << "" << "" << true << ""
        << "no run with id 7" << "" << "" << "" << "" << "" << "";
    row("rerun --failed: b failed")
        << "rerun" << false << "failed" << none << false << "" << "failed" << true
        << "a=succeeded b=failed c=upstream_failed d=succeeded e=succeeded" << none
        << "b c" << "rerun" << "rerun --failed" << "stored" << "" << "";
    row("rerun --failed: a interrupted, the rest never ran")
        << "rerun" << false << "failed" << none << false << "" << "interrupted" << true
        << "a=interrupted b=waiting c=waiting d=waiting e=succeeded" << none
        << "a b c d" << "rerun" << "rerun --failed" << "stored" << "" << "";
    row("rerun --failed: nothing failed")
        << "rerun" << false << "failed" << none << false << "" << "succeeded" << true << kAllOk << none
        << "" << "rerun" << "rerun --failed" << "stored" << "" << "";
    row("rerun --all of a succeeded run")
        << "rerun" << false << "all" << none << false << "b changed" << "succeeded" << true << kAllOk << none
        << "a b c d e" << "rerun" << "rerun --all" << "stored" << "" << "";
    row("rerun --from a")
        << "rerun" << false << "from" << "a" << false << "" << "succeeded" << true << kAllOk << none
        << "a b c d" << "rerun" << "rerun --from a" << "stored" << "" << "";
    row("rerun --from b")
        << "rerun" << false << "from" << "b" << false << "" << "succeeded" << true << kAllOk << none
        << "b c" << "rerun" << "rerun --from b" << "stored" << "" << "";
    row("rerun --task b")
        << "rerun" << false << "task" << "b" << false << "" << "succeeded" << true << kAllOk << none
        << "b" << "rerun" << "rerun --task b" << "stored" << "" << "";
    row("rerun --task of a task the run does not have")
        << "rerun" << false << "task" << "zz" << false << "" << "succeeded" << true << kAllOk
        << "run 7 has no task 'zz'" << "" << "" << "" << "" << "" << "";
    row("rerun --from of a task the run does not have")
        << "rerun" << false << "from" << "f" << false << "d removed, f new" << "succeeded" << true << kAllOk
        << "run 7 has no task 'f'" << "" << "" << "" << "" << "" << "";
    row("rerun, stored plan unreadable: an error")
        << "rerun" << false << "all" << none << false << "" << "failed" << false << kAllOk
        << "stored plan unreadable" << "" << "" << "" << "" << "" << "";

    // --- an earlier try was interrupted: its unfinished, unselected tasks count as interrupted ---
    row("rerun --task c after an interrupted try")
        << "rerun" << false << "task" << "c" << false << "" << "interrupted" << true
        << "a=succeeded b=waiting c=waiting d=running e=succeeded" << none
        << "c" << "rerun" << "rerun --task c" << "stored" << "b d" << "";
    row("a task without a state counts as waiting")
        << "rerun" << false << "task" << "b" << false << "" << "failed" << true
        << "a=succeeded b=failed c=upstream_failed e=succeeded" << none
        << "b" << "rerun" << "rerun --task b" << "stored" << "d" << "";
    row("finished tasks are not counted")
        << "rerun" << false << "from" << "b" << false << "" << "interrupted" << true
        << "a=interrupted b=retry_wait c=queued d=upstream_failed e=skipped" << none
        << "b c" << "rerun" << "rerun --from b" << "stored" << "" << "";

    // --- --current-definition: the file's plan ---
    row("current definition: a changed task and its downstream run")
        << "rerun" << false << "failed" << none << true << "b changed" << "succeeded" << true << kAllOk << none
        << "b c" << "rerun" << "rerun --failed --current-definition" << "file" << "" << "";
    row("current definition: new tasks run, removed ones leave")
        << "rerun" << false << "failed" << none << true << "d removed, f new" << "succeeded" << true << kAllOk
        << none << "f" << "rerun" << "rerun --failed --current-definition" << "file" << "" << "d";
    row("current definition --task e: and the changed tasks")
        << "rerun" << false << "task" << "e" << true << "b changed" << "succeeded" << true << kAllOk << none
        << "b c e" << "rerun" << "rerun --task e --current-definition" << "file" << "" << "";
    row("current definition, unchanged: as on the stored plan")
        << "rerun" << false << "failed" << none << true << "" << "failed" << true
        << "a=succeeded b=succeeded c=failed d=succeeded e=succeeded" << none
        << "c" << "rerun" << "rerun --failed --current-definition" << "file" << "" << "";
    row("current definition: a task without a state runs")
        << "rerun" << false << "task" << "e" << true << "" << "failed" << true
        << "b=succeeded c=succeeded d=succeeded e=failed" << none
        << "a b c d e" << "rerun" << "rerun --task e --current-definition" << "file" << "" << "";
    row("current definition --from b")
        << "rerun" << false << "from" << "b" << true << "d removed, f new" << "succeeded" << true << kAllOk
        << none << "b c f" << "rerun" << "rerun --from b --current-definition" << "file" << "" << "d";
}
// clang-format on

void TestTryPlanner::decide()
{
    QFETCH(QString, kind);
    QFETCH(bool, force);
    QFETCH(QString, mode);
    QFETCH(QString, task);
    QFETCH(bool, currentDefinition);
    QFETCH(QString, file);
    QFETCH(QString, runState);
    QFETCH(bool, storedReadable);
    QFETCH(QString, states);
    QFETCH(QString, error);

    const RunPlan stored = planOf(kBase);
    const RunPlan now = planOf(currentYaml(file));

    RunRequest req = requestOf(kind, force, mode, task, now);
    req.trigger = TryTrigger::Schedule;
    req.currentDefinition = currentDefinition;
    const std::optional<RunRecord> run = recordOf(runState, stored, 2);
    const Result<RunPlan> storedPlan = storedReadable
        ? Result<RunPlan>(stored)
        : Result<RunPlan>(fail(QStringLiteral("stored plan unreadable")));

    const auto d = TryPlanner::decide(req, run ? &*run : nullptr, storedPlan, statesOf(states));
    if (!error.isEmpty()) {
        QVERIFY2(!d, "expected an error");
        QVERIFY2(d.error().message.contains(error), qPrintable(d.error().message));
        return;
    }
    QVERIFY2(d.has_value(), d ? "" : qPrintable(d.error().message));

    QFETCH(QString, selected);
    QFETCH(QString, trigger);
    QFETCH(QString, note);
    QFETCH(QString, plan);
    QFETCH(QString, leftUnfinished);
    QFETCH(QString, removed);
    QCOMPARE(joined(d->selected.values()), selected);
    QCOMPARE(toString(d->trigger), trigger);
    QCOMPARE(d->note, note);
    QCOMPARE(
        d->plan.definitionHash, (plan == QLatin1String("stored") ? stored : now).definitionHash);
    QCOMPARE(joined(d->leftUnfinished, false), leftUnfinished); // in the plan's order
    QCOMPARE(joined(d->removed, false), removed);               // sorted
    QCOMPARE(d->tryNo, run ? 3 : 1);
}

// clang-format off
void TestTryPlanner::withDownstream_data()
{
    QTest::addColumn<QStringList>("roots");
    QTest::addColumn<QString>("expected");
    QTest::newRow("none") << QStringList{} << "";
    QTest::newRow("a root") << QStringList{"a"} << "a b c d";
    QTest::newRow("a leaf") << QStringList{"c"} << "c";
    QTest::newRow("two roots") << QStringList{"b", "e"} << "b c e";
    QTest::newRow("unknown ids are ignored") << QStringList{"zz", "d"} << "d";
}
// clang-format on

void TestTryPlanner::withDownstream()
{
    QFETCH(QStringList, roots);
    QFETCH(QString, expected);
    const RunPlan plan = planOf(kBase);
    const QSet<QString> got
        = TryPlanner::withDownstream(plan.flow, QSet<QString>(roots.cbegin(), roots.cend()));
    QCOMPARE(joined(got.values()), expected);
}

namespace {

// b loads data that cannot be loaded twice: a -> b -> c.
const char *kUnsafe = R"(pipewright: 1
flow: f
tasks:
  a: {type: shell, command: echo a}
  b: {type: shell, command: echo b, after: [a], idempotent: false, check: count the rows of the day}
  c: {type: shell, command: echo c, after: [b]}
)";

QHash<QString, int> attemptsOf(const QString &text)
{
    QHash<QString, int> out;
    for (const QString &pair : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QStringList kv = pair.split(QLatin1Char('='));
        out.insert(kv[0], kv.value(1).toInt());
    }
    return out;
}

} // namespace

// Retry safety (DESIGN §1.5): a try that would run `b` (idempotent: false) again after it ran
// needs --confirm b, on every path; the decision lists it (needsConfirmation) or, confirmed,
// in `confirmed`.
// clang-format off
void TestTryPlanner::confirm_data()
{
    QTest::addColumn<QString>("kind");       // run | rerun
    QTest::addColumn<bool>("force");
    QTest::addColumn<QString>("mode");       // rerun: failed | all | from | task
    QTest::addColumn<QString>("task");
    QTest::addColumn<QString>("runState");   // "" = no run
    QTest::addColumn<QString>("states");
    QTest::addColumn<QString>("attempts");   // "" = unknown: judged by state
    QTest::addColumn<QStringList>("confirm");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("needs");      // needsConfirmation, in plan order
    QTest::addColumn<QString>("confirmed");

    const QStringList nothing;

    row("new key: nothing ran, nothing to confirm")
        << "run" << false << "" << none << "" << "" << "" << nothing << none << "" << "";
    row("recover: b failed, not confirmed")
        << "run" << false << "" << none << "failed" << "a=succeeded b=failed c=upstream_failed" << "a=1 b=1"
        << nothing << none << "b" << "";
    row("recover: b failed, confirmed")
        << "run" << false << "" << none << "failed" << "a=succeeded b=failed c=upstream_failed" << "a=1 b=1"
        << QStringList{"b"} << none << "" << "b";
    row("recover: b interrupted")
        << "run" << false << "" << none << "interrupted" << "a=succeeded b=interrupted c=waiting" << "a=1 b=1"
        << nothing << none << "b" << "";
    row("recover: b interrupted while waiting (never ran)")
        << "run" << false << "" << none << "interrupted" << "a=interrupted b=interrupted c=interrupted" << "a=1 b=0"
        << nothing << none << "" << "";
    row("recover: b upstream_failed, never ran")
        << "run" << false << "" << none << "failed" << "a=failed b=upstream_failed c=upstream_failed" << "a=1"
        << nothing << none << "" << "";
    row("recover: no attempt counts, judged by state")
        << "run" << false << "" << none << "failed" << "a=succeeded b=failed c=upstream_failed" << ""
        << nothing << none << "b" << "";
    row("recover: b succeeded before and is not selected")
        << "run" << false << "" << none << "failed" << "a=succeeded b=succeeded c=failed" << "a=1 b=1 c=1"
        << nothing << none << "" << "";
    row("--force reruns a succeeded b")
        << "run" << true << "" << none << "succeeded" << "a=succeeded b=succeeded c=succeeded" << "a=1 b=1 c=1"
        << nothing << none << "b" << "";
    row("rerun --failed: b failed")
        << "rerun" << false << "failed" << none << "failed" << "a=succeeded b=failed c=upstream_failed" << "a=1 b=2"
        << nothing << none << "b" << "";
    row("rerun --all: b succeeded before")
        << "rerun" << false << "all" << none << "succeeded" << "a=succeeded b=succeeded c=succeeded" << "a=1 b=1 c=1"
        << nothing << none << "b" << "";
    row("rerun --task c: b not selected")
        << "rerun" << false << "task" << "c" << "failed" << "a=succeeded b=succeeded c=failed" << "a=1 b=1 c=1"
        << nothing << none << "" << "";
    row("rerun --from a, confirmed")
        << "rerun" << false << "from" << "a" << "failed" << "a=failed b=failed c=upstream_failed" << "a=1 b=1"
        << QStringList{"b"} << none << "" << "b";
    row("confirming a task that needs none is fine")
        << "rerun" << false << "task" << "c" << "failed" << "a=succeeded b=succeeded c=failed" << "a=1 b=1 c=1"
        << QStringList{"c"} << none << "" << "";
    row("confirming a task the flow does not have is an error")
        << "rerun" << false << "failed" << none << "failed" << "a=succeeded b=failed" << "a=1 b=1"
        << QStringList{"bb"} << "--confirm bb: flow f has no task 'bb'" << "" << "";
}
// clang-format on

void TestTryPlanner::confirm()
{
    QFETCH(QString, kind);
    QFETCH(bool, force);
    QFETCH(QString, mode);
    QFETCH(QString, task);
    QFETCH(QString, runState);
    QFETCH(QString, states);
    QFETCH(QString, attempts);
    QFETCH(QStringList, confirm);
    QFETCH(QString, error);
    QFETCH(QString, needs);
    QFETCH(QString, confirmed);

    const RunPlan plan = planOf(kUnsafe);
    RunRequest req = requestOf(kind, force, mode, task, plan);
    req.confirmed = confirm;
    const std::optional<RunRecord> run = recordOf(runState, plan, 1);
    const auto d = TryPlanner::decide(
        req, run ? &*run : nullptr, plan, statesOf(states), attemptsOf(attempts));
    if (!error.isEmpty()) {
        QVERIFY2(!d, "expected an error");
        QCOMPARE(d.error().message, error);
        return;
    }
    QVERIFY2(d.has_value(), d ? "" : qPrintable(d.error().message));
    QStringList got;
    for (const RerunConfirmation &c : d->needsConfirmation) {
        got << c.task;
        QCOMPARE(c.check, QStringLiteral("count the rows of the day"));
    }
    QCOMPARE(joined(got, false), needs);
    got.clear();
    for (const RerunConfirmation &c : d->confirmed)
        got << c.task;
    QCOMPARE(joined(got, false), confirmed);
    const QList<EventRecord> events
        = TryPlanner::confirmationEvents(*d, 7, QStringLiteral("ann@host (pid 12)"), 1000);
    QCOMPARE(events.size(), d->confirmed.size());
    for (const EventRecord &e : events) {
        QCOMPARE(e.kind, QStringLiteral("confirm"));
        QCOMPARE(e.tryNo, d->tryNo);
        QVERIFY2(e.detail.contains(QLatin1String("confirmed by ann@host (pid 12)"))
                && e.detail.contains(QLatin1String("check: count the rows of the day")),
            qPrintable(e.detail));
    }
}

void TestTryPlanner::confirmationText()
{
    TryDecision d;
    d.needsConfirmation
        = {{"load", "SELECT count(*) FROM sales\nWHERE day = :date", TaskState::Failed}};
    QCOMPARE(TryPlanner::confirmationRefusal(d, 12),
        QStringLiteral("run 12 would run again a task that is not idempotent: 'load' (failed; "
                       "check: SELECT count(*) FROM sales WHERE day = :date); check, then "
                       "confirm with --confirm load"));
    d.needsConfirmation.append({"copy", "", TaskState::Interrupted});
    QVERIFY(TryPlanner::confirmationRefusal(d, 12).endsWith(
        QLatin1String("'copy' (interrupted; check: none given); check, then "
                      "confirm with --confirm load --confirm copy")));
}

QTEST_GUILESS_MAIN(TestTryPlanner)
#include "tst_tryplanner.moc"
