// Secrets (issue 12): {{secret:NAME}} in templates, where values come from (the environment,
// else the home's secrets.yaml, refused when others may read it), the errors that name a secret
// and never its value, what validate says, the masking rule (SecretMask) and the task log that
// masks a value arriving in pieces, and the modes of what Pipewright creates (PrivateFiles).

#include "engine/attemptspecbuilder.h"
#include "engine/connections.h"
#include "engine/secrets.h"
#include "format/flowloader.h"
#include "format/flowvalidator.h"
#include "format/runplanner.h"
#include "model/secretmask.h"
#include "model/template.h"
#include "platform/privatefiles.h"
#include "runners/attemptlog.h"

#include "filemodes.h"

#include <QtTest>

using namespace pw;
using pw::test::modeOf;
using pw::test::writeWithMode;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestSecrets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void templateNamesSecrets_data();
    void templateNamesSecrets();
    void environmentThenFile();
    void exposedFileIsRefused();
    void unknownSecretNamesItNotAValue();
    void renderAllowsOnlySecrets();
    void validatorAllowsSecretsOnlyWhereTheyRun_data();
    void validatorAllowsSecretsOnlyWhereTheyRun();
    void checkReportsUnknownAndShortSecrets();
    void attemptFailsOnUnknownSecret();
    void commandAndEnvGetSecretValues();
    void maskRules();
    void logMasksSecretsSplitAcrossReads_data();
    void logMasksSecretsSplitAcrossReads();
    void parameterHoldingASecretIsRefused();
    void privateFilesAndDirectories();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSecrets::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestSecrets::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSecrets::cleanup()
{
    for (const char *name : {"PIPEWRIGHT_SECRET_API_TOKEN", "PIPEWRIGHT_SECRET_PW"})
        qunsetenv(name);
    m_dir.reset();
}

void TestSecrets::templateNamesSecrets_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<QString>("error"); // part of the parse error; empty = parses
    QTest::newRow("one") << "curl -H {{secret:api.token}} {{date}}" << QStringList{"api.token"}
                         << "";
    QTest::newRow("spaces and filters")
        << "x {{ secret:PW | raw }} {{secret:PW}}" << QStringList{"PW"} << "";
    QTest::newRow("none") << "echo {{date}}" << QStringList{} << "";
    QTest::newRow("empty name") << "{{secret:}}" << QStringList{} << "invalid secret name ''";
    QTest::newRow("bad name") << "{{secret:a b}}" << QStringList{} << "invalid secret name";
    QTest::newRow("leading dot") << "{{secret:.x}}" << QStringList{} << "invalid secret name";
    QTest::newRow("colon elsewhere") << "{{other:x}}" << QStringList{} << "invalid name";
}

void TestSecrets::templateNamesSecrets()
{
    QFETCH(QString, text);
    QFETCH(QStringList, secrets);
    QFETCH(QString, error);
    const auto t = Template::parse(text);
    if (!error.isEmpty()) {
        QVERIFY(!t);
        QVERIFY2(t.error().message.contains(error), qPrintable(t.error().message));
        return;
    }
    QVERIFY(t);
    QCOMPARE(t->secrets(), secrets);
    QCOMPARE(Template::secretName(Template::secretPlaceholder(QStringLiteral("X"))),
        QStringLiteral("X"));
    QVERIFY(Template::secretName(QStringLiteral("date")).isEmpty());
}

void TestSecrets::environmentThenFile()
{
    const Secrets secrets{Home(m_dir->path())};
    QCOMPARE(Secrets::envName(QStringLiteral("api.token")),
        QStringLiteral("PIPEWRIGHT_SECRET_API_TOKEN"));
    writeWithMode(secrets.path(), "api.token: from-file\nPW: 'p w'\n", 0600);
    QCOMPARE(*secrets.value(QStringLiteral("api.token")), QStringLiteral("from-file"));
    qputenv("PIPEWRIGHT_SECRET_API_TOKEN", "from-env");
    QCOMPARE(*secrets.value(QStringLiteral("api.token")), QStringLiteral("from-env"));
    QCOMPARE(*secrets.value(QStringLiteral("PW")), QStringLiteral("p w"));
    // What was read is masked from now on.
    QCOMPARE(
        SecretMask::apply(QStringLiteral("a from-env b from-file")), QStringLiteral("a *** b ***"));
}

