#include "yamltree.h"

#include <QHash>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>
#include <yaml.h>

#ifdef __linux__
#include <sys/mman.h>
#endif

#include <cstring>
#include <sstream>
#include <unordered_map>

namespace pw::yaml {

void adviseHugePages(const void *data, size_t bytes, bool populate)
{
#ifdef __linux__
    constexpr std::uintptr_t kHuge = 2 * 1024 * 1024;
    const auto from = reinterpret_cast<std::uintptr_t>(data);
    if (bytes >= 2 * kHuge) {
        const auto start = (from + kHuge - 1) & ~(kHuge - 1);
        const auto end = (from + bytes) & ~(kHuge - 1);
        if (end > start)
            madvise(reinterpret_cast<void *>(start), end - start, MADV_HUGEPAGE);
    }
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 // Linux 5.14; older kernels refuse it (EINVAL), which is fine
#endif
    constexpr std::uintptr_t kPage = 4096;
    if (populate && bytes >= 16 * kPage) {
        const auto start = (from + kPage - 1) & ~(kPage - 1);
        const auto end = (from + bytes) & ~(kPage - 1);
        if (end > start)
            madvise(reinterpret_cast<void *>(start), end - start, MADV_POPULATE_WRITE);
    }
#else
    Q_UNUSED(data)
    Q_UNUSED(bytes)
    Q_UNUSED(populate)
#endif
}

// Builds a Tree from parser events (libyaml's or yaml-cpp's) in document order.
class Builder
{
public:
    Builder(Tree &tree, int maxDepth) : m_tree(tree), m_maxDepth(maxDepth) { }

    int scalar(Mark m, QByteArrayView text, bool plain)
    {
        const int i = record(Node::Type::Scalar, m);
        Tree::Record &r = m_tree.m_nodes.back();
        r.plain = plain;
        r.first = std::uint32_t(m_tree.m_text.size());
        r.count = std::uint32_t(text.size());
        m_tree.m_text.append(text);
        return i;
    }
    int null(Mark m) { return record(Node::Type::Null, m); }
    void alias(int node) { add(node); }
    // A sequence or map: its items follow until close(). -1 when nested too deeply.
    int open(Node::Type type, Mark m)
    {
        if (int(m_open.size()) >= m_maxDepth)
            return -1;
        const int i = record(type, m);
        m_open.push_back({i, m_pending.size()});
        return i;
    }
    void close()
    {
        if (m_open.empty())
            return;
        const Open o = m_open.back();
        m_open.pop_back();
        Tree::Record &r = m_tree.m_nodes[size_t(o.node)];
        const size_t n = m_pending.size() - o.start;
        r.first = std::uint32_t(m_tree.m_children.size());
        r.count = std::uint32_t(r.type == Node::Type::Map ? n / 2 : n);
        m_tree.m_children.insert(
            m_tree.m_children.end(), m_pending.begin() + qsizetype(o.start), m_pending.end());
        m_pending.resize(o.start);
    }

private:
    int record(Node::Type type, Mark m)
    {
        const int i = int(m_tree.m_nodes.size());
        m_tree.m_nodes.push_back({type, false, m.line, m.column, 0, 0});
        add(i);
        return i;
    }
    void add(int node)
    {
        if (!m_open.empty())
            m_pending.push_back(node);
        else if (m_tree.m_root < 0)
            m_tree.m_root = node;
    }

    struct Open
    {
        int node;
        size_t start; // its first item in m_pending
    };
    Tree &m_tree;
    int m_maxDepth;
    std::vector<Open> m_open;
    std::vector<int> m_pending; // the items of the open nodes, innermost last
};

namespace {

// A plain scalar that YAML (and yaml-cpp) reads as null.
bool isNullText(QByteArrayView s)
{
    return s.isEmpty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// YAML 1.1 (libyaml) reads NEL, LS and PS as line breaks, YAML 1.2 (yaml-cpp) as text: a file
// with any of them is left to yaml-cpp, so that its lines and strings stay what they were.
bool hasYaml11Breaks(const QByteArray &text)
{
    return text.contains("\xc2\x85") || text.contains("\xe2\x80\xa8")
        || text.contains("\xe2\x80\xa9");
}

Mark markOf(const yaml_mark_t &m)
{
    return {int(m.line), int(m.column)};
}

// yaml-cpp's events into a Builder; its columns (bytes) become characters, as libyaml's.
class YamlCppEvents : public YAML::EventHandler
{
public:
    YamlCppEvents(Builder &builder, const QByteArray &text) : m_builder(builder), m_text(text)
    {
        const qsizetype bom = text.startsWith("\xef\xbb\xbf") ? 3 : 0;
        m_lines.push_back(bom); // yaml-cpp does not count a byte order mark
        for (qsizetype i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1))
            m_lines.push_back(i + 1);
    }

    Mark convert(const YAML::Mark &m) const
    {
        if (m.line < 0 || m.column < 0 || size_t(m.line) >= m_lines.size())
            return {m.line, m.column};
        const qsizetype start = m_lines[size_t(m.line)];
        const qsizetype end = std::min(start + m.column, m_text.size());
        int chars = 0;
        for (qsizetype i = start; i < end; ++i)
            chars += (uchar(m_text[i]) & 0xC0) != 0x80;
        return {m.line, chars};
    }

    void OnDocumentStart(const YAML::Mark &) override { }
    void OnDocumentEnd() override { }
    void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        remember(anchor, m_builder.null(convert(mark)));
    }
    void OnAlias(const YAML::Mark &, YAML::anchor_t anchor) override
    {
        const auto it = m_anchors.find(anchor);
        if (it != m_anchors.end())
            m_builder.alias(it->second);
    }
    void OnScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
        const std::string &value) override
    {
        remember(anchor,
            m_builder.scalar(
                convert(mark), QByteArrayView(value.data(), qsizetype(value.size())), tag == "?"));
    }
    void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
        YAML::EmitterStyle::value) override
    {
        remember(anchor, m_builder.open(Node::Type::Sequence, convert(mark)));
    }
    void OnSequenceEnd() override { m_builder.close(); }
    void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
        YAML::EmitterStyle::value) override
    {
        remember(anchor, m_builder.open(Node::Type::Map, convert(mark)));
    }
    void OnMapEnd() override { m_builder.close(); }

