#include "flowloader.h"

#include "didyoumean.h"
#include "flowbytes.h"
#include "flowloader_p.h"
#include "flowvalidator.h"
#include "jsonchecker.h"
#include "model/duration.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <functional>

// Decisions (where DESIGN §4 is silent):
// - Scalars are typed by the schema, not by YAML: a string field takes any scalar text as
//   written ("2026", "true"), but integers and booleans must be unquoted (`retries: "2"` is an
//   error, as it would be in a JSON schema), and booleans are true/false only (no YAML 1.1
//   yes/no/on/off, which surprise people).
// - `after`, `retry_on`, `outputs` and notify `on` also accept a single string for a list of one.
// - An empty value (`command:`) is an error, never "unset": delete the key instead.
// - YAML is read by libyaml into a compact tree (yamltree.h); where libyaml refuses the text,
//   yaml-cpp reads it instead, so syntax error messages, their positions and yaml-cpp's leniency
//   are what they were. Columns count characters.
// - Only the first YAML document is parsed; a second `---` document is an error. Files over
//   16 MiB, NUL bytes and invalid UTF-8 are refused before parsing; nesting deeper than 2000
//   (yaml-cpp's limit) is refused.
// - A file named *.json (any case, as FlowWriter::saveFile decides the format) is strict JSON
//   (DESIGN §4): JsonChecker refuses anything RFC 8259 does not allow, then the YAML parser builds
//   the nodes from its rewritten text as for YAML, so the schema checks and their messages are
//   the same; positions are mapped back to the file, columns in characters. Duplicate keys are
//   errors in JSON as in YAML (RFC 8259 allows them with unpredictable results). Other names
//   (the designer's clipboard, stored run definitions) are read as YAML, which accepts JSON.
// - At most 100 errors are reported; duplicate task ids and params are left to the validator
//   (one message each), other duplicate keys are reported here.
namespace pw {

namespace {

// Flow files are small; anything bigger is not a flow (and would only cost memory).
constexpr qint64 kMaxFileSize = 16 * 1024 * 1024;

const QStringList kTopKeys{"pipewright", "flow", "title", "description", "params", "schedule",
    "limits", "defaults", "notify", "sla", "tasks", "layout"};
const QStringList kParamKeys{"type", "values", "default", "description"};
const QStringList kScheduleKeys{"cron", "timezone", "catchup", "start", "param", "offset"};
const QStringList kLimitsKeys{"max_parallel", "max_active_runs", "pools"};
const QStringList kDefaultsKeys{
    "retries", "retry_delay", "backoff", "max_retry_delay", "jitter", "retry_on", "timeout"};
const QStringList kNotifyKeys{"on", "command", "webhook"};
const QStringList kSlaKeys{"duration", "time"};

} // namespace

namespace loading {

// Marks count columns in characters of the parsed text. For JSON the mark is mapped through the
// checked text (same byte offsets, but a moved ':' may shift a line start) to the file, in
// characters. YAML marks are used as they are.
Loader::Position Loader::position(const yaml::Mark &m)
{
    if (m.line < 0)
        return {};
    if (!m_json || m.column < 0)
        return {m.line + 1, m.column >= 0 ? m.column + 1 : 0};
    if (m_yamlLines.isEmpty()) {
        const qsizetype bom = m_original.startsWith("\xef\xbb\xbf") ? 3 : 0;
        for (auto [text, lines] :
            {std::pair{&m_original, &m_originalLines}, std::pair{&m_yaml, &m_yamlLines}}) {
            lines->append(bom); // a byte order mark is not counted
            for (qsizetype i = text->indexOf('\n'); i >= 0; i = text->indexOf('\n', i + 1))
                lines->append(i + 1);
        }
    }
    if (m.line >= m_yamlLines.size() || m.line >= m_originalLines.size())
        return {m.line + 1, m.column + 1};
    // Marks come mostly in document order: count on from the last one on the same line, so a
    // minified file (one long line) costs linear time, not quadratic.
    if (m.line != m_lastLine || m.column < m_lastChar) {
        m_lastLine = m.line;
        m_lastChar = 0;
        m_lastYamlOffset = m_yamlLines[m.line];
        m_lastOffset = m_originalLines[m.line];
        m_lastColumn = 1;
    }
    qsizetype offset = m_lastYamlOffset; // the mark's byte offset in the checked text
    for (; m_lastChar < m.column && offset < m_yaml.size(); ++m_lastChar) {
        ++offset;
        while (offset < m_yaml.size() && (uchar(m_yaml[offset]) & 0xC0) == 0x80)
            ++offset;
    }
    m_lastYamlOffset = offset;
    m_lastColumn += JsonChecker::column(m_original, m_lastOffset, offset) - 1;
    m_lastOffset = std::max(m_lastOffset, std::min(offset, m_original.size()));
    return {m.line + 1, m_lastColumn};
}

QString Loader::describe(const yaml::Node &n)
{
    switch (n.type()) {
    case yaml::Node::Type::Null:
        return QStringLiteral("nothing");
    case yaml::Node::Type::Sequence:
        return QStringLiteral("a list");
    case yaml::Node::Type::Map:
        return QStringLiteral("a map");
    case yaml::Node::Type::Scalar: {
        QString s = n.scalar();
        if (s.size() > 40)
            s = s.left(37) + QStringLiteral("...");
        s.replace(QLatin1Char('\n'), QLatin1String("\\n"));
        return QLatin1Char('\'') + s + QLatin1Char('\'');
    }
    case yaml::Node::Type::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

Loader::Entries Loader::entries(const yaml::Node &map, const QStringList &at,
    const Context &context, const QStringList &known, bool keepDuplicates)
{
    Entries out;
    out.reserve(map.size());
    // Where each key was first seen (an index in `out`): a hash only for big maps; none when
    // duplicates are kept (tasks: the validator reports them).
    constexpr int kLinear = 16;
    QHash<QString, qsizetype> seen;
    if (map.size() > kLinear && !keepDuplicates)
        seen.reserve(map.size());
    for (int i = 0; i < map.size() && !full(); ++i) {
        const yaml::Node k = map.key(i);
        if (!k.isScalar()) {
            error(k,
                QStringLiteral("keys must be strings (got %1%2)")
                    .arg(describe(k), context.inText()),
                at);
            continue;
        }
        QString key;
        if (known.isEmpty()) {
            key = k.scalar();
        } else {
            // A known key shares the list's string; the known keys are ASCII.
            const QLatin1StringView bytes(k.bytes().data(), k.bytes().size());
            for (const QString &name : known) {
                if (name == bytes) {
                    key = name;
                    break;
                }
            }
            if (key.isNull()) {
                key = k.scalar();
                error(k,
                    QStringLiteral("unknown key %1%2%3")
                        .arg(detail::quoted(key), context.inText(), detail::didYouMean(key, known)),
                    at + QStringList{key});
                continue;
            }
        }
        qsizetype first = -1;
        if (keepDuplicates) {
            // kept as they are
        } else if (map.size() > kLinear) {
            first = seen.value(key, -1);
            if (first < 0)
                seen.insert(key, out.size());
        } else {
            for (qsizetype j = 0; j < out.size() && first < 0; ++j) {
                if (out[j].key == key)
                    first = j;
            }
        }
        if (first >= 0 && !keepDuplicates) {
            error(k,
                QStringLiteral("duplicate key %1%2 (first at line %3)")
                    .arg(detail::quoted(key), context.inText())
                    .arg(out[first].keyNode.mark().line + 1),
                at + QStringList{key});
            continue;
        }
        out.append(Entry{key, k, map.value(i), at});
    }
    return out;
}

std::optional<QString> Loader::string(const Entry &e)
{
    if (!e.value.isScalar()) {
        typeError(e, QStringLiteral("a string"));
        return std::nullopt;
    }
    return e.value.scalar();
}

std::optional<int> Loader::integer(const Entry &e)
{
    static const QRegularExpression re(QStringLiteral("^[-+]?[0-9]+$"));
    if (e.value.isPlain()) {
        const QString s = e.value.scalar();
        bool ok = false;
        const int v = re.match(s).hasMatch() ? s.toInt(&ok, 10) : 0;
        if (ok)
            return v;
    }
    typeError(e, QStringLiteral("an integer"));
    return std::nullopt;
}

std::optional<bool> Loader::boolean(const Entry &e)
{
    if (e.value.isPlain()) {
        const QByteArrayView s = e.value.bytes();
        if (s == "true" || s == "True" || s == "TRUE")
            return true;
        if (s == "false" || s == "False" || s == "FALSE")
            return false;
    }
    typeError(e, QStringLiteral("true or false"));
    return std::nullopt;
}

std::optional<qint64> Loader::duration(const Entry &e)
{
    if (e.value.isScalar()) {
        const auto d = Duration::parseMs(e.value.scalar());
        if (d)
            return *d;
    }
    typeError(e, QStringLiteral("a duration like 30s, 5m, 1h30m or 1d"));
    return std::nullopt;
}

std::optional<QDate> Loader::date(const Entry &e)
{
    static const QRegularExpression re(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (e.value.isScalar()) {
        const QString s = e.value.scalar();
        const QDate d = QDate::fromString(s, Qt::ISODate);
        if (re.match(s).hasMatch() && d.isValid())
            return d;
    }
    typeError(e, QStringLiteral("a date YYYY-MM-DD"));
    return std::nullopt;
}

std::optional<QStringList> Loader::stringList(
    const Entry &e, bool single, const QHash<QByteArrayView, QString> *shared)
{
    auto text = [shared](const yaml::Node &n) {
        if (shared) {
            const auto it = shared->constFind(n.bytes());
            if (it != shared->cend())
                return *it;
        }
        return n.scalar();
    };
    if (single && e.value.isScalar())
        return QStringList{text(e.value)};
    if (!e.value.isSequence()) {
        typeError(e, QStringLiteral("a list of strings"));
        return std::nullopt;
    }
    QStringList out;
    out.reserve(e.value.size());
    bool ok = true;
    for (int i = 0; i < e.value.size(); ++i) {
        const yaml::Node item = e.value.item(i);
        if (!item.isScalar()) {
            error(item,
                QStringLiteral("'%1' must be a list of strings (got %2 as an item)")
                    .arg(e.key, describe(item)),
                e.path());
            ok = false;
            if (full())
                break;
            continue;
        }
        out.append(text(item));
    }
    if (!ok)
        return std::nullopt;
    return out;
}

std::optional<double> Loader::number(
    const yaml::Node &n, const QString &what, const QStringList &field)
{
    if (n.isPlain()) {
        bool ok = false;
        const double v = n.scalar().toDouble(&ok);
        if (ok && std::isfinite(v))
            return v;
    }
    error(n, QStringLiteral("%1 must be a number (got %2)").arg(what, describe(n)), field);
    return std::nullopt;
}

void Loader::readTop(const yaml::Node &root, Flow &flow)
{
    const Entries top = entries(root, {}, Context(QString()), kTopKeys);
    bool haveVersion = false;
    for (const Entry &e : top) {
        if (e.key != QLatin1String("pipewright"))
            continue;
        haveVersion = true;
        if (!e.value.isPlain() || e.value.bytes() != "1") {
            error(e.value,
                e.value.isPlain()
                    ? QStringLiteral(
                        "unsupported format version '%1' (this Pipewright reads 'pipewright: 1')")
                          .arg(e.value.scalar())
                    : QStringLiteral("'pipewright' must be the format version 1 (got %1)")
                          .arg(describe(e.value)),
                e.path());
            return; // another version's keys would only produce noise
        }
    }
    if (!haveVersion) {
        error(root,
            QStringLiteral("missing 'pipewright: 1' (the format version) at the top of the file"),
            {QStringLiteral("pipewright")});
        if (full())
            return;
    }
    bool haveId = false;
    for (const Entry &e : top) {
        if (full())
            return;
        m_topMarks.insert(e.key, e.keyNode.mark());
        const QString &k = e.key;
        if (k == QLatin1String("flow")) {
            haveId = true;
            m_flowIdMark = e.value.mark();
            m_haveFlowIdMark = true;
            if (auto v = string(e))
                flow.id = *v;
        } else if (k == QLatin1String("title")) {
            if (auto v = string(e))
                flow.title = *v;
        } else if (k == QLatin1String("description")) {
            if (auto v = string(e))
                flow.description = *v;
        } else if (k == QLatin1String("params")) {
            readParams(e, flow);
        } else if (k == QLatin1String("schedule")) {
            readSchedule(e, flow.schedule);
        } else if (k == QLatin1String("limits")) {
            readLimits(e, flow.limits);
        } else if (k == QLatin1String("defaults")) {
            readDefaults(e, flow.defaults);
        } else if (k == QLatin1String("notify")) {
            readNotify(e, flow.notify);
        } else if (k == QLatin1String("sla")) {
            readSla(e, flow.sla);
        } else if (k == QLatin1String("tasks")) {
            readTasks(e, flow);
        } else if (k == QLatin1String("layout")) {
            readLayout(e, flow);
        }
    }
    if (!haveId)
        error(root, QStringLiteral("missing 'flow: ID' (the flow's id)"), {QStringLiteral("flow")});
}

void Loader::readParams(const Entry &e, Flow &flow)
{
    if (!expectMap(e, QStringLiteral("a map of parameter name to {type, values, default}")))
        return;
    for (const Entry &pe : entries(e.value, e.path(), QStringLiteral("params"), {}, true)) {
        if (full())
            return;
        ParamSpec p;
        p.name = pe.key;
        const Position at = position(pe.keyNode.mark());
        p.line = at.line;
        p.column = at.column;
        if (!expectMap(pe, QStringLiteral("a map like {type: date, default: today}")))
            continue;
        for (const Entry &f : entries(
                 pe.value, pe.path(), Context(QStringLiteral("parameter"), p.name), kParamKeys)) {
            if (f.key == QLatin1String("type")) {
                static const QStringList names{
                    "string", "int", "bool", "date", "datetime", "choice"};
                if (auto v = enumValue<ParamType>(f, &paramTypeFromString, names))
                    p.type = *v;
            } else if (f.key == QLatin1String("values")) {
                if (auto v = stringList(f, false))
                    p.values = *v;
            } else if (f.key == QLatin1String("default")) {
                if (auto v = string(f))
                    p.defaultValue = *v;
            } else if (f.key == QLatin1String("description")) {
                if (auto v = string(f))
                    p.description = *v;
            }
        }
        flow.params.append(p);
    }
}

void Loader::readSchedule(const Entry &e, ScheduleSpec &s)
{
    if (!expectMap(e))
        return;
    for (const Entry &f : entries(e.value, e.path(), QStringLiteral("schedule"), kScheduleKeys)) {
        if (f.key == QLatin1String("cron")) {
            if (auto v = string(f)) {
                s.cron = *v;
                if (v->trimmed().isEmpty())
                    error(f.value, QStringLiteral("'cron' must not be empty"), f.path());
            }
        } else if (f.key == QLatin1String("timezone")) {
            if (auto v = string(f))
                s.timezone = *v;
        } else if (f.key == QLatin1String("catchup")) {
            if (auto v = boolean(f))
                s.catchup = *v;
        } else if (f.key == QLatin1String("start")) {
            if (auto v = date(f))
                s.start = *v;
        } else if (f.key == QLatin1String("param")) {
            if (auto v = string(f))
                s.param = *v;
        } else if (f.key == QLatin1String("offset")) {
            if (auto v = duration(f))
                s.offsetMs = *v;
        }
    }
}

void Loader::readLimits(const Entry &e, LimitsSpec &l)
{
    if (!expectMap(e))
        return;
    for (const Entry &f : entries(e.value, e.path(), QStringLiteral("limits"), kLimitsKeys)) {
        if (f.key == QLatin1String("max_parallel")) {
            if (auto v = integer(f))
                l.maxParallel = *v;
        } else if (f.key == QLatin1String("max_active_runs")) {
            if (auto v = integer(f))
                l.maxActiveRuns = *v;
        } else if (f.key == QLatin1String("pools")) {
            if (!expectMap(f, QStringLiteral("a map of pool name to slots")))
                continue;
            for (const Entry &p : entries(f.value, f.path(), QStringLiteral("pools"), {})) {
                if (auto v = integer(p))
                    l.pools.insert(p.key, *v);
            }
        }
    }
}

// One of the retry/timeout keys shared by `defaults` and tasks; false if `e` is not one.
bool Loader::readRetryKey(const Entry &e, RetrySettings &r)
{
    const QString &k = e.key;
    if (k == QLatin1String("retries")) {
        if (auto v = integer(e))
            r.retries = *v;
    } else if (k == QLatin1String("retry_delay")) {
        if (auto v = duration(e))
            r.retryDelayMs = *v;
    } else if (k == QLatin1String("backoff")) {
        static const QStringList names{"fixed", "exponential"};
        auto parse = [](const QString &s) -> std::optional<Backoff> {
            if (s == QLatin1String("fixed"))
                return Backoff::Fixed;
            if (s == QLatin1String("exponential"))
                return Backoff::Exponential;
            return std::nullopt;
        };
        if (auto v = enumValue<Backoff>(e, +parse, names))
            r.backoff = *v;
    } else if (k == QLatin1String("max_retry_delay")) {
        if (auto v = duration(e))
            r.maxRetryDelayMs = *v;
    } else if (k == QLatin1String("jitter")) {
        if (auto v = boolean(e))
            r.jitter = *v;
    } else if (k == QLatin1String("retry_on")) {
        if (auto v = stringList(e, true))
            r.retryOn = *v;
    } else if (k == QLatin1String("timeout")) {
        if (auto v = duration(e))
            r.timeoutMs = *v;
    } else {
        return false;
    }
    return true;
}

void Loader::readDefaults(const Entry &e, RetrySettings &r)
{
    if (!expectMap(e))
        return;
    for (const Entry &f : entries(e.value, e.path(), QStringLiteral("defaults"), kDefaultsKeys))
        readRetryKey(f, r);
}

void Loader::readNotify(const Entry &e, NotifySpec &n)
{
    if (!expectMap(e))
        return;
    for (const Entry &f : entries(e.value, e.path(), QStringLiteral("notify"), kNotifyKeys)) {
        if (f.key == QLatin1String("on")) {
            if (auto v = stringList(f, true))
                n.on = *v;
        } else if (f.key == QLatin1String("command")) {
            if (auto v = string(f))
                n.command = *v;
        } else if (f.key == QLatin1String("webhook")) {
            if (auto v = string(f))
                n.webhook = *v;
        }
    }
}

void Loader::readSla(const Entry &e, SlaSpec &s)
{
    if (!expectMap(e))
        return;
    for (const Entry &f : entries(e.value, e.path(), QStringLiteral("sla"), kSlaKeys)) {
        if (f.key == QLatin1String("duration")) {
            if (auto v = duration(f))
                s.durationMs = *v;
        } else if (f.key == QLatin1String("time")) {
            if (auto v = string(f))
                s.time = *v;
        }
    }
}

void Loader::readLayout(const Entry &e, Flow &flow)
{
    if (!expectMap(e, QStringLiteral("a map of task id to [x, y]")))
        return;
    for (const Entry &p : entries(e.value, e.path(), QStringLiteral("layout"), {})) {
        if (full())
            return;
        if (!p.value.isSequence() || p.value.size() != 2) {
            typeError(p, QStringLiteral("a position [x, y]"));
            continue;
        }
        const auto x = number(p.value.item(0), QStringLiteral("x"), p.path());
        const auto y = number(p.value.item(1), QStringLiteral("y"), p.path());
        if (x && y)
            flow.layout.insert(p.key, QPointF(*x, *y));
    }
}

Result<Flow, Errors> Loader::load(const QByteArray &data)
{
    Flow flow;
    flow.sourcePath = m_file;
    if (data.size() > kMaxFileSize) {
        m_errors.append(
            Error(QStringLiteral("file is too large for a flow (%1 bytes; the limit is %2)")
                      .arg(data.size())
                      .arg(kMaxFileSize),
                m_file, 0, 0));
        return Unexpected(m_errors);
    }
    // JSON has its own message for a control character (in a string: write it as an escape).
    const qsizetype invalid = FlowBytes::firstBadByte(data);
    const qsizetype control = invalid < 0 && !m_json ? FlowBytes::firstControlCharacter(data) : -1;
    if (const qsizetype bad = std::max(invalid, control); bad >= 0) {
        const int line = int(data.left(bad).count('\n')) + 1;
        // (lastIndexOf from -1 would search from the end)
        const qsizetype lineStart = bad == 0 ? 0 : data.lastIndexOf('\n', bad - 1) + 1;
        const int column = int(QString::fromUtf8(data.mid(lineStart, bad - lineStart)).size()) + 1;
        const QString hex = QStringLiteral("%1").arg(uchar(data[bad]), 2, 16, QLatin1Char('0'));
        m_errors.append(Error(invalid >= 0
                ? QStringLiteral("not a text file: invalid UTF-8 or NUL byte (0x%1)").arg(hex)
                : QStringLiteral("not a text file: control character 0x%1 (YAML allows tab, "
                                 "line feed and carriage return; in a double-quoted string "
                                 "write \\x%1)")
                      .arg(hex),
            m_file, line, column));
        return Unexpected(m_errors);
    }

    if (m_json) {
        auto checked = JsonChecker::check(data);
        if (!checked) {
            Error e = std::move(checked).error();
            e.file = m_file;
            m_errors.append(e);
            return Unexpected(m_errors);
        }
        m_original = data;
        m_yaml = std::move(*checked);
    }

    {
        // The tree lives in this block: it is gone before the validator runs.
        // Only the first document is read; a second one is detected by its '---' marker.
        yaml::Tree::Failure failure;
        const QByteArray &text = m_json ? m_yaml : data;
        const yaml::Tree tree = yaml::Tree::parse(text, &failure);
        switch (failure.kind) {
        case yaml::Tree::Failure::Kind::None:
            break;
        case yaml::Tree::Failure::Kind::TooDeep:
            error(failure.mark, QStringLiteral("the document is nested too deeply"));
            return Unexpected(m_errors);
        case yaml::Tree::Failure::Kind::Syntax: {
            QString message = QStringLiteral("syntax error: ") + failure.message;
            if (failure.mark.line >= 0) {
                const QList<QByteArray> lines = data.split('\n');
                const QByteArray line
                    = failure.mark.line < lines.size() ? lines[failure.mark.line] : QByteArray();
                // YAML ends a key within 1024 characters, so a longer one reads as junk.
                const qsizetype colon = line.indexOf(':');
                const qsizetype keyLength
                    = colon < 0 ? 0 : QString::fromUtf8(line.left(colon).trimmed()).size();
                // The classic mistake: an unquoted {{template}} inside a {flow: map} or [list].
                if (line.contains("{{"))
                    message += QStringLiteral(
                        " (hint: quote values that contain {{...}}, e.g. \"{{date}}\")");
                else if (keyLength > 1024)
                    message += QStringLiteral(" (hint: a key is at most 1024 characters long, "
                                              "this one has %1)")
                                   .arg(keyLength);
            }
            error(failure.mark, message);
            return Unexpected(m_errors);
        }
        case yaml::Tree::Failure::Kind::Other:
            error(yaml::Mark(), QStringLiteral("cannot parse: ") + failure.message);
            return Unexpected(m_errors);
        }

        const yaml::Node root = tree.root();
        if (m_json && !root.isMap()) {
            error(root,
                QStringLiteral("a .flow.json file must hold one JSON object ({\"pipewright\": 1, "
                               "\"flow\": ..., \"tasks\": {...}}), got %1")
                    .arg(root.isNull()          ? QStringLiteral("null")
                            : root.isSequence() ? QStringLiteral("an array")
                                                : describe(root)));
            return Unexpected(m_errors);
        }
        if (!root.isDefined() || root.isNull()) {
            m_errors.append(
                Error(QStringLiteral(
                          "empty flow file (expected 'pipewright: 1', 'flow: ID' and 'tasks')"),
                    m_file, 1, 1));
            return Unexpected(m_errors);
        }
        if (const int second = FlowBytes::secondDocumentLine(data); second > 0)
            m_errors.append(
                Error(QStringLiteral("a flow file holds one YAML document, this is a second one"),
                    m_file, second, 1));
        if (!root.isMap()) {
            error(root,
                QStringLiteral(
                    "a flow file must be a map of keys (pipewright, flow, tasks, ...), got %1")
                    .arg(describe(root)));
            return Unexpected(m_errors);
        }
        readTop(root, flow);
    }
    if (!m_errors.isEmpty() && m_errors.size() >= kMaxErrors)
        return Unexpected(m_errors);

    const qsizetype structural = m_errors.size();
    const Errors semantic = FlowValidator::validate(flow);
    const QString tasksKey = QStringLiteral("tasks");
    for (Error err : semantic) {
        if (full()) {
            // As error() does: a truncated list says so.
            const Error &last = m_errors.last();
            m_errors.append(Error(
                QStringLiteral("too many errors; stopping here"), m_file, last.line, last.column));
            break;
        }
        // A missing field the loader already complained about (e.g. a command of the wrong
        // type) is not a second problem.
        if (err.message.contains(QLatin1String(" needs ")) && err.field.size() > 1
            && err.field.first() == tasksKey && m_tasksWithErrors.contains(err.field.at(1)))
            continue;
        const bool flowId = err.field == QStringList{QStringLiteral("flow")};
        if (flowId && !m_haveFlowIdMark)
            continue; // reported by the loader as a missing key
        // Flow-level findings point at their key in the file (the id at its value).
        if (err.line <= 0 && !err.field.isEmpty()) {
            const yaml::Mark m
                = flowId ? m_flowIdMark : m_topMarks.value(err.field.first(), yaml::Mark());
            if (m.line >= 0) {
                const Position at = position(m);
                err.line = at.line;
                err.column = at.column;
            }
        }
        err.file = m_file;
        m_errors.append(err);
    }
    if (m_lenient && structural == 0) {
        m_problems = m_errors;
        return flow;
    }
    if (!m_errors.isEmpty())
        return Unexpected(m_errors);
    return flow;
}

} // namespace loading

namespace {

using loading::Loader;

Result<QByteArray, Errors> readFlowFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Unexpected(
            Errors{Error(QStringLiteral("cannot open: ") + f.errorString(), path, 0, 0)});
    if (f.size() > kMaxFileSize)
        return Unexpected(Errors{Error(
            QStringLiteral("file is too large for a flow (%1 bytes)").arg(f.size()), path, 0, 0)});
    return f.read(kMaxFileSize + 1);
}

} // namespace

Result<Flow, Errors> FlowLoader::loadFile(const QString &path)
{
    auto data = readFlowFile(path);
    if (!data)
        return Unexpected(std::move(data).error());
    auto r = Loader(path).load(*data);
    if (r)
        r->sourcePath = QFileInfo(path).absoluteFilePath();
    return r;
}

Result<Flow, Errors> FlowLoader::loadData(const QByteArray &data, const QString &fileName)
{
    return Loader(fileName).load(data);
}

Result<FlowLoader::Editable, Errors> FlowLoader::loadDataForEditing(
    const QByteArray &data, const QString &fileName)
{
    Loader loader(fileName, true);
    auto r = loader.load(data);
    if (!r)
        return Unexpected(std::move(r).error());
    return Editable{std::move(*r), loader.problems()};
}

Result<FlowLoader::Editable, Errors> FlowLoader::loadFileForEditing(const QString &path)
{
    auto data = readFlowFile(path);
    if (!data)
        return Unexpected(std::move(data).error());
    auto r = loadDataForEditing(*data, path);
    if (r)
        r->flow.sourcePath = QFileInfo(path).absoluteFilePath();
    return r;
}

} // namespace pw
