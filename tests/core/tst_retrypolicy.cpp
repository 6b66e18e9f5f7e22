#include "model/duration.h"
#include "model/retrypolicy.h"

#include <QtTest>

#include <limits>

using namespace pw;

Q_DECLARE_METATYPE(pw::AttemptError)

class TestRetryPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixedAndExponential_data();
    void fixedAndExponential();
    void jitterIsDeterministicAndBounded();
    void retryOn_data();
    void retryOn();
    void errorText_data();
    void errorText();
    void durations_data();
    void durations();
    void formatExtremes();
};

// clang-format off
void TestRetryPolicy::fixedAndExponential_data()
{
    QTest::addColumn<int>("backoff");
    QTest::addColumn<qint64>("delay");
    QTest::addColumn<qint64>("cap");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<qint64>("expected");
    const qint64 m = 60000;
    QTest::newRow("fixed-1") << int(Backoff::Fixed) << 5 * m << 60 * m << 1 << 5 * m;
    QTest::newRow("fixed-7") << int(Backoff::Fixed) << 5 * m << 60 * m << 7 << 5 * m;
    QTest::newRow("exp-1") << int(Backoff::Exponential) << 5 * m << 60 * m << 1 << 5 * m;
    QTest::newRow("exp-2") << int(Backoff::Exponential) << 5 * m << 60 * m << 2 << 10 * m;
    QTest::newRow("exp-4") << int(Backoff::Exponential) << 5 * m << 60 * m << 4 << 40 * m;
    QTest::newRow("exp-5-capped") << int(Backoff::Exponential) << 5 * m << 60 * m << 5 << 60 * m;
    QTest::newRow("exp-huge-capped") << int(Backoff::Exponential) << 5 * m << 60 * m << 200 << 60 * m;
    QTest::newRow("exp-1s") << int(Backoff::Exponential) << qint64(1000) << 60 * m << 3 << qint64(4000);
}
// clang-format on

void TestRetryPolicy::fixedAndExponential()
{
    QFETCH(int, backoff);
    QFETCH(qint64, delay);
    QFETCH(qint64, cap);
    QFETCH(int, attempt);
    QFETCH(qint64, expected);
    RetryPolicy p;
    p.backoff = Backoff(backoff);
    p.retryDelayMs = delay;
    p.maxRetryDelayMs = cap;
    p.jitter = false;
    QCOMPARE(p.delayAfterAttempt(attempt, 42, QStringLiteral("load")), expected);
}

void TestRetryPolicy::jitterIsDeterministicAndBounded()
{
    RetryPolicy p;
    p.backoff = Backoff::Exponential;
    p.retryDelayMs = 1000;
    p.jitter = true;
    QSet<qint64> distinct;
    for (int run = 1; run < 50; ++run) {
        for (int n = 1; n <= 4; ++n) {
            const qint64 base = qint64(1000) << (n - 1);
            const qint64 d = p.delayAfterAttempt(n, run, QStringLiteral("t"));
            QVERIFY2(d >= base / 2 && d <= base, qPrintable(QString::number(d)));
            QCOMPARE(p.delayAfterAttempt(n, run, QStringLiteral("t")), d); // same on recovery
            distinct.insert(d);
        }
        const double h = RetryPolicy::jitterFactor(run, QStringLiteral("t"), 1);
        QVERIFY(h >= 0.0 && h < 1.0);
    }
    QVERIFY(distinct.size() > 100); // the hash really spreads
    QVERIFY(RetryPolicy::jitterFactor(1, QStringLiteral("a"), 1)
        != RetryPolicy::jitterFactor(1, QStringLiteral("b"), 1));
}

// clang-format off
void TestRetryPolicy::retryOn_data()
{
    QTest::addColumn<QStringList>("retryOn");
    QTest::addColumn<AttemptError>("error");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("all-exit") << QStringList() << AttemptError::exit(1) << true;
    QTest::newRow("all-timeout") << QStringList() << AttemptError::timeout() << true;
    QTest::newRow("never-cancel") << QStringList() << AttemptError::cancelled() << false;
    QTest::newRow("never-unsupported") << QStringList() << AttemptError::unsupported("sql") << false;
    QTest::newRow("code-match") << QStringList{"exit:75", "timeout"} << AttemptError::exit(75) << true;
    QTest::newRow("code-other") << QStringList{"exit:75", "timeout"} << AttemptError::exit(1) << false;
    QTest::newRow("code-match with detail") << QStringList{"exit:75"} << AttemptError{AttemptError::Kind::Exit, 75, "cannot connect"} << true;
    QTest::newRow("code-other with detail") << QStringList{"exit:75"} << AttemptError{AttemptError::Kind::Exit, 1, "statement 1 (line 1): x"} << false;
    QTest::newRow("timeout") << QStringList{"exit:75", "timeout"} << AttemptError::timeout() << true;
    QTest::newRow("any-exit") << QStringList{"exit"} << AttemptError::exit(3) << true;
    QTest::newRow("any-exit-not-timeout") << QStringList{"exit"} << AttemptError::timeout() << false;
    QTest::newRow("signal") << QStringList{"signal"} << AttemptError::signal(9) << true;
    QTest::newRow("not-signal") << QStringList{"exit", "timeout"} << AttemptError::signal(9) << false;
    QTest::newRow("spawn") << QStringList{"spawn"} << AttemptError::spawn("no such file") << true;
    QTest::newRow("all-environment") << QStringList() << AttemptError::environment("disk full") << true;
}
// clang-format on