private:
    void remember(YAML::anchor_t anchor, int node)
    {
        if (anchor != YAML::NullAnchor)
            m_anchors[anchor] = node;
    }
    Builder &m_builder;
    const QByteArray &m_text;
    std::vector<qsizetype> m_lines;
    std::unordered_map<YAML::anchor_t, int> m_anchors;
};

} // namespace

// False when libyaml refuses the text (or an alias names no anchor, or it nests too deeply):
// then yaml-cpp reads it, for its messages and its leniency.
bool Tree::readLibyaml(const QByteArray &text, Mark *unclosedQuote)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return false;
    yaml_parser_set_input_string(
        &parser, reinterpret_cast<const unsigned char *>(text.constData()), size_t(text.size()));
    // Room for the nodes of a typical flow (a node per 6 bytes); untouched room costs nothing.
    m_nodes.reserve(size_t(text.size() / 6));
    m_children.reserve(size_t(text.size() / 6));
    m_text.reserve(text.size());
    adviseHugePages(m_nodes.data(), m_nodes.capacity() * sizeof(Record));
    adviseHugePages(m_children.data(), m_children.capacity() * sizeof(int));
    adviseHugePages(m_text.constData(), size_t(m_text.capacity()));
    Builder builder(*this, kMaxDepth);
    QHash<QByteArray, int> anchors;
    auto remember = [&](const yaml_char_t *anchor, int node) {
        if (anchor)
            anchors.insert(QByteArray(reinterpret_cast<const char *>(anchor)), node);
    };
    bool ok = true;
    for (bool done = false; ok && !done;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) {
            ok = false;
            if (parser.context && parser.problem
                && std::strcmp(parser.context, "while scanning a quoted scalar") == 0
                && std::strcmp(parser.problem, "found unexpected end of stream") == 0)
                *unclosedQuote = markOf(parser.context_mark);
            break;
        }
        switch (e.type) {
        case YAML_STREAM_END_EVENT:
        case YAML_DOCUMENT_END_EVENT: // only the first document is read
            done = true;
            break;
        case YAML_ALIAS_EVENT: {
            const auto it = anchors.constFind(reinterpret_cast<const char *>(e.data.alias.anchor));
            if (it == anchors.cend())
                ok = false;
            else
                builder.alias(*it);
            break;
        }
        case YAML_SCALAR_EVENT: {
            const auto &s = e.data.scalar;
            const QByteArrayView value(
                reinterpret_cast<const char *>(s.value), qsizetype(s.length));
            const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE && !s.tag;
            remember(s.anchor,
                plain && isNullText(value) ? builder.null(markOf(e.start_mark))
                                           : builder.scalar(markOf(e.start_mark), value, plain));
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            const bool seq = e.type == YAML_SEQUENCE_START_EVENT;
            const int node
                = builder.open(seq ? Node::Type::Sequence : Node::Type::Map, markOf(e.start_mark));
            if (node < 0)
                ok = false;
            else
                remember(seq ? e.data.sequence_start.anchor : e.data.mapping_start.anchor, node);
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            builder.close();
            break;
        default:
            break;
        }
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&parser);
    return ok;
}

Tree Tree::parse(const QByteArray &text, Failure *failure)
{
    if (!hasYaml11Breaks(text)) {
        Tree tree;
        Mark unclosedQuote;
        if (tree.readLibyaml(text, &unclosedQuote)) {
            tree.m_libyaml = true;
            return tree;
        }
        // yaml-cpp ends a single-quoted scalar that is never closed at the end of the text
        // without a word ('m' + the rest of the file as a flow id): say what is wrong.
        if (unclosedQuote.line >= 0) {
            Tree lenient = parseWithYamlCpp(text, failure);
            if (failure->kind != Failure::Kind::None)
                return lenient;
            *failure = {Failure::Kind::Syntax,
                QStringLiteral("the quoted string that starts here is never closed"),
                unclosedQuote};
            return Tree();
        }
    }
    return parseWithYamlCpp(text, failure);
}

Tree Tree::parseWithYamlCpp(const QByteArray &text, Failure *failure)
{
    Tree tree;
    Builder builder(tree, INT_MAX); // yaml-cpp has its own depth limit
    YamlCppEvents events(builder, text);
    std::istringstream in(text.toStdString());
    try {
        YAML::Parser parser(in);
        parser.HandleNextDocument(events);
    } catch (const YAML::DeepRecursion &e) {
        *failure = {Failure::Kind::TooDeep, QString::fromStdString(e.msg), events.convert(e.mark)};
    } catch (const YAML::Exception &e) {
        *failure = {Failure::Kind::Syntax, QString::fromStdString(e.msg), events.convert(e.mark)};
    } catch (const std::exception &e) {
        *failure = {Failure::Kind::Other, QString::fromLocal8Bit(e.what()), {}};
    }
    return tree;
}

} // namespace pw::yaml
