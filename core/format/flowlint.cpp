#include "flowlint.h"

#include "model/template.h"

#include <QRegularExpression>

#include <algorithm>

// Decisions (where the issue is silent):
// - "Uses a parameter" means a {{param}} template of a declared parameter, or (in shell text)
//   $PW_PARAM_NAME / ${PW_PARAM_NAME}. Built-ins ({{run_id}}, {{attempt}}) do not count: they
//   differ between runs of the same data, so a rerun would leave the old file beside the new.
// - An append to /dev/*, to a declared output's temporary path ($PW_OUTPUT_N, {{output.N}}) or
//   to a file descriptor is not reported.
// - A sql statement "inserts" when it contains the word INSERT (any case); a bound parameter is
//   `:name` of a declared parameter (not a PostgreSQL `::type` cast).
namespace pw {

namespace {

class Lint
{
public:
    explicit Lint(const Flow &flow) : m_flow(flow)
    {
        for (const ParamSpec &p : flow.params)
            m_params.append(p.name);
    }

    Errors run()
    {
        for (const TaskSpec &t : m_flow.tasks)
            checkTask(t);
        return m_warnings;
    }

private:
    void warn(const TaskSpec &t, const QStringList &key, const QString &message)
    {
        Error e(QStringLiteral("task '%1': %2").arg(t.id, message), m_flow.sourcePath, t.line,
            t.column);
        e.at(QStringList{QStringLiteral("tasks"), t.id} + key);
        e.severity = Error::Severity::Warning;
        m_warnings.append(e);
    }

    // Does `text` name a declared parameter in a template (or, for shell text, through its
    // PW_PARAM_ variable)?
    bool usesParam(const QString &text, bool shell) const
    {
        if (const auto t = Template::parse(text)) {
            for (const QString &n : t->names()) {
                if (m_params.contains(n))
                    return true;
            }
        }
        if (shell) {
            for (const QString &p : m_params) {
                const QString var = QStringLiteral("PW_PARAM_") + p.toUpper();
                if (text.contains(QLatin1Char('$') + var)
                    || text.contains(QStringLiteral("${") + var))
                    return true;
            }
        }
        return false;
    }

    void checkTask(const TaskSpec &t)
    {
        const RetryPolicy policy = m_flow.retryPolicy(t);
        if (policy.retries > 0) {
            for (const QString &o : t.outputs) {
                if (!usesParam(o, false))
                    warn(t, {QStringLiteral("outputs")},
                        QStringLiteral("retries %1 and output '%2' uses no parameter: every run "
                                       "writes the same file (name it by a parameter, e.g. "
                                       "{{date}})")
                            .arg(policy.retries)
                            .arg(o));
            }
        }
        if (t.type == TaskType::Sql)
            checkSql(t);
        if (t.type == TaskType::Shell) {
            checkAppends(t);
            checkQuotedTemplates(t);
            checkRawInScheduled(t);
        }
        if (t.idempotent && !t.check.isEmpty())
            warn(t, {QStringLiteral("check")},
                QStringLiteral("'check' is shown only before rerunning a task with "
                               "'idempotent: false'; this task is idempotent"));
    }

    void checkSql(const TaskSpec &t)
    {
        static const QRegularExpression insert(
            QStringLiteral("\\binsert\\b"), QRegularExpression::CaseInsensitiveOption);
        static const QRegularExpression bound(QStringLiteral("(?<![:\\w]):([A-Za-z_]\\w*)"));
        if (t.partition.isSet() || !insert.match(t.sql).hasMatch())
            return;
        for (auto it = bound.globalMatch(t.sql); it.hasNext();) {
            if (m_params.contains(it.next().captured(1)))
                return;
        }
        warn(t, {QStringLiteral("sql")},
            QStringLiteral("inserts without a 'partition' or a bound parameter (:name): a rerun "
                           "inserts the same rows again (replace a partition, e.g. partition: "
                           "{table: T, column: day, value: \"{{date}}\"})"));
    }