void TestSecrets::exposedFileIsRefused()
{
    const Secrets secrets{Home(m_dir->path())};
    writeWithMode(secrets.path(), "PW: hunter2-exposed\n", 0640);
    const auto v = secrets.value(QStringLiteral("PW"));
    QVERIFY(!v);
    const QString m = v.error().message;
    QVERIFY2(m.contains(QStringLiteral("secret 'PW'")), qPrintable(m));
    QVERIFY2(m.contains(QStringLiteral("chmod 600 ") + secrets.path()), qPrintable(m));
    QVERIFY2(m.contains(QStringLiteral("0640")), qPrintable(m));
    QVERIFY(!m.contains(QStringLiteral("hunter2")));
    // The environment does not need the file.
    qputenv("PIPEWRIGHT_SECRET_PW", "from-env");
    QCOMPARE(*secrets.value(QStringLiteral("PW")), QStringLiteral("from-env"));
}

void TestSecrets::unknownSecretNamesItNotAValue()
{
    const Secrets secrets{Home(m_dir->path())};
    writeWithMode(secrets.path(), "OTHER: other-value\n", 0600);
    const auto v = secrets.value(QStringLiteral("api.token"));
    QVERIFY(!v);
    QCOMPARE(v.error().message,
        QStringLiteral("secret 'api.token' is not defined: set PIPEWRIGHT_SECRET_API_TOKEN or add "
                       "'api.token: VALUE' to %1 (mode 600)")
            .arg(secrets.path()));
    // A malformed file names the position, not the text around it.
    writeWithMode(secrets.path(), "PW: [unclosed-secret-text\n", 0600);
    const auto bad = secrets.value(QStringLiteral("PW"));
    QVERIFY(!bad);
    QVERIFY2(!bad.error().message.contains(QStringLiteral("unclosed-secret-text")),
        qPrintable(bad.error().message));
}

void TestSecrets::renderAllowsOnlySecrets()
{
    const Secrets secrets{Home(m_dir->path())};
    qputenv("PIPEWRIGHT_SECRET_PW", "pa:ss");
    QCOMPARE(*secrets.render(QStringLiteral("postgresql://u:{{secret:PW}}@h/db")),
        QStringLiteral("postgresql://u:pa:ss@h/db"));
    QCOMPARE(*secrets.render(QStringLiteral("sqlite:///x.db")), QStringLiteral("sqlite:///x.db"));
    const auto other = secrets.render(QStringLiteral("http://h/{{date}}"));
    QVERIFY(!other);
    QCOMPARE(other.error().message,
        QStringLiteral("only {{secret:NAME}} may be used here, not '{{date}}'"));
    QCOMPARE(*Template::withStandInSecrets(QStringLiteral("https://h/x?t={{secret:PW}}")),
        QStringLiteral("https://h/x?t=secret"));
    QVERIFY(!Template::withStandInSecrets(QStringLiteral("https://h/{{flow}}")));
    // A connection keeps its secret unresolved; only secrets may be named there.
    const Connections connections{Home(m_dir->path())};
    QVERIFY(
        connections.set(QStringLiteral("dw"), QStringLiteral("postgresql://u:{{secret:PW}}@h/db")));
    QCOMPARE(*connections.url(QStringLiteral("dw")), QStringLiteral("postgresql://u:pa:ss@h/db"));
    QVERIFY(!connections.set(QStringLiteral("dw"), QStringLiteral("postgresql://u:{{date}}@h/db")));
    // --db URLs take secrets too.
    const auto where
        = StoreLocation::resolve(m_dir->path(), QStringLiteral("sqlite://{{secret:PW}}"));
    QVERIFY(where);
    QCOMPARE(where->historyPath, QStringLiteral("pa:ss"));
}

void TestSecrets::validatorAllowsSecretsOnlyWhereTheyRun_data()
{
    QTest::addColumn<QString>("task");
    QTest::addColumn<QString>("error"); // empty = valid
    QTest::newRow("command") << "{type: shell, command: 'curl {{secret:T}}'}"
                             << "";
    QTest::newRow("env") << "{type: shell, command: 'true', env: {T: 'x{{secret:T}}'}}"
                         << "";
    QTest::newRow("workdir") << "{type: shell, command: 'true', workdir: '{{secret:T}}'}"
                             << "workdir: '{{secret:T}}' cannot be used here";
    QTest::newRow("outputs") << "{type: shell, command: 'true', outputs: ['{{secret:T}}']}"
                             << "outputs: '{{secret:T}}' cannot be used here";
    QTest::newRow("sql") << "{type: sql, connection: c, sql: 'SELECT {{secret:T}}'}"
                         << "secrets cannot be used in SQL text";
    QTest::newRow("partition")
        << "{type: sql, connection: c, sql: 'SELECT 1', partition: {table: t, column: d, value: "
           "'{{secret:T}}'}}"
        << "partition value: '{{secret:T}}' cannot be used here";
    QTest::newRow("wait_file") << "{type: wait_file, wait_file: {path: '{{secret:T}}'}}"
                               << "wait_file path: '{{secret:T}}' cannot be used here";
}

