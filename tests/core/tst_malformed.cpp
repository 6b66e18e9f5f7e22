// The hostile and malformed input corpus (tests/data/malformed, issue 12): every file fails to
// load with a clear first error at the expected file:line:col, in bounded time, and — run in a
// child `pipewright-cli validate` under a memory limit — without a crash, a hang or more memory
// than the limit. The large and random files come from gen_large.cmake at test time (the
// repository keeps no file over 64 KB). A valid flow of 200,000 tasks validates within the same
// bounds.
#include "errordump.h"
#include "format/flowloader.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

using namespace pw;
using pw::testing::dump;

namespace {

const QString kCorpus = QStringLiteral(PW_TEST_DATA_DIR "/malformed");
const QString kCli = QStringLiteral(PW_BINARY_DIR "/app/cli/pipewright-cli");

// Bounds for one file: a load in this process, and a child `validate` (its start included).
constexpr qint64 kLoadMs = 5000;
constexpr int kChildMs = 20000;
// The child's address space limit (ulimit -v, KiB). AddressSanitizer reserves terabytes of
// address space for its shadow memory, so a sanitizer build runs the child without it.
constexpr int kAddressSpaceKiB = 1024 * 1024;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kLimitMemory = false;
#else
constexpr bool kLimitMemory = true;
#endif

struct Expectation
{
    QString file;
    QString where; // "LINE:COLUMN", "-" (no position) or "*" (any position)
    bool generated = false;
    QString message;
};

struct ChildResult
{
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QStringList errLines;
    qint64 ms = 0;
};

// `pipewright-cli validate FILE` in a child under the memory limit, killed after kChildMs.
ChildResult validateInChild(const QString &file)
{
    QProcess p;
    p.setProgram(QStringLiteral("/bin/sh"));
    const QString limit
        = kLimitMemory ? QStringLiteral("ulimit -v %1; ").arg(kAddressSpaceKiB) : QString();
    p.setArguments(
        {QStringLiteral("-c"), limit + QStringLiteral("exec \"$0\" validate \"$1\""), kCli, file});
    ChildResult r;
    QElapsedTimer timer;
    timer.start();
    p.start();
    if (!p.waitForFinished(kChildMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.ms = timer.elapsed();
    r.finished = p.exitStatus() == QProcess::NormalExit;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    const QString err = QString::fromUtf8(p.readAllStandardError());
    r.errLines = err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return r;
}

} // namespace

class TestMalformed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void corpusIsComplete();
    void childValidate_data();
    void childValidate();
    void load_data();
    void load();
    void hugeValidFlow();

private:
    QString path(const Expectation &e) const
    {
        return (e.generated ? m_generated.path() : kCorpus) + QLatin1Char('/') + e.file;
    }

    QTemporaryDir m_generated;
    QList<Expectation> m_expected;
};

void TestMalformed::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_generated.isValid());
    QVERIFY2(QFileInfo(kCli).isExecutable(), qPrintable(kCli));

    QProcess gen;
    gen.start(QStringLiteral(PW_CMAKE_COMMAND),
        {QStringLiteral("-DOUT=") + m_generated.path(), QStringLiteral("-P"),
            kCorpus + QStringLiteral("/gen_large.cmake")});
    QVERIFY(gen.waitForFinished(60000));
    QVERIFY2(gen.exitStatus() == QProcess::NormalExit && gen.exitCode() == 0,
        gen.readAllStandardError().constData());

    QFile tsv(kCorpus + QStringLiteral("/EXPECTED.tsv"));
    QVERIFY(tsv.open(QIODevice::ReadOnly));
    int lineNumber = 0;
    while (!tsv.atEnd()) {
        const QString line = QString::fromUtf8(tsv.readLine()).chopped(1);
        ++lineNumber;
        if (line.startsWith(QLatin1Char('#')) || line.isEmpty())
            continue;
        const QStringList f = line.split(QLatin1Char('\t'));
        QVERIFY2(f.size() == 4, qPrintable(QStringLiteral("EXPECTED.tsv:%1").arg(lineNumber)));
        QVERIFY2(f[2] == QLatin1String("committed") || f[2] == QLatin1String("generated"),
            qPrintable(QStringLiteral("EXPECTED.tsv:%1").arg(lineNumber)));
        m_expected.append({f[0], f[1], f[2] == QLatin1String("generated"), f[3]});
    }
}

// Every file has a row and every row a file; the committed ones stay small.
void TestMalformed::corpusIsComplete()
{
    QVERIFY(m_expected.size() >= 100);
    QHash<QString, bool> rows; // file -> generated
    for (const Expectation &e : std::as_const(m_expected)) {
        QVERIFY2(!rows.contains(e.file), qPrintable(e.file + QStringLiteral(": two rows")));
        rows.insert(e.file, e.generated);
        QVERIFY2(QFileInfo::exists(path(e)), qPrintable(path(e)));
    }
    const QStringList flowFiles{QStringLiteral("*.flow.yaml"), QStringLiteral("*.flow.json")};
    for (const QFileInfo &f : QDir(kCorpus).entryInfoList(flowFiles, QDir::Files)) {
        QVERIFY2(rows.value(f.fileName(), true) == false,
            qPrintable(f.fileName() + QStringLiteral(": no 'committed' row in EXPECTED.tsv")));
        QVERIFY2(f.size() <= 64 * 1024, qPrintable(f.fileName() + QStringLiteral(": over 64 KB")));
    }
    for (const QFileInfo &f : QDir(m_generated.path()).entryInfoList(flowFiles, QDir::Files))
        QVERIFY2(rows.value(f.fileName(), false),
            qPrintable(f.fileName() + QStringLiteral(": no 'generated' row in EXPECTED.tsv")));
}

