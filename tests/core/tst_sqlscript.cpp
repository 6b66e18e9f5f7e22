// SqlScript: splitting a sql task's script into statements with their lines, the bound
// :parameters, and the placeholder forms the drivers take. A pure function: a table test.

#include "runners/sqlscript.h"

#include <QtTest>

using namespace pw;

class TestSqlScript : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void split_data();
    void split();
    void parameters_data();
    void parameters();
    void bind_data();
    void bind();
    void controlsTransaction_data();
    void controlsTransaction();
    void qualifiedName_data();
    void qualifiedName();
};

// Each expected statement as "LINE|TEXT".
// clang-format off
void TestSqlScript::split_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("statements");

    QTest::newRow("one, no semicolon") << "SELECT 1" << QStringList{"1|SELECT 1"};
    QTest::newRow("two on lines") << "SELECT 1;\nSELECT 2;\n" << QStringList{"1|SELECT 1", "2|SELECT 2"};
    QTest::newRow("empty statements dropped") << ";; SELECT 1 ;;\n;" << QStringList{"1|SELECT 1"};
    QTest::newRow("only comments") << "-- nothing\n/* here */\n" << QStringList{};
    QTest::newRow("empty") << "" << QStringList{};
    QTest::newRow("line of first token, comments before dropped")
        << "-- load\n\n  /* the day */\n  INSERT INTO t VALUES (1);\n\n\nDELETE FROM u"
        << QStringList{"4|INSERT INTO t VALUES (1)", "7|DELETE FROM u"};
    QTest::newRow("; in a string") << "INSERT INTO t VALUES ('a;b');SELECT 2"
        << QStringList{"1|INSERT INTO t VALUES ('a;b')", "1|SELECT 2"};
    QTest::newRow("'' escape in a string") << "SELECT 'it''s; ok'; SELECT 2"
        << QStringList{"1|SELECT 'it''s; ok'", "1|SELECT 2"};
    QTest::newRow("E string with backslash quote") << "SELECT E'a\\';b'; SELECT 2"
        << QStringList{"1|SELECT E'a\\';b'", "1|SELECT 2"};
    QTest::newRow("backslash in a plain string is plain") << "SELECT 'a\\'; SELECT 2"
        << QStringList{"1|SELECT 'a\\'", "1|SELECT 2"};
    QTest::newRow("multi-line string counts lines") << "SELECT 'a\nb;\nc';\nSELECT 2"
        << QStringList{"1|SELECT 'a\nb;\nc'", "4|SELECT 2"};
    QTest::newRow("quoted identifier") << "SELECT \"a;\"\"b\" FROM t; SELECT 2"
        << QStringList{"1|SELECT \"a;\"\"b\" FROM t", "1|SELECT 2"};
    QTest::newRow("backquoted identifier") << "SELECT `a;b`; SELECT 2"
        << QStringList{"1|SELECT `a;b`", "1|SELECT 2"};
    QTest::newRow("; in a line comment") << "SELECT 1 -- a; b\n; SELECT 2"
        << QStringList{"1|SELECT 1 -- a; b", "2|SELECT 2"};
    QTest::newRow("; in a block comment") << "SELECT /* ; */ 1; SELECT 2"
        << QStringList{"1|SELECT /* ; */ 1", "1|SELECT 2"};
    QTest::newRow("nested block comment") << "SELECT /* a /* ; */ ; */ 1; SELECT 2"
        << QStringList{"1|SELECT /* a /* ; */ ; */ 1", "1|SELECT 2"};
    QTest::newRow("quote inside a comment") << "SELECT 1 -- don't\n; SELECT 2"
        << QStringList{"1|SELECT 1 -- don't", "2|SELECT 2"};
    QTest::newRow("$$ body")
        << "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;\nSELECT f()"
        << QStringList{"1|CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql", "2|SELECT f()"};
    QTest::newRow("$tag$ body with $$ inside")
        << "DO $body$ BEGIN PERFORM '$$;'; END $body$; SELECT 2"
        << QStringList{"1|DO $body$ BEGIN PERFORM '$$;'; END $body$", "1|SELECT 2"};
    QTest::newRow("$1 is not a dollar quote") << "SELECT $1; SELECT $2"
        << QStringList{"1|SELECT $1", "1|SELECT $2"};
    QTest::newRow("$ inside an identifier") << "SELECT a$b; SELECT 2"
        << QStringList{"1|SELECT a$b", "1|SELECT 2"};
    QTest::newRow("sqlite trigger body")
        << "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  INSERT INTO log VALUES (1);\n  UPDATE c SET n = n + 1;\nEND;\nSELECT 2"
        << QStringList{"1|CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  INSERT INTO log VALUES (1);\n  UPDATE c SET n = n + 1;\nEND", "5|SELECT 2"};
    QTest::newRow("trigger body with CASE ... END")
        << "CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN SELECT CASE WHEN 1 THEN 2 END; END; SELECT 3"
        << QStringList{"1|CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN SELECT CASE WHEN 1 THEN 2 END; END", "1|SELECT 3"};
    QTest::newRow("postgres trigger without a body")
        << "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f(); SELECT 2"
        << QStringList{"1|CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", "1|SELECT 2"};
    QTest::newRow("BEGIN ATOMIC body")
        << "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3"
        << QStringList{"1|CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END", "1|SELECT 3"};
    QTest::newRow("CASE outside CREATE splits normally") << "SELECT CASE WHEN 1 THEN 2 END; SELECT 3"
        << QStringList{"1|SELECT CASE WHEN 1 THEN 2 END", "1|SELECT 3"};
    QTest::newRow("unterminated string runs to the end") << "SELECT 'a; SELECT 2"
        << QStringList{"1|SELECT 'a; SELECT 2"};
    QTest::newRow("CRLF lines") << "SELECT 1;\r\nSELECT 2" << QStringList{"1|SELECT 1", "2|SELECT 2"};
}
// clang-format on

