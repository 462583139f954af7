// Rfc3339Parser: the rules that tell the wire's reader from Go's, nanoseconds, the range of
// qint64 nanoseconds, and zone offsets. The wire rules are tested at length through
// Rfc3339::toUtcMs in tests/protocol/tst_rfc3339.cpp, Go's through GoTime in tests/sim.
#include "core/common/rfc3339parser.h"

#include <QTest>

using namespace Qt::StringLiterals;
using boo::Rfc3339Parser;

namespace {

constexpr qint64 kNoValue = std::numeric_limits<qint64>::min();

qint64 utcMsOrNone(QStringView text, Rfc3339Parser::Rules rules)
{
    const auto parsed = Rfc3339Parser::parse(text, rules);
    return parsed ? parsed->utcMs() : kNoValue;
}

} // namespace

class TestRfc3339Parser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rules_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("lenient"); // kNoValue: refused
        QTest::addColumn<qint64>("go");
        const qint64 base = Q_INT64_C(1787416855000); // 2026-08-22T16:40:55Z
        QTest::newRow("plain") << u"2026-08-22T16:40:55Z"_s << base << base;
        QTest::newRow("offset and nanos") << u"2026-08-22T18:40:55.118274031+02:00"_s << base + 118 << base + 118;
        QTest::newRow("lower-case t") << u"2026-08-22t16:40:55Z"_s << base << kNoValue;
        QTest::newRow("space separator") << u"2026-08-22 16:40:55Z"_s << base << kNoValue;
        QTest::newRow("lower-case z") << u"2026-08-22T16:40:55z"_s << base << kNoValue;
        QTest::newRow("comma fraction") << u"2026-08-22T16:40:55,5Z"_s << kNoValue << base + 500;
        QTest::newRow("leap second") << u"2016-12-31T23:59:60Z"_s << Q_INT64_C(1483228800000) << kNoValue;
        QTest::newRow("year 0") << u"0000-03-01T00:00:00Z"_s << Q_INT64_C(-62162035200000) << Q_INT64_C(-62162035200000);
        QTest::newRow("Feb 29 of year 0") << u"0000-02-29T00:00:00Z"_s << Q_INT64_C(-62162121600000) << Q_INT64_C(-62162121600000);
        QTest::newRow("no zone") << u"2026-08-22T16:40:55.5"_s << kNoValue << kNoValue;
        QTest::newRow("second 61") << u"2026-08-22T16:40:61Z"_s << kNoValue << kNoValue;
    }
    void rules()
    {
        QFETCH(QString, text);
        QFETCH(qint64, lenient);
        QFETCH(qint64, go);
        QCOMPARE(utcMsOrNone(text, Rfc3339Parser::kLenient), lenient);
        QCOMPARE(utcMsOrNone(text, Rfc3339Parser::kGo), go);
    }

    void nanoseconds()
    {
        const auto parsed = Rfc3339Parser::parse(u"1969-12-31T23:59:59.0000000019999Z", Rfc3339Parser::kGo);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->utcSeconds, qint64(-1));
        QCOMPARE(parsed->nanos, 1); // digits past the ninth are dropped
        QCOMPARE(parsed->utcNs(), std::optional<qint64>(-999999999));
        QCOMPARE(parsed->utcMs(), qint64(-1000)); // towards the past
    }

    void nanosecondRange_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("fits");
        QTest::newRow("qint64 max") << u"2262-04-11T23:47:16.854775807Z"_s << true;
        QTest::newRow("past qint64 max") << u"2262-04-11T23:47:16.854775808Z"_s << false;
        QTest::newRow("qint64 min") << u"1677-09-21T00:12:43.145224192Z"_s << true;
        QTest::newRow("before qint64 min") << u"1677-09-21T00:12:43.145224191Z"_s << false;
        QTest::newRow("year 9999") << u"9999-12-31T23:59:59Z"_s << false;
    }
    void nanosecondRange()
    {
        QFETCH(QString, text);
        QFETCH(bool, fits);
        const auto parsed = Rfc3339Parser::parse(text, Rfc3339Parser::kGo);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->utcNs().has_value(), fits);
        if (fits && text.startsWith(u"2262"))
            QCOMPARE(*parsed->utcNs(), std::numeric_limits<qint64>::max());
        if (fits && text.startsWith(u"1677"))
            QCOMPARE(*parsed->utcNs(), std::numeric_limits<qint64>::min());
    }

    void errorsNameTheText()
    {
        const auto parsed = Rfc3339Parser::parse(u"2026-08-22T16:40:55+0200", Rfc3339Parser::kLenient);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, u"rfc3339"_s);
        QCOMPARE(parsed.error().message, u"timestamp \"2026-08-22T16:40:55+0200\" is not RFC 3339: the zone offset is not ±hh:mm"_s);
    }

    void utcOffset_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("seconds"); // -1: refused
        QTest::newRow("Z") << u"Z"_s << 0;
        QTest::newRow("+02:00") << u"+02:00"_s << 7200;
        QTest::newRow("-05:30") << u"-05:30"_s << -19800;
        QTest::newRow("-00:00") << u"-00:00"_s << 0;
        QTest::newRow("+23:59") << u"+23:59"_s << 86340;
        QTest::newRow("hour 24") << u"+24:00"_s << -1;
        QTest::newRow("minute 60") << u"+01:60"_s << -1;
        QTest::newRow("no colon") << u"+0200"_s << -1;
        QTest::newRow("no sign") << u"02:00"_s << -1;
        QTest::newRow("lower-case z") << u"z"_s << -1;
        QTest::newRow("trailing space") << u"+02:00 "_s << -1;
        QTest::newRow("empty") << QString() << -1;
    }
    void utcOffset()
    {
        QFETCH(QString, text);
        QFETCH(int, seconds);
        QCOMPARE(Rfc3339Parser::parseUtcOffset(text), seconds == -1 ? std::nullopt : std::optional<int>(seconds));
    }
};

QTEST_GUILESS_MAIN(TestRfc3339Parser)
#include "tst_rfc3339parser.moc"
