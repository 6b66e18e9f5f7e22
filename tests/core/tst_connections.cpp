// Connections (the home's connections.yaml and PIPEWRIGHT_CONNECTION_<NAME>) and ConnectionUrl:
// the rules of issue 10 — the environment wins, names are mangled, a file others can read is
// refused, Pipewright writes it 0600, relative sqlite: paths resolve against the flow's
// directory, and no error or listing shows a password.

#include "engine/connections.h"
#include "runners/connectionurl.h"

#include "filemodes.h"

#include <QtTest>

using namespace pw;
using pw::test::modeOf;
using pw::test::writeWithMode;

namespace {

const QString kSecret = QStringLiteral("Sup3r$ecret");

} // namespace

class TestConnections : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void parse_data();
    void parse();
    void envName_data();
    void envName();
    void environmentWins();
    void readableByOthersIsRefused_data();
    void readableByOthersIsRefused();
    void setCreatesPrivateFileAndKeepsOthers();
    void undefinedNamesTheWaysToDefine();
    void malformedFileHidesValues();
    void besideTheFlowOnlySqliteAndLast();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestConnections::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestConnections::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestConnections::cleanup()
{
    for (const char *v : {"PIPEWRIGHT_CONNECTION_WAREHOUSE", "PIPEWRIGHT_CONNECTION_DW_EU_1"})
        qunsetenv(v);
}

// "driver|path or host:port user db options|redacted" or "error: text".
// clang-format off
void TestConnections::parse_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");

    QTest::newRow("sqlite absolute") << "sqlite:///data/dw.db" << "QSQLITE|/data/dw.db|sqlite:///data/dw.db";
    QTest::newRow("sqlite relative to the flow's dir") << "sqlite:data/../dw.db" << "QSQLITE|/flows/dw.db|sqlite:///flows/dw.db";
    // Qt reads ":/x" as a resource path: here it is a file name like any other (fuzz_connectionurl).
    QTest::newRow("sqlite colon path") << "sqlite::/dw.db" << "QSQLITE|/flows/:/dw.db|sqlite:///flows/:/dw.db";
    QTest::newRow("sqlite host") << "sqlite://host/x.db" << "error: 'sqlite://host/x.db': write sqlite:///ABSOLUTE/PATH or sqlite:RELATIVE/PATH";
    QTest::newRow("sqlite empty") << "sqlite:" << "error: 'sqlite:' names no database file";
    QTest::newRow("postgresql") << "postgresql://pw:Sup3r$ecret@db.example:6543/dw"
        << "QPSQL|db.example:6543 pw dw |postgresql://pw:***@db.example:6543/dw";
    QTest::newRow("postgres alias, default port, options") << "postgres://pw@db/dw?sslmode=require&connect_timeout=5"
        << "QPSQL|db:5432 pw dw sslmode=require;connect_timeout=5|postgresql://pw@db:5432/dw?sslmode=require&connect_timeout=5";
    // redacted() looked for the user info in the whole URL, the database name included (fuzz_connectionurl).
    QTest::newRow("database with ':' and '@'") << "postgresql://u:Sup3r$ecret@db/a:b@c"
        << "QPSQL|db:5432 u a:b@c |postgresql://u:***@db:5432/a:b@c";
    // QUrl read the option back differently after saving (fuzz_connectionurl).
    QTest::newRow("bad percent escape") << "postgres:///a?s=%4x&t=%40"
        << "error: 'postgres:///a?s=%4x&t=%40': a '%' must start an escape like %40 (write a percent sign as %25)";
    QTest::newRow("percent-encoded password") << "postgresql://pw:Sup3r%24ecret@db/dw"
        << "QPSQL|db:5432 pw dw |postgresql://pw:***@db:5432/dw";
    QTest::newRow("no database") << "postgresql://pw:Sup3r$ecret@db:5432"
        << "error: 'postgresql://pw:***@db:5432' names no database (postgresql://USER:PASSWORD@HOST:PORT/DATABASE)";
    QTest::newRow("option injection") << "postgresql://pw:Sup3r$ecret@db/dw?sslmode=require%20host%3Devil"
        << "error: 'postgresql://pw:***@db/dw?sslmode=require%20host%3Devil': invalid connection option 'sslmode'";
    QTest::newRow("unknown scheme") << "mysql://pw:Sup3r$ecret@db/dw"
        << "error: 'mysql://pw:***@db/dw' is not a supported connection URL (sqlite:///ABS/PATH, sqlite:RELATIVE/PATH or postgresql://USER:PASSWORD@HOST:PORT/DB)";
}
// clang-format on

