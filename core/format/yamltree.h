#pragma once

// Private to core/format: the compact YAML node tree FlowLoader reads.
//
// libyaml's event parser builds it (about 30x faster than yaml-cpp's tree, with a fraction of the
// memory: one 20-byte record per node and the scalars' bytes in one buffer). Where libyaml stops
// with an error, or reads the text differently from yaml-cpp, yaml-cpp's parser builds the same
// tree from its events instead, so every error message and every lenient reading stay what they
// were (see Tree::parse). Aliases share their anchor's node, as in yaml-cpp: nothing expands them.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <vector>

namespace pw::yaml {

// Asks the kernel to back a large array (of at least 4 MiB) with huge pages where it can, so that
// filling it costs a page fault per 2 MiB instead of per 4 KiB (a large flow's tasks and tree).
// With `populate`, the array's pages are made present at once (one system call instead of a
// page fault per page): for an array that will be filled whole (a flow's tasks).
void adviseHugePages(const void *data, size_t bytes, bool populate = false);

// 0-based line and column (in characters) of a node's first character; -1 when unknown.
struct Mark
{
    int line = -1;
    int column = -1;
};

class Tree;

// A handle on a node of a Tree (which must outlive it). A default Node is undefined.
class Node
{
public:
    enum class Type : std::uint8_t { Undefined, Null, Scalar, Sequence, Map };

    Node() = default;
    Type type() const;
    bool isDefined() const { return type() != Type::Undefined; }
    bool isNull() const { return type() == Type::Null; }
    bool isScalar() const { return type() == Type::Scalar; }
    bool isSequence() const { return type() == Type::Sequence; }
    bool isMap() const { return type() == Type::Map; }
    // A plain scalar without a tag: the only kind the schema reads as an integer, boolean or
    // number (yaml-cpp's tag "?").
    bool isPlain() const;
    QByteArrayView bytes() const; // a scalar's UTF-8 text, empty for other nodes
    QString scalar() const { return QString::fromUtf8(bytes()); }
    Mark mark() const;
    // Items of a sequence, pairs of a map.
    int size() const;
    Node item(int i) const;
    Node key(int i) const;
    Node value(int i) const;

private:
    friend class Tree;
    Node(const Tree *tree, int index) : m_tree(tree), m_index(index) { }
    const Tree *m_tree = nullptr;
    int m_index = -1;
};

class Tree
{
public:
    struct Failure
    {
        enum class Kind { None, Syntax, TooDeep, Other };
        Kind kind = Kind::None;
        QString message; // yaml-cpp's message
        Mark mark;
    };

    // Reads the first YAML document of `text` (UTF-8); what follows it is not read. On a
    // failure, yaml-cpp's message and position; and a quoted scalar that is never closed is a
    // failure, although yaml-cpp reads it up to the end of the text (later keys and tasks
    // would silently become part of the string).
    static Tree parse(const QByteArray &text, Failure *failure);
    // The same with yaml-cpp alone (what parse falls back to; tests compare the two).
    static Tree parseWithYamlCpp(const QByteArray &text, Failure *failure);

    Node root() const { return m_root >= 0 ? Node(this, m_root) : Node(); }
    // Which parser built the tree (tests).
    bool builtByLibyaml() const { return m_libyaml; }

    // Deeper nesting is refused (yaml-cpp's limit).
    static constexpr int kMaxDepth = 2000;

private:
    friend class Node;
    friend class Builder;
    struct Record
    {
        Node::Type type = Node::Type::Undefined;
        bool plain = false;
        int line = -1;
        int column = -1;
        std::uint32_t first = 0; // scalar: offset in m_text; sequence, map: offset in m_children
        std::uint32_t count = 0; // scalar: bytes; sequence: items; map: pairs
    };
    // `unclosedQuote`: where libyaml found a quoted scalar that runs to the end of the text.
    bool readLibyaml(const QByteArray &text, Mark *unclosedQuote);
    std::vector<Record> m_nodes;
    std::vector<int> m_children; // a sequence's items; a map's keys and values, alternating
    QByteArray m_text;
    int m_root = -1;
    bool m_libyaml = false;
};

inline Node::Type Node::type() const
{
    return m_tree ? m_tree->m_nodes[size_t(m_index)].type : Type::Undefined;
}

inline bool Node::isPlain() const
{
    return m_tree && m_tree->m_nodes[size_t(m_index)].type == Type::Scalar
        && m_tree->m_nodes[size_t(m_index)].plain;
}

inline QByteArrayView Node::bytes() const
{
    if (!isScalar())
        return {};
    const Tree::Record &r = m_tree->m_nodes[size_t(m_index)];
    return QByteArrayView(m_tree->m_text.constData() + r.first, qsizetype(r.count));
}

inline Mark Node::mark() const
{
    if (!m_tree)
        return {};
    const Tree::Record &r = m_tree->m_nodes[size_t(m_index)];
    return {r.line, r.column};
}

inline int Node::size() const
{
    return isSequence() || isMap() ? int(m_tree->m_nodes[size_t(m_index)].count) : 0;
}

inline Node Node::item(int i) const
{
    if (!isSequence() || i < 0 || i >= size())
        return {};
    return Node(m_tree, m_tree->m_children[m_tree->m_nodes[size_t(m_index)].first + size_t(i)]);
}

inline Node Node::key(int i) const
{
    if (!isMap() || i < 0 || i >= size())
        return {};
    return Node(m_tree, m_tree->m_children[m_tree->m_nodes[size_t(m_index)].first + 2 * size_t(i)]);
}

inline Node Node::value(int i) const
{
    if (!isMap() || i < 0 || i >= size())
        return {};
    return Node(
        m_tree, m_tree->m_children[m_tree->m_nodes[size_t(m_index)].first + 2 * size_t(i) + 1]);
}

} // namespace pw::yaml
