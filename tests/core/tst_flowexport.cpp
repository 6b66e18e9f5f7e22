#include "format/dotexporter.h"
#include "format/flowexport.h"
#include "format/flowloader.h"
#include "format/flowwriter.h"

#include <QtTest>

using namespace pw;

// FlowExport: the text exports File > Export and `pipewright-cli export` share.
class TestFlowExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formatFromName_data();
    void formatFromName();
    void bytesAreTheWritersAndRoundTrip();
    void writeFileReplacesAtomically();
    void unwritablePathIsAnEnvironmentError();

private:
    Flow hello() const
    {
        auto f = FlowLoader::loadFile(
            QStringLiteral(PW_SOURCE_DIR "/resources/examples/hello.flow.yaml"));
        if (!f)
            qFatal("hello.flow.yaml does not load");
        return *f;
    }
};

// clang-format off
void TestFlowExport::formatFromName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("format"); // -1 = not a text export
    QTest::newRow("yaml") << "yaml" << int(FlowExport::Format::Yaml);
    QTest::newRow("yml")  << "yml"  << int(FlowExport::Format::Yaml);
    QTest::newRow("YAML") << "YAML" << int(FlowExport::Format::Yaml);
    QTest::newRow("json") << "json" << int(FlowExport::Format::Json);
    QTest::newRow("Dot")  << "Dot"  << int(FlowExport::Format::Dot);
    QTest::newRow("svg")  << "svg"  << -1; // rendered by ui/editor, not a text export
    QTest::newRow("png")  << "png"  << -1;
    QTest::newRow("empty") << ""    << -1;
    QTest::newRow("yamlx") << "yamlx" << -1;
}
// clang-format on

void TestFlowExport::formatFromName()
{
    QFETCH(QString, name);
    QFETCH(int, format);
    const auto f = FlowExport::formatFromName(name);
    QCOMPARE(f ? int(*f) : -1, format);
}

void TestFlowExport::bytesAreTheWritersAndRoundTrip()
{
    const Flow flow = hello();
    QCOMPARE(FlowExport::toBytes(flow, FlowExport::Format::Yaml), FlowWriter::toYaml(flow));
    QCOMPARE(FlowExport::toBytes(flow, FlowExport::Format::Json), FlowWriter::toJson(flow));
    QCOMPARE(FlowExport::toBytes(flow, FlowExport::Format::Dot), DotExporter::toDot(flow));
    // The YAML and JSON exports load back to the same definition.
    for (auto format : {FlowExport::Format::Yaml, FlowExport::Format::Json}) {
        const QString name = format == FlowExport::Format::Json ? QStringLiteral("x.flow.json")
                                                                : QStringLiteral("x.flow.yaml");
        auto back = FlowLoader::loadData(FlowExport::toBytes(flow, format), name);
        QVERIFY(back.has_value());
        QCOMPARE(FlowWriter::canonicalDefinition(*back), FlowWriter::canonicalDefinition(flow));
    }
}

void TestFlowExport::writeFileReplacesAtomically()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("hello.dot"));
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("old contents that are longer than nothing");
    old.close();
    const Flow flow = hello();
    QVERIFY(FlowExport::writeFile(flow, FlowExport::Format::Dot, path).has_value());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), DotExporter::toDot(flow));
    // Nothing but the file itself is left in the directory (no temporary file).
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("hello.dot")});
}

void TestFlowExport::unwritablePathIsAnEnvironmentError()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("missing/dir/hello.yaml"));
    const auto r = FlowExport::writeFile(hello(), FlowExport::Format::Yaml, path);
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().kind, Error::Kind::Environment);
    QVERIFY2(r.error().message.contains(path), qPrintable(r.error().message));
    QVERIFY(!QFileInfo::exists(path));
}

QTEST_GUILESS_MAIN(TestFlowExport)
#include "tst_flowexport.moc"
