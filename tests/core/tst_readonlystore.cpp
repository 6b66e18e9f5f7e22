// HistoryStore opened read-only on a read-only file system (issue 8, finding 10): a backup or
// a shared mount of a WAL store, with and without its -wal/-shm files. Every case must read
// every committed run, refuse writes and change no byte. Needs root (a read-only mount).

#include "history/historystore.h"
#include "tmpfsmount.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace pw;

namespace {

// name -> size, mtime and content hash of every file under `dir`.
QMap<QString, QString> fingerprint(const QString &dir)
{
    QMap<QString, QString> out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        QByteArray hash;
        if (f.open(QIODevice::ReadOnly))
            hash = QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
        const QFileInfo info(path);
        out.insert(path,
            QStringLiteral("%1 %2 %3")
                .arg(info.size())
                .arg(info.lastModified().toMSecsSinceEpoch())
                .arg(QString::fromLatin1(hash)));
    }
    return out;
}

HistoryStore::NewRun newRun(int i)
{
    HistoryStore::NewRun n;
    n.flowId = QStringLiteral("f");
    n.paramsJson = QStringLiteral("{\"i\":%1}").arg(i).toUtf8();
    n.key = QStringLiteral("f/%1").arg(i);
    n.sourcePath = QStringLiteral("/flows/f.flow.yaml");
    n.workdir = QStringLiteral("/flows");
    n.created = 1000 + i;
    return n;
}

} // namespace

class TestReadOnlyStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void readOnlyMount_data();
    void readOnlyMount();
};

// clang-format off
void TestReadOnlyStore::readOnlyMount_data()
{
    QTest::addColumn<bool>("copyWhileOpen"); // a copy of a live store (or a crash): the WAL holds the runs
    QTest::addColumn<bool>("withWal");
    QTest::addColumn<bool>("withShm");
    QTest::addColumn<bool>("emptyWal");      // a 0-byte -wal (truncated), no -shm
    QTest::newRow("clean close: no -wal, no -shm") << false << false << false << false;
    QTest::newRow("live copy: -wal and -shm") << true << true << true << false;
    QTest::newRow("live copy: -wal without -shm") << true << true << false << false;
    QTest::newRow("-shm without -wal") << true << false << true << false;
    QTest::newRow("empty -wal, no -shm") << false << false << false << true;
}
// clang-format on

void TestReadOnlyStore::readOnlyMount()
{
    QFETCH(bool, copyWhileOpen);
    QFETCH(bool, withWal);
    QFETCH(bool, withShm);
    QFETCH(bool, emptyWal);
    if (const QString why = test::TmpfsMount::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    test::TmpfsMount mnt;
    QVERIFY2(mnt.mount(), qPrintable(mnt.error()));

    // The source store, written in a writable temp dir; copied onto the mount.
    QTemporaryDir src;
    QVERIFY(src.isValid());
    const QString from = src.filePath(QStringLiteral("history.sqlite"));
    const QString to = mnt.filePath(QStringLiteral("history.sqlite"));
    constexpr int kRuns = 3;
    {
        HistoryStore::Options o;
        o.path = from;
        auto writer = HistoryStore::open(o);
        QVERIFY2(writer, writer ? "" : qPrintable(writer.error().message));
        for (int i = 1; i <= kRuns; ++i)
            QVERIFY((*writer)->createRun(newRun(i)).has_value());
        if (copyWhileOpen) {
            // The runs (and the schema) are still in the WAL: it is far below its checkpoint.
            QVERIFY(QFileInfo(from + QStringLiteral("-wal")).size() > 0);
            if (withWal)
                QVERIFY(QFile::copy(from + QStringLiteral("-wal"), to + QStringLiteral("-wal")));
            if (withShm)
                QVERIFY(QFile::copy(from + QStringLiteral("-shm"), to + QStringLiteral("-shm")));
            if (withWal)
                QVERIFY(QFile::copy(from, to));
        }
    }
    if (!QFile::exists(to))
        QVERIFY(QFile::copy(from, to)); // after a clean close: every run is in the main file
    if (emptyWal) {
        QFile wal(to + QStringLiteral("-wal"));
        QVERIFY(wal.open(QIODevice::WriteOnly));
    }
    QVERIFY2(mnt.remountReadOnly(), qPrintable(mnt.error()));
    const auto before = fingerprint(mnt.path());

    {
        HistoryStore::Options o;
        o.path = to;
        o.readOnly = true;
        auto reader = HistoryStore::open(o);
        QVERIFY2(reader, reader ? "" : qPrintable(reader.error().message));
        QCOMPARE((*reader)->path(), to);
        RunFilter f;
        f.limit = 100;
        auto runs = (*reader)->runs(f);
        QVERIFY2(runs, runs ? "" : qPrintable(runs.error().message));
        QCOMPARE(runs->size(), kRuns);
        QCOMPARE(runs->first().paramsJson, QByteArray("{\"i\":3}"));
        auto run = (*reader)->run(1);
        QVERIFY(run && run->has_value());
        QCOMPARE((**run).key, QStringLiteral("f/1"));
        QVERIFY((*reader)->dataVersion().has_value()); // the GUI's poll keeps working
        auto write = (*reader)->createRun(newRun(99));
        QVERIFY(!write);
        QCOMPARE(fingerprint(mnt.path()), before);
    }
    QCOMPARE(fingerprint(mnt.path()), before);
}

QTEST_GUILESS_MAIN(TestReadOnlyStore)
#include "tst_readonlystore.moc"
