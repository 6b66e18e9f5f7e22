// End-to-end (issue 12): a secret a task echoes — whole and split across two writes — never
// appears in what Pipewright keeps or shows: the log file, any text in the history database,
// `show --json`, the CLI's own output, a notify command's payload or a webhook's body. Tasks and
// notify commands see no PIPEWRIGHT_SECRET_ or PIPEWRIGHT_CONNECTION_ variable; an exposed
// secrets.yaml and an unknown secret are clear errors; what Pipewright creates is user-only.

#include "clirun.h"

#include "filemodes.h"

#include <QDirIterator>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using pw::test::modeOf;

namespace {

const QByteArray kSecret = "secret-value";
const QByteArray kConnectionPassword = "conn-pass-77";

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A webhook that answers 200 to everything and keeps each request's body.
class Hook : public QObject
{
public:
    Hook()
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                connect(s, &QTcpSocket::readyRead, s, [this, s, buffer] {
                    buffer->append(s->readAll());
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const QByteArray head = buffer->left(end).toLower();
                    const qsizetype at = head.indexOf("content-length:");
                    const qsizetype length = at < 0
                        ? 0
                        : head.mid(at + 15, head.indexOf('\r', at) - at - 15)
                              .trimmed()
                              .toLongLong();
                    if (buffer->size() < end + 4 + length)
                        return;
                    requestLines.append(buffer->left(buffer->indexOf("\r\n")));
                    bodies.append(buffer->mid(end + 4, length));
                    s->write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    s->disconnectFromHost();
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }

    QByteArrayList requestLines;
    QByteArrayList bodies;

private:
    QTcpServer m_server;
};

} // namespace

class TestSecretsCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void echoedSecretIsNeverShown();
    void exposedSecretsFileIsRefused();
    void unknownSecretIsAClearError();
    void validateFlagsMisplacedAndShortSecrets();
    void connectionUrlTakesASecret();

private:
    using Out = pw::test::CliOutput;
    // Runs the CLI with the secrets in its environment, serving the event loop meanwhile (the
    // webhook answers from this process).
    Out cli(const QStringList &args, const QProcessEnvironment &env);
    QProcessEnvironment secretEnv() const;
    QString writeFlow(const QString &name, const QByteArray &yaml);
    QStringList homeArgs() const { return {QStringLiteral("--home"), m_home}; }

    QString m_cli;
    QTemporaryDir m_dir;
    QString m_home;
};

void TestSecretsCli::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = pw::test::cliBinary();
    QVERIFY2(QFileInfo(m_cli).isExecutable(), qPrintable(m_cli));
    QVERIFY(m_dir.isValid());
    m_home = m_dir.path() + QStringLiteral("/home"); // made by the CLI
}

TestSecretsCli::Out TestSecretsCli::cli(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    QEventLoop loop;
    connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
    connect(&p, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    p.start(m_cli, args);
    loop.exec();
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
        qWarning("pipewright-cli %s timed out", qPrintable(args.join(' ')));
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
        p.readAllStandardError()};
}

QProcessEnvironment TestSecretsCli::secretEnv() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PIPEWRIGHT_SECRET_TOKEN"), QString::fromUtf8(kSecret));
    env.insert(QStringLiteral("PIPEWRIGHT_CONNECTION_WAREHOUSE"),
        QStringLiteral("postgresql://etl:%1@db.invalid/dw")
            .arg(QString::fromUtf8(kConnectionPassword)));
    return env;
}

QString TestSecretsCli::writeFlow(const QString &name, const QByteArray &yaml)
{
    const QString path = m_dir.path() + QLatin1Char('/') + name + QStringLiteral(".flow.yaml");
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(yaml);
    return path;
}

