#include "core/sim/gojsonwriter.h"
#include "core/sim/gotime.h"

#include <QTest>

using namespace Qt::StringLiterals;
using boo::GoJsonWriter;
using boo::GoTime;

class TestGoJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quote_data();
    void quote();
    void number_data();
    void number();
    void structure();
    void rfc3339_data();
    void rfc3339();
    void parseRfc3339_data();
    void parseRfc3339();
    void duration_data();
    void duration();
};

void TestGoJson::quote_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("plain") << u"abc"_s << "\"abc\""_ba;
    QTest::newRow("html") << u"<gpt-oss-20b> & co"_s << "\"\\u003cgpt-oss-20b\\u003e \\u0026 co\""_ba;
    QTest::newRow("quotes and backslash") << u"a\"b\\c"_s << "\"a\\\"b\\\\c\""_ba;
    QTest::newRow("controls") << u"\n\r\t\b\f\x01\x1b"_s << "\"\\n\\r\\t\\b\\f\\u0001\\u001b\""_ba;
    QTest::newRow("line separators") << QString(QChar(0x2028)) + QChar(0x2029) << "\"\\u2028\\u2029\""_ba;
    QTest::newRow("utf-8") << u"é€😀"_s << "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""_ba;
    QTest::newRow("lone surrogate") << QString(QChar(0xd800)) << "\"\\ufffd\""_ba;
}

void TestGoJson::quote()
{
    QFETCH(QString, in);
    QFETCH(QByteArray, out);
    QCOMPARE(GoJsonWriter::quote(in), out);
}

void TestGoJson::number_data()
{
    QTest::addColumn<double>("in");
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("whole") << 87.0 << "87"_ba;
    QTest::newRow("negative sentinel") << -1.0 << "-1"_ba;
    QTest::newRow("zero") << 0.0 << "0"_ba;
    QTest::newRow("fraction") << 2210.4 << "2210.4"_ba;
    QTest::newRow("shortest round trip") << 89.06122781305976 << "89.06122781305976"_ba;
    QTest::newRow("large whole") << 918273645012.0 << "918273645012"_ba;
    QTest::newRow("tiny") << 1e-7 << "1e-7"_ba;
    QTest::newRow("huge") << 1e21 << "1e+21"_ba;
    QTest::newRow("just below exponent") << 1e20 << "100000000000000000000"_ba;
}

void TestGoJson::number()
{
    QFETCH(double, in);
    QFETCH(QByteArray, out);
    QCOMPARE(GoJsonWriter::number(in), out);
}

void TestGoJson::structure()
{
    GoJsonWriter w;
    w.beginObject();
    w.key(u"b").integer(1);
    w.key(u"a").beginArray().str(u"x").null().boolean(false).real(0.5).beginObject().endObject().endArray();
    w.key(u"c").raw("{\"pre\":1}");
    w.key(u"e").strings({});
    w.endObject();
    // Insertion order is kept (Go struct order), unlike QJsonObject.
    QCOMPARE(w.take(), "{\"b\":1,\"a\":[\"x\",null,false,0.5,{}],\"c\":{\"pre\":1},\"e\":[]}"_ba);
}

void TestGoJson::rfc3339_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<int>("offset");
    QTest::addColumn<bool>("fraction");
    QTest::addColumn<QByteArray>("out");
    const qint64 base = 1787416855LL * 1000000000LL; // 2026-08-22T16:40:55Z
    QTest::newRow("zone with nanos") << base + 118274031 << 7200 << true << "2026-08-22T18:40:55.118274031+02:00"_ba;
    QTest::newRow("trailing zeros trimmed") << base + 120000000 << 7200 << true << "2026-08-22T18:40:55.12+02:00"_ba;
    QTest::newRow("utc") << base + 5 << 0 << true << "2026-08-22T16:40:55.000000005Z"_ba;
    QTest::newRow("seconds only") << base + 999999999 << 7200 << false << "2026-08-22T18:40:55+02:00"_ba;
    QTest::newRow("whole second") << base << -25200 << true << "2026-08-22T09:40:55-07:00"_ba;
}

void TestGoJson::rfc3339()
{
    QFETCH(qint64, ns);
    QFETCH(int, offset);
    QFETCH(bool, fraction);
    QFETCH(QByteArray, out);
    QCOMPARE(GoTime::rfc3339(ns, offset, fraction), out);
}

void TestGoJson::parseRfc3339_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<qint64>("ns"); // -1: invalid
    const qint64 base = 1787416855LL * 1000000000LL;
    QTest::newRow("offset with nanos") << u"2026-08-22T18:40:55.118274031+02:00"_s << base + 118274031;
    QTest::newRow("short fraction") << u"2026-08-22T16:40:55.5Z"_s << base + 500000000;
    QTest::newRow("no fraction") << u"2026-08-22T16:40:55Z"_s << base;
    QTest::newRow("space instead of plus") << u"2026-08-22T18:40:55 02:00"_s << qint64(-1);
    QTest::newRow("date only") << u"2026-08-22"_s << qint64(-1);
    QTest::newRow("lower-case t") << u"2026-08-22t16:40:55Z"_s << qint64(-1);
    QTest::newRow("bad month") << u"2026-13-22T16:40:55Z"_s << qint64(-1);
    QTest::newRow("no zone") << u"2026-08-22T16:40:55"_s << qint64(-1);
    QTest::newRow("trailing junk") << u"2026-08-22T16:40:55Zx"_s << qint64(-1);
}

void TestGoJson::parseRfc3339()
{
    QFETCH(QString, in);
    QFETCH(qint64, ns);
    const auto parsed = GoTime::parseRfc3339(in);
    QCOMPARE(parsed.has_value(), ns >= 0);
    if (parsed)
        QCOMPARE(*parsed, ns);
}

void TestGoJson::duration_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("zero") << qint64(0) << "0s"_ba;
    QTest::newRow("nanos") << qint64(850) << "850ns"_ba;
    QTest::newRow("micros") << qint64(111000) << "111µs"_ba;
    QTest::newRow("millis") << qint64(1500000) << "1.5ms"_ba;
    QTest::newRow("seconds") << qint64(4812000000) << "4.812s"_ba;
    QTest::newRow("minutes") << qint64(62500000000) << "1m2.5s"_ba;
    QTest::newRow("hours") << qint64(3723000000000) << "1h2m3s"_ba;
}

void TestGoJson::duration()
{
    QFETCH(qint64, ns);
    QFETCH(QByteArray, out);
    QCOMPARE(GoTime::duration(ns), out);
}

QTEST_GUILESS_MAIN(TestGoJson)
#include "tst_gojson.moc"
