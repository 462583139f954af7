// Rfc3339Formatter: byte for byte what QDateTime wrote for the control API and the store's
// queries, Go's RFC3339Nano in a host's zone, the year range, and the round trip with the parser.
#include "core/common/rfc3339formatter.h"
#include "core/common/rfc3339parser.h"

#include <QDateTime>
#include <QTest>

using namespace Qt::StringLiterals;
using boo::Rfc3339Formatter;
using boo::Rfc3339Parser;
using Fraction = Rfc3339Formatter::Fraction;

Q_DECLARE_METATYPE(Rfc3339Formatter::Fraction)

class TestRfc3339Formatter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void agreesWithQDateTime()
    {
        // Years 1 to 9999 in uneven steps, before and after 1970, with every kind of millisecond.
        const qint64 first = QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        const qint64 last = QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC).toMSecsSinceEpoch();
        const qint64 step = (last - first) / 5000 + 7919;
        QList<qint64> samples{first, last, 0, -1, 1, 999, -999, -1000, 951782400000, 1787416855118};
        for (qint64 ms = first; ms <= last; ms += step)
            samples.append(ms);
        for (const qint64 ms : samples) {
            const QDateTime utc = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
            QCOMPARE(Rfc3339Formatter::utcMs(ms, Fraction::None), utc.toString(Qt::ISODate));
            QCOMPARE(Rfc3339Formatter::utcMs(ms, Fraction::Millis), utc.toString(Qt::ISODateWithMs));
        }
    }

    void emptyOutsideTheYears()
    {
        const qint64 first = QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        const qint64 last = QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC).toMSecsSinceEpoch();
        const qint64 min = std::numeric_limits<qint64>::min();
        const qint64 max = std::numeric_limits<qint64>::max();
        for (const qint64 ms : {first - 1, last + 1, min, max}) {
            // QDateTime has no year 0 and writes no year past 9999 in ISO format.
            QVERIFY(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).isEmpty());
            QVERIFY(Rfc3339Formatter::utcMs(ms, Fraction::Millis).isEmpty());
            QVERIFY(Rfc3339Formatter::utcMs(ms, Fraction::None).isEmpty());
        }
        QCOMPARE(Rfc3339Formatter::utcMs(first, Fraction::Millis), u"0001-01-01T00:00:00.000Z"_s);
        QCOMPARE(Rfc3339Formatter::utcMs(last, Fraction::None), u"9999-12-31T23:59:59Z"_s);
        QVERIFY(Rfc3339Formatter::format(std::numeric_limits<qint64>::max(), 0, 3600, Fraction::None).isEmpty());
    }

    void goInAZone_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<int>("nanos");
        QTest::addColumn<int>("offset");
        QTest::addColumn<Fraction>("fraction");
        QTest::addColumn<QByteArray>("text");
        const qint64 base = 1787416855; // 2026-08-22T16:40:55Z
        QTest::newRow("nanos +02:00") << base << 118274031 << 7200 << Fraction::Trimmed << "2026-08-22T18:40:55.118274031+02:00"_ba;
        QTest::newRow("trailing zeros trimmed") << base << 120000000 << 7200 << Fraction::Trimmed << "2026-08-22T18:40:55.12+02:00"_ba;
        QTest::newRow("one nanosecond") << base << 1 << 0 << Fraction::Trimmed << "2026-08-22T16:40:55.000000001Z"_ba;
        QTest::newRow("whole second") << base << 0 << -25200 << Fraction::Trimmed << "2026-08-22T09:40:55-07:00"_ba;
        QTest::newRow("seconds only") << base << 999999999 << 7200 << Fraction::None << "2026-08-22T18:40:55+02:00"_ba;
        QTest::newRow("millis, half-hour zone") << base << 5999999 << -34200 << Fraction::Millis << "2026-08-22T07:10:55.005-09:30"_ba;
        QTest::newRow("zone crosses the year") << qint64(1798761599) << 0 << 3600 << Fraction::None << "2027-01-01T00:59:59+01:00"_ba;
        QTest::newRow("before 1970") << qint64(-1) << 500000000 << 0 << Fraction::Trimmed << "1969-12-31T23:59:59.5Z"_ba;
    }
    void goInAZone()
    {
        QFETCH(qint64, seconds);
        QFETCH(int, nanos);
        QFETCH(int, offset);
        QFETCH(Fraction, fraction);
        QFETCH(QByteArray, text);
        QCOMPARE(Rfc3339Formatter::format(seconds, nanos, offset, fraction), text);
    }

    void roundTripWithTheParser()
    {
        for (qint64 i = 0; i < 2000; ++i) {
            const qint64 seconds = -2208988800 + i * 2147483 + i * i * 7; // from 1900 on
            const int nanos = int((i * 987654321) % 1000000000);
            const int offset = int(i % 49 - 24) * 1800;
            const QByteArray text = Rfc3339Formatter::format(seconds, nanos, offset, Fraction::Trimmed);
            const auto parsed = Rfc3339Parser::parse(QString::fromLatin1(text), Rfc3339Parser::kGo);
            QVERIFY2(parsed.ok(), text.constData());
            QCOMPARE(parsed->utcSeconds, seconds);
            QCOMPARE(parsed->nanos, nanos);
        }
    }
};

QTEST_GUILESS_MAIN(TestRfc3339Formatter)
#include "tst_rfc3339formatter.moc"
