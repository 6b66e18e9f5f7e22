#include "model/paramspec.h"

#include <QTimeZone>
#include <QtTest>

using namespace pw;

class TestParamSpec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void typeNames_data();
    void typeNames();
    void canonicalize_data();
    void canonicalize();
    void todayUsesClockZone();
};

// clang-format off
void TestParamSpec::typeNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("type");
    QTest::newRow("string") << "string" << int(ParamType::String);
    QTest::newRow("int") << "int" << int(ParamType::Int);
    QTest::newRow("bool") << "bool" << int(ParamType::Bool);
    QTest::newRow("date") << "date" << int(ParamType::Date);
    QTest::newRow("datetime") << "datetime" << int(ParamType::DateTime);
    QTest::newRow("choice") << "choice" << int(ParamType::Choice);
}
// clang-format on

void TestParamSpec::typeNames()
{
    QFETCH(QString, name);
    QFETCH(int, type);
    QCOMPARE(toString(ParamType(type)), name);
    QCOMPARE(paramTypeFromString(name), std::optional<ParamType>(ParamType(type)));
    QVERIFY(!paramTypeFromString(name.toUpper()).has_value());
    QVERIFY(!paramTypeFromString(QStringLiteral("integer")).has_value());
}

// clang-format off
void TestParamSpec::canonicalize_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("raw");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("expected"); // canonical value, or a substring of the error
    const int S = int(ParamType::String), I = int(ParamType::Int), B = int(ParamType::Bool),
              D = int(ParamType::Date), T = int(ParamType::DateTime), C = int(ParamType::Choice);
    QTest::newRow("string as is") << S << " a b " << true << " a b ";
    QTest::newRow("string empty") << S << "" << true << "";
    QTest::newRow("int") << I << "42" << true << "42";
    QTest::newRow("int leading zeros") << I << "007" << true << "7";
    QTest::newRow("int plus") << I << "+5" << true << "5";
    QTest::newRow("int negative") << I << "-12" << true << "-12";
    QTest::newRow("int spaces") << I << " 3 " << true << "3";
    QTest::newRow("int float") << I << "1.5" << false << "expected an integer, got '1.5'";
    QTest::newRow("int hex") << I << "0x10" << false << "expected an integer";
    QTest::newRow("int overflow") << I << "99999999999999999999" << false << "expected an integer";
    QTest::newRow("int empty") << I << "" << false << "parameter 'p'";
    QTest::newRow("bool true") << B << "true" << true << "true";
    QTest::newRow("bool TRUE") << B << "TRUE" << true << "true";
    QTest::newRow("bool yes") << B << "yes" << true << "true";
    QTest::newRow("bool 0") << B << "0" << true << "false";
    QTest::newRow("bool off") << B << "off" << true << "false";
    QTest::newRow("bool bad") << B << "maybe" << false << "expected true or false";
    QTest::newRow("date") << D << "2026-11-24" << true << "2026-11-24";
    QTest::newRow("date today") << D << "today" << true << "2026-11-24";
    QTest::newRow("date yesterday") << D << "yesterday" << true << "2026-11-23";
    QTest::newRow("date leap") << D << "2028-02-29" << true << "2028-02-29";
    QTest::newRow("date not leap") << D << "2026-02-29" << false << "expected a date YYYY-MM-DD";
    QTest::newRow("date short") << D << "2026-1-5" << false << "expected a date";
    QTest::newRow("date nodash") << D << "20261124" << false << "expected a date";
    QTest::newRow("date with time") << D << "2026-11-24T00:00:00Z" << false << "expected a date";
    QTest::newRow("datetime Z") << T << "2026-11-24T03:04:05Z" << true << "2026-11-24T03:04:05Z";
    QTest::newRow("datetime offset")
        << T << "2026-11-24T09:00:00+09:00" << true << "2026-11-24T00:00:00Z";
    QTest::newRow("datetime offset compact")
        << T << "2026-11-24T09:00:00+0900" << true << "2026-11-24T00:00:00Z";
    QTest::newRow("datetime negative offset")
        << T << "2026-11-24T22:30:00-02:30" << true << "2026-11-25T01:00:00Z";
    QTest::newRow("datetime no seconds")
        << T << "2026-11-24T03:04Z" << true << "2026-11-24T03:04:00Z";
    QTest::newRow("datetime local (clock zone UTC+9)")
        << T << "2026-11-24T09:00:00" << true << "2026-11-24T00:00:00Z";
    QTest::newRow("datetime date only") << T << "2026-11-24" << true << "2026-11-23T15:00:00Z";
    QTest::newRow("datetime now") << T << "now" << true << "2026-11-24T01:02:03Z";
    QTest::newRow("datetime bad hour")
        << T << "2026-11-24T25:00:00Z" << false << "expected a datetime";
    QTest::newRow("datetime junk") << T << "soon" << false << "expected a datetime";
    QTest::newRow("choice ok") << C << "jp" << true << "jp";
    QTest::newRow("choice bad") << C << "us" << false << "expected one of: kr, jp, got 'us'";
    QTest::newRow("choice case") << C << "KR" << false << "one of: kr, jp";
    // A NUL would cut a command line short: refused for every type (issue 12).
    const QString nul = QStringLiteral("a") + QChar(0) + QStringLiteral("; rm -rf x");
    QTest::newRow("string NUL") << S << nul << false << "may not contain a NUL character";
    QTest::newRow("int NUL") << I << QStringLiteral("4") + QChar(0) << false << "NUL character";
    QTest::newRow("date NUL") << D << QChar(0) + QStringLiteral("2026-11-24") << false << "NUL";
    QTest::newRow("choice NUL") << C << QStringLiteral("kr") + QChar(0) << false << "NUL";
    QTest::newRow("string newline") << S << "a\nb; c" << true << "a\nb; c";
}
// clang-format on

void TestParamSpec::canonicalize()
{
    QFETCH(int, type);
    QFETCH(QString, raw);
    QFETCH(bool, ok);
    QFETCH(QString, expected);
    ParamSpec p;
    p.name = QStringLiteral("p");
    p.type = ParamType(type);
    p.values = QStringList{"kr", "jp"};
    const QDateTime now(QDate(2026, 11, 24), QTime(10, 2, 3, 456), QTimeZone(9 * 3600));
    const auto r = p.canonicalize(raw, now);
    QCOMPARE(r.has_value(), ok);
    if (ok) {
        QCOMPARE(*r, expected);
        QCOMPARE(p.canonicalize(*r, now).value(), *r); // canonical values are fixed points
    } else {
        QVERIFY2(r.error().message.contains(expected), qPrintable(r.error().message));
        QVERIFY(r.error().message.contains(QLatin1String("'p'")));
    }
}

void TestParamSpec::todayUsesClockZone()
{
    ParamSpec p;
    p.name = QStringLiteral("d");
    p.type = ParamType::Date;
    // 2026-11-24 23:30 UTC is already the 25th in Seoul.
    const QDateTime utc(QDate(2026, 11, 24), QTime(23, 30), QTimeZone::utc());
    QCOMPARE(p.canonicalize(QStringLiteral("today"), utc).value(), QStringLiteral("2026-11-24"));
    QCOMPARE(
        p.canonicalize(QStringLiteral("today"), utc.toTimeZone(QTimeZone("Asia/Seoul"))).value(),
        QStringLiteral("2026-11-25"));
}

QTEST_GUILESS_MAIN(TestParamSpec)
#include "tst_paramspec.moc"