void TestConnections::parse()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    auto c = ConnectionUrl::parse(url, QStringLiteral("/flows"));
    QString got;
    if (!c) {
        got = QStringLiteral("error: ") + c.error().message;
    } else if (c->driver == ConnectionUrl::Driver::Sqlite) {
        got = c->qtDriver() + QLatin1Char('|') + c->path + QLatin1Char('|') + c->redacted();
    } else {
        got = QStringLiteral("%1|%2:%3 %4 %5 %6|%7")
                  .arg(c->qtDriver(), c->host)
                  .arg(c->port)
                  .arg(c->user, c->database, c->options, c->redacted());
        QCOMPARE(c->password.isEmpty(), !url.contains(QLatin1String(":Sup3r")));
        if (!c->password.isEmpty()) {
            QCOMPARE(c->password, kSecret);
            // The full form (for the child's stdin) gives the same connection back.
            auto again = ConnectionUrl::parse(c->toString());
            QVERIFY(again);
            QCOMPARE(again->password, kSecret);
            QCOMPARE(again->host, c->host);
        }
    }
    QCOMPARE(got, expected);
    QVERIFY(!got.contains(kSecret));
}

// clang-format off
void TestConnections::envName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("variable");
    QTest::newRow("plain") << "warehouse" << "PIPEWRIGHT_CONNECTION_WAREHOUSE";
    QTest::newRow("dots and dashes") << "dw.eu-1" << "PIPEWRIGHT_CONNECTION_DW_EU_1";
    QTest::newRow("underscore kept") << "Dw_2" << "PIPEWRIGHT_CONNECTION_DW_2";
}
// clang-format on

void TestConnections::envName()
{
    QFETCH(QString, name);
    QFETCH(QString, variable);
    QCOMPARE(Connections::envName(name), variable);
}

// The environment wins over connections.yaml, by the mangled name; the file is not even read
// (so a refused file does not matter for a name the environment defines).
void TestConnections::environmentWins()
{
    const Connections c{Home(m_dir->path())};
    QVERIFY(c.set(QStringLiteral("dw.eu-1"), QStringLiteral("sqlite:///file.db")));
    QVERIFY(c.set(QStringLiteral("warehouse"), QStringLiteral("sqlite:///wh.db")));
    QCOMPARE(c.url(QStringLiteral("dw.eu-1")).value(), QStringLiteral("sqlite:///file.db"));
    qputenv("PIPEWRIGHT_CONNECTION_DW_EU_1", "sqlite:///env.db");
    QCOMPARE(c.url(QStringLiteral("dw.eu-1")).value(), QStringLiteral("sqlite:///env.db"));
    QVERIFY(
        Connections::fromEnvironment().contains(QStringLiteral("PIPEWRIGHT_CONNECTION_DW_EU_1")));
    ::chmod(QFile::encodeName(c.path()).constData(), 0644);
    QCOMPARE(c.url(QStringLiteral("dw.eu-1")).value(), QStringLiteral("sqlite:///env.db"));
    QVERIFY(!c.url(QStringLiteral("warehouse"))); // from the file: refused now
}

// clang-format off
void TestConnections::readableByOthersIsRefused_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("refused");
    QTest::newRow("0600") << 0600 << false;
    QTest::newRow("0400") << 0400 << false;
    QTest::newRow("0644") << 0644 << true;
    QTest::newRow("0640") << 0640 << true;
    QTest::newRow("0604") << 0604 << true;
    QTest::newRow("0620") << 0620 << true;
}
// clang-format on

void TestConnections::readableByOthersIsRefused()
{
    QFETCH(int, mode);
    QFETCH(bool, refused);
    const Connections c{Home(m_dir->path())};
    writeWithMode(c.path(), "warehouse: postgresql://pw:" + kSecret.toUtf8() + "@db/dw\n", mode);
    auto url = c.url(QStringLiteral("warehouse"));
    QCOMPARE(!url, refused);
    if (refused) {
        const QString m = url.error().message;
        QVERIFY2(m.contains(QStringLiteral("accessible by other users (mode 0%1)")
                                .arg(QString::number(mode, 8))),
            qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("chmod 600 ") + c.path()), qPrintable(m));
        QVERIFY(!m.contains(kSecret));
        QVERIFY(!c.load());
        // Pipewright does not write into an exposed file either.
        QVERIFY(!c.set(QStringLiteral("x"), QStringLiteral("sqlite:///x.db")));
    } else {
        QCOMPARE(
            url.value(), QStringLiteral("postgresql://pw:") + kSecret + QStringLiteral("@db/dw"));
    }
}