    void checkAppends(const TaskSpec &t)
    {
        // `>> target`: the target runs to the next blank or command separator (quotes kept).
        static const QRegularExpression append(
            QStringLiteral(">>\\s*(\"[^\"]*\"|'[^']*'|[^\\s;&|)]+)"));
        for (auto it = append.globalMatch(t.command); it.hasNext();) {
            const QString target = it.next().captured(1);
            if (target.startsWith(QLatin1Char('&')) || target.contains(QLatin1String("/dev/"))
                || target.contains(QLatin1String("PW_OUTPUT_"))
                || target.contains(QLatin1String("{{output.")) || usesParam(target, true))
                continue;
            warn(t, {QStringLiteral("command")},
                QStringLiteral("appends ('>>') to %1, whose name uses no parameter: a retry or "
                               "rerun appends again (write a file per parameter, or declare it "
                               "in 'outputs')")
                    .arg(target));
        }
    }

    // A value is shell-quoted where it is put in ('2026-12-01'); inside double quotes those
    // single quotes stay in the text: "orders for {{date}}" says orders for '2026-12-01'.
    void checkQuotedTemplates(const TaskSpec &t)
    {
        static const QRegularExpression quoted(QStringLiteral(R"re("([^"\\]|\\.)*")re"));
        static const QRegularExpression tpl(
            QStringLiteral(R"re(\{\{\s*(secret:[\w.-]+|[A-Za-z_][\w.]*)\s*(\|[^}]*)?\}\})re"));
        for (auto q = quoted.globalMatch(t.command); q.hasNext();) {
            const QString inside = q.next().captured(0);
            for (auto m = tpl.globalMatch(inside); m.hasNext();) {
                const auto found = m.next();
                if (found.captured(2).contains(QLatin1String("raw")))
                    continue;
                const QString name = found.captured(1);
                warn(t, {QStringLiteral("command")},
                    QStringLiteral("{{%1}} inside double quotes: values are shell-quoted, so the "
                                   "command sees the quotes too ('value'); put {{%1}} outside "
                                   "the double quotes, or use {{%1|raw}} if the value is safe "
                                   "to paste into the command")
                        .arg(name));
            }
        }
    }

    // A scheduled flow runs unattended, and `backfill`, a rerun or a manual run may give its
    // parameters other values: `|raw` pastes a string parameter's (or a secret's) value into the
    // command as shell text, so a quote or `$(...)` in it would run. Typed values (int, bool,
    // date, datetime) are checked against their form before a run exists, and a choice's values
    // are the flow's own, so only strings and secrets are reported.
    void checkRawInScheduled(const TaskSpec &t)
    {
        if (!m_flow.schedule.isSet())
            return;
        const auto tmpl = Template::parse(t.command);
        if (!tmpl)
            return;
        QStringList reported;
        for (const Template::Piece &piece : tmpl->pieces()) {
            if (piece.name.isEmpty() || !piece.filters.contains(QLatin1String("raw"))
                || reported.contains(piece.name))
                continue;
            const bool secret = !Template::secretName(piece.name).isEmpty();
            const auto p = std::find_if(m_flow.params.cbegin(), m_flow.params.cend(),
                [&](const ParamSpec &spec) { return spec.name == piece.name; });
            if (!secret && (p == m_flow.params.cend() || p->type != ParamType::String))
                continue;
            reported << piece.name;
            warn(t, {QStringLiteral("command")},
                QStringLiteral("{{%1|raw}} in a scheduled flow: the %2 is pasted into the command "
                               "as shell syntax, so a quote or $(...) in it would run; drop "
                               "|raw (the value is then one quoted argument)")
                    .arg(piece.name,
                        secret ? QStringLiteral("secret's value")
                               : QStringLiteral("string parameter's value")));
        }
    }

    const Flow &m_flow;
    QStringList m_params;
    Errors m_warnings;
};

} // namespace

Errors FlowLint::warnings(const Flow &flow)
{
    return Lint(flow).run();
}

} // namespace pw