void TestSqlScript::split()
{
    QFETCH(QString, script);
    QFETCH(QStringList, statements);
    QStringList got;
    for (const SqlStatement &s : SqlScript::split(script))
        got << QString::number(s.line) + QLatin1Char('|') + s.text;
    QCOMPARE(got, statements);
}

// Each statement's parameters as "name@offset", statements separated by " | ".
// clang-format off
void TestSqlScript::parameters_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("parameters");

    QTest::newRow("one") << "SELECT :date" << "date@7";
    QTest::newRow("several, repeated") << "SELECT :a, :b_2, :a" << "a@7 b_2@11 a@17";
    QTest::newRow("per statement offsets") << "SELECT :a; SELECT 1, :b" << "a@7 | b@10";
    QTest::newRow("cast is not a parameter") << "SELECT :d::date, x::text" << "d@7";
    QTest::newRow("not in strings or comments")
        << "SELECT ':a', \":b\", :c -- :d\n/* :e */ , $$ :f $$" << "c@19";
    QTest::newRow(":= and : alone are not") << "SELECT a[1:2], :x := 1, : y" << "x@15";
    QTest::newRow("digits after the colon are not") << "SELECT '10:30', t[1:3]" << "";
}
// clang-format on

void TestSqlScript::parameters()
{
    QFETCH(QString, script);
    QFETCH(QString, parameters);
    QStringList statements;
    for (const SqlStatement &s : SqlScript::split(script)) {
        QStringList p;
        for (const SqlStatement::Parameter &x : s.parameters) {
            p << x.name + QLatin1Char('@') + QString::number(x.offset);
            QCOMPARE(s.text.mid(x.offset, x.length), QLatin1Char(':') + x.name);
        }
        statements << p.join(QLatin1Char(' '));
    }
    QCOMPARE(statements.join(QStringLiteral(" | ")), parameters);
}

