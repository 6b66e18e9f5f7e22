#include "flowwriter.h"

#include "flowexport.h"

#include "model/duration.h"

#include <QLocale>
#include <QRegularExpression>

#include <cmath>
#include <utility>
#include <vector>

// Style (DESIGN §4 example): block maps for the file, params and tasks; flow maps for the
// small settings maps ({type: date, default: today}, schedule, limits, partition, ...);
// flow sequences for lists (after: [a, b]); multi-line text as literal blocks (|, |-, |+);
// scalars plain when yaml-cpp reads them back identically, else double-quoted. The printer is
// hand-written because YAML::Emitter cannot mix these styles this way. Descriptions (flow,
// task, param), the title and the layout are presentation and stay out of the canonical
// definition, so editing them does not change a run's definition hash.
namespace pw {

namespace {

// The writer first turns a flow into an ordered document tree (keys in the fixed order of
// DESIGN §4, only set fields), then prints the tree as YAML or JSON. Both formats therefore
// always hold the same keys in the same order.
struct Node
{
    enum Kind { Map, Seq, String, Plain }; // Plain: numbers and booleans (unquoted in JSON)
    Kind kind = Map;
    QString text;
    std::vector<std::pair<QString, Node>> entries; // Map
    std::vector<Node> items;                       // Seq
    bool flowStyle = false;                        // YAML: {a: 1} / [a, b] on one line
    bool quoted = false;                           // YAML: always "quoted" (cron expressions)

    // Every member that needs std::pair<QString, Node> complete is defined after the class:
    // clang (14, with libstdc++ 12) refuses them inside it, where Node is still incomplete.
    Node();
    Node(const Node &);
    Node(Node &&) noexcept;
    Node &operator=(const Node &);
    Node &operator=(Node &&) noexcept;
    ~Node();

    static Node map(bool flow = false);
    static Node seq(const QStringList &values);
    static Node str(const QString &s);
    static Node plain(const QString &s);
    static Node integer(qint64 v);
    static Node boolean(bool v);
    static Node duration(qint64 ms);
    static Node number(double v);

