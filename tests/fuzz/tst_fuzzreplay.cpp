// Replays one fuzzer's corpus (tests/fuzz/corpus/<harness>: its seeds and the reproducers of
// its findings) through the harness's own LLVMFuzzerTestOneInput, built with the project's
// compiler: CI runs every reproducer without clang or libFuzzer. Linked once per harness
// (tests/CMakeLists.txt); a violated property aborts inside the harness, which prints what it
// found, and QtTest names the file.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QTest>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

class TestFuzzReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replay_data();
    void replay();
};

void TestFuzzReplay::replay_data()
{
    QTest::addColumn<QString>("path");
    const QDir corpus(QStringLiteral(PW_FUZZ_CORPUS));
    const QStringList files = corpus.entryList(QDir::Files, QDir::Name);
    QVERIFY2(!files.isEmpty(), PW_FUZZ_CORPUS);
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << corpus.filePath(f);
}

void TestFuzzReplay::replay()
{
    QFETCH(QString, path);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray input = f.readAll();
    QCOMPARE(LLVMFuzzerTestOneInput(
                 reinterpret_cast<const std::uint8_t *>(input.constData()), size_t(input.size())),
        0);
}

QTEST_GUILESS_MAIN(TestFuzzReplay)
#include "tst_fuzzreplay.moc"
