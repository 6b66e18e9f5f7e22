#include "editor/sqlhighlighter.h"
#include "editor/theme.h"

#include <QApplication>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QTextLayout>
#include <QtTest>

using namespace pw;

// SqlHighlighter: which characters of a sql task's text get which format, across lines.
class TestSqlHighlighter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void kinds_data();
    void kinds();
    void constructsContinueAcrossLines();
    void followsTheTheme();

private:
    // The kind at character `pos` of `text`, or "plain".
    static QString kindAt(const SqlHighlighter &h, QPlainTextEdit &edit, int pos)
    {
        const QTextBlock block = edit.document()->findBlock(pos);
        const int inBlock = pos - block.position();
        for (const QTextLayout::FormatRange &r : block.layout()->formats()) {
            if (inBlock < r.start || inBlock >= r.start + r.length)
                continue;
            static const std::pair<SqlHighlighter::Kind, const char *> names[]
                = {{SqlHighlighter::Kind::Keyword, "keyword"},
                    {SqlHighlighter::Kind::String, "string"},
                    {SqlHighlighter::Kind::Identifier, "identifier"},
                    {SqlHighlighter::Kind::Comment, "comment"},
                    {SqlHighlighter::Kind::Number, "number"},
                    {SqlHighlighter::Kind::Parameter, "parameter"},
                    {SqlHighlighter::Kind::Template, "template"}};
            for (const auto &[kind, name] : names)
                if (r.format == h.format(kind))
                    return QLatin1String(name);
            return QStringLiteral("unknown");
        }
        return QStringLiteral("plain");
    }
};

// clang-format off
void TestSqlHighlighter::kinds_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("at");   // the first occurrence of this text ...
    QTest::addColumn<QString>("kind"); // ... has this kind on every character
    QTest::newRow("keyword")            << "insert into t select 1"       << "select"   << "keyword";
    QTest::newRow("keyword any case")   << "Insert INTO t"                << "INTO"     << "keyword";
    QTest::newRow("table name plain")   << "insert into sales values (1)" << "sales"    << "plain";
    QTest::newRow("string")             << "select 'a b' from t"          << "'a b'"    << "string";
    QTest::newRow("escaped quote")      << "select 'it''s -- x' from t"   << "-- x"     << "string";
    QTest::newRow("keyword in string")  << "select 'select' from t"       << "select'"  << "string";
    QTest::newRow("quoted identifier")  << "select \"Day\" from t"        << "\"Day\""  << "identifier";
    QTest::newRow("line comment")       << "select 1 -- select 'x'"       << "-- select 'x'" << "comment";
    QTest::newRow("block comment")      << "select /* :date */ 1"         << "/* :date */" << "comment";
    QTest::newRow("number")             << "select 42 from t"             << "42"       << "number";
    QTest::newRow("digits in a name")   << "select col2 from t"           << "2"        << "plain";
    QTest::newRow("parameter")          << "delete from t where d = :date" << ":date"   << "parameter";
    QTest::newRow("cast is no param")   << "select x::text from t"        << "::text"   << "plain";
    QTest::newRow("template is marked") << "select '{{date}}', {{date}}"  << ", {{date}}" << "plain";
    QTest::newRow("template")           << "where d = {{date}}"           << "{{date}}" << "template";
    QTest::newRow("dollar body")        << "do $$ begin select 1; end $$" << "$$ begin select 1; end $$" << "string";
    QTest::newRow("tagged dollar body") << "do $f$ 'x' $$ $f$ select"     << "$f$ 'x' $$ $f$" << "string";
    QTest::newRow("after dollar body")  << "do $f$ x $f$ select"          << "select"   << "keyword";
}
// clang-format on

void TestSqlHighlighter::kinds()
{
    QFETCH(QString, sql);
    QFETCH(QString, at);
    QFETCH(QString, kind);
    QPlainTextEdit edit;
    auto *h = new SqlHighlighter(&edit);
    edit.setPlainText(sql);
    const int from = int(sql.indexOf(at));
    QVERIFY(from >= 0);
    if (QTest::currentDataTag() == QLatin1String("template is marked")) {
        // A template inside a string is text; outside, it is an error.
        QCOMPARE(kindAt(*h, edit, int(sql.indexOf(QLatin1String("{{")))), QStringLiteral("string"));
        QCOMPARE(kindAt(*h, edit, int(sql.lastIndexOf(QLatin1String("{{")))),
            QStringLiteral("template"));
        return;
    }
    for (int i = from; i < from + at.size(); ++i) {
        if (sql.at(i).isSpace() && kind == QLatin1String("plain"))
            continue;
        QVERIFY2(kindAt(*h, edit, i) == kind,
            qPrintable(QStringLiteral("%1 at %2 ('%3'): %4")
                           .arg(sql)
                           .arg(i)
                           .arg(sql.at(i))
                           .arg(kindAt(*h, edit, i))));
    }
}

void TestSqlHighlighter::constructsContinueAcrossLines()
{
    const QString sql = QStringLiteral("insert into t values ('a\n"
                                       "b', 1); /* one\n"
                                       "select */ select 2;\n"
                                       "create function f() returns int as $body$\n"
                                       "  select 'x'; -- not a comment\n"
                                       "$body$ language sql;\n"
                                       "select :date");
    QPlainTextEdit edit;
    auto *h = new SqlHighlighter(&edit);
    edit.setPlainText(sql);
    auto at = [&](const char *needle, int nth = 0) {
        qsizetype pos = -1;
        for (int k = 0; k <= nth; ++k)
            pos = sql.indexOf(QLatin1String(needle), pos + 1);
        return kindAt(*h, edit, int(pos));
    };
    QCOMPARE(at("b'"), QStringLiteral("string"));         // the string goes on on line 2
    QCOMPARE(at("1);"), QStringLiteral("number"));        // and ends there
    QCOMPARE(at("select */"), QStringLiteral("comment")); // the comment goes on on line 3
    QCOMPARE(at("select 2"), QStringLiteral("keyword"));  // and ends there
    QCOMPARE(at("-- not"), QStringLiteral("string"));     // inside the $body$
    QCOMPARE(at("language"), QStringLiteral("plain"));    // after it
    QCOMPARE(at(":date"), QStringLiteral("parameter"));
}

void TestSqlHighlighter::followsTheTheme()
{
    QPlainTextEdit edit;
    auto *h = new SqlHighlighter(&edit);
    edit.setPlainText(QStringLiteral("select 1"));
    Theme::apply(*qApp, false);
    const QColor light = h->format(SqlHighlighter::Kind::Keyword).foreground().color();
    Theme::apply(*qApp, true);
    const QColor dark = h->format(SqlHighlighter::Kind::Keyword).foreground().color();
    QVERIFY(light != dark);
    QCOMPARE(kindAt(*h, edit, 0), QStringLiteral("keyword")); // rehighlighted with the new format
    Theme::apply(*qApp, false);
}

QTEST_MAIN(TestSqlHighlighter)
#include "tst_sqlhighlighter.moc"
