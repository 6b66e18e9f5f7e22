// End-to-end (issue 8, finding 10): a home on a read-only mount (a backup, a shared mount).
// Reading commands work and print one note; writing commands exit 3 with one line naming the
// path and why; nothing on the mount changes. Needs root (a read-only tmpfs); skips otherwise.

#include "clirun.h"
#include "tmpfsmount.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Out = pw::test::CliOutput;

// path -> size, mtime and content hash of every file and directory under `dir`.
QMap<QString, QString> fingerprint(const QString &dir)
{
    QMap<QString, QString> out;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info(path);
        QByteArray hash;
        QFile f(path);
        if (info.isFile() && f.open(QIODevice::ReadOnly))
            hash = QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
        out.insert(path,
            QStringLiteral("%1 %2 %3")
                .arg(info.size())
                .arg(info.lastModified().toMSecsSinceEpoch())
                .arg(QString::fromLatin1(hash)));
    }
    return out;
}

} // namespace

class TestReadOnlyHome : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void runsJson();
    void runsText();
    void showJson();
    void logs();
    void next();
    void writingCommandsExit3_data();
    void writingCommandsExit3();
    void nothingWritten();
    void permissionDenied();
    void cleanupTestCase();

private:
    // Runs pipewright-cli (or `program`, e.g. runuser) with args.
    Out cli(const QStringList &args, int timeoutMs = 60000, const QString &program = {});
    QStringList home() const { return {QStringLiteral("--home"), m_home}; }
    QString writeFlow(const QString &name, const QByteArray &yaml);
    // Exactly one note line on stderr, naming the home and the read-only file system.
    void checkNote(const Out &o);

    QString m_cli;
    QTemporaryDir m_dir; // flows (not on the mount)
    pw::test::TmpfsMount m_mount;
    QString m_home;
    QString m_flow;
    QString m_scheduled;
    QMap<QString, QString> m_before;
};

void TestReadOnlyHome::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = pw::test::cliBinary();
    QVERIFY2(QFileInfo(m_cli).isExecutable(), qPrintable(m_cli));
    QVERIFY(m_dir.isValid());
    if (const QString why = pw::test::TmpfsMount::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY2(m_mount.mount(), qPrintable(m_mount.error()));
    m_home = m_mount.filePath(QStringLiteral("home"));

    m_flow = writeFlow(QStringLiteral("ro"),
        "pipewright: 1\nflow: ro\nparams:\n  k: {type: int, default: 1}\n"
        "tasks:\n  a: {type: shell, command: 'echo hello-a {{k}}'}\n"
        "  b: {type: shell, after: [a], command: 'test {{k}} != 2'}\n");
    m_scheduled = writeFlow(QStringLiteral("daily"),
        "pipewright: 1\nflow: daily\nparams:\n  date: {type: date, default: today}\n"
        "schedule: {cron: '0 3 * * *', timezone: UTC, param: date}\n"
        "tasks:\n  a: {type: noop}\n");
    Out o = cli(
        QStringList{QStringLiteral("run"), m_flow, QStringLiteral("-p"), QStringLiteral("k=1")}
        + home());
    QVERIFY2(o.code == 0, o.err.constData());
    o = cli(QStringList{QStringLiteral("run"), m_flow, QStringLiteral("-p"), QStringLiteral("k=2")}
        + home());
    QVERIFY2(o.code == 1, o.err.constData());

    QVERIFY2(m_mount.remountReadOnly(), qPrintable(m_mount.error()));
    m_before = fingerprint(m_mount.path());
    QVERIFY(m_before.contains(m_home + QStringLiteral("/history.sqlite")));
}

void TestReadOnlyHome::cleanupTestCase()
{
    m_mount.unmount();
}

Out TestReadOnlyHome::cli(const QStringList &args, int timeoutMs, const QString &program)
{
    QProcess p;
    p.setProgram(program.isEmpty() ? m_cli : program);
    p.setArguments(args);
    p.start();
    return pw::test::finishCli(p, args, timeoutMs);
}

QString TestReadOnlyHome::writeFlow(const QString &name, const QByteArray &yaml)
{
    const QString path = m_dir.filePath(name + QStringLiteral(".flow.yaml"));
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(yaml);
    return path;
}