    Node &add(const QString &key, Node value);
    void addString(const QString &key, const QString &value);
    bool empty() const;
};

Node::Node() = default;
Node::Node(const Node &) = default;
Node::Node(Node &&) noexcept = default;
Node &Node::operator=(const Node &) = default;
Node &Node::operator=(Node &&) noexcept = default;
Node::~Node() = default;

Node Node::integer(qint64 v)
{
    return plain(QString::number(v));
}

Node Node::boolean(bool v)
{
    return plain(v ? QStringLiteral("true") : QStringLiteral("false"));
}

Node Node::duration(qint64 ms)
{
    return str(Duration::format(ms));
}

Node Node::number(double v)
{
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
        return plain(QString::number(qint64(v)));
    return plain(QString::number(v, 'g', QLocale::FloatingPointShortest));
}

Node &Node::add(const QString &key, Node value)
{
    entries.emplace_back(key, std::move(value));
    return entries.back().second;
}

void Node::addString(const QString &key, const QString &value)
{
    if (!value.isEmpty())
        add(key, str(value));
}

bool Node::empty() const
{
    return kind == Map ? entries.empty() : kind == Seq ? items.empty() : false;
}

Node Node::map(bool flow)
{
    Node n;
    n.kind = Map;
    n.flowStyle = flow;
    return n;
}

Node Node::seq(const QStringList &values)
{
    Node n;
    n.kind = Seq;
    n.flowStyle = true;
    for (const QString &v : values)
        n.items.push_back(str(v));
    return n;
}

Node Node::str(const QString &s)
{
    Node n;
    n.kind = String;
    n.text = s;
    return n;
}

Node Node::plain(const QString &s)
{
    Node n;
    n.kind = Plain;
    n.text = s;
    return n;
}

enum class Mode {
    File,      // everything, as saved
    Canonical, // the run definition: no layout, title or descriptions
};

Node paramNode(const ParamSpec &p, Mode mode)
{
    Node n = Node::map(true);
    n.add(QStringLiteral("type"), Node::str(toString(p.type)));
    if (!p.values.isEmpty())
        n.add(QStringLiteral("values"), Node::seq(p.values));
    if (p.defaultValue) {
        // Numbers and booleans stay unquoted when they are valid for the type (and an integer
        // only as JSON writes one: 05 is no JSON number).
        static const QRegularExpression intRe(QStringLiteral("^-?(0|[1-9][0-9]*)$"));
        const QString &d = *p.defaultValue;
        const bool plain = (p.type == ParamType::Int && intRe.match(d).hasMatch() && d.size() < 19)
            || (p.type == ParamType::Bool
                && (d == QLatin1String("true") || d == QLatin1String("false")));
        n.add(QStringLiteral("default"), plain ? Node::plain(d) : Node::str(d));
    }
    if (mode == Mode::File)
        n.addString(QStringLiteral("description"), p.description);
    return n;
}

void addRetry(Node &n, const RetrySettings &r)
{
    if (r.retries)
        n.add(QStringLiteral("retries"), Node::integer(*r.retries));
    if (r.retryDelayMs)
        n.add(QStringLiteral("retry_delay"), Node::duration(*r.retryDelayMs));
    if (r.backoff)
        n.add(QStringLiteral("backoff"),
            Node::str(*r.backoff == Backoff::Exponential ? QStringLiteral("exponential")
                                                         : QStringLiteral("fixed")));
    if (r.maxRetryDelayMs)
        n.add(QStringLiteral("max_retry_delay"), Node::duration(*r.maxRetryDelayMs));
    if (r.jitter)
        n.add(QStringLiteral("jitter"), Node::boolean(*r.jitter));
    if (r.retryOn)
        n.add(QStringLiteral("retry_on"), Node::seq(*r.retryOn));
    if (r.timeoutMs)
        n.add(QStringLiteral("timeout"), Node::duration(*r.timeoutMs));
}

// A task's settings; `withRetry` false leaves out the retry/timeout keys.
Node taskNode(const TaskSpec &t, Mode mode, bool withRetry = true)
{
    Node n = Node::map(false);
    n.add(QStringLiteral("type"), Node::str(toString(t.type)));
    if (mode == Mode::File)
        n.addString(QStringLiteral("description"), t.description);
    if (!t.after.isEmpty())
        n.add(QStringLiteral("after"), Node::seq(t.after));
    if (t.trigger != TriggerRule::AllSuccess)
        n.add(QStringLiteral("trigger"), Node::str(toString(t.trigger)));
    if (t.priority != 0)
        n.add(QStringLiteral("priority"), Node::integer(t.priority));
    n.addString(QStringLiteral("pool"), t.pool);
    n.addString(QStringLiteral("command"), t.command);
    n.addString(QStringLiteral("sql"), t.sql);
    n.addString(QStringLiteral("connection"), t.connection);
    const PartitionSpec &p = t.partition;
    if (!p.table.isEmpty() || !p.column.isEmpty() || !p.value.isEmpty()) {
        Node pn = Node::map(true);
        pn.addString(QStringLiteral("table"), p.table);
        pn.addString(QStringLiteral("column"), p.column);
        pn.addString(QStringLiteral("value"), p.value);
        n.add(QStringLiteral("partition"), std::move(pn));
    }
    if (!t.outputs.isEmpty())
        n.add(QStringLiteral("outputs"), Node::seq(t.outputs));
    if (!t.waitFile.path.isEmpty() || t.waitFile.pokeIntervalMs || t.waitFile.stableForMs) {
        Node w = Node::map(true);
        // Always written, even empty: the loader requires the key once `wait_file` is there.
        w.add(QStringLiteral("path"), Node::str(t.waitFile.path));
        if (t.waitFile.pokeIntervalMs)
            w.add(QStringLiteral("poke_interval"), Node::duration(*t.waitFile.pokeIntervalMs));
        if (t.waitFile.stableForMs)
            w.add(QStringLiteral("stable_for"), Node::duration(*t.waitFile.stableForMs));
        n.add(QStringLiteral("wait_file"), std::move(w));
    }
    if (t.executor != Executor::Local)
        n.add(QStringLiteral("executor"), Node::str(toString(t.executor)));
    if (t.slurm.isSet()) {
        const SlurmSpec &s = t.slurm;
        Node sn = Node::map(false);
        sn.addString(QStringLiteral("partition"), s.partition);
        sn.addString(QStringLiteral("time"), s.time);
        if (s.cpus)
            sn.add(QStringLiteral("cpus"), Node::integer(*s.cpus));
        sn.addString(QStringLiteral("mem"), s.mem);
        sn.addString(QStringLiteral("account"), s.account);
        sn.addString(QStringLiteral("qos"), s.qos);
        if (!s.extraArgs.isEmpty())
            sn.add(QStringLiteral("extra_args"), Node::seq(s.extraArgs));
        n.add(QStringLiteral("slurm"), std::move(sn));
    }
    if (!t.env.isEmpty()) {
        Node e = Node::map(false);
        for (auto it = t.env.cbegin(); it != t.env.cend(); ++it)
            e.add(it.key(), Node::str(it.value()));
        n.add(QStringLiteral("env"), std::move(e));
    }
    n.addString(QStringLiteral("workdir"), t.workdir);
    if (!t.idempotent)
        n.add(QStringLiteral("idempotent"), Node::boolean(false));
    n.addString(QStringLiteral("check"), t.check);
    if (withRetry)
        addRetry(n, t.retry);
    return n;
}

Node flowNode(const Flow &f, Mode mode)
{
    Node root = Node::map(false);
    root.add(QStringLiteral("pipewright"), Node::integer(f.formatVersion));
    root.add(QStringLiteral("flow"), Node::str(f.id));
    if (mode == Mode::File) {
        root.addString(QStringLiteral("title"), f.title);
        root.addString(QStringLiteral("description"), f.description);
    }
    if (!f.params.isEmpty()) {
        Node ps = Node::map(false);
        for (const ParamSpec &p : f.params)
            ps.add(p.name, paramNode(p, mode));
        root.add(QStringLiteral("params"), std::move(ps));
    }
    const ScheduleSpec &s = f.schedule;
    if (s.isSet() || !s.timezone.isEmpty() || s.catchup || s.start || !s.param.isEmpty()
        || s.offsetMs) {
        Node n = Node::map(true);
        if (!s.cron.isEmpty()) {
            Node cron = Node::str(s.cron);
            cron.quoted = true; // "0 3 * * *" reads better quoted, as in every cron example
            n.add(QStringLiteral("cron"), std::move(cron));
        }
        n.addString(QStringLiteral("timezone"), s.timezone);
        if (s.catchup)
            n.add(QStringLiteral("catchup"), Node::boolean(true));
        if (s.start)
            n.add(QStringLiteral("start"), Node::str(s.start->toString(Qt::ISODate)));
        n.addString(QStringLiteral("param"), s.param);
        if (s.offsetMs)
            n.add(QStringLiteral("offset"), Node::duration(*s.offsetMs));
        root.add(QStringLiteral("schedule"), std::move(n));
    }
    const LimitsSpec &l = f.limits;
    if (l.maxParallel || l.maxActiveRuns || !l.pools.isEmpty()) {
        Node n = Node::map(true);
        if (l.maxParallel)
            n.add(QStringLiteral("max_parallel"), Node::integer(*l.maxParallel));
        if (l.maxActiveRuns)
            n.add(QStringLiteral("max_active_runs"), Node::integer(*l.maxActiveRuns));
        if (!l.pools.isEmpty()) {
            Node pools = Node::map(true);
            for (auto it = l.pools.cbegin(); it != l.pools.cend(); ++it)
                pools.add(it.key(), Node::integer(it.value()));
            n.add(QStringLiteral("pools"), std::move(pools));
        }
        root.add(QStringLiteral("limits"), std::move(n));
    }
    Node defaults = Node::map(true);
    addRetry(defaults, f.defaults);
    if (!defaults.empty())
        root.add(QStringLiteral("defaults"), std::move(defaults));
    if (f.notify.isSet()) {
        Node n = Node::map(true);
        if (!f.notify.on.isEmpty())
            n.add(QStringLiteral("on"), Node::seq(f.notify.on));
        n.addString(QStringLiteral("command"), f.notify.command);
        n.addString(QStringLiteral("webhook"), f.notify.webhook);
        root.add(QStringLiteral("notify"), std::move(n));
    }
    if (f.sla.isSet()) {
        Node n = Node::map(true);
        if (f.sla.durationMs)
            n.add(QStringLiteral("duration"), Node::duration(*f.sla.durationMs));
        n.addString(QStringLiteral("time"), f.sla.time);
        root.add(QStringLiteral("sla"), std::move(n));
    }
    if (!f.tasks.isEmpty()) {
        Node ts = Node::map(false);
        for (const TaskSpec &t : f.tasks)
            ts.add(t.id, taskNode(t, mode));
        root.add(QStringLiteral("tasks"), std::move(ts));
    }
    if (mode == Mode::File && !f.layout.isEmpty()) {
        Node n = Node::map(false);
        for (auto it = f.layout.cbegin(); it != f.layout.cend(); ++it) {
            Node pos;
            pos.kind = Node::Seq;
            pos.flowStyle = true;
            pos.items.push_back(Node::number(it.value().x()));
            pos.items.push_back(Node::number(it.value().y()));
            n.add(it.key(), std::move(pos));
        }
        root.add(QStringLiteral("layout"), std::move(n));
    }
    return root;
}

// ---- YAML ----------------------------------------------------------------------------------

bool needsEscape(QChar c)
{
    const char16_t u = c.unicode();
    return u < 0x20 || u == 0x7F || u == 0x85 || u == 0x2028 || u == 0x2029 || u == 0xFEFF
        || (u >= 0x80 && u < 0xA0) || c.isSurrogate();
}

QString doubleQuoted(const QString &s)
{
    QString out = QStringLiteral("\"");
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        switch (c.unicode()) {
        case '"':
            out += QLatin1String("\\\"");
            continue;
        case '\\':
            out += QLatin1String("\\\\");
            continue;
        case '\n':
            out += QLatin1String("\\n");
            continue;
        case '\t':
            out += QLatin1String("\\t");
            continue;
        case '\r':
            out += QLatin1String("\\r");
            continue;
        default:
            break;
        }
        if (c.isHighSurrogate() && i + 1 < s.size() && s[i + 1].isLowSurrogate()) {
            out += c;
            out += s[++i];
        } else if (needsEscape(c)) {
            if (c.unicode() < 0x100)
                out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
            else
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        } else {
            out += c;
        }
    }
    out += QLatin1Char('"');
    return out;
}

// Can `s` be written as a YAML plain scalar and read back as the same string?
bool canBePlain(const QString &s, bool flowContext, bool isKey)
{
    if (s.isEmpty() || s.front().isSpace() || s.back().isSpace())
        return false;
    static const QStringList special{"~", "null", "Null", "NULL", "true", "True", "TRUE", "false",
        "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off",
        "OFF", "y", "Y", "n", "N"};
    // Keys are always strings to our loader (`on:`), except the null words: yaml-cpp reads a
    // plain `null:` key as a null node, which is not a string key (a task or param "null").
    static const QStringList nulls{"~", "null", "Null", "NULL"};
    if (isKey ? nulls.contains(s) : special.contains(s))
        return false;
    const QChar first = s.front();
    if (QStringLiteral("?:,[]{}#&*!|>'\"%@`").contains(first))
        return false;
    if (first == QLatin1Char('-')
        && (s.size() == 1 || s[1].isSpace() || s.startsWith(QLatin1String("---"))))
        return false;
    if (s.startsWith(QLatin1String("...")))
        return false;
    if (s.contains(QLatin1String(": ")) || s.contains(QLatin1String(" #"))
        || s.endsWith(QLatin1Char(':')))
        return false;
    auto isFlowIndicator = [](QChar c) {
        return c == QLatin1Char(',') || c == QLatin1Char('[') || c == QLatin1Char(']')
            || c == QLatin1Char('{') || c == QLatin1Char('}');
    };
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (needsEscape(c) || c == QLatin1Char('\t'))
            return false;
        // yaml-cpp also stops at '?' inside flow collections.
        if (flowContext && (isFlowIndicator(c) || c == QLatin1Char('#') || c == QLatin1Char('?')))
            return false;
        // "exit:75" and URLs stay plain; a ':' before a flow indicator would end the scalar.
        if (flowContext && c == QLatin1Char(':') && i + 1 < s.size() && isFlowIndicator(s[i + 1]))
            return false;
    }
    return true;
}

