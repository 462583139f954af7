#pragma once

#include "core/alerts/alert.h"
#include "core/alerts/alertsinkconfig.h"

#include <QByteArray>
#include <QList>
#include <QUrl>

#include <utility>

namespace boo {

// The HTTP request that carries one alert to one sink: a pure value, so each sink's payload
// shape is tested without a network and the delivery code knows nothing of the formats.
struct AlertRequest
{
    QUrl url;
    QList<std::pair<QByteArray, QByteArray>> headers; // Content-Type included
    QByteArray body;

    QByteArray header(const QByteArray &name) const;

    // `alertId` identifies the alert across retries (the json sink sends it as X-Boo-Alert-Id
    // and "id", so that a receiver can drop a repeat of an attempt it did get).
    static AlertRequest build(const AlertSinkConfig &sink, const Alert &alert, const QString &alertId);

    // The sink's own priority scales.
    static int ntfyPriority(AlertSeverity severity);   // 1..5
    static int gotifyPriority(AlertSeverity severity); // 0..10
};

} // namespace boo
