#include "core/client/cockpitsettings.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestCockpitSettings : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString iniWith(const QByteArray &text)
    {
        static int n = 0;
        const QString path = m_dir.filePath(u"settings-%1.ini"_s.arg(++n));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private Q_SLOTS:
    // A value that is not a whole number of days >= 1 keeps the default: read with toLongLong()
    // alone, "30d" was 0 days and the next retention pass deleted all history.
    void unreadableRetentionKeepsTheDefault_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("days");
        const qint64 fallback = RetentionPolicy().requestsMs / RetentionPolicy::kDayMs;
        QTest::newRow("30") << "30"_ba << qint64(30);
        QTest::newRow("30d") << "30d"_ba << fallback;
        QTest::newRow("empty") << ""_ba << fallback;
        QTest::newRow("0") << "0"_ba << fallback;
        QTest::newRow("-5") << "-5"_ba << fallback;
        QTest::newRow("2.5") << "2.5"_ba << fallback;
        QTest::newRow("huge") << "99999999999999"_ba << fallback;
    }
    void unreadableRetentionKeepsTheDefault()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, days);
        QSettings settings(iniWith("[retention]\nrequests_days=" + value + "\nmodel_events_days=7\n"), QSettings::IniFormat);
        if (days != qint64(30))
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"retention/requests_days"_s));
        const CockpitSettings loaded = CockpitSettings::load(settings);
        QCOMPARE(loaded.retention.requestsMs, days * RetentionPolicy::kDayMs);
        QCOMPARE(loaded.retention.modelEventsMs, 7 * RetentionPolicy::kDayMs); // the others are read as written
        QCOMPARE(loaded.retention.rawPerfMs, RetentionPolicy().rawPerfMs);     // absent: the default, quietly
    }

    void unreadableThresholdKeepsTheDefault()
    {
        QSettings settings(iniWith("[alerts]\nvram_percent=90%\ntemperature_c=80\n"), QSettings::IniFormat);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"alerts/vram_percent"_s));
        const CockpitSettings loaded = CockpitSettings::load(settings);
        QCOMPARE(loaded.alerts.vramPercent, AlertThresholds().vramPercent);
        QCOMPARE(loaded.alerts.temperatureC, 80.0);
    }

    void savedSettingsReadBack()
    {
        const QString path = iniWith({});
        CockpitSettings saved;
        saved.retention.rawPerfMs = 3 * RetentionPolicy::kDayMs;
        saved.retention.requestsMs = 400 * RetentionPolicy::kDayMs;
        saved.alerts.temperatureC = 77.5;
        saved.language = u"de"_s;
        {
            QSettings settings(path, QSettings::IniFormat);
            saved.save(settings);
        }
        QSettings settings(path, QSettings::IniFormat);
        const CockpitSettings loaded = CockpitSettings::load(settings);
        QCOMPARE(loaded.retention.rawPerfMs, saved.retention.rawPerfMs);
        QCOMPARE(loaded.retention.requestsMs, saved.retention.requestsMs);
        QCOMPARE(loaded.alerts.temperatureC, 77.5);
        QCOMPARE(loaded.language, u"de"_s);
    }

    // The system's language unless one is chosen; a chosen one keeps the system's country when
    // the system already speaks it, so that an Austrian desktop stays Austrian.
    void uiLocaleFollowsTheChoice_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("system");
        QTest::addColumn<QString>("expected");
        QTest::newRow("system de") << QString() << u"de_DE"_s << u"de_DE"_s;
        QTest::newRow("system en_GB") << QString() << u"en_GB"_s << u"en_GB"_s;
        QTest::newRow("de on en_US") << u"de"_s << u"en_US"_s << u"de_DE"_s;
        QTest::newRow("en on de_DE") << u"en"_s << u"de_DE"_s << u"en_US"_s;
        QTest::newRow("de on de_AT") << u"de"_s << u"de_AT"_s << u"de_AT"_s;
        QTest::newRow("en on en_GB") << u"en"_s << u"en_GB"_s << u"en_GB"_s;
        QTest::newRow("unknown") << u"xx"_s << u"fr_FR"_s << u"fr_FR"_s;
    }
    void uiLocaleFollowsTheChoice()
    {
        QFETCH(QString, language);
        QFETCH(QString, system);
        QFETCH(QString, expected);
        QCOMPARE(CockpitSettings::uiLocale(language, QLocale(system)).name(), expected);
    }

    // A POSIX "C" environment still gets English words with their plural forms.
    void translationOfTheCLocaleIsEnglish()
    {
        QCOMPARE(CockpitSettings::translationLocale(QLocale::c()).name(), u"en_US"_s);
        QCOMPARE(CockpitSettings::translationLocale(QLocale(u"de_AT"_s)).name(), u"de_AT"_s);
        QCOMPARE(CockpitSettings::translationLocale(QLocale(u"en_GB"_s)).name(), u"en_GB"_s);
    }

    void unknownLanguageIsTheSystems()
    {
        QSettings settings(iniWith("[ui]\nlanguage=klingon\n"), QSettings::IniFormat);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"ui/language"_s));
        QCOMPARE(CockpitSettings::load(settings).language, QString());
    }

    void systemLanguageIsNotStored()
    {
        const QString path = iniWith("[ui]\nlanguage=de\n");
        {
            QSettings settings(path, QSettings::IniFormat);
            CockpitSettings().save(settings);
        }
        QSettings settings(path, QSettings::IniFormat);
        QVERIFY(!settings.contains(u"ui/language"_s));
    }
};

QTEST_GUILESS_MAIN(TestCockpitSettings)
#include "tst_cockpitsettings.moc"
