#pragma once

#include "core/alerts/alert.h"
#include "core/common/enumnames.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace boo {

// What became of one alert at one sink, as /api/alerts shows it:
//   pending    queued or being sent          retrying   an attempt failed, another is due
//   delivered  the receiver answered 2xx     failed     gave up (attempts used, or a 4xx)
//   suppressed not sent: the sink's cooldown for this dedup key, or the same key still in flight
enum class DeliveryState { Pending, Retrying, Delivered, Failed, Suppressed };
inline constexpr EnumName<DeliveryState> kDeliveryStateNames[] = {
    {DeliveryState::Pending, u"pending"}, {DeliveryState::Retrying, u"retrying"},     {DeliveryState::Delivered, u"delivered"},
    {DeliveryState::Failed, u"failed"},   {DeliveryState::Suppressed, u"suppressed"},
};

struct DeliveryAttempt
{
    int number = 1;
    qint64 atMs = 0;
    qint64 durationMs = 0;
    int httpStatus = 0; // 0: no answer (refused, timed out, reset)
    QString error;      // empty when delivered; never holds the URL or the token

    QJsonObject toJson() const;
};

struct SinkDelivery
{
    QString sink;
    DeliveryState state = DeliveryState::Pending;
    QString note; // why suppressed or failed
    QList<DeliveryAttempt> attempts;
    qint64 nextAttemptMs = 0; // when retrying

    bool isOpen() const { return state == DeliveryState::Pending || state == DeliveryState::Retrying; }
    QJsonObject toJson() const;
};

// One alert and its deliveries, kept in memory (the last AlertDelivery::kKeptAlerts).
struct AlertRecord
{
    QString id;
    Alert alert;
    QList<SinkDelivery> deliveries;

    QJsonObject toJson() const;
};

} // namespace boo