void TestReadOnlyHome::checkNote(const Out &o)
{
    const QList<QByteArray> lines = o.err.trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().startsWith("note: history is read-only (")
            && lines.first().contains(m_home.toUtf8())
            && lines.first().contains("read-only file system"),
        o.err.constData());
}

void TestReadOnlyHome::runsJson()
{
    const Out o = cli(QStringList{QStringLiteral("runs"), QStringLiteral("--json")} + home());
    QVERIFY2(o.code == 0, o.err.constData());
    checkNote(o);
    const QJsonArray runs
        = QJsonDocument::fromJson(o.out).object().value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs[0].toObject().value(QStringLiteral("id")).toInt(), 2); // newest first
    QCOMPARE(
        runs[0].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
    QCOMPARE(
        runs[1].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
}

void TestReadOnlyHome::runsText()
{
    const Out o
        = cli(QStringList{QStringLiteral("runs"), QStringLiteral("--flow"), QStringLiteral("ro")}
            + home());
    QVERIFY2(o.code == 0, o.err.constData());
    checkNote(o);
    QVERIFY2(o.out.contains("succeeded") && o.out.contains("failed"), o.out.constData());
}

void TestReadOnlyHome::showJson()
{
    Out o = cli(QStringList{QStringLiteral("show"), QStringLiteral("2"), QStringLiteral("--json")}
        + home());
    QVERIFY2(o.code == 0, o.err.constData());
    checkNote(o);
    const QJsonObject doc = QJsonDocument::fromJson(o.out).object();
    QCOMPARE(doc.value(QStringLiteral("run")).toObject().value(QStringLiteral("id")).toInt(), 2);
    const QJsonArray tasks = doc.value(QStringLiteral("tasks")).toArray();
    QCOMPARE(tasks.size(), 2);
    QCOMPARE(
        tasks[0].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(
        tasks[1].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
    QCOMPARE(tasks[1]
                 .toObject()
                 .value(QStringLiteral("attempts"))
                 .toArray()[0]
                 .toObject()
                 .value(QStringLiteral("exit_code"))
                 .toInt(),
        1);

    o = cli(QStringList{QStringLiteral("show"), QStringLiteral("1")} + home());
    QVERIFY2(o.code == 0, o.err.constData());
    QVERIFY2(o.out.contains("state succeeded"), o.out.constData());
}

void TestReadOnlyHome::logs()
{
    const Out o = cli(
        QStringList{QStringLiteral("logs"), QStringLiteral("2"), QStringLiteral("a")} + home());
    QVERIFY2(o.code == 0, o.err.constData());
    QCOMPARE(o.out, QByteArray("hello-a 2\n"));
    QVERIFY2(
        o.err.size() <= 200 && !o.err.contains("error"), o.err.constData()); // at most the note
}

void TestReadOnlyHome::next()
{
    const Out o = cli(
        QStringList{QStringLiteral("next"), m_scheduled, QStringLiteral("--from"),
            QStringLiteral("2026-11-24T00:00:00Z"), QStringLiteral("--count"), QStringLiteral("1")}
        + home());
    QVERIFY2(o.code == 0, o.err.constData());
    QCOMPARE(o.out, QByteArray("2026-11-24T03:00:00Z\n"));
}

// clang-format off
void TestReadOnlyHome::writingCommandsExit3_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("run") << QStringList{QStringLiteral("run"), QStringLiteral("FLOW"), QStringLiteral("-p"), QStringLiteral("k=3")};
    QTest::newRow("rerun") << QStringList{QStringLiteral("rerun"), QStringLiteral("2")};
    QTest::newRow("mark") << QStringList{QStringLiteral("mark"), QStringLiteral("2"), QStringLiteral("b"), QStringLiteral("--succeeded")};
    QTest::newRow("cancel") << QStringList{QStringLiteral("cancel"), QStringLiteral("1")};
    QTest::newRow("backfill") << QStringList{QStringLiteral("backfill"), QStringLiteral("SCHEDULED"), QStringLiteral("--from"),
                                             QStringLiteral("2026-11-01"), QStringLiteral("--to"), QStringLiteral("2026-11-02")};
    QTest::newRow("schedule") << QStringList{QStringLiteral("schedule"), QStringLiteral("SCHEDULED")};
}
// clang-format on

void TestReadOnlyHome::writingCommandsExit3()
{
    QFETCH(QStringList, args);
    args.replaceInStrings(QStringLiteral("SCHEDULED"), m_scheduled);
    args.replaceInStrings(QStringLiteral("FLOW"), m_flow);
    const Out o = cli(args + home(), 20000);
    QCOMPARE(o.code, 3);
    QVERIFY(o.out.isEmpty());
    const QList<QByteArray> lines = o.err.trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    const QByteArray expected = "pipewright-cli: history " + m_home.toUtf8()
        + "/history.sqlite is read-only: " + m_home.toUtf8()
        + " is on a read-only file system; runs cannot be started or changed";
    QCOMPARE(lines.first(), expected);
}

void TestReadOnlyHome::nothingWritten()
{
    QCOMPARE(fingerprint(m_mount.path()), m_before);
}

// Another user's home on a writable file system: the directory is not writable for `nobody`,
// so SQLite cannot create -shm there (SQLITE_READONLY rather than CANTOPEN). Root runs the CLI
// as nobody with runuser.
void TestReadOnlyHome::permissionDenied()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::setPermissions(dir.path(),
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
            | QFile::ReadOther | QFile::ExeOther));
    const QString homeDir = dir.filePath(QStringLiteral("home"));
    const QString flow = dir.filePath(QStringLiteral("ro.flow.yaml")); // readable for nobody
    QVERIFY(QFile::copy(m_flow, flow));
    Out o = cli({QStringLiteral("run"), flow, QStringLiteral("-p"), QStringLiteral("k=1"),
        QStringLiteral("--home"), homeDir});
    QVERIFY2(o.code == 0, o.err.constData());
    // Pipewright makes a home private to its user (issue 12); this one its user opened up for
    // others to read, as a team might share one.
    QProcess share;
    share.start(QStringLiteral("chmod"), {QStringLiteral("-R"), QStringLiteral("go+rX"), homeDir});
    QVERIFY(share.waitForFinished(10000) && share.exitCode() == 0);
    auto asNobody = [&](const QStringList &args) {
        return cli(
            QStringList{QStringLiteral("-u"), QStringLiteral("nobody"), QStringLiteral("--"), m_cli}
                + args + QStringList{QStringLiteral("--home"), homeDir},
            60000, QStringLiteral("runuser"));
    };
    QProcess probe;
    probe.start(QStringLiteral("runuser"),
        {QStringLiteral("-u"), QStringLiteral("nobody"), QStringLiteral("--"),
            QStringLiteral("test"), QStringLiteral("-x"), m_cli});
    if (!probe.waitForFinished(10000) || probe.exitCode() != 0)
        QSKIP("cannot run pipewright-cli as nobody here (runuser, or the build directory is "
              "private)");
    const auto before = fingerprint(dir.path());

    o = asNobody({QStringLiteral("runs"), QStringLiteral("--json")});
    QVERIFY2(o.code == 0, o.err.constData());
    QCOMPARE(
        QJsonDocument::fromJson(o.out).object().value(QStringLiteral("runs")).toArray().size(), 1);
    QVERIFY2(o.err.startsWith(QByteArray("note: history is read-only (" + homeDir.toUtf8()
                 + " is not writable (permission denied))")),
        o.err.constData());
    o = asNobody({QStringLiteral("logs"), QStringLiteral("1"), QStringLiteral("a")});
    QVERIFY2(o.code == 0, o.err.constData());
    QCOMPARE(o.out, QByteArray("hello-a 1\n"));
    o = asNobody({QStringLiteral("run"), flow, QStringLiteral("-p"), QStringLiteral("k=5")});
    QCOMPARE(o.code, 3);
    QVERIFY2(
        o.err.contains("is not writable (permission denied); runs cannot be started or changed"),
        o.err.constData());
    QCOMPARE(fingerprint(dir.path()), before);
}

QTEST_GUILESS_MAIN(TestReadOnlyHome)
#include "tst_readonlyhome.moc"
