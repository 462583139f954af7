#include "core/client/cockpitsettings.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace boo {

namespace {
constexpr qint64 kDay = RetentionPolicy::kDayMs;
}

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
    s.retention.rawPerfMs = settings.value(u"retention/raw_perf_days"_s, defaults.rawPerfMs / kDay).toLongLong() * kDay;
    s.retention.perfRollupMs = settings.value(u"retention/perf_rollup_days"_s, defaults.perfRollupMs / kDay).toLongLong() * kDay;
    s.retention.requestsMs = settings.value(u"retention/requests_days"_s, defaults.requestsMs / kDay).toLongLong() * kDay;
    s.retention.modelEventsMs = settings.value(u"retention/model_events_days"_s, defaults.modelEventsMs / kDay).toLongLong() * kDay;
    const AlertThresholds alertDefaults;
    s.alerts.vramPercent = settings.value(u"alerts/vram_percent"_s, alertDefaults.vramPercent).toDouble();
    s.alerts.temperatureC = settings.value(u"alerts/temperature_c"_s, alertDefaults.temperatureC).toDouble();
    return s;
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
}

} // namespace boo
