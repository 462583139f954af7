#pragma once

#include "core/alerts/alertconfig.h"
#include "core/alerts/alertdeliveryrecord.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace boo {

// Sends alerts to the sinks of an alerts file (docs/alerts.md), from the thread it lives on,
// without ever blocking it: every exchange is asynchronous and cut off after the policy's
// timeout, so a hung receiver holds up nothing but its own delivery.
//
// Per sink and per dedup key: an alert whose key is still being delivered is suppressed (no
// pile-up while a receiver is down), and so is one within the sink's cooldown of the last one
// that went out. A failed attempt (no answer, 5xx, 408, 429) is retried with exponential
// backoff and jitter, honouring Retry-After, until the policy's attempts are used; any other
// answer is final. Every alert, delivery and attempt is kept in memory (the last kKeptAlerts
// alerts) for /api/alerts.
class AlertDelivery final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kKeptAlerts = 100;
    using Clock = std::function<qint64()>;

    explicit AlertDelivery(AlertConfig config, QObject *parent = nullptr);
    ~AlertDelivery() override;
    Q_DISABLE_COPY_MOVE(AlertDelivery)

    const QList<AlertSinkConfig> &sinks() const { return m_config.sinks; }
    const AlertRetryPolicy &retryPolicy() const { return m_config.retry; }
    // Wall-clock epoch ms for cooldowns and records; tests bring their own.
    void setClock(Clock clock) { m_clock = std::move(clock); }

    // Records the alert and starts its delivery to every sink that takes it. Returns its id.
    QString deliver(const Alert &alert);
    // A `test` alert to every sink, past kinds, severities and cooldowns: the test button.
    QString sendTest();

    // Newest first.
    QList<AlertRecord> recent() const;
    std::optional<AlertRecord> record(const QString &id) const;
    // {"sinks": [{name, type, url (redacted), kinds, min_severity, cooldown_s, token, delivered,
    //  failed, suppressed, last_error}], "alerts": [AlertRecord...], "retry": {...}}
    QJsonObject statusJson() const;
    // Prometheus text for /metrics: alerts raised per kind, deliveries per sink and outcome.
    QByteArray metricsText() const;

Q_SIGNALS:
    // A delivery changed state (a new attempt's outcome, given up, delivered).
    void deliveryChanged(const QString &alertId, const QString &sink, boo::DeliveryState state);

private:
    struct SinkCounters
    {
        int delivered = 0;
        int failed = 0;
        int suppressed = 0;
        QString lastError;
        qint64 lastErrorMs = 0;
    };

    void attempt(const QString &alertId, int sinkIndex);
    void finished(const QString &alertId, int sinkIndex, QNetworkReply *reply, qint64 startedMs, qint64 durationMs, bool timedOut);
    SinkDelivery *delivery(const QString &alertId, int sinkIndex);
    void forgetInFlight(const QString &alertId, int sinkIndex);
    int retryDelayMs(int failures, int retryAfterSeconds) const;
    void close(const QString &alertId, int sinkIndex, SinkDelivery &d, DeliveryState state);
    qint64 now() const { return m_clock(); }

    AlertConfig m_config;
    QNetworkAccessManager *m_nam;
    Clock m_clock;
    quint64 m_nextId = 1;
    QString m_idPrefix;
    QList<AlertRecord> m_records;   // oldest first
    QList<SinkCounters> m_counters; // by sink index
    QHash<Alert::Kind, qint64> m_raised;
    // Per sink index: dedup key -> when the last delivery of it went out, and the alert id of
    // the one still in flight.
    QList<QHash<QString, qint64>> m_lastSent;
    QList<QHash<QString, QString>> m_inFlight;
};

} // namespace boo