void TestConnections::setCreatesPrivateFileAndKeepsOthers()
{
    const QString home = m_dir->path() + QStringLiteral("/new-home");
    const Connections c{Home(home)};
    const QString pg = QStringLiteral("postgresql://pw:") + kSecret + QStringLiteral("@db:5432/dw");
    QVERIFY(c.set(QStringLiteral("warehouse"), pg));
    QCOMPARE(modeOf(c.path()), 0600);
    QCOMPARE(c.url(QStringLiteral("warehouse")).value(), pg);

    // Comments and other entries survive; a name is replaced in place.
    writeWithMode(c.path(),
        "# team connections\nwarehouse: \"" + pg.toUtf8() + "\"\nlocal: sqlite:a.db  # dev\n",
        0600);
    QVERIFY(c.set(QStringLiteral("local"), QStringLiteral("sqlite:b.db")));
    QVERIFY(c.set(QStringLiteral("extra"), QStringLiteral("sqlite:///c.db")));
    QFile f(c.path());
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(f.readAll()),
        QStringLiteral("# team connections\nwarehouse: \"%1\"\nlocal: \"sqlite:b.db\"\nextra: "
                       "\"sqlite:///c.db\"\n")
            .arg(pg));
    QCOMPARE(modeOf(c.path()), 0600);
    auto all = c.load();
    QVERIFY(all);
    QCOMPARE(all->keys(), (QStringList{"extra", "local", "warehouse"}));
    QVERIFY(!QFile::exists(c.path() + QStringLiteral(".tmp")));

    // Bad names and URLs are refused, without the password in the message.
    QVERIFY(!c.set(QStringLiteral("bad name"), QStringLiteral("sqlite:///x.db")));
    auto bad = c.set(
        QStringLiteral("x"), QStringLiteral("postgresql://pw:") + kSecret + QStringLiteral("@db"));
    QVERIFY(!bad);
    QVERIFY2(!bad.error().message.contains(kSecret), qPrintable(bad.error().message));
}

void TestConnections::undefinedNamesTheWaysToDefine()
{
    const Connections c{Home(m_dir->path())};
    auto url = c.url(QStringLiteral("dw.eu-1"));
    QVERIFY(!url);
    QCOMPARE(url.error().message,
        QStringLiteral("connection 'dw.eu-1' is not defined: add it to %1 (pipewright-cli "
                       "connection set dw.eu-1 URL) or set PIPEWRIGHT_CONNECTION_DW_EU_1")
            .arg(c.path()));
}

void TestConnections::malformedFileHidesValues()
{
    const Connections c{Home(m_dir->path())};
    writeWithMode(c.path(), "warehouse: [postgresql://pw:" + kSecret.toUtf8() + "@db/dw\n", 0600);
    auto all = c.load();
    QVERIFY(!all);
    QVERIFY2(!all.error().toString().contains(kSecret), qPrintable(all.error().toString()));
    QCOMPARE(all.error().file, c.path());
    QVERIFY(all.error().line > 0);
}

// A connections.yaml next to the flow gives password-free defaults: sqlite: only, relative to
// that directory, and only for names the environment and the home leave undefined.
void TestConnections::besideTheFlowOnlySqliteAndLast()
{
    const QString flows = m_dir->filePath(QStringLiteral("flows"));
    QVERIFY(QDir().mkpath(flows));
    writeWithMode(flows + QStringLiteral("/connections.yaml"),
        "demo: sqlite:demo.db\nwarehouse: sqlite:wh.db\n", 0644);
    const Connections c{Home(m_dir->filePath(QStringLiteral("home")))};
    QCOMPARE(c.url(QStringLiteral("demo"), flows).value(), QStringLiteral("sqlite:demo.db"));
    QVERIFY(!c.url(QStringLiteral("demo"))); // without the flow's directory: undefined
    QVERIFY(c.set(QStringLiteral("warehouse"), QStringLiteral("sqlite:///home.db")));
    QCOMPARE(
        c.url(QStringLiteral("warehouse"), flows).value(), QStringLiteral("sqlite:///home.db"));
    qputenv("PIPEWRIGHT_CONNECTION_WAREHOUSE", "sqlite:///env.db");
    QCOMPARE(c.url(QStringLiteral("warehouse"), flows).value(), QStringLiteral("sqlite:///env.db"));

    writeWithMode(flows + QStringLiteral("/connections.yaml"),
        "demo: sqlite:demo.db\npg: postgresql://pw:" + kSecret.toUtf8() + "@db/dw\n", 0644);
    auto refused = c.url(QStringLiteral("demo"), flows);
    QVERIFY(!refused);
    QVERIFY2(refused.error().toString().contains(QStringLiteral(
                 "connection 'pg': only sqlite: connections may be defined beside flows")),
        qPrintable(refused.error().toString()));
    QVERIFY(!refused.error().toString().contains(kSecret));
}

QTEST_GUILESS_MAIN(TestConnections)
#include "tst_connections.moc"