void TestSecretsCli::echoedSecretIsNeverShown()
{
    Hook hook;
    QVERIFY(hook.port() > 0);
    const QString payload = m_dir.path() + QStringLiteral("/payload.json");
    const QString notifyEnv = m_dir.path() + QStringLiteral("/notify-env.txt");
    const QString modes = m_dir.path() + QStringLiteral("/modes.txt");
    // The task fails (so notify fires) after printing the secret whole, split across two
    // writes and through its env; its error and the notify command's output hold it too. While
    // it runs, it notes the modes of the history database and its -wal/-shm.
    const QString flow = writeFlow("leak",
        QStringLiteral(R"(pipewright: 1
flow: leak
notify:
  on: [failure]
  command: "cat > '%1'; env > '%2'; echo 'hook says {{secret:TOKEN}}'; exit 4"
  webhook: "http://127.0.0.1:%3/hook?token={{secret:TOKEN}}"
tasks:
  leak:
    type: shell
    env: {TOK: "tok={{secret:TOKEN}}"}
    command: >-
      printf 'sec'; sleep 0.1; printf 'ret-value\n';
      echo {{secret:TOKEN}}; echo "$TOK" >&2; env;
      stat -c '%a %n' "$PIPEWRIGHT_TEST_HOME"/history.sqlite* > '%4';
      exit 3
)")
            .arg(payload, notifyEnv)
            .arg(hook.port())
            .arg(modes)
            .toUtf8());
    QProcessEnvironment env = secretEnv();
    env.insert(QStringLiteral("PIPEWRIGHT_TEST_HOME"), m_home);
    const Out run = cli(homeArgs() + QStringList{"run", flow}, env);
    QCOMPARE(run.code, 1);
    QTRY_COMPARE_WITH_TIMEOUT(hook.bodies.size(), 1, 10000);
    const Out show = cli(homeArgs() + QStringList{"show", "1", "--json"}, env);
    QCOMPARE(show.code, 0);
    const Out logs = cli(homeArgs() + QStringList{"logs", "1", "leak"}, env);
    QCOMPARE(logs.code, 0);

    // The secret was really used: the log shows where it was, masked.
    const QString logPath = m_home + QStringLiteral("/logs/1/leak/attempt-1.log");
    const QByteArray log = readAll(logPath);
    QVERIFY2(log.startsWith("***\n***\n"), log.constData());
    QVERIFY2(log.contains("tok=***"), log.constData());
    QVERIFY2(hook.requestLines.first().contains(QByteArray("token=" + kSecret)),
        hook.requestLines.first().constData());

    // Children never see Pipewright's own secret variables.
    const QByteArray notified = readAll(notifyEnv);
    QVERIFY(notified.contains("PW_NOTIFY_EVENT=failure"));
    for (const QByteArray &text : {log, notified}) {
        QVERIFY2(!text.contains("PIPEWRIGHT_SECRET_"), text.constData());
        QVERIFY2(!text.contains("PIPEWRIGHT_CONNECTION_"), text.constData());
    }

    QList<std::pair<QString, QByteArray>> shown{
        {"run stdout", run.out},
        {"run stderr", run.err},
        {"show --json", show.out},
        {"show stderr", show.err},
        {"logs", logs.out},
        {"notify payload", readAll(payload)},
        {"webhook body", hook.bodies.first()},
    };
    QDirIterator files(m_home, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString f = files.next();
        if (!f.endsWith(QLatin1String(".sqlite"))) // the database is read by its tables below
            shown.append({f, readAll(f)});
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), "scan");
        db.setDatabaseName(m_home + QStringLiteral("/history.sqlite"));
        QVERIFY(db.open());
        QSqlQuery tables(db);
        QVERIFY(tables.exec("SELECT name FROM sqlite_master WHERE type = 'table'"));
        int rows = 0;
        while (tables.next()) {
            const QString table = tables.value(0).toString();
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT * FROM \"%1\"").arg(table)));
            while (q.next()) {
                ++rows;
                for (int c = 0; c < q.record().count(); ++c)
                    shown.append({table + QLatin1Char('.') + q.record().fieldName(c),
                        q.value(c).toByteArray()});
            }
        }
        QVERIFY(rows > 10);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("scan"));
    bool maskedError = false;
    for (const auto &[where, text] : std::as_const(shown)) {
        QVERIFY2(!text.contains(kSecret), qPrintable(where + QStringLiteral(": ") + text));
        QVERIFY2(!text.contains(kConnectionPassword), qPrintable(where));
        maskedError = maskedError || text.contains("hook says ***");
    }
    QVERIFY(maskedError); // the notify command's output made it into the history, masked

    // What Pipewright made is the user's only: checked while the engine had it open, and after.
    const QByteArray whileOpen = readAll(modes);
    for (const char *file : {"history.sqlite", "history.sqlite-wal", "history.sqlite-shm"}) {
        const QByteArray line = "600 " + m_home.toUtf8() + '/' + file + '\n';
        QVERIFY2(whileOpen.contains(line), whileOpen.constData());
    }
    QCOMPARE(modeOf(m_home), 0700);
    QCOMPARE(modeOf(m_home + QStringLiteral("/history.sqlite")), 0600);
    for (const char *dir : {"/logs", "/logs/1", "/logs/1/leak"})
        QCOMPARE(modeOf(m_home + QLatin1String(dir)), 0700);
    QCOMPARE(modeOf(logPath), 0600);
    const Out set = cli(
        homeArgs() + QStringList{"connection", "set", "dw", "postgresql://u:{{secret:TOKEN}}@h/db"},
        env);
    QCOMPARE(set.code, 0);
    QCOMPARE(modeOf(m_home + QStringLiteral("/connections.yaml")), 0600);
}