void TestSecrets::validatorAllowsSecretsOnlyWhereTheyRun()
{
    QFETCH(QString, task);
    QFETCH(QString, error);
    const QByteArray yaml = "pipewright: 1\nflow: f\n"
                            "notify: {command: 'x {{secret:T}}', webhook: "
                            "'https://hooks.example/{{secret:T}}?k={{secret:T}}'}\n"
                            "tasks:\n  t: "
        + task.toUtf8() + "\n";
    const auto flow = FlowLoader::loadData(yaml, QStringLiteral("f.flow.yaml"));
    if (error.isEmpty()) {
        QVERIFY2(flow, flow ? "" : qPrintable(flow.error().first().toString()));
        return;
    }
    QVERIFY(!flow);
    QVERIFY2(
        flow.error().first().message.contains(error), qPrintable(flow.error().first().toString()));
}

void TestSecrets::checkReportsUnknownAndShortSecrets()
{
    const auto flow
        = FlowLoader::loadData("pipewright: 1\nflow: f\n"
                               "notify: {webhook: 'https://h.example/{{secret:HOOK}}'}\n"
                               "tasks:\n"
                               "  a: {type: shell, command: 'x {{secret:PW}}'}\n"
                               "  b: {type: shell, command: 'y', env: {K: '{{secret:NOPE}}'}}\n",
            QStringLiteral("f.flow.yaml"));
    QVERIFY(flow);
    const Secrets secrets{Home(m_dir->path())};
    writeWithMode(secrets.path(), "PW: ab\nHOOK: long-enough\n", 0600);
    const Errors found = secrets.check(*flow);
    QCOMPARE(found.size(), 2);
    QCOMPARE(found[0].severity, Error::Severity::Warning);
    QVERIFY2(found[0].message.contains(QStringLiteral("secret 'PW' is shorter than 3")),
        qPrintable(found[0].message));
    QCOMPARE(found[0].line, 5);
    QCOMPARE(found[1].severity, Error::Severity::Error);
    QVERIFY2(found[1].message.startsWith(QStringLiteral("secret 'NOPE' is not defined")),
        qPrintable(found[1].message));
    QCOMPARE(found[1].field, (QStringList{"tasks", "b", "env", "K"}));
}

void TestSecrets::attemptFailsOnUnknownSecret()
{
    const auto flow = FlowLoader::loadData(
        "pipewright: 1\nflow: f\ntasks:\n  a: {type: shell, command: 'echo {{secret:NOPE}}'}\n",
        QStringLiteral("f.flow.yaml"));
    QVERIFY(flow);
    const auto plan = RunPlanner::plan(*flow, {});
    QVERIFY(plan);
    const AttemptSpecBuilder builder(Home(m_dir->path()), *plan, 1, 1, 5000);
    const AttemptSpec spec = builder.build(flow->tasks.first(), 1);
    QVERIFY(spec.failure);
    QCOMPARE(spec.failure->kind, AttemptError::Kind::Spawn);
    QVERIFY2(spec.failure->detail.startsWith(QStringLiteral("secret 'NOPE' is not defined")),
        qPrintable(spec.failure->detail));
}

void TestSecrets::commandAndEnvGetSecretValues()
{
    qputenv("PIPEWRIGHT_SECRET_PW", "it's secret");
    const auto flow = FlowLoader::loadData("pipewright: 1\nflow: f\ntasks:\n"
                                           "  a: {type: shell, command: 'login {{secret:PW}} "
                                           "{{secret:PW|raw}}', env: {P: '<{{secret:PW}}>'}}\n",
        QStringLiteral("f.flow.yaml"));
    QVERIFY(flow);
    const auto plan = RunPlanner::plan(*flow, {});
    QVERIFY(plan);
    const AttemptSpec spec
        = AttemptSpecBuilder(Home(m_dir->path()), *plan, 1, 1, 5000).build(flow->tasks.first(), 1);
    QVERIFY(!spec.failure);
    QCOMPARE(spec.command, QStringLiteral("login 'it'\\''s secret' it's secret"));
    QCOMPARE(spec.env.value(QStringLiteral("P")), QStringLiteral("<it's secret>"));
}

