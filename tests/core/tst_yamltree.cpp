#include "errordump.h"
#include "format/flowbytes.h"
#include "format/flowloader.h"
#include "format/yamltree.h"

#include <QDir>
#include <QSet>
#include <QtTest>

#include <utility>

using namespace pw;
using pw::testing::dump;
using yaml::Node;
using yaml::Tree;

namespace {

const QString kData = QStringLiteral(PW_TEST_DATA_DIR);
const QString kExamples = QStringLiteral(PW_SOURCE_DIR "/resources/examples");

bool hasError(const Errors &errors, int line, int column, const QString &text)
{
    for (const Error &e : errors) {
        if (e.line == line && e.column == column && e.message.contains(text))
            return true;
    }
    return false;
}

// The first difference between two trees, or an empty string. Shared (aliased) nodes are
// compared once. The marks of empty values (nulls) are not compared: libyaml puts them after
// the ':', yaml-cpp at the next token; the loader points at their key instead.
QString difference(const Node &a, const Node &b, const QString &at,
    QSet<std::pair<quintptr, quintptr>> &seen, int depth = 0)
{
    if (a.type() != b.type())
        return at + QStringLiteral(": type %1 vs %2").arg(int(a.type())).arg(int(b.type()));
    if (a.isPlain() != b.isPlain())
        return at + QStringLiteral(": plain %1 vs %2").arg(a.isPlain()).arg(b.isPlain());
    if (a.bytes() != b.bytes())
        return at + QStringLiteral(": '%1' vs '%2'").arg(a.scalar(), b.scalar());
    if (!a.isNull() && (a.mark().line != b.mark().line || a.mark().column != b.mark().column))
        return at
            + QStringLiteral(": mark %1:%2 vs %3:%4")
                  .arg(a.mark().line)
                  .arg(a.mark().column)
                  .arg(b.mark().line)
                  .arg(b.mark().column);
    if (a.size() != b.size())
        return at + QStringLiteral(": size %1 vs %2").arg(a.size()).arg(b.size());
    if (depth > 100)
        return {};
    for (int i = 0; i < a.size(); ++i) {
        const QString here = at + QLatin1Char('/') + QString::number(i);
        const std::pair<Node, Node> pairs[]
            = {{a.item(i), b.item(i)}, {a.key(i), b.key(i)}, {a.value(i), b.value(i)}};
        for (const auto &[x, y] : pairs) {
            if (!x.isDefined() && !y.isDefined())
                continue;
            const auto key = std::pair{quintptr(x.mark().line) << 32 | quintptr(x.mark().column),
                quintptr(y.mark().line) << 32 | quintptr(y.mark().column)};
            if (x.size() > 0 && seen.contains(key))
                continue;
            seen.insert(key);
            const QString d = difference(x, y, here, seen, depth + 1);
            if (!d.isEmpty())
                return d;
        }
    }
    return {};
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestYamlTree : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameTreeAsYamlCpp_data();
    void sameTreeAsYamlCpp();
    void fallsBackToYamlCpp_data();
    void fallsBackToYamlCpp();
    void keptBehaviour();
    void firstBadByte();
};

// clang-format off
void TestYamlTree::sameTreeAsYamlCpp_data()
{
    QTest::addColumn<QByteArray>("text");
    const QStringList files = QDir(kExamples).entryList({"*.flow.yaml"}, QDir::Files);
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << readAll(kExamples + QLatin1Char('/') + f);
    for (const QString &f : QDir(kData).entryList({"*.flow.yaml", "*.flow.json"}, QDir::Files)) {
        if (!f.startsWith(QLatin1String("bad_syntax"))) // a syntax error (fallsBackToYamlCpp)
            QTest::newRow(qPrintable(f)) << readAll(kData + QLatin1Char('/') + f);
    }
    QTest::newRow("anchors and aliases")
        << QByteArray("a: &s x\nb: *s\nc: &m {k: v, l: [1, 2]}\nd: *m\ne: &q [*s, *m]\nf: *q\n");
    QTest::newRow("alias as a key") << QByteArray("a: &k key\nm: {*k : 1}\n");
    QTest::newRow("merge key") << QByteArray("d: &d {a: 1}\nt: {<<: *d, b: 2}\n");
    QTest::newRow("tags") << QByteArray("a: !!str 1\nb: !x f\nc: !!binary aGk=\nd: ! q\n"
                                        "e: !!map {x: 1}\nf: !!seq [1]\n");
    QTest::newRow("quoted") << QByteArray("a: 'it''s'\nb: \"t\\tab \\u00e9 \\/ \\\" \\\\\"\n"
                                          "c: \"\\U0001F600\"\nd: ''\ne: \"\"\n");
    QTest::newRow("nulls") << QByteArray("a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nul\n"
                                         "g: 'null'\nh: [~, null]\n");
    QTest::newRow("block scalars")
        << QByteArray("a: |\n  one\n  two\n\nb: >\n  folded\n  text\n\n  para\nc: |-\n  strip\n"
                      "d: |+\n  keep\n\ne: |2\n    indented\nf: >-\n  x\n");
    QTest::newRow("multi-line plain") << QByteArray("a: one\n  two\n  three\nb: x # comment\n");
    QTest::newRow("flow in flow") << QByteArray("a: [{b: 1, c: [2, {d: 3}]}, [], {}]\n");
    QTest::newRow("complex key") << QByteArray("? [a, b]\n: 1\n? {c: d}\n: 2\n");
    QTest::newRow("duplicate keys") << QByteArray("a: 1\nb: 2\na: 3\n");
    QTest::newRow("block sequences")
        << QByteArray("a:\n  - x\n  - y: 1\n    z: 2\nb:\n- indentless\n- [f]\n");
    QTest::newRow("document markers") << QByteArray("%YAML 1.2\n---\na: 1\n...\n");
    QTest::newRow("junk after the document") << QByteArray("a: 1\n---\n[unclosed\n");
    QTest::newRow("CRLF") << QByteArray("a: 1\r\nb:\r\n  - x\r\nc: \"q\"\r\n");
    QTest::newRow("BOM") << QByteArray("\xef\xbb\xbf" "a: 1\nb: 2\n");
    QTest::newRow("non-ASCII")
        << QByteArray("t\xc3\xa9: {\xed\x95\x9c: \"\xf0\x9f\x98\x80\", k: v}\nx: [\xc3\xa9, y]\n");
    QTest::newRow("tabs in values") << QByteArray("a: \"x\ty\"\nb: [1,\t2]\n");
    QTest::newRow("recursive alias") << QByteArray("a: &a [x, *a]\n");
    QTest::newRow("scalar document") << QByteArray("hello\n");
    QTest::newRow("empty document") << QByteArray("---\n");
    QTest::newRow("only comments") << QByteArray("# nothing\n");
    QTest::newRow("empty") << QByteArray();
    QByteArray big = "pipewright: 1\nflow: big\ntasks:\n";
    for (int i = 0; i < 2000; ++i)
        big += "  t" + QByteArray::number(i) + ":\n    type: noop\n    after: [t"
            + QByteArray::number(i / 2) + ", t" + QByteArray::number(i / 3) + "]\n";
    QTest::newRow("2000 tasks") << big;
}
// clang-format on

// On everything libyaml reads, its tree is yaml-cpp's: node types, plain or not, text, positions.
void TestYamlTree::sameTreeAsYamlCpp()
{
    QFETCH(QByteArray, text);
    Tree::Failure f1, f2;
    const Tree fast = Tree::parse(text, &f1);
    const Tree slow = Tree::parseWithYamlCpp(text, &f2);
    QVERIFY(f1.kind == Tree::Failure::Kind::None);
    QVERIFY2(f2.kind == Tree::Failure::Kind::None, qPrintable(f2.message));
    QVERIFY(fast.builtByLibyaml());
    QVERIFY(!slow.builtByLibyaml());
    QSet<std::pair<quintptr, quintptr>> seen;
    const QString d = difference(fast.root(), slow.root(), QStringLiteral("root"), seen);
    QVERIFY2(d.isEmpty(), qPrintable(d));
}

// clang-format off
void TestYamlTree::fallsBackToYamlCpp_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("kind"); // Tree::Failure::Kind
    QTest::newRow("syntax error") << QByteArray("a: [x}\n") << int(Tree::Failure::Kind::Syntax);
    QTest::newRow("unknown alias") << QByteArray("a: *nope\n") << int(Tree::Failure::Kind::Syntax);
    QTest::newRow("too deep") << QByteArray(3000, '[') + QByteArray(3000, ']')
                              << int(Tree::Failure::Kind::TooDeep);
    // A quoted scalar never closed: yaml-cpp ends it at the end of the text without a word, so
    // a file's later tasks became part of a command; libyaml's refusal is kept.
    QTest::newRow("lone quote") << QByteArray("\"") << int(Tree::Failure::Kind::Syntax);
    QTest::newRow("unclosed single quote") << QByteArray("a: 'x\nb: 1\n")
                                           << int(Tree::Failure::Kind::Syntax);
    // libyaml refuses these, yaml-cpp reads them: the loader keeps yaml-cpp's reading.
    QTest::newRow("empty flow entry") << QByteArray("h: [~, , null]\n")
                                      << int(Tree::Failure::Kind::None);
    // YAML 1.1 line breaks (NEL, LS, PS) are text to yaml-cpp (YAML 1.2): yaml-cpp reads them.
    QTest::newRow("line separator") << QByteArray("a: \"x\xe2\x80\xa8y\"\nb: 1\n")
                                    << int(Tree::Failure::Kind::None);
}
// clang-format on