// clang-format off
void TestRetryPolicy::errorText_data()
{
    QTest::addColumn<AttemptError>("error");
    QTest::addColumn<QString>("text");
    QTest::newRow("none") << AttemptError() << "";
    QTest::newRow("exit") << AttemptError::exit(75) << "exit:75";
    QTest::newRow("exit, database message") << AttemptError{AttemptError::Kind::Exit, 1, "statement 2 (line 4): no such table: x"}
                                            << "exit:1: statement 2 (line 4): no such table: x";
    QTest::newRow("signal") << AttemptError::signal(9) << "signal:9";
    QTest::newRow("timeout") << AttemptError::timeout() << "timeout";
    QTest::newRow("spawn") << AttemptError::spawn("working directory '/x' does not exist")
                           << "spawn: working directory '/x' does not exist";
    QTest::newRow("cancelled") << AttemptError::cancelled() << "cancelled";
    QTest::newRow("cancelled, why") << AttemptError::cancelled("the engine could not record the process")
                                    << "cancelled: the engine could not record the process";
    QTest::newRow("unsupported") << AttemptError::unsupported("task type 'sql' is not supported yet")
                                 << "unsupported: task type 'sql' is not supported yet";
    QTest::newRow("environment") << AttemptError::environment("cannot create the log directory")
                                 << "environment: cannot create the log directory";
}
// clang-format on

void TestRetryPolicy::errorText()
{
    QFETCH(AttemptError, error);
    QFETCH(QString, text);
    QCOMPARE(error.text(), text);
}

void TestRetryPolicy::retryOn()
{
    QFETCH(QStringList, retryOn);
    QFETCH(AttemptError, error);
    QFETCH(bool, retryable);
    RetryPolicy p;
    p.retryOn = retryOn;
    QCOMPARE(p.isRetryable(error), retryable);
}

// clang-format off
void TestRetryPolicy::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("5m") << "5m" << true << qint64(300000) << "5m";
    QTest::newRow("1h30m") << "1h30m" << true << qint64(5400000) << "1h30m";
    QTest::newRow("90s") << "90s" << true << qint64(90000) << "1m30s";
    QTest::newRow("-1d") << "-1d" << true << qint64(-86400000) << "-1d";
    QTest::newRow("250ms") << "250ms" << true << qint64(250) << "250ms";
    QTest::newRow("bare") << "30" << true << qint64(30000) << "30s";
    QTest::newRow("bad-unit") << "5x" << false << qint64(0) << "";
    QTest::newRow("empty") << "" << false << qint64(0) << "";
    QTest::newRow("letters") << "abc" << false << qint64(0) << "";
    QTest::newRow("sign-only") << "-" << false << qint64(0) << "";
    QTest::newRow("largest") << "1000000000d" << true << qint64(86400000000000000LL)
                             << "1000000000d";
    QTest::newRow("largest negative") << "-1000000000d" << true << qint64(-86400000000000000LL)
                                      << "-1000000000d";
    // Regressions (UBSan): the parts' sum overflowed qint64, and sums over 1e9 days printed
    // as text that did not parse back.
    QTest::newRow("sum over the limit") << "1000000000d1ms" << false << qint64(0) << "";
    QTest::newRow("sum overflows qint64") << QString(QStringLiteral("1000000000d")).repeated(120)
                                          << false << qint64(0) << "";
    QTest::newRow("number too big") << "1000000001s" << false << qint64(0) << "";
}
// clang-format on

void TestRetryPolicy::durations()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(qint64, ms);
    QFETCH(QString, canonical);
    const auto r = Duration::parseMs(text);
    QCOMPARE(r.has_value(), ok);
    if (ok) {
        QCOMPARE(*r, ms);
        QCOMPARE(Duration::format(ms), canonical);
    } else {
        QVERIFY(!r.error().message.isEmpty());
    }
}

void TestRetryPolicy::formatExtremes()
{
    // Regression (UBSan): negating the most negative qint64 overflowed.
    QCOMPARE(Duration::format(std::numeric_limits<qint64>::min()),
        QStringLiteral("-106751991167d7h12m55s808ms"));
    QCOMPARE(Duration::format(std::numeric_limits<qint64>::max()),
        QStringLiteral("106751991167d7h12m55s807ms"));
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
