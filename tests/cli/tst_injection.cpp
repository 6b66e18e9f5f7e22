// End-to-end (issue 12, "Injection"): a parameter value never becomes shell syntax or SQL text.
// The real pipewright-cli runs a flow whose tasks put each parameter type into a shell command
// (as an argument, through a filter, through an environment variable) and into an SQL statement
// (a bound :name), with values made of quotes, `$()`, backticks, newlines, `;`, `&&`, globs,
// variables, options and unicode. What each task wrote must be the value's bytes, and no command
// hidden in a value may have run (it would create a marker file). Typed parameters (int, bool,
// date, datetime, choice) refuse such values before anything runs, with a message that names the
// parameter. A NUL, which would cut the command line short, is refused for every type.

#include "clirun.h"

#include <QDir>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

// Values a hostile caller (or an unlucky one) could pass. Every one that a shell would read as
// syntax tries to create the marker file `pwned` in the flow's directory (the tasks' workdir).
const QStringList &hostileValues()
{
    static const QStringList values{
        QStringLiteral("plain"),
        QString(),
        QStringLiteral("'"),
        QStringLiteral("it's"),
        QStringLiteral("'; touch pwned; echo '"),
        QStringLiteral("'\\''; touch pwned #"),
        QStringLiteral("\"; touch pwned; \""),
        QStringLiteral("$(touch pwned)"),
        QStringLiteral("`touch pwned`"),
        QStringLiteral("${IFS}touch${IFS}pwned"),
        QStringLiteral("; touch pwned"),
        QStringLiteral("&& touch pwned"),
        QStringLiteral("|| touch pwned"),
        QStringLiteral("| touch pwned"),
        QStringLiteral("& touch pwned &"),
        QStringLiteral("x\ntouch pwned"),
        QStringLiteral("x\r\ntouch pwned\n"),
        QStringLiteral("> pwned"),
        QStringLiteral("< /etc/passwd"),
        QStringLiteral("$HOME $PWD $0 $$ $?"),
        QStringLiteral("*"),
        QStringLiteral("~root"),
        QStringLiteral("\\"),
        QStringLiteral("\\'"),
        QStringLiteral("-n"),
        QStringLiteral("--help"),
        QStringLiteral("{{date}}"),
        QStringLiteral("a\tb  c"),
        QStringLiteral("한글 값"),
        QStringLiteral("e\u0301 \u200b\u202e\u2066 \U0001F600"),
        QStringLiteral("$'\\x41'"),
        QStringLiteral("!!"),
        QStringLiteral("#"),
    };
    return values;
}

const QByteArray kTypedFlow = R"yaml(pipewright: 1
flow: typed
params:
  n: {type: int, default: 1}
  b: {type: bool, default: false}
  d: {type: date, default: today}
  t: {type: datetime, default: now}
tasks:
  all:
    command: printf '%s|' {{n}} {{b}} {{d}} {{t}} {{n|raw}} {{b|raw}} {{d|raw}} > all.out
)yaml";

} // namespace

class TestInjection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void stringValuesStayText_data();
    void stringValuesStayText();
    void choiceValuesStayText();
    void typedParametersRefuseShellSyntax_data();
    void typedParametersRefuseShellSyntax();
    void typedParametersRun();
    void sqlValuesAreBound();

private:
    using Out = pw::test::CliOutput;
    Out cli(const QStringList &args, const QProcessEnvironment &env = {});
    QString writeFlow(const QString &name, const QByteArray &yaml);
    QString pwned() const { return m_dir->filePath(QStringLiteral("pwned")); }

    QString m_cli;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_home;
};

void TestInjection::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = pw::test::cliBinary();
    QVERIFY2(QFileInfo(m_cli).isExecutable(), qPrintable(m_cli));
}

void TestInjection::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_home = m_dir->filePath(QStringLiteral("home"));
}

TestInjection::Out TestInjection::cli(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess p;
    p.setProgram(m_cli);
    p.setArguments(QStringList{QStringLiteral("--home"), m_home} + args);
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const QString &k : env.keys())
        e.insert(k, env.value(k));
    p.setProcessEnvironment(e);
    p.setWorkingDirectory(m_dir->path());
    p.start();
    p.closeWriteChannel();
    return pw::test::finishCli(p, args);
}