void TestSecretsCli::exposedSecretsFileIsRefused()
{
    const QString home = m_dir.path() + QStringLiteral("/exposed");
    QVERIFY(QDir().mkpath(home));
    const QString file = home + QStringLiteral("/secrets.yaml");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("TOKEN: " + kSecret + "\n");
    f.close();
    QCOMPARE(::chmod(QFile::encodeName(file).constData(), 0644), 0);
    const QString flow = writeFlow("exposed",
        "pipewright: 1\nflow: exposed\ntasks:\n  t: {type: shell, command: 'echo "
        "{{secret:TOKEN}}'}\n");
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString refusal
        = QStringLiteral("%1 is accessible by other users (mode 0644) and holds secrets; "
                         "refusing to use it: chmod 600 %1")
              .arg(file);
    const Out validate = cli({"--home", home, "validate", flow}, env);
    QCOMPARE(validate.code, 2);
    QVERIFY2(validate.err.contains(refusal.toUtf8()), validate.err.constData());
    const Out run = cli({"--home", home, "run", flow}, env);
    QCOMPARE(run.code, 1);
    QVERIFY2(run.out.contains(refusal.toUtf8()) || run.err.contains(refusal.toUtf8()),
        QByteArray(run.out + run.err).constData());
    QVERIFY(!run.out.contains(kSecret) && !run.err.contains(kSecret));
    QVERIFY(!QFile::exists(home + QStringLiteral("/logs/1/t/attempt-1.log"))); // nothing ran

    QCOMPARE(::chmod(QFile::encodeName(file).constData(), 0600), 0);
    const Out again = cli({"--home", home, "run", flow}, env);
    QCOMPARE(again.code, 0);
    QCOMPARE(readAll(home + QStringLiteral("/logs/1/t/attempt-2.log")), QByteArray("***\n"));
}

void TestSecretsCli::unknownSecretIsAClearError()
{
    const QString flow = writeFlow("unknown",
        "pipewright: 1\nflow: unknown\ntasks:\n  t: {type: shell, command: 'echo "
        "{{secret:NOPE}}'}\n");
    const Out validate = cli(homeArgs() + QStringList{"validate", flow}, secretEnv());
    QCOMPARE(validate.code, 2);
    const QByteArray message = "secret 'NOPE' is not defined: set PIPEWRIGHT_SECRET_NOPE or add "
                               "'NOPE: VALUE' to "
        + m_home.toUtf8() + "/secrets.yaml (mode 600)";
    QVERIFY2(validate.err.contains(QByteArray(flow.toUtf8() + ":4:3: " + message)),
        validate.err.constData());
    const Out run = cli(homeArgs() + QStringList{"run", flow, "--json"}, secretEnv());
    QCOMPARE(run.code, 1);
    const QJsonObject doc = pw::test::jsonObject(run.out);
    const QJsonObject attempt
        = doc["tasks"].toArray()[0].toObject()["attempts"].toArray()[0].toObject();
    QCOMPARE(attempt["error"].toString(), QStringLiteral("spawn: ") + QString::fromUtf8(message));
    QVERIFY(attempt["log"].isString());
    QVERIFY(!QFile::exists(attempt["log"].toString()));
}

void TestSecretsCli::validateFlagsMisplacedAndShortSecrets()
{
    const QString sql = writeFlow("insql",
        "pipewright: 1\nflow: insql\ntasks:\n  q: {type: sql, connection: dw, sql: \"SELECT "
        "'{{secret:TOKEN}}'\"}\n");
    Out o = cli(homeArgs() + QStringList{"validate", sql}, secretEnv());
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains("secrets cannot be used in SQL text"), o.err.constData());

    QProcessEnvironment env = secretEnv();
    env.insert(QStringLiteral("PIPEWRIGHT_SECRET_PIN"), QStringLiteral("42"));
    const QString shortOne = writeFlow("short",
        "pipewright: 1\nflow: short\ntasks:\n  t: {type: shell, command: 'login "
        "{{secret:PIN}}'}\n");
    o = cli(homeArgs() + QStringList{"validate", shortOne}, env);
    QCOMPARE(o.code, 0);
    QVERIFY2(o.err.contains("warning: secret 'PIN' is shorter than 3 characters, so it is not "
                            "masked in logs and history"),
        o.err.constData());
    o = cli(homeArgs() + QStringList{"validate", "--strict", shortOne}, env);
    QCOMPARE(o.code, 2);
}

void TestSecretsCli::connectionUrlTakesASecret()
{
    // The connection's URL names its file through a secret; the sql task runs on it.
    const QString home = m_dir.path() + QStringLiteral("/sqlhome");
    const QString db = m_dir.path() + QStringLiteral("/warehouse.db");
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PIPEWRIGHT_SECRET_WH_FILE"), db);
    Out o = cli({"--home", home, "connection", "set", "wh", "sqlite:{{secret:WH_FILE}}"}, env);
    QCOMPARE(o.code, 0);
    QVERIFY(readAll(home + QStringLiteral("/connections.yaml")).contains("{{secret:WH_FILE}}"));
    const QString flow = writeFlow("load",
        "pipewright: 1\nflow: load\ntasks:\n  q: {type: sql, connection: wh, sql: 'CREATE TABLE "
        "t (x INTEGER)'}\n");
    o = cli({"--home", home, "run", flow}, env);
    QCOMPARE(o.code, 0);
    QVERIFY(QFileInfo::exists(db));
    env.remove(QStringLiteral("PIPEWRIGHT_SECRET_WH_FILE"));
    o = cli({"--home", home, "run", "--force", flow}, env);
    QCOMPARE(o.code, 1);
    QVERIFY2(o.out.contains("connection 'wh': secret 'WH_FILE' is not defined"), o.out.constData());
}

QTEST_GUILESS_MAIN(TestSecretsCli)
#include "tst_secretscli.moc"