QString yamlScalar(const QString &s, bool flowContext, bool isKey = false)
{
    return canBePlain(s, flowContext, isKey) ? s : doubleQuoted(s);
}

// A literal block scalar (|) for multi-line text in block context, if the text allows one.
bool canBeLiteral(const QString &s)
{
    if (!s.contains(QLatin1Char('\n')))
        return false;
    const QStringList lines = s.split(QLatin1Char('\n'));
    bool firstContent = true;
    for (const QString &line : lines) {
        for (const QChar c : line) {
            if (needsEscape(c) && c != QLatin1Char('\t'))
                return false;
        }
        if (!line.isEmpty() && line.trimmed().isEmpty())
            return false; // whitespace-only lines are ambiguous with indentation
        if (!line.isEmpty() && firstContent) {
            if (line.front().isSpace())
                return false; // would need an indentation indicator
            firstContent = false;
        }
    }
    return !firstContent;
}

void writeLiteral(QString &out, const QString &s, int indent)
{
    qsizetype trailing = 0;
    while (trailing < s.size() && s[s.size() - 1 - trailing] == QLatin1Char('\n'))
        ++trailing;
    out += trailing == 0 ? QLatin1String("|-\n")
        : trailing == 1  ? QLatin1String("|\n")
                         : QLatin1String("|+\n");
    const QString body = s.left(s.size() - trailing);
    const QString pad(indent, QLatin1Char(' '));
    for (const QString &line : body.split(QLatin1Char('\n'))) {
        if (!line.isEmpty())
            out += pad + line;
        out += QLatin1Char('\n');
    }
    for (qsizetype i = 1; i < trailing; ++i)
        out += QLatin1Char('\n');
}

