#include "core/protocol/rfc3339.h"

#include <QTest>

using namespace Qt::StringLiterals;
using boo::Rfc3339;

class TestRfc3339 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valid_data();
    void valid();
    void fractionDigits_data();
    void fractionDigits();
    void sameInstantInEveryZone_data();
    void sameInstantInEveryZone();
    void invalid_data();
    void invalid();
    void agreesWithQDateTime();
};

void TestRfc3339::valid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("utcMs");

    QTest::newRow("+02:00 whole seconds") << u"2026-08-22T18:40:55+02:00"_s << Q_INT64_C(1787416855000);
    QTest::newRow("-05:30") << u"2026-08-22T10:10:10-05:30"_s << Q_INT64_C(1787413210000);
    QTest::newRow("Z epoch") << u"1970-01-01T00:00:00Z"_s << Q_INT64_C(0);
    QTest::newRow("+00:00 epoch") << u"1970-01-01T00:00:00+00:00"_s << Q_INT64_C(0);
    QTest::newRow("-00:00 epoch") << u"1970-01-01T00:00:00-00:00"_s << Q_INT64_C(0);
    QTest::newRow("before epoch truncates to the past") << u"1969-12-31T23:59:59.5Z"_s << Q_INT64_C(-500);
    QTest::newRow("leap day +14:00") << u"2000-02-29T12:00:00+14:00"_s << Q_INT64_C(951775200000);
    QTest::newRow("-12:00 year end") << u"2026-12-31T23:59:59.999-12:00"_s << Q_INT64_C(1798804799999);
    QTest::newRow("lower-case t and z") << u"2024-02-29t00:00:00z"_s << Q_INT64_C(1709164800000);
    QTest::newRow("space separator") << u"2024-02-29 00:00:00Z"_s << Q_INT64_C(1709164800000);
    QTest::newRow("year 1") << u"0001-01-01T00:00:00Z"_s << Q_INT64_C(-62135596800000);
    QTest::newRow("year 9999") << u"9999-12-31T23:59:59.999Z"_s << Q_INT64_C(253402300799999);
    QTest::newRow("leap second") << u"2016-12-31T23:59:60Z"_s << Q_INT64_C(1483228800000);
    QTest::newRow("fixture in-flight timestamp") << u"2026-08-22T18:40:53.902113458+02:00"_s << Q_INT64_C(1787416853902);
    QTest::newRow("fixture activity timestamp") << u"2026-08-22T18:41:08+02:00"_s << Q_INT64_C(1787416868000);
    QTest::newRow("hardware captured_at Z with ns") << u"2026-08-22T14:02:11.481920337Z"_s << Q_INT64_C(1787407331481);
    QTest::newRow("more than 9 digits") << u"2026-08-22T14:02:11.4819203379999Z"_s << Q_INT64_C(1787407331481);
}

void TestRfc3339::valid()
{
    QFETCH(QString, text);
    QFETCH(qint64, utcMs);
    const auto result = Rfc3339::toUtcMs(text);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QCOMPARE(*result, utcMs);
}

void TestRfc3339::fractionDigits_data()
{
    QTest::addColumn<QString>("fraction");
    QTest::addColumn<int>("millis");
    // Go trims trailing zeros, so every length from 1 to 9 occurs on the wire.
    QTest::newRow("1") << u"5"_s << 500;
    QTest::newRow("2") << u"05"_s << 50;
    QTest::newRow("3") << u"123"_s << 123;
    QTest::newRow("4") << u"1239"_s << 123;
    QTest::newRow("5") << u"00001"_s << 0;
    QTest::newRow("6") << u"999999"_s << 999;
    QTest::newRow("7") << u"0010001"_s << 1;
    QTest::newRow("8") << u"12345678"_s << 123;
    QTest::newRow("9") << u"118274031"_s << 118;
}

void TestRfc3339::fractionDigits()
{
    QFETCH(QString, fraction);
    QFETCH(int, millis);
    const auto base = Rfc3339::toUtcMs(u"2026-08-22T18:40:55+02:00");
    for (const QString &zone : {u"Z"_s, u"+02:00"_s, u"-05:30"_s}) {
        const auto withFraction = Rfc3339::toUtcMs(QString(u"2026-08-22T18:40:55."_s + fraction + zone));
        const auto whole = Rfc3339::toUtcMs(QString(u"2026-08-22T18:40:55"_s + zone));
        QVERIFY(withFraction.ok() && whole.ok() && base.ok());
        QCOMPARE(*withFraction - *whole, qint64(millis));
    }
}

