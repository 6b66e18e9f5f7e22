#include "model/template.h"

#include <QtTest>

using namespace pw;

class TestTemplate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseAndRender_data();
    void parseAndRender();
    void parseErrors_data();
    void parseErrors();
    void names();
    void shellQuote_data();
    void shellQuote();
    void builtins();
};

// clang-format off
void TestTemplate::parseAndRender_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("shell");
    QTest::addColumn<QString>("plain");
    QTest::newRow("no placeholders") << "echo hi"
                                     << "echo hi"
                                     << "echo hi";
    QTest::newRow("empty") << ""
                           << ""
                           << "";
    QTest::newRow("one") << "echo {{date}}"
                         << "echo '2026-11-24'"
                         << "echo 2026-11-24";
    QTest::newRow("spaces inside") << "echo {{ date }}"
                                   << "echo '2026-11-24'"
                                   << "echo 2026-11-24";
    QTest::newRow("nodash") << "f_{{date|nodash}}.csv"
                            << "f_'20261124'.csv"
                            << "f_20261124.csv";
    QTest::newRow("raw") << "x {{date|raw}}"
                         << "x 2026-11-24"
                         << "x 2026-11-24";
    QTest::newRow("raw+nodash") << "{{ date | nodash | raw }}"
                                << "20261124"
                                << "20261124";
    QTest::newRow("quote in value") << "echo {{who}}"
                                    << "echo 'it'\\''s'"
                                    << "echo it's";
    QTest::newRow("missing value") << "a{{nope}}b"
                                   << "a''b"
                                   << "ab";
    QTest::newRow("adjacent") << "{{a}}{{b}}"
                              << "'1''2'"
                              << "12";
    QTest::newRow("single braces kept") << "awk '{print $1}' {{a}}"
                                        << "awk '{print $1}' '1'"
                                        << "awk '{print $1}' 1";
    QTest::newRow("closing only") << "x }} y"
                                  << "x }} y"
                                  << "x }} y";
    QTest::newRow("unicode") << "é {{a}} ü"
                             << "é '1' ü"
                             << "é 1 ü";
}
// clang-format on

void TestTemplate::parseAndRender()
{
    QFETCH(QString, text);
    QFETCH(QString, shell);
    QFETCH(QString, plain);
    const auto t = Template::parse(text);
    QVERIFY2(t.has_value(), qPrintable(t ? QString() : t.error().message));
    const QHash<QString, QString> values{{QStringLiteral("date"), QStringLiteral("2026-11-24")},
        {QStringLiteral("who"), QStringLiteral("it's")}, {QStringLiteral("a"), QStringLiteral("1")},
        {QStringLiteral("b"), QStringLiteral("2")}};
    QCOMPARE(t->render(values, Template::Quoting::Shell), shell);
    QCOMPARE(t->render(values, Template::Quoting::None), plain);
}

// clang-format off
void TestTemplate::parseErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("message");
    QTest::newRow("unterminated") << "echo {{date" << 5 << "unterminated '{{'";
    QTest::newRow("unterminated nested") << "a {{b {{c}}" << 2 << "unterminated '{{'";
    QTest::newRow("unterminated second") << "{{a}} {{" << 6 << "unterminated '{{'";
    QTest::newRow("empty name") << "x {{ }}" << 2 << "empty name";
    QTest::newRow("empty name with filter") << "{{|raw}}" << 0 << "empty name";
    QTest::newRow("unknown filter") << "ab{{date|upper}}" << 2 << "unknown filter 'upper'";
    QTest::newRow("bad name") << "{{a b}}" << 0 << "invalid name 'a b'";
}
// clang-format on

void TestTemplate::parseErrors()
{
    QFETCH(QString, text);
    QFETCH(int, offset);
    QFETCH(QString, message);
    const auto t = Template::parse(text);
    QVERIFY(!t.has_value());
    QCOMPARE(t.error().column, offset);
    QVERIFY2(t.error().message.contains(message), qPrintable(t.error().message));
}

void TestTemplate::names()
{
    const auto t = Template::parse(QStringLiteral("{{b}} {{a|raw}} {{b|nodash}} {{task}}"));
    QVERIFY(t.has_value());
    QCOMPARE(t->names(), (QStringList{"b", "a", "task"}));
    QCOMPARE(t->pieces().size(), 4);
    QCOMPARE(t->pieces().at(1).offset, 6);
    QCOMPARE(t->pieces().at(1).filters, QStringList{"raw"});
    QVERIFY(Template::parse(QString())->names().isEmpty());
}

// clang-format off
void TestTemplate::shellQuote_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("plain") << "abc"
                           << "'abc'";
    QTest::newRow("empty") << ""
                           << "''";
    QTest::newRow("quote") << "it's"
                           << "'it'\\''s'";
    QTest::newRow("metachars") << "$(rm -rf /); `x` \"y\""
                               << "'$(rm -rf /); `x` \"y\"'";
    QTest::newRow("newline") << "a\nb"
                             << "'a\nb'";
}
// clang-format on

void TestTemplate::shellQuote()
{
    QFETCH(QString, value);
    QFETCH(QString, quoted);
    QCOMPARE(Template::shellQuote(value), quoted);
}

void TestTemplate::builtins()
{
    QCOMPARE(Template::builtinNames(), (QStringList{"flow", "run_id", "task", "attempt"}));
}

QTEST_GUILESS_MAIN(TestTemplate)
#include "tst_template.moc"
