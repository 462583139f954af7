#include "models/formatting.h"

#include <QLocale>
#include <QStringList>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace boo;

// The cockpit's numbers, dates, sizes and durations follow the default locale (set at start from
// the chosen language): a German cockpit shows "1.234,5" and "24.11.2026", an English one the
// same values as before. No translator is installed here: the units stay as in the source.
class TestFormatting : public QObject
{
    Q_OBJECT

    const QDateTime m_when{QDate(2026, 11, 24), QTime(14, 3, 27)};

    static void addLocales()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("expected");
    }

    static QString formatIn(const QString &locale, const std::function<QString()> &format)
    {
        const QLocale before;
        QLocale::setDefault(QLocale(locale));
        const QString text = format();
        QLocale::setDefault(before);
        return text;
    }

private Q_SLOTS:
    void count_data()
    {
        addLocales();
        QTest::newRow("en") << u"en_US"_s << u"1,234,567"_s;
        QTest::newRow("de") << u"de_DE"_s << u"1.234.567"_s;
    }
    void count()
    {
        QFETCH(QString, locale);
        QFETCH(QString, expected);
        QCOMPARE(formatIn(locale, [] { return formatting::count(1234567); }), expected);
        QCOMPARE(formatIn(locale, [] { return formatting::count(std::nullopt); }), formatting::unknown());
    }

    void speed_data()
    {
        addLocales();
        QTest::newRow("en") << u"en_US"_s << u"1,234.5"_s;
        QTest::newRow("de") << u"de_DE"_s << u"1.234,5"_s;
    }
    void speed()
    {
        QFETCH(QString, locale);
        QFETCH(QString, expected);
        QCOMPARE(formatIn(locale, [] { return formatting::speed(1234.46); }), expected);
    }

    void sizes_data()
    {
        addLocales();
        QTest::newRow("en") << u"en_US"_s << u"512 B|12.3 KB|4.1 MB|850 MB|4.2 GB"_s;
        QTest::newRow("de") << u"de_DE"_s << u"512 B|12,3 KB|4,1 MB|850 MB|4,2 GB"_s;
    }
    void sizes()
    {
        QFETCH(QString, locale);
        QFETCH(QString, expected);
        const QString text = formatIn(locale, [] {
            return QStringList{formatting::bytes(512), formatting::bytes(12595), formatting::bytes(4299161), formatting::megabytes(850),
                               formatting::megabytes(4300)}
                .join(u'|');
        });
        QCOMPARE(text, expected);
    }

    void durations_data()
    {
        addLocales();
        QTest::newRow("en") << u"en_US"_s << u"850 ms|4.20 s|12.5 s|3 min 5 s|2 h 10 min|1,234 h 0 min"_s;
        QTest::newRow("de") << u"de_DE"_s << u"850 ms|4,20 s|12,5 s|3 min 5 s|2 h 10 min|1.234 h 0 min"_s;
    }
    void durations()
    {
        QFETCH(QString, locale);
        QFETCH(QString, expected);
        const QString text = formatIn(locale, [] {
            return QStringList{formatting::duration(850),     formatting::duration(4200),      formatting::duration(12'500),
                               formatting::duration(185'000), formatting::duration(7'800'000), formatting::duration(1234LL * 3600'000)}
                .join(u'|');
        });
        QCOMPARE(text, expected);
    }

    void dates_data()
    {
        addLocales();
        QTest::newRow("en") << u"en_US"_s << u"11/24/2026|11/24/2026 2:03:27 PM|11/24 2:03:27 PM|M/d/yyyy h:mm AP"_s;
        QTest::newRow("de") << u"de_DE"_s << u"24.11.2026|24.11.2026 14:03:27|24.11. 14:03:27|dd.MM.yyyy HH:mm"_s;
    }
    void dates()
    {
        QFETCH(QString, locale);
        QFETCH(QString, expected);
        const QString text = formatIn(locale, [this] {
            // Not today: the timestamp carries day and month (without the year).
            return QStringList{formatting::date(m_when), formatting::dateTime(m_when), formatting::timestamp(m_when.toMSecsSinceEpoch()),
                               formatting::dateTimeEditFormat()}
                .join(u'|');
        });
        QCOMPARE(text, expected);
    }

    void timestampTodayIsTheTimeAlone_data()
    {
        addLocales();
        QTest::newRow("en") << u"en_US"_s << u"h:mm:ss AP"_s;
        QTest::newRow("de") << u"de_DE"_s << u"HH:mm:ss"_s;
    }
    void timestampTodayIsTheTimeAlone()
    {
        QFETCH(QString, locale);
        QFETCH(QString, expected);
        const QDateTime now = QDateTime::currentDateTime();
        const QString text = formatIn(locale, [&] { return formatting::timestamp(now.toMSecsSinceEpoch()); });
        QCOMPARE(text, QLocale(locale).toString(now, expected));
    }

    void axisFormats_data()
    {
        addLocales();
        QTest::newRow("en") << u"en_US"_s << u"M/d|M/d h:mm AP|h:mm AP"_s;
        QTest::newRow("de") << u"de_DE"_s << u"dd.MM.|dd.MM. HH:mm|HH:mm"_s;
    }
    void axisFormats()
    {
        QFETCH(QString, locale);
        QFETCH(QString, expected);
        constexpr qint64 hour = 3600'000;
        const QString text = formatIn(locale, [] {
            return QStringList{formatting::axisFormat(7 * 24 * hour), formatting::axisFormat(24 * hour), formatting::axisFormat(hour)}.join(
                u'|');
        });
        QCOMPARE(text, expected);
    }
};

QTEST_GUILESS_MAIN(TestFormatting)
#include "tst_formatting.moc"