void TestRfc3339::sameInstantInEveryZone_data()
{
    QTest::addColumn<QString>("text");
    // All are 2026-08-22T16:40:55.118Z.
    QTest::newRow("Z") << u"2026-08-22T16:40:55.118274031Z"_s;
    QTest::newRow("+00:00") << u"2026-08-22T16:40:55.118274031+00:00"_s;
    QTest::newRow("+02:00") << u"2026-08-22T18:40:55.118274031+02:00"_s;
    QTest::newRow("-05:30") << u"2026-08-22T11:10:55.118274031-05:30"_s;
    QTest::newRow("+05:45") << u"2026-08-22T22:25:55.118274031+05:45"_s;
    QTest::newRow("-10:00") << u"2026-08-22T06:40:55.118274031-10:00"_s;
    QTest::newRow("+14:00 next day") << u"2026-08-23T06:40:55.118274031+14:00"_s;
    QTest::newRow("-12:00") << u"2026-08-22T04:40:55.118274031-12:00"_s;
}

void TestRfc3339::sameInstantInEveryZone()
{
    QFETCH(QString, text);
    const auto result = Rfc3339::toUtcMs(text);
    QVERIFY(result.ok());
    QCOMPARE(*result, Q_INT64_C(1787416855118));
}

void TestRfc3339::invalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("why");
    QTest::newRow("empty") << QString() << u"too short"_s;
    QTest::newRow("no zone") << u"2026-08-22T18:40:55"_s << u"too short"_s;
    QTest::newRow("no zone with fraction") << u"2026-08-22T18:40:55.123"_s << u"zone offset"_s;
    QTest::newRow("month 13") << u"2026-13-22T18:40:55Z"_s << u"month 13"_s;
    QTest::newRow("Feb 30") << u"2026-02-30T18:40:55Z"_s << u"day 30 does not exist in 2026-02"_s;
    QTest::newRow("Feb 29 non-leap") << u"2100-02-29T00:00:00Z"_s << u"day 29"_s;
    QTest::newRow("hour 24") << u"2026-08-22T24:00:00Z"_s << u"out of range"_s;
    QTest::newRow("minute 60") << u"2026-08-22T23:60:00Z"_s << u"out of range"_s;
    QTest::newRow("dot without digits") << u"2026-08-22T18:40:55.Z"_s << u"fractional digits"_s;
    QTest::newRow("offset without colon") << u"2026-08-22T18:40:55+0200"_s << u"not ±hh:mm"_s;
    QTest::newRow("offset hour 24") << u"2026-08-22T18:40:55+24:00"_s << u"offset is out of range"_s;
    QTest::newRow("trailing text") << u"2026-08-22T18:40:55Zjunk"_s << u"after the zone"_s;
    QTest::newRow("slashes") << u"2026/08/22T18:40:55Z"_s << u"YYYY-MM-DD"_s;
    QTest::newRow("T missing") << u"2026-08-22X18:40:55Z"_s << u"'T'"_s;
    QTest::newRow("unix seconds") << u"17874168551182740310"_s << u"YYYY-MM-DD"_s;
    QTest::newRow("arabic-indic digits") << u"\u0662\u0660\u0662\u0666-08-22T18:40:55Z"_s << u"YYYY-MM-DD"_s;
}

void TestRfc3339::invalid()
{
    QFETCH(QString, text);
    QFETCH(QString, why);
    const auto result = Rfc3339::toUtcMs(text);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, u"protocol.value"_s);
    QVERIFY2(result.error().message.contains(why), qPrintable(result.error().message));
}

void TestRfc3339::agreesWithQDateTime()
{
    // Cross-check against Qt on millisecond-precision inputs across many days and offsets.
    const QDateTime start(QDate(1999, 12, 31), QTime(22, 17, 3, 41), Qt::UTC);
    for (int step = 0; step < 400; ++step) {
        const QDateTime utc = start.addSecs(qint64(step) * 86400 * 37 + step * 3779).addMSecs(step * 7);
        const int offsetMinutes = (step % 57 - 28) * 30;
        const QDateTime local = utc.toOffsetFromUtc(offsetMinutes * 60);
        const QString text = local.toString(Qt::ISODateWithMs);
        const auto result = Rfc3339::toUtcMs(text);
        QVERIFY2(result.ok(), qPrintable(text));
        QCOMPARE(*result, utc.toMSecsSinceEpoch());
    }
}

QTEST_GUILESS_MAIN(TestRfc3339)
#include "tst_rfc3339.moc"
