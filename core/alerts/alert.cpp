#include "core/alerts/alert.h"

#include "core/common/rfc3339formatter.h"

#include <QCoreApplication>
#include <QLocale>

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
    // Shown in the tray, the status bar and the action history: in the program's language.
    const QString host = hostName.isEmpty() ? hostId : hostName;
    const QLocale locale;
    // Alerts raised by other modules carry their own words; rules' alerts are phrased here.
    const QString extra = detail.isEmpty() ? QString() : u": "_s + detail;
    switch (kind) {
    case Kind::HostDown: return QCoreApplication::translate("boo::Alert", "%1 is down").arg(host) + extra;
    case Kind::HostBack: return QCoreApplication::translate("boo::Alert", "%1 is back").arg(host) + extra;
    case Kind::VramHigh:
        return QCoreApplication::translate("boo::Alert", "%1: GPU %2 VRAM at %3% (threshold %4%)")
            .arg(host)
            .arg(gpu)
            .arg(locale.toString(value, 'f', 0), locale.toString(threshold, 'f', 0));
    case Kind::TemperatureHigh:
        return QCoreApplication::translate("boo::Alert", "%1: GPU %2 at %3 °C (threshold %4 °C)")
            .arg(host)
            .arg(gpu)
            .arg(locale.toString(value, 'f', 0), locale.toString(threshold, 'f', 0));
    case Kind::GapSuspected:
        return QCoreApplication::translate("boo::Alert", "%1 may have missed activity rows (gap suspected)").arg(host) + extra;
    case Kind::ErrorRate:
        return QCoreApplication::translate("boo::Alert", "%1: %2% of requests failed (threshold %3%)")
                   .arg(hostId.isEmpty() ? subject : host, locale.toString(value, 'f', 0), locale.toString(threshold, 'f', 0))
            + extra;
    case Kind::FailoverStorm:
        return QCoreApplication::translate("boo::Alert", "the gateway failed over %1 times (threshold %2)")
                   .arg(locale.toString(value, 'f', 0), locale.toString(threshold, 'f', 0))
            + extra;
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