QString TestInjection::writeFlow(const QString &name, const QByteArray &yaml)
{
    const QString path = m_dir->filePath(name + QStringLiteral(".flow.yaml"));
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(yaml);
    return path;
}

void TestInjection::stringValuesStayText_data()
{
    QTest::addColumn<QString>("value");
    int i = 0;
    for (const QString &v : hostileValues())
        QTest::addRow("%d %s", i++, v.toUtf8().toPercentEncoding(" ").constData()) << v;
}

// A string parameter reaches each command as one argument, exactly its bytes: as a placeholder
// (shell-quoted), through |nodash, and through an environment variable the command quotes.
void TestInjection::stringValuesStayText()
{
    QFETCH(QString, value);
    const QString flow = writeFlow(QStringLiteral("strings"), R"yaml(pipewright: 1
flow: strings
params:
  s: {type: string, default: ""}
tasks:
  arg:
    command: printf '%s' {{s}} > arg.out
  args:
    command: set -- {{s}} {{s}}; printf '%s|' "$#" "$@" > args.out
  nodash:
    command: printf '%s' {{s|nodash}} > nodash.out
  env:
    env: {VALUE: "{{s}}"}
    command: printf '%s' "$VALUE" > env.out
)yaml");
    const Out o = cli({QStringLiteral("run"), flow, QStringLiteral("-p"),
        QStringLiteral("s=") + value, QStringLiteral("--quiet")});
    QVERIFY2(o.code == 0, o.err.constData());
    const QByteArray bytes = value.toUtf8();
    QCOMPARE(readAll(m_dir->filePath(QStringLiteral("arg.out"))), bytes);
    QCOMPARE(readAll(m_dir->filePath(QStringLiteral("args.out"))),
        QByteArray("2|") + bytes + '|' + bytes + '|');
    QCOMPARE(readAll(m_dir->filePath(QStringLiteral("nodash.out"))),
        QString(value).remove(QLatin1Char('-')).toUtf8());
    QCOMPARE(readAll(m_dir->filePath(QStringLiteral("env.out"))), bytes);
    QVERIFY2(!QFileInfo::exists(pwned()), "a command hidden in the value ran");
}

// A choice's values are the flow author's, but a value is still data: quoted like any other.
void TestInjection::choiceValuesStayText()
{
    const QString flow = writeFlow(QStringLiteral("choices"), R"yaml(pipewright: 1
flow: choices
params:
  c:
    type: choice
    values: ["$(touch pwned)", "a'b", "x; touch pwned", "`touch pwned`", "line\ntouch pwned"]
    default: "a'b"
tasks:
  arg:
    command: printf '%s' {{c}} > arg.out
)yaml");
    const QStringList values{QStringLiteral("$(touch pwned)"), QStringLiteral("a'b"),
        QStringLiteral("x; touch pwned"), QStringLiteral("`touch pwned`"),
        QStringLiteral("line\ntouch pwned")};
    for (const QString &v : values) {
        const Out o = cli({QStringLiteral("run"), flow, QStringLiteral("-p"),
            QStringLiteral("c=") + v, QStringLiteral("--quiet"), QStringLiteral("--force")});
        QVERIFY2(o.code == 0, o.err.constData());
        QCOMPARE(readAll(m_dir->filePath(QStringLiteral("arg.out"))), v.toUtf8());
    }
    // A value not among the choices is refused before anything runs.
    const Out o = cli({QStringLiteral("run"), flow, QStringLiteral("-p"),
        QStringLiteral("c=x;touch pwned"), QStringLiteral("--quiet")});
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains("'c'"), o.err.constData());
    QVERIFY2(!QFileInfo::exists(pwned()), "a command hidden in a value ran");
}

