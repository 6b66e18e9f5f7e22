#pragma once

// Private to core/format: the reader behind FlowLoader, shared by flowloader.cpp (the document,
// scalars, flow-level keys, load()) and flowloadertasks.cpp (the tasks).

#include "didyoumean.h"
#include "model/flow.h"
#include "model/result.h"
#include "yamltree.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVarLengthArray>

#include <optional>

namespace pw::loading {

// Stop collecting after this many errors: a broken or hostile file must not flood the output.
constexpr int kMaxErrors = 100;

class Loader
{
public:
    explicit Loader(QString file, bool lenient = false)
        : m_file(std::move(file)),
          m_lenient(lenient),
          m_json(m_file.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
    { }

    Result<Flow, Errors> load(const QByteArray &data);

private:
    struct Entry
    {
        QString key;
        yaml::Node keyNode;
        yaml::Node value;
        QStringList at; // the key path of the map that holds it (shared, not copied)
        // The key path from the top ({"tasks", "load", "retries"}): Error::field.
        QStringList path() const { return at + QStringList{key}; }
    };
    // Most maps are small (a task's settings): their entries stay on the stack.
    using Entries = QVarLengthArray<Entry, 8>;
    // What a map is, for messages: "tasks", or "task 'load'" (built only for a message).
    struct Context
    {
        Context(const QString &what) : what(what) { }
        Context(const QString &what, const QString &name) : what(what), name(&name) { }
        QString inText() const // " in task 'load'", or nothing
        {
            if (what.isEmpty())
                return {};
            return QStringLiteral(" in ") + what
                + (name ? QStringLiteral(" '%1'").arg(*name) : QString());
        }
        QString what;
        const QString *name = nullptr;
    };

    bool full() const { return m_errors.size() >= kMaxErrors; }
    // 1-based line and column of a mark in the file, in characters (0 = unknown).
    struct Position
    {
        int line = 0;
        int column = 0;
    };
    Position position(const yaml::Mark &m);
    void error(const yaml::Mark &m, const QString &message, const QStringList &field = {})
    {
        if (full())
            return;
        const Position p = position(m);
        m_errors.append(Error(message, m_file, p.line, p.column).at(field));
        if (full())
            m_errors.append(
                Error(QStringLiteral("too many errors; stopping here"), m_file, p.line, p.column));
    }
    void error(const yaml::Node &n, const QString &message, const QStringList &field = {})
    {
        error(n.mark(), message, field);
    }

    static QString describe(const yaml::Node &n);
    void typeError(const Entry &e, const QString &expected)
    {
        // An empty value (`key:`) has no position of its own; point at its key.
        error(e.value.isNull() ? e.keyNode.mark() : e.value.mark(),
            QStringLiteral("'%1' must be %2 (got %3)").arg(e.key, expected, describe(e.value)),
            e.path());
    }

    // The entries of a map at key path `at`, in document order. Unknown keys (when `known` is
    // not empty), non-string keys and duplicate keys are reported and left out, unless
    // `keepDuplicates` (tasks and params: the validator reports duplicate ids).
    Entries entries(const yaml::Node &map, const QStringList &at, const Context &context,
        const QStringList &known, bool keepDuplicates = false);
    bool expectMap(const Entry &e, const QString &expected = QStringLiteral("a map"))
    {
        if (e.value.isMap())
            return true;
        typeError(e, expected);
        return false;
    }

    std::optional<QString> string(const Entry &e);
    std::optional<int> integer(const Entry &e);
    std::optional<bool> boolean(const Entry &e);
    std::optional<qint64> duration(const Entry &e);
    std::optional<QDate> date(const Entry &e);
    // A list of strings; a single string is accepted as a list of one when `single`.
    // Items whose text is in `shared` share its string (the task ids, for `after`).
    std::optional<QStringList> stringList(
        const Entry &e, bool single, const QHash<QByteArrayView, QString> *shared = nullptr);
    std::optional<double> number(
        const yaml::Node &n, const QString &what, const QStringList &field);
    template<typename Enum>
    std::optional<Enum> enumValue(
        const Entry &e, std::optional<Enum> (*parse)(const QString &), const QStringList &names);

    void readTop(const yaml::Node &root, Flow &flow);
    void readParams(const Entry &e, Flow &flow);
    void readSchedule(const Entry &e, ScheduleSpec &s);
    void readLimits(const Entry &e, LimitsSpec &l);
    bool readRetryKey(const Entry &e, RetrySettings &r);
    void readDefaults(const Entry &e, RetrySettings &r);
    void readNotify(const Entry &e, NotifySpec &n);
    void readSla(const Entry &e, SlaSpec &s);
    void readTasks(const Entry &e, Flow &flow);
    void readTask(const Entry &e, TaskSpec &t);
    void readLayout(const Entry &e, Flow &flow);

public:
    const Errors &problems() const { return m_problems; }

private:
    QString m_file;
    bool m_lenient = false; // semantic errors do not fail the load (editors)
    bool m_json = false;    // strict JSON (*.json), see position()
    QByteArray m_original;  // JSON: the file's bytes, and the text the parser read (JsonChecker)
    QByteArray m_yaml;
    QList<qsizetype> m_originalLines; // JSON: start offsets of the lines of both, on demand
    QList<qsizetype> m_yamlLines;
    int m_lastLine = -1; // the last mapped position (see position())
    int m_lastChar = 0;  // its column in the parsed text (characters) and its byte offset there
    qsizetype m_lastYamlOffset = 0;
    qsizetype m_lastOffset = 0; // its byte offset and column in the file
    int m_lastColumn = 1;
    Errors m_problems; // the semantic errors of a lenient load
    Errors m_errors;
    QSet<QString> m_tasksWithErrors;
    QHash<QByteArrayView, QString> m_taskIds; // while readTasks runs: text -> the id's string
    QHash<QString, yaml::Mark> m_topMarks; // top-level key -> its position (for validator errors)
    yaml::Mark m_flowIdMark;
    bool m_haveFlowIdMark = false;
};

template<typename Enum>
std::optional<Enum> Loader::enumValue(
    const Entry &e, std::optional<Enum> (*parse)(const QString &), const QStringList &names)
{
    if (e.value.isScalar()) {
        // The usual case, one of the names (ASCII) as written: no string to build.
        const QLatin1StringView bytes(e.value.bytes().data(), e.value.bytes().size());
        for (const QString &name : names) {
            if (name == bytes) {
                if (const auto v = parse(name))
                    return v;
                break;
            }
        }
        const QString s = e.value.scalar();
        if (const auto v = parse(s))
            return v;
        error(e.value,
            QStringLiteral("invalid %1 %2 (use %3)%4")
                .arg(e.key, detail::quoted(s), names.join(QStringLiteral(", ")),
                    detail::didYouMean(s, names)),
            e.path());
        return std::nullopt;
    }
    typeError(e, QStringLiteral("one of ") + names.join(QStringLiteral(", ")));
    return std::nullopt;
}

} // namespace pw::loading
