#include "core/alerts/alertdeliveryrecord.h"

#include "core/common/rfc3339formatter.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QString timeText(qint64 ms)
{
    return Rfc3339Formatter::utcMs(ms, Rfc3339Formatter::Fraction::Millis);
}

} // namespace

QJsonObject DeliveryAttempt::toJson() const
{
    QJsonObject json{{u"attempt"_s, number}, {u"at"_s, timeText(atMs)}, {u"duration_ms"_s, durationMs}};
    json.insert(u"http_status"_s, httpStatus > 0 ? QJsonValue(httpStatus) : QJsonValue());
    if (!error.isEmpty())
        json.insert(u"error"_s, error);
    return json;
}

QJsonObject SinkDelivery::toJson() const
{
    QJsonArray list;
    for (const DeliveryAttempt &a : attempts)
        list.append(a.toJson());
    QJsonObject json{{u"sink"_s, sink}, {u"state"_s, enumNameString(kDeliveryStateNames, state)}, {u"attempts"_s, list}};
    if (!note.isEmpty())
        json.insert(u"note"_s, note);
    if (state == DeliveryState::Retrying && nextAttemptMs > 0)
        json.insert(u"next_attempt_at"_s, timeText(nextAttemptMs));
    return json;
}

QJsonObject AlertRecord::toJson() const
{
    QJsonObject json = alert.toJson();
    json.insert(u"id"_s, id);
    QJsonArray list;
    for (const SinkDelivery &d : deliveries)
        list.append(d.toJson());
    json.insert(u"deliveries"_s, list);
    return json;
}

} // namespace boo
