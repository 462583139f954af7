#include "core/client/cockpitsettings.h"

#include "core/common/logging.h"

#include <QSettings>

#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr qint64 kDay = RetentionPolicy::kDayMs;
// Far beyond any real retention, small enough that days * kDay cannot overflow.
constexpr qlonglong kMaxRetentionDays = 1'000'000;

// A retention period in whole days >= 1, or the default with a warning. Read with toLongLong()
// alone, a hand-edited "30d" became 0 days and the next retention pass deleted all history.
qint64 retentionMs(const QSettings &settings, const QString &key, qint64 defaultMs)
{
    if (!settings.contains(key))
        return defaultMs;
    const QVariant value = settings.value(key);
    bool ok = false;
    const qlonglong days = value.toLongLong(&ok);
    if (!ok || days < 1 || days > kMaxRetentionDays) {
        qCWarning(lcApp).noquote() << "settings:" << key << "is" << value.toString() << "- expected a whole number of days"
                                   << "from 1; keeping the default of" << defaultMs / kDay << "days";
        return defaultMs;
    }
    return days * kDay;
}

// An alert threshold, or the default with a warning ("90%" must not become a threshold of 0).
double threshold(const QSettings &settings, const QString &key, double defaultValue)
{
    if (!settings.contains(key))
        return defaultValue;
    const QVariant value = settings.value(key);
    bool ok = false;
    const double number = value.toDouble(&ok);
    if (!ok || !std::isfinite(number) || number <= 0) {
        qCWarning(lcApp).noquote() << "settings:" << key << "is" << value.toString() << "- expected a number above 0;"
                                   << "keeping the default of" << defaultValue;
        return defaultValue;
    }
    return number;
}

} // namespace

CockpitSettings CockpitSettings::load(QSettings &settings)
{
    CockpitSettings s;
    const QString url = settings.value(u"database/url"_s).toString();
    if (!url.isEmpty()) {
        if (auto parsed = DatabaseUrl::parse(url)) {
            s.database = *parsed;
            if (s.database->password == u"***"_s)
                s.database->password.clear(); // filled in from the keychain by the caller
        }
    }
    const RetentionPolicy defaults;
    s.retention.rawPerfMs = retentionMs(settings, u"retention/raw_perf_days"_s, defaults.rawPerfMs);
    s.retention.perfRollupMs = retentionMs(settings, u"retention/perf_rollup_days"_s, defaults.perfRollupMs);
    s.retention.requestsMs = retentionMs(settings, u"retention/requests_days"_s, defaults.requestsMs);
    s.retention.modelEventsMs = retentionMs(settings, u"retention/model_events_days"_s, defaults.modelEventsMs);
    const AlertThresholds alertDefaults;
    s.alerts.vramPercent = threshold(settings, u"alerts/vram_percent"_s, alertDefaults.vramPercent);
    s.alerts.temperatureC = threshold(settings, u"alerts/temperature_c"_s, alertDefaults.temperatureC);
    s.language = storedLanguage(settings);
    return s;
}

QStringList CockpitSettings::languages()
{
    return {u"en"_s, u"de"_s};
}

QString CockpitSettings::storedLanguage(const QSettings &settings)
{
    const QString language = settings.value(u"ui/language"_s).toString();
    if (language.isEmpty() || languages().contains(language))
        return language;
    qCWarning(lcApp).noquote() << "settings: ui/language is" << language << "- expected one of" << languages().join(u", "_s)
                               << "or nothing; using the system's language";
    return {};
}

QLocale CockpitSettings::uiLocale(const QString &language, const QLocale &system)
{
    if (language.isEmpty() || !languages().contains(language))
        return system;
    const QLocale chosen(language);
    if (system.language() == chosen.language())
        return system;
    return chosen;
}

QLocale CockpitSettings::translationLocale(const QLocale &ui)
{
    return ui.language() == QLocale::C ? QLocale(QLocale::English, QLocale::UnitedStates) : ui;
}

void CockpitSettings::save(QSettings &settings) const
{
    if (database)
        settings.setValue(u"database/url"_s, database->displayString());
    else
        settings.remove(u"database/url"_s);
    settings.setValue(u"retention/raw_perf_days"_s, retention.rawPerfMs / kDay);
    settings.setValue(u"retention/perf_rollup_days"_s, retention.perfRollupMs / kDay);
    settings.setValue(u"retention/requests_days"_s, retention.requestsMs / kDay);
    settings.setValue(u"retention/model_events_days"_s, retention.modelEventsMs / kDay);
    settings.setValue(u"alerts/vram_percent"_s, alerts.vramPercent);
    settings.setValue(u"alerts/temperature_c"_s, alerts.temperatureC);
    if (language.isEmpty())
        settings.remove(u"ui/language"_s);
    else
        settings.setValue(u"ui/language"_s, language);
}

} // namespace boo