// clang-format off
void TestSqlScript::bind_data()
{
    QTest::addColumn<QString>("statement");
    QTest::addColumn<bool>("dollar");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("names");

    QTest::newRow("sqlite: one ? per use") << "INSERT INTO t VALUES (:a, :b, :a)" << false
        << "INSERT INTO t VALUES (?, ?, ?)" << QStringList{"a", "b", "a"};
    QTest::newRow("sqlite: comments kept") << "SELECT :a -- :b?\n, 1" << false
        << "SELECT ? -- :b?\n, 1" << QStringList{"a"};
    QTest::newRow("postgres: $n per name") << "INSERT INTO t VALUES (:a, :b, :a::date)" << true
        << "INSERT INTO t VALUES ($1, $2, $1::date)" << QStringList{"a", "b"};
    QTest::newRow("postgres: comments blanked, lines kept") << "SELECT :a -- what?\n, /* :x\n */ 1" << true
        << "SELECT $1  \n,  \n 1" << QStringList{"a"};
    QTest::newRow("no parameters: unchanged") << "SELECT '?', \":x\"" << true
        << "SELECT '?', \":x\"" << QStringList{};
}
// clang-format on

void TestSqlScript::bind()
{
    QFETCH(QString, statement);
    QFETCH(bool, dollar);
    QFETCH(QString, text);
    QFETCH(QStringList, names);
    const QList<SqlStatement> list = SqlScript::split(statement);
    QCOMPARE(list.size(), 1);
    const SqlScript::Bound b = SqlScript::bind(
        list.first(), dollar ? SqlScript::Placeholders::Dollar : SqlScript::Placeholders::Question);
    QCOMPARE(b.text, text);
    QCOMPARE(b.names, names);
}

// clang-format off
void TestSqlScript::controlsTransaction_data()
{
    QTest::addColumn<QString>("statement");
    QTest::addColumn<bool>("controls");
    QTest::addColumn<bool>("dataChange");

    QTest::newRow("begin") << "begin transaction" << true << false;
    QTest::newRow("commit") << "COMMIT" << true << false;
    QTest::newRow("end") << "END" << true << false;
    QTest::newRow("rollback") << "rollback" << true << false;
    QTest::newRow("rollback to savepoint") << "ROLLBACK TO SAVEPOINT a" << false << false;
    QTest::newRow("rollback transaction to") << "ROLLBACK TRANSACTION TO a" << false << false;
    QTest::newRow("start transaction") << "START TRANSACTION" << true << false;
    QTest::newRow("savepoint") << "SAVEPOINT a" << false << false;
    QTest::newRow("insert") << "insert into t values (1)" << false << true;
    QTest::newRow("update after a comment") << "-- x\nUPDATE t SET a = 1" << false << true;
    QTest::newRow("select") << "SELECT 1" << false << false;
    QTest::newRow("begin in a create") << "CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END" << false << false;
}
// clang-format on

void TestSqlScript::controlsTransaction()
{
    QFETCH(QString, statement);
    QFETCH(bool, controls);
    QFETCH(bool, dataChange);
    const QList<SqlStatement> list = SqlScript::split(statement);
    QCOMPARE(list.size(), 1);
    QCOMPARE(SqlScript::controlsTransaction(list.first()), controls);
    QCOMPARE(SqlScript::isDataChange(list.first()), dataChange);
}

// clang-format off
void TestSqlScript::qualifiedName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");

    QTest::newRow("plain") << "sales" << true;
    QTest::newRow("schema") << "dw.sales_2026" << true;
    QTest::newRow("dollar inside") << "a$b" << true;
    QTest::newRow("quoted") << "\"Sales Day\"" << true;
    QTest::newRow("quoted with escaped quote") << "\"a\"\"b\".\"c\"" << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("empty quoted") << "\"\"" << false;
    QTest::newRow("starts with a digit") << "1sales" << false;
    QTest::newRow("space") << "sales day" << false;
    QTest::newRow("injection") << "sales; DROP TABLE x" << false;
    QTest::newRow("comment") << "sales--" << false;
    QTest::newRow("unclosed quote") << "\"sales" << false;
    QTest::newRow("trailing dot") << "dw." << false;
    QTest::newRow("non-ascii") << "판매" << false;
}
// clang-format on

void TestSqlScript::qualifiedName()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(SqlScript::isQualifiedName(name), valid);
}

QTEST_GUILESS_MAIN(TestSqlScript)
#include "tst_sqlscript.moc"
