#include "core/alerts/alert.h"

#include "core/common/rfc3339formatter.h"

using namespace Qt::StringLiterals;

namespace boo {

AlertSeverity Alert::defaultSeverity(Kind kind)
{
    switch (kind) {
    case Kind::HostDown: return AlertSeverity::Critical;
    case Kind::HostBack: return AlertSeverity::Info;
    case Kind::VramHigh: return AlertSeverity::Warning;
    case Kind::TemperatureHigh: return AlertSeverity::Warning;
    case Kind::GapSuspected: return AlertSeverity::Warning;
    case Kind::ErrorRate: return AlertSeverity::Critical;
    case Kind::FailoverStorm: return AlertSeverity::Warning;
    case Kind::KeyLimited: return AlertSeverity::Info;
    case Kind::BenchRegression: return AlertSeverity::Warning;
    case Kind::ConfigRollback: return AlertSeverity::Warning;
    case Kind::Test: return AlertSeverity::Info;
    }
    return AlertSeverity::Warning;
}

QString Alert::title() const
{
    switch (kind) {
    case Kind::HostDown: return u"Host down"_s;
    case Kind::HostBack: return u"Host back"_s;
    case Kind::VramHigh: return u"VRAM almost full"_s;
    case Kind::TemperatureHigh: return u"GPU running hot"_s;
    case Kind::GapSuspected: return u"Activity gap suspected"_s;
    case Kind::ErrorRate: return u"High error rate"_s;
    case Kind::FailoverStorm: return u"Gateway failover storm"_s;
    case Kind::KeyLimited: return u"Consumer key limited"_s;
    case Kind::BenchRegression: return u"Benchmark regression"_s;
    case Kind::ConfigRollback: return u"Config rolled back"_s;
    case Kind::Test: return u"Test alert"_s;
    }
    return {};
}

QString Alert::describe() const
{
    const QString host = hostName.isEmpty() ? hostId : hostName;
    // Alerts raised by other modules carry their own words; rules' alerts are phrased here.
    const QString extra = detail.isEmpty() ? QString() : u": "_s + detail;
    switch (kind) {
    case Kind::HostDown: return u"%1 is down"_s.arg(host) + extra;
    case Kind::HostBack: return u"%1 is back"_s.arg(host) + extra;
    case Kind::VramHigh:
        return u"%1: GPU %2 VRAM at %3% (threshold %4%)"_s.arg(host).arg(gpu).arg(value, 0, 'f', 0).arg(threshold, 0, 'f', 0);
    case Kind::TemperatureHigh:
        return u"%1: GPU %2 at %3 °C (threshold %4 °C)"_s.arg(host).arg(gpu).arg(value, 0, 'f', 0).arg(threshold, 0, 'f', 0);
    case Kind::GapSuspected: return u"%1 may have missed activity rows (gap suspected)"_s.arg(host) + extra;
    case Kind::ErrorRate: {
        const QString what = hostId.isEmpty() ? subject : host;
        return u"%1: %2% of requests failed (threshold %3%)"_s.arg(what).arg(value, 0, 'f', 0).arg(threshold, 0, 'f', 0) + extra;
    }
    case Kind::FailoverStorm:
        return u"the gateway failed over %1 times (threshold %2)"_s.arg(value, 0, 'f', 0).arg(threshold, 0, 'f', 0) + extra;
    case Kind::KeyLimited:
    case Kind::BenchRegression:
    case Kind::ConfigRollback:
    case Kind::Test: {
        QStringList parts;
        for (const QString &part : {host, subject, detail}) {
            if (!part.isEmpty())
                parts << part;
        }
        return parts.isEmpty() ? title() : parts.join(u": "_s);
    }
    }
    return {};
}

QString Alert::dedupKey() const
{
    QString key = enumNameString(kAlertKindNames, kind);
    if (!hostId.isEmpty())
        key += u'/' + hostId;
    if (gpu >= 0)
        key += u"/gpu"_s + QString::number(gpu);
    if (!subject.isEmpty())
        key += u'/' + subject;
    return key;
}

QJsonObject Alert::toJson() const
{
    QJsonObject json{
        {u"kind"_s, enumNameString(kAlertKindNames, kind)},
        {u"severity"_s, enumNameString(kAlertSeverityNames, severity())},
        {u"title"_s, title()},
        {u"message"_s, describe()},
        {u"dedup_key"_s, dedupKey()},
        {u"at"_s, Rfc3339Formatter::utcMs(atMs, Rfc3339Formatter::Fraction::Millis)},
        {u"at_ms"_s, atMs},
    };
    if (!hostId.isEmpty()) {
        json.insert(u"host"_s, hostId);
        json.insert(u"host_name"_s, hostName.isEmpty() ? hostId : hostName);
    }
    if (!subject.isEmpty())
        json.insert(u"subject"_s, subject);
    if (gpu >= 0)
        json.insert(u"gpu"_s, gpu);
    if (kind == Kind::VramHigh || kind == Kind::TemperatureHigh || kind == Kind::ErrorRate || kind == Kind::FailoverStorm) {
        json.insert(u"value"_s, value);
        json.insert(u"threshold"_s, threshold);
    }
    if (!detail.isEmpty())
        json.insert(u"detail"_s, detail);
    return json;
}

} // namespace boo