void TestYamlTree::fallsBackToYamlCpp()
{
    QFETCH(QByteArray, text);
    QFETCH(int, kind);
    Tree::Failure f;
    const Tree t = Tree::parse(text, &f);
    QCOMPARE(int(f.kind), kind);
    QVERIFY(!t.builtByLibyaml());
    if (f.kind != Tree::Failure::Kind::None) {
        QVERIFY(!f.message.isEmpty());
        QVERIFY(f.mark.line >= 0);
    }
}

// Behaviour the loader kept when its parser changed (yaml-cpp 0.7 before).
void TestYamlTree::keptBehaviour()
{
    const QByteArray h = "pipewright: 1\nflow: f\n";
    const QString file = QStringLiteral("k.flow.yaml");
    // No merge keys: '<<' is a key like any other.
    auto r = FlowLoader::loadData(
        h + "defaults: &d {retries: 1}\ntasks:\n  a: {type: noop, <<: *d}\n", file);
    QVERIFY(!r);
    QVERIFY2(
        hasError(r.error(), 5, 19, "unknown key '<<' in task 'a'"), qPrintable(dump(r.error())));
    // A tag makes a scalar text: not an integer.
    r = FlowLoader::loadData(h + "tasks:\n  a: {type: noop, retries: !!int 2}\n", file);
    QVERIFY(!r);
    QVERIFY2(
        hasError(r.error(), 4, 28, "'retries' must be an integer"), qPrintable(dump(r.error())));
    // An aliased map serves two tasks; an aliased list two `after`s.
    r = FlowLoader::loadData(h
            + "tasks:\n  a: &t {type: noop}\n  b: *t\n  c: {type: noop, after: &u [a, b]}\n"
              "  d: {type: noop, after: *u}\n",
        file);
    QVERIFY2(r, qPrintable(r ? QString() : dump(r.error())));
    QCOMPARE(r->tasks.size(), 4);
    QCOMPARE(r->tasks[3].after, (QStringList{"a", "b"}));
    // Columns count characters, also in YAML.
    r = FlowLoader::loadData(h + "tasks:\n  \xc3\xa9t\xc3\xa9: {type: noop, zz: 1}\n", file);
    QVERIFY(!r);
    QVERIFY2(hasError(r.error(), 4, 21, "unknown key 'zz'"), qPrintable(dump(r.error())));
    // A line separator in a string is text; the lines after it count as before.
    r = FlowLoader::loadData(h
            + "title: \"a\xe2\x80\xa8"
              "b\"\ntasks:\n  a: {type: noop, zz: 1}\n",
        file);
    QVERIFY(!r);
    QVERIFY2(hasError(r.error(), 5, 19, "unknown key 'zz'"), qPrintable(dump(r.error())));
    r = FlowLoader::loadData(h
            + "title: \"a\xe2\x80\xa8"
              "b\"\n",
        file);
    QVERIFY2(r, qPrintable(r ? QString() : dump(r.error())));
    QCOMPARE(r->title, QStringLiteral("a\u2028b"));
    // Only the first document is read: junk after it is one error, not a syntax error.
    r = FlowLoader::loadData(h + "---\n[unclosed\n", file);
    QVERIFY(!r);
    QCOMPARE(r.error().size(), 1);
    QVERIFY2(hasError(r.error(), 3, 1, "holds one YAML document"), qPrintable(dump(r.error())));
    // A list that holds itself is not walked into.
    r = FlowLoader::loadData(h + "tasks:\n  a: {type: noop, after: &l [x, *l]}\n", file);
    QVERIFY(!r);
    QVERIFY2(hasError(r.error(), 4, 26, "got a list as an item"), qPrintable(dump(r.error())));
    // Nesting just under the limit is read (and refused as an unknown key).
    r = FlowLoader::loadData(
        h + "x: " + QByteArray(1990, '[') + QByteArray(1990, ']') + "\n", file);
    QVERIFY(!r);
    QVERIFY2(hasError(r.error(), 3, 1, "unknown key 'x'"), qPrintable(dump(r.error())));
}

// FlowBytes reads ASCII eight bytes at a time: a bad byte is found at every offset.
void TestYamlTree::firstBadByte()
{
    for (const char bad : {'\0', '\xff', '\x80'}) {
        for (int at = 0; at < 40; ++at) {
            QByteArray text(41, 'a');
            text[at] = bad;
            QCOMPARE(FlowBytes::firstBadByte(text), qsizetype(at));
            QCOMPARE(FlowBytes::firstBadByte(text.left(at)), qsizetype(-1));
        }
    }
    QCOMPARE(FlowBytes::firstBadByte(QByteArray(33, 'a') + "\xc3\xa9" + QByteArray(9, 'b')),
        qsizetype(-1));
    QCOMPARE(FlowBytes::firstBadByte(QByteArray(15, 'a') + "\xc3\xa9\xc3" + QByteArray(9, 'b')),
        qsizetype(17));
}

QTEST_GUILESS_MAIN(TestYamlTree)
#include "tst_yamltree.moc"