// Every generated file (the large, deep and random ones), and every tenth committed one, in a
// child: exit code 2, nothing on stdout, and on stderr one line per error, each
// FILE[:LINE:COL]: message, the first as expected. Runs before load(), so that a crash shows
// here with its file, not as this test dying.
void TestMalformed::childValidate_data()
{
    QTest::addColumn<int>("row");
    int committed = 0;
    for (int i = 0; i < m_expected.size(); ++i) {
        if (m_expected[i].generated || committed++ % 10 == 0)
            QTest::newRow(qPrintable(m_expected[i].file)) << i;
    }
}

void TestMalformed::childValidate()
{
    QFETCH(int, row);
    const Expectation &e = m_expected[row];
    const QString file = path(e);
    const ChildResult r = validateInChild(file);
    QVERIFY2(r.finished, "the child crashed, hit the memory limit or did not end in time");
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    QVERIFY(!r.errLines.isEmpty());
    QVERIFY2(r.errLines.size() <= 101, qPrintable(QString::number(r.errLines.size())));
    for (const QString &line : r.errLines)
        QVERIFY2(line.startsWith(file + QLatin1Char(':')), qPrintable(line));
    const QString first = r.errLines.first().mid(file.size() + 1);
    static const QRegularExpression located(QStringLiteral("^(\\d+):(\\d+): "));
    const auto m = located.match(first);
    if (e.where == QLatin1String("-"))
        QVERIFY2(!m.hasMatch() && first.startsWith(QLatin1Char(' ')), qPrintable(first));
    else if (e.where == QLatin1String("*"))
        QVERIFY2(m.hasMatch(), qPrintable(first));
    else
        QVERIFY2(first.startsWith(e.where + QStringLiteral(": ")), qPrintable(first));
    QVERIFY2(first.contains(e.message), qPrintable(first));
    if (!e.generated) {
        // The same errors as the loader's, one line each.
        const auto loaded = FlowLoader::loadFile(file);
        QVERIFY(!loaded.has_value());
        QCOMPARE(r.errLines.join(QLatin1Char('\n')), dump(loaded.error()));
    }
}

// Every file with the loader in this process: an error, the first at the expected place with
// the expected message; every error with the file's name and a message of one short line.
void TestMalformed::load_data()
{
    QTest::addColumn<int>("row");
    for (int i = 0; i < m_expected.size(); ++i)
        QTest::newRow(qPrintable(m_expected[i].file)) << i;
}

void TestMalformed::load()
{
    QFETCH(int, row);
    const Expectation &e = m_expected[row];
    const QString file = path(e);
    QElapsedTimer timer;
    timer.start();
    const auto r = FlowLoader::loadFile(file);
    QVERIFY2(timer.elapsed() < kLoadMs, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(!r.has_value(), "loads without an error");
    const Errors &errors = r.error();
    QVERIFY(errors.size() <= 101);
    for (const Error &err : errors) {
        QCOMPARE(err.file, file);
        QVERIFY(!err.message.isEmpty());
        QVERIFY2(err.message.size() <= 400 && !err.message.contains(QLatin1Char('\n')),
            qPrintable(err.message.left(400)));
    }
    const Error &first = errors.first();
    if (e.where == QLatin1String("-")) {
        QCOMPARE(first.line, 0);
    } else if (e.where == QLatin1String("*")) {
        QVERIFY(first.line > 0 && first.column > 0);
    } else {
        QCOMPARE(QStringLiteral("%1:%2").arg(first.line).arg(first.column), e.where);
    }
    QVERIFY2(first.message.contains(e.message), qPrintable(dump(errors)));
}

// A valid flow of 200,000 tasks (each after one or two others, with a template) validates in a
// child within the time and memory bounds.
void TestMalformed::hugeValidFlow()
{
    constexpr int kTasks = 200000;
    QByteArray yaml = "pipewright: 1\nflow: huge\nparams:\n  date: {type: date, default: today}\n"
                      "tasks:\n  t0: {type: noop}\n";
    yaml.reserve(16 * 1000 * 1000);
    for (int i = 1; i < kTasks; ++i) {
        yaml += "  t" + QByteArray::number(i) + ": {type: shell, command: \"echo {{date}}\", "
            + "after: [t" + QByteArray::number(i - 1);
        if (i >= 3)
            yaml += ", t" + QByteArray::number(i / 2);
        yaml += "]}\n";
    }
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("huge.flow.yaml"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(yaml), yaml.size());
    f.close();

    const ChildResult r = validateInChild(file);
    QVERIFY2(r.finished, "the child crashed, hit the memory limit or did not end in time");
    QVERIFY2(r.exitCode == 0, qPrintable(r.errLines.join(QLatin1Char('\n'))));
    QCOMPARE(r.out, (file + QStringLiteral(": ok (200000 tasks)\n")).toUtf8());
    // The peak of the largest child waited for so far: this one's, unless an earlier one (the
    // generator) used more.
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    qInfo("%d tasks, %lld bytes: validated in %lld ms, peak RSS at most %ld MiB", kTasks,
        qint64(yaml.size()), r.ms, usage.ru_maxrss / 1024);
}

QTEST_GUILESS_MAIN(TestMalformed)
#include "tst_malformed.moc"