void TestSecrets::maskRules()
{
    SecretMask::add(QStringLiteral("ab")); // too short: never masked
    SecretMask::add(QStringLiteral("tok"));
    SecretMask::add(QStringLiteral("token-long"));
    QCOMPARE(SecretMask::apply(QStringLiteral("ab tok token-long")), QStringLiteral("ab *** ***"));
    QCOMPARE(SecretMask::apply(QByteArray("x token-long y"), SecretMask::values()),
        QByteArray("x *** y"));
    QCOMPARE(SecretMask::apply(QStringLiteral("pw=xyz"), QStringLiteral("xyz")),
        QStringLiteral("pw=***"));
    QCOMPARE(
        SecretMask::apply(QStringLiteral("pw=xy"), QStringLiteral("xy")), QStringLiteral("pw=xy"));
}

void TestSecrets::logMasksSecretsSplitAcrossReads_data()
{
    QTest::addColumn<int>("chunk"); // bytes per append
    for (int n : {1, 2, 3, 5, 7, 11, 64})
        QTest::newRow(qPrintable(QString::number(n))) << n;
}

void TestSecrets::logMasksSecretsSplitAcrossReads()
{
    QFETCH(int, chunk);
    const QList<QByteArray> secrets{"secret-value", "s3cr3t"};
    const QByteArray output = "start secret-value mid s3cr3tsecret-value\nsecret-valu end secre";
    const QString path = m_dir->path() + QStringLiteral("/logs/1/t/attempt-1.log");
    {
        AttemptLog log(path, AttemptLog::kDefaultLimit, secrets);
        for (qsizetype i = 0; i < output.size(); i += chunk)
            QVERIFY(!log.append(output.mid(i, chunk)));
        QVERIFY(!log.finish());
    }
    QCOMPARE(readAll(path), QByteArray("start *** mid ******\nsecret-valu end secre"));
}

void TestSecrets::parameterHoldingASecretIsRefused()
{
    SecretMask::add(QStringLiteral("param-secret-1"));
    const auto flow = FlowLoader::loadData(
        "pipewright: 1\nflow: f\nparams: {p: {type: string}}\ntasks:\n  a: {type: noop}\n",
        QStringLiteral("f.flow.yaml"));
    QVERIFY(flow);
    const auto plan = RunPlanner::plan(*flow, {{QStringLiteral("p"), "x-param-secret-1"}});
    QVERIFY(!plan);
    QVERIFY2(plan.error().message.contains(QStringLiteral("parameter 'p' holds the value of a "
                                                          "secret")),
        qPrintable(plan.error().message));
    QVERIFY(!plan.error().message.contains(QStringLiteral("param-secret-1")));
}

void TestSecrets::privateFilesAndDirectories()
{
    const QString base = m_dir->path();
    QVERIFY(PrivateFiles::makeDirs(base + QStringLiteral("/a/b/c")));
    for (const char *d : {"/a", "/a/b", "/a/b/c"})
        QCOMPARE(modeOf(base + QLatin1String(d)), 0700);
    QVERIFY(PrivateFiles::ensureFile(base + QStringLiteral("/x/y/file")));
    QCOMPARE(modeOf(base + QStringLiteral("/x/y/file")), 0600);
    QCOMPARE(modeOf(base + QStringLiteral("/x")), 0700);
    // An existing file keeps its mode.
    writeWithMode(base + QStringLiteral("/mine"), "m", 0644);
    QVERIFY(PrivateFiles::ensureFile(base + QStringLiteral("/mine")));
    QCOMPARE(modeOf(base + QStringLiteral("/mine")), 0644);
    QVERIFY(PrivateFiles::write(base + QStringLiteral("/mine"), "new"));
    QCOMPARE(modeOf(base + QStringLiteral("/mine")), 0600);
    QCOMPARE(readAll(base + QStringLiteral("/mine")), QByteArray("new"));
    writeWithMode(base + QStringLiteral("/exposed"), "e", 0604);
    const auto exposed
        = PrivateFiles::checkPrivate(base + QStringLiteral("/exposed"), QStringLiteral("secrets"));
    QVERIFY(!exposed);
    QVERIFY2(exposed.error().message.contains(QStringLiteral("(mode 0604) and holds secrets")),
        qPrintable(exposed.error().message));
    QVERIFY(PrivateFiles::checkPrivate(base + QStringLiteral("/mine"), QStringLiteral("secrets")));
    // A log is private whatever the umask (the test runs with the usual 022).
    AttemptLog log(base + QStringLiteral("/logs/7/t/attempt-1.log"), AttemptLog::kDefaultLimit, {});
    QVERIFY(!log.append("x"));
    QCOMPARE(modeOf(base + QStringLiteral("/logs/7/t/attempt-1.log")), 0600);
    QCOMPARE(modeOf(base + QStringLiteral("/logs/7")), 0700);
}

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