void TestInjection::typedParametersRefuseShellSyntax_data()
{
    QTest::addColumn<QString>("param");
    QTest::addColumn<QString>("value");
    const QStringList tails{QStringLiteral("; touch pwned"), QStringLiteral("$(touch pwned)"),
        QStringLiteral("`touch pwned`"), QStringLiteral("\ntouch pwned"),
        QStringLiteral("' && touch pwned '"), QStringLiteral("|touch pwned")};
    const QList<std::pair<QString, QString>> valid{{QStringLiteral("n"), QStringLiteral("42")},
        {QStringLiteral("b"), QStringLiteral("true")},
        {QStringLiteral("d"), QStringLiteral("2026-12-01")},
        {QStringLiteral("t"), QStringLiteral("2026-12-01T10:00:00Z")}};
    for (const auto &[param, good] : valid) {
        for (int i = 0; i < tails.size(); ++i) {
            QTest::addRow("%s suffix %d", qPrintable(param), i) << param << good + tails[i];
            QTest::addRow("%s prefix %d", qPrintable(param), i) << param << tails[i] + good;
        }
        QTest::addRow("%s unicode digits", qPrintable(param))
            << param << QStringLiteral("\u0664\u0662"); // Arabic-Indic 42
    }
}

// Int, bool, date and datetime values are checked against their form before a run exists: a
// value carrying shell syntax is refused (exit 2, the parameter named), nothing runs.
void TestInjection::typedParametersRefuseShellSyntax()
{
    QFETCH(QString, param);
    QFETCH(QString, value);
    const QString flow = writeFlow(QStringLiteral("typed"), kTypedFlow);
    const Out o = cli({QStringLiteral("run"), flow, QStringLiteral("-p"),
        param + QLatin1Char('=') + value, QStringLiteral("--quiet")});
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains(QStringLiteral("'%1'").arg(param).toUtf8()), o.err.constData());
    QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("all.out"))));
    QVERIFY2(!QFileInfo::exists(pwned()), "a command hidden in the value ran");
}

// The flow above runs with valid values of each type: the refusals are about the values.
void TestInjection::typedParametersRun()
{
    const QString flow = writeFlow(QStringLiteral("typed"), kTypedFlow);
    const Out o = cli({QStringLiteral("run"), flow, QStringLiteral("--quiet"), QStringLiteral("-p"),
        QStringLiteral("d=2026-12-01"), QStringLiteral("-p"), QStringLiteral("n=-7"),
        QStringLiteral("-p"), QStringLiteral("b=yes")});
    QVERIFY2(o.code == 0, o.err.constData());
    QVERIFY(readAll(m_dir->filePath(QStringLiteral("all.out"))).startsWith("-7|true|2026-12-01|"));
}

// In SQL a parameter is a bound value (:name), never text: hostile strings are stored as they
// are and the table they aim at survives.
void TestInjection::sqlValuesAreBound()
{
    const QString flow = writeFlow(QStringLiteral("sql"), R"yaml(pipewright: 1
flow: sqlvalues
params:
  s: {type: string, default: ""}
tasks:
  setup:
    type: sql
    connection: local
    sql: CREATE TABLE IF NOT EXISTS t (v TEXT)
  load:
    type: sql
    after: [setup]
    connection: local
    sql: INSERT INTO t VALUES (:s)
)yaml");
    QProcessEnvironment env;
    env.insert(QStringLiteral("PIPEWRIGHT_CONNECTION_LOCAL"), QStringLiteral("sqlite:values.db"));
    const QStringList values{QStringLiteral("x'); DROP TABLE t; --"), QStringLiteral("' OR '1'='1"),
        QStringLiteral("\"; DELETE FROM t; \""), QStringLiteral(":s"), QStringLiteral("?"),
        QStringLiteral("한글\n'"), QString()};
    for (const QString &v : values) {
        const Out o
            = cli({QStringLiteral("run"), flow, QStringLiteral("-p"), QStringLiteral("s=") + v,
                      QStringLiteral("--quiet"), QStringLiteral("--force")},
                env);
        QVERIFY2(o.code == 0, o.err.constData());
    }
    QStringList stored;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v"));
        db.setDatabaseName(m_dir->filePath(QStringLiteral("values.db")));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT v FROM t ORDER BY rowid")));
        while (q.next())
            stored << q.value(0).toString();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v"));
    QCOMPARE(stored, values);
}

QTEST_GUILESS_MAIN(TestInjection)
#include "tst_injection.moc"
