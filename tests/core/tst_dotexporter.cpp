#include "format/dotexporter.h"
#include "format/flowloader.h"

#include <QtTest>

using namespace pw;

class TestDotExporter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hello();
    void escaping_data();
    void escaping();
    void edgesOnlyBetweenKnownTasks();
};

void TestDotExporter::hello()
{
    const auto f
        = FlowLoader::loadFile(QStringLiteral(PW_SOURCE_DIR "/resources/examples/hello.flow.yaml"));
    QVERIFY(f.has_value());
    const QByteArray expected = "digraph \"hello\" {\n"
                                "  rankdir=LR;\n"
                                "  label=\"Hello, Pipewright\";\n"
                                "  labelloc=t;\n"
                                "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                                "  \"extract\" [label=\"extract\\nshell\"];\n"
                                "  \"transform\" [label=\"transform\\nshell\"];\n"
                                "  \"check\" [label=\"check\\nnoop\", style=\"rounded,dashed\"];\n"
                                "  \"report\" [label=\"report\\nshell\"];\n"
                                "  \"extract\" -> \"transform\";\n"
                                "  \"extract\" -> \"check\";\n"
                                "  \"transform\" -> \"report\";\n"
                                "  \"check\" -> \"report\";\n"
                                "}\n";
    QCOMPARE(QString::fromUtf8(DotExporter::toDot(*f)), QString::fromUtf8(expected));
    QCOMPARE(DotExporter::toDot(*f), DotExporter::toDot(*f)); // stable
}

// clang-format off
void TestDotExporter::escaping_data()
{
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("expected");
    QTest::newRow("quotes") << "say \"hi\""
                            << "label=\"say \\\"hi\\\"\";";
    QTest::newRow("backslash") << "a\\b"
                               << "label=\"a\\\\b\";";
    QTest::newRow("newline") << "two\nlines"
                             << "label=\"two\\nlines\";";
    QTest::newRow("braces and semicolons") << "x}; digraph evil {"
                                           << "label=\"x}; digraph evil {\";";
    QTest::newRow("unicode") << "매출 적재"
                             << "label=\"매출 적재\";";
}
// clang-format on

void TestDotExporter::escaping()
{
    QFETCH(QString, title);
    QFETCH(QString, expected);
    Flow f;
    f.id = QStringLiteral("f\"x");
    f.title = title;
    TaskSpec t;
    t.id = QStringLiteral("a\"b");
    t.type = TaskType::Sql;
    t.executor = Executor::Slurm;
    f.tasks = {t};
    const QString dot = QString::fromUtf8(DotExporter::toDot(f));
    QVERIFY2(dot.contains(expected), qPrintable(dot));
    QVERIFY(dot.startsWith(QLatin1String("digraph \"f\\\"x\" {\n")));
    QVERIFY(dot.contains(QLatin1String("\"a\\\"b\" [label=\"a\\\"b\\nsql @ slurm\"];")));
}

void TestDotExporter::edgesOnlyBetweenKnownTasks()
{
    Flow f;
    f.id = QStringLiteral("e");
    TaskSpec a;
    a.id = QStringLiteral("a");
    TaskSpec b;
    b.id = QStringLiteral("b");
    b.after = {QStringLiteral("a"), QStringLiteral("ghost")};
    f.tasks = {a, b};
    const QByteArray dot = DotExporter::toDot(f);
    QVERIFY(dot.contains("\"a\" -> \"b\";"));
    QVERIFY(!dot.contains("ghost"));
    QVERIFY(dot.contains("rankdir=LR;"));
    QVERIFY(!dot.contains("label=\"\""));
}

QTEST_GUILESS_MAIN(TestDotExporter)
#include "tst_dotexporter.moc"