QString yamlFlow(const Node &n)
{
    switch (n.kind) {
    case Node::String:
        return n.quoted ? doubleQuoted(n.text) : yamlScalar(n.text, true);
    case Node::Plain:
        return n.text;
    case Node::Seq: {
        QStringList parts;
        for (const Node &item : n.items)
            parts.append(yamlFlow(item));
        return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    case Node::Map: {
        QStringList parts;
        for (const auto &[k, v] : n.entries)
            parts.append(yamlScalar(k, true, true) + QStringLiteral(": ") + yamlFlow(v));
        return QLatin1Char('{') + parts.join(QStringLiteral(", ")) + QLatin1Char('}');
    }
    }
    return {};
}

void writeYamlMap(QString &out, const Node &map, int indent)
{
    const QString pad(indent, QLatin1Char(' '));
    for (const auto &[k, v] : map.entries) {
        out += pad + yamlScalar(k, false, true) + QLatin1Char(':');
        if (v.kind == Node::Map && !v.flowStyle && !v.entries.empty()) {
            out += QLatin1Char('\n');
            writeYamlMap(out, v, indent + 2);
        } else if (v.kind == Node::String && canBeLiteral(v.text)) {
            out += QLatin1Char(' ');
            writeLiteral(out, v.text, indent + 2);
        } else if (v.kind == Node::String) {
            out += QLatin1Char(' ') + yamlScalar(v.text, false) + QLatin1Char('\n');
        } else {
            out += QLatin1Char(' ') + yamlFlow(v) + QLatin1Char('\n');
        }
    }
}

// ---- JSON ----------------------------------------------------------------------------------

QString jsonString(const QString &s)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : s) {
        switch (c.unicode()) {
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\\':
            out += QLatin1String("\\\\");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\t':
            out += QLatin1String("\\t");
            break;
        case '\r':
            out += QLatin1String("\\r");
            break;
        default:
            if (needsEscape(c) && !c.isSurrogate())
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += QLatin1Char('"');
    return out;
}

bool isFlat(const Node &n)
{
    if (n.kind == Node::Seq) {
        for (const Node &i : n.items) {
            if (i.kind == Node::Map || i.kind == Node::Seq)
                return false;
        }
        return true;
    }
    return n.kind != Node::Map || n.entries.empty();
}

// indent < 0: compact (no whitespace at all).
void writeJson(QString &out, const Node &n, int indent)
{
    switch (n.kind) {
    case Node::String:
        out += jsonString(n.text);
        return;
    case Node::Plain:
        out += n.text;
        return;
    case Node::Seq: {
        const bool inl = indent < 0 || isFlat(n);
        out += QLatin1Char('[');
        bool first = true;
        for (const Node &i : n.items) {
            if (!first)
                out += inl && indent >= 0 ? QLatin1String(", ") : QLatin1String(",");
            first = false;
            if (!inl)
                out += QLatin1Char('\n') + QString(indent + 2, QLatin1Char(' '));
            writeJson(out, i, inl ? -1 : indent + 2);
        }
        if (!inl && !n.items.empty())
            out += QLatin1Char('\n') + QString(indent, QLatin1Char(' '));
        out += QLatin1Char(']');
        return;
    }
    case Node::Map: {
        out += QLatin1Char('{');
        bool first = true;
        for (const auto &[k, v] : n.entries) {
            if (!first)
                out += QLatin1Char(',');
            first = false;
            if (indent >= 0)
                out += QLatin1Char('\n') + QString(indent + 2, QLatin1Char(' '));
            out += jsonString(k) + (indent >= 0 ? QLatin1String(": ") : QLatin1String(":"));
            writeJson(out, v, indent >= 0 ? indent + 2 : -1);
        }
        if (indent >= 0 && !n.entries.empty())
            out += QLatin1Char('\n') + QString(indent, QLatin1Char(' '));
        out += QLatin1Char('}');
        return;
    }
    }
}

} // namespace

QByteArray FlowWriter::toYaml(const Flow &flow)
{
    QString out;
    writeYamlMap(out, flowNode(flow, Mode::File), 0);
    return out.toUtf8();
}

QByteArray FlowWriter::toJson(const Flow &flow)
{
    QString out;
    writeJson(out, flowNode(flow, Mode::File), 0);
    out += QLatin1Char('\n');
    return out.toUtf8();
}

QByteArray FlowWriter::canonicalDefinition(const Flow &flow)
{
    QString out;
    writeJson(out, flowNode(flow, Mode::Canonical), -1);
    return out.toUtf8();
}

QByteArray FlowWriter::canonicalTask(const Flow &flow, const TaskSpec &task)
{
    // The task's own settings without its retry keys, then the effective policy: moving a
    // setting between the task and the flow's defaults does not change the task's hash.
    Node n = Node::map(false);
    n.add(QStringLiteral("id"), Node::str(task.id));
    n.add(QStringLiteral("task"), taskNode(task, Mode::Canonical, false));
    const RetryPolicy p = flow.retryPolicy(task);
    Node eff = Node::map(false);
    eff.add(QStringLiteral("retries"), Node::integer(p.retries));
    eff.add(QStringLiteral("retry_delay"), Node::duration(p.retryDelayMs));
    eff.add(QStringLiteral("backoff"),
        Node::str(p.backoff == Backoff::Exponential ? QStringLiteral("exponential")
                                                    : QStringLiteral("fixed")));
    eff.add(QStringLiteral("max_retry_delay"), Node::duration(p.maxRetryDelayMs));
    eff.add(QStringLiteral("jitter"), Node::boolean(p.jitter));
    eff.add(QStringLiteral("retry_on"), Node::seq(p.retryOn));
    if (const auto t = flow.timeoutMs(task))
        eff.add(QStringLiteral("timeout"), Node::duration(*t));
    n.add(QStringLiteral("effective"), std::move(eff));
    QString out;
    writeJson(out, n, -1);
    return out.toUtf8();
}

Result<void> FlowWriter::saveFile(const Flow &flow, const QString &path)
{
    const bool json = path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
    return FlowExport::writeFile(
        flow, json ? FlowExport::Format::Json : FlowExport::Format::Yaml, path);
}

} // namespace pw
