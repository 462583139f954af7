#include "core/alerts/alertdelivery.h"

#include "core/alerts/alertrequest.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <memory>

Q_LOGGING_CATEGORY(lcAlerts, "boo.alerts")

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Our own words for a failed exchange: QNetworkReply::errorString() quotes the URL, and a
// webhook's URL can be its secret.
QString networkProblem(QNetworkReply::NetworkError error, bool timedOut, int timeoutMs)
{
    if (timedOut)
        return u"no answer within %1 ms"_s.arg(timeoutMs);
    switch (error) {
    case QNetworkReply::ConnectionRefusedError: return u"connection refused"_s;
    case QNetworkReply::RemoteHostClosedError: return u"the receiver closed the connection"_s;
    case QNetworkReply::HostNotFoundError: return u"host not found"_s;
    case QNetworkReply::TimeoutError: return u"no answer within %1 ms"_s.arg(timeoutMs);
    case QNetworkReply::SslHandshakeFailedError: return u"TLS handshake failed"_s;
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError: return u"the network is unavailable"_s;
    default: return u"network error %1"_s.arg(int(error));
    }
}

// The start of the receiver's answer, on one line, without our token should it echo it back.
QString answerSnippet(const QByteArray &body, const QString &token)
{
    QString text = QString::fromUtf8(body.left(160)).simplified();
    if (!token.isEmpty())
        text.replace(token, u"***"_s);
    return text;
}

// Prometheus label values: sink names come from the alerts file.
QByteArray labelValue(const QString &value)
{
    QByteArray out;
    for (const char c : value.toUtf8()) {
        if (c == '\\' || c == '"')
            out += '\\';
        out += c == '\n' ? QByteArray("\\n") : QByteArray(1, c);
    }
    return out;
}

bool retryable(int httpStatus)
{
    return httpStatus == 0 || httpStatus >= 500 || httpStatus == 408 || httpStatus == 429;
}

} // namespace

AlertDelivery::AlertDelivery(AlertConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_nam(new QNetworkAccessManager(this))
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_counters(m_config.sinks.size())
    , m_lastSent(m_config.sinks.size())
    , m_inFlight(m_config.sinks.size())
{
    // Ids stay unique across restarts, so a receiver that de-duplicates by id is not fooled.
    m_idPrefix = QString::number(QDateTime::currentMSecsSinceEpoch(), 36);
}

AlertDelivery::~AlertDelivery() = default;

QString AlertDelivery::sendTest()
{
    Alert test;
    test.kind = Alert::Kind::Test;
    test.detail = u"a test alert from BooControl: this sink works"_s;
    return deliver(test);
}

QString AlertDelivery::deliver(const Alert &incoming)
{
    AlertRecord record;
    record.id = u"%1-%2"_s.arg(m_idPrefix).arg(m_nextId++);
    record.alert = incoming;
    if (record.alert.atMs == 0)
        record.alert.atMs = now();
    ++m_raised[record.alert.kind];
    const QString key = record.alert.dedupKey();
    const bool test = record.alert.kind == Alert::Kind::Test;
    QList<int> toSend;
    for (int i = 0; i < m_config.sinks.size(); ++i) {
        const AlertSinkConfig &sink = m_config.sinks.at(i);
        if (!sink.accepts(record.alert))
            continue;
        SinkDelivery d;
        d.sink = sink.name;
        if (!test) {
            const auto sent = m_lastSent.at(i).constFind(key);
            if (const QString open = m_inFlight.at(i).value(key); !open.isEmpty()) {
                d.state = DeliveryState::Suppressed;
                d.note = u"duplicate: alert %1 with the same dedup key is still being delivered"_s.arg(open);
            } else if (sent != m_lastSent.at(i).cend() && now() - *sent < sink.cooldownMs) {
                d.state = DeliveryState::Suppressed;
                d.note = u"cooldown: the same dedup key went out %1 s ago (cooldown %2 s)"_s.arg((now() - *sent) / 1000)
                             .arg(sink.cooldownMs / 1000);
            }
        }
        if (d.state == DeliveryState::Suppressed) {
            ++m_counters[i].suppressed;
        } else {
            if (!test) {
                m_lastSent[i].insert(key, now());
                m_inFlight[i].insert(key, record.id);
            }
            toSend << i;
        }
        record.deliveries << d;
    }
    const QString id = record.id;
    qCInfo(lcAlerts).noquote() << "alert" << id << enumName(kAlertKindNames, record.alert.kind) << record.alert.describe() << "to"
                               << toSend.size() << "sink(s)";
    m_records << record;
    if (m_records.size() > kKeptAlerts)
        m_records.removeFirst();
    for (int i : std::as_const(toSend))
        attempt(id, i);
    return id;
}

SinkDelivery *AlertDelivery::delivery(const QString &alertId, int sinkIndex)
{
    const QString &name = m_config.sinks.at(sinkIndex).name;
    for (auto it = m_records.rbegin(); it != m_records.rend(); ++it) {
        if (it->id != alertId)
            continue;
        for (SinkDelivery &d : it->deliveries) {
            if (d.sink == name)
                return &d;
        }
    }
    return nullptr;
}

void AlertDelivery::attempt(const QString &alertId, int sinkIndex)
{
    const std::optional<AlertRecord> owner = record(alertId);
    if (!owner || !delivery(alertId, sinkIndex)) {
        forgetInFlight(alertId, sinkIndex);
        return;
    }
    const AlertSinkConfig &sink = m_config.sinks.at(sinkIndex);
    const AlertRequest built = AlertRequest::build(sink, owner->alert, alertId);
    QNetworkRequest request(built.url);
    for (const auto &[name, value] : built.headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(m_config.retry.timeoutMs);
    // A 3xx to a POST is a misconfigured URL, not something to follow with the token.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    const qint64 startedMs = now();
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    auto timedOut = std::make_shared<bool>(false);
    QNetworkReply *reply = m_nam->post(request, built.body);
    // setTransferTimeout restarts on every byte; this bounds the whole exchange.
    QTimer::singleShot(m_config.retry.timeoutMs, reply, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, alertId, sinkIndex, reply, startedMs, clock, timedOut] {
        reply->deleteLater();
        finished(alertId, sinkIndex, reply, startedMs, clock->elapsed(), *timedOut);
    });
}

void AlertDelivery::finished(const QString &alertId, int sinkIndex, QNetworkReply *reply, qint64 startedMs, qint64 durationMs,
                             bool timedOut)
{
    SinkDelivery *d = delivery(alertId, sinkIndex);
    const AlertSinkConfig &sink = m_config.sinks.at(sinkIndex);
    if (!d) {
        forgetInFlight(alertId, sinkIndex);
        return;
    }
    DeliveryAttempt a;
    a.number = int(d->attempts.size()) + 1;
    a.atMs = startedMs;
    a.durationMs = durationMs;
    a.httpStatus = timedOut ? 0 : reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (a.httpStatus >= 200 && a.httpStatus < 300) {
        d->attempts << a;
        close(alertId, sinkIndex, *d, DeliveryState::Delivered);
        return;
    }
    if (a.httpStatus > 0) {
        const QString answer = answerSnippet(reply->readAll(), sink.token);
        a.error = answer.isEmpty() ? u"HTTP %1"_s.arg(a.httpStatus) : u"HTTP %1: %2"_s.arg(a.httpStatus).arg(answer);
    } else {
        a.error = networkProblem(reply->error(), timedOut, m_config.retry.timeoutMs);
    }
    d->attempts << a;
    m_counters[sinkIndex].lastError = a.error;
    m_counters[sinkIndex].lastErrorMs = a.atMs;
    if (!retryable(a.httpStatus) || a.number >= m_config.retry.attempts) {
        d->note = retryable(a.httpStatus) ? u"gave up after %1 attempts: %2"_s.arg(a.number).arg(a.error)
                                          : u"the receiver refused it: %1"_s.arg(a.error);
        close(alertId, sinkIndex, *d, DeliveryState::Failed);
        return;
    }
    bool ok = false;
    const int retryAfter = a.httpStatus > 0 ? reply->rawHeader("Retry-After").trimmed().toInt(&ok) : -1;
    const int delay = retryDelayMs(a.number, ok ? retryAfter : -1);
    d->state = DeliveryState::Retrying;
    d->nextAttemptMs = now() + delay;
    qCInfo(lcAlerts).noquote() << "alert" << alertId << "to sink" << sink.name << "attempt" << a.number << "failed:" << a.error
                               << "- retrying in" << delay << "ms";
    Q_EMIT deliveryChanged(alertId, sink.name, d->state);
    QTimer::singleShot(delay, this, [this, alertId, sinkIndex] { attempt(alertId, sinkIndex); });
}

void AlertDelivery::forgetInFlight(const QString &alertId, int sinkIndex)
{
    // The record aged out of memory (kKeptAlerts) while it was being sent: its key must not stay
    // "in flight" for ever, or every later alert with it would be suppressed as a duplicate.
    m_inFlight[sinkIndex].removeIf([&](const auto &entry) { return entry.value() == alertId; });
}

int AlertDelivery::retryDelayMs(int failures, int retryAfterSeconds) const
{
    const AlertRetryPolicy &p = m_config.retry;
    const double base = std::min<double>(p.maxDelayMs, double(p.firstDelayMs) * double(qint64(1) << std::min(failures - 1, 30)));
    // +/- 20 %: many servers whose receiver came back do not all retry in the same instant.
    const double jittered = base * (0.8 + 0.4 * QRandomGenerator::global()->generateDouble());
    const qint64 asked = retryAfterSeconds > 0 ? qint64(retryAfterSeconds) * 1000 : 0;
    return int(std::clamp<qint64>(std::max<qint64>(qint64(jittered), asked), 1, p.maxDelayMs));
}

void AlertDelivery::close(const QString &alertId, int sinkIndex, SinkDelivery &d, DeliveryState state)
{
    d.state = state;
    d.nextAttemptMs = 0;
    const std::optional<AlertRecord> owner = record(alertId);
    const QString key = owner ? owner->alert.dedupKey() : QString();
    if (m_inFlight.at(sinkIndex).value(key) == alertId)
        m_inFlight[sinkIndex].remove(key);
    SinkCounters &counters = m_counters[sinkIndex];
    const QString &name = m_config.sinks.at(sinkIndex).name;
    if (state == DeliveryState::Delivered) {
        ++counters.delivered;
        qCInfo(lcAlerts).noquote() << "alert" << alertId << "delivered to sink" << name;
    } else {
        ++counters.failed;
        // Nobody heard of this one: the next alert with its key must not wait out a cooldown.
        if (owner && owner->alert.kind != Alert::Kind::Test)
            m_lastSent[sinkIndex].remove(key);
        qCWarning(lcAlerts).noquote() << "alert" << alertId << "not delivered to sink" << name << "-" << d.note;
    }
    Q_EMIT deliveryChanged(alertId, name, state);
}

QList<AlertRecord> AlertDelivery::recent() const
{
    QList<AlertRecord> newestFirst(m_records.crbegin(), m_records.crend());
    return newestFirst;
}

std::optional<AlertRecord> AlertDelivery::record(const QString &id) const
{
    for (auto it = m_records.crbegin(); it != m_records.crend(); ++it) {
        if (it->id == id)
            return *it;
    }
    return std::nullopt;
}

QByteArray AlertDelivery::metricsText() const
{
    QByteArray out = "# HELP boo_alerts_raised_total Alerts raised, by kind.\n"
                     "# TYPE boo_alerts_raised_total counter\n";
    for (const auto &row : kAlertKindNames)
        out += "boo_alerts_raised_total{kind=\"" + row.name.toString().toLatin1() + "\"} " + QByteArray::number(m_raised.value(row.value))
            + '\n';
    out += "# HELP boo_alert_deliveries_total Deliveries of alerts to sinks, by outcome (suppressed: cooldown or duplicate).\n"
           "# TYPE boo_alert_deliveries_total counter\n";
    for (int i = 0; i < m_config.sinks.size(); ++i) {
        const QByteArray sink = "boo_alert_deliveries_total{sink=\"" + labelValue(m_config.sinks.at(i).name) + "\",outcome=\"";
        const SinkCounters &c = m_counters.at(i);
        out += sink + "delivered\"} " + QByteArray::number(c.delivered) + '\n';
        out += sink + "failed\"} " + QByteArray::number(c.failed) + '\n';
        out += sink + "suppressed\"} " + QByteArray::number(c.suppressed) + '\n';
    }
    return out;
}

QJsonObject AlertDelivery::statusJson() const
{
    QJsonArray sinks;
    for (int i = 0; i < m_config.sinks.size(); ++i) {
        const AlertSinkConfig &s = m_config.sinks.at(i);
        const SinkCounters &c = m_counters.at(i);
        QJsonArray kinds;
        for (const auto &row : kAlertKindNames) {
            if (s.kinds.contains(row.value))
                kinds.append(row.name.toString());
        }
        QJsonObject sink{{u"name"_s, s.name},
                         {u"type"_s, enumNameString(kAlertSinkTypeNames, s.type)},
                         {u"url"_s, s.redactedUrl()},
                         {u"token"_s, s.tokenSource.isEmpty() ? QJsonValue() : QJsonValue(s.tokenSource)},
                         {u"kinds"_s, s.kinds.isEmpty() ? QJsonValue(u"all"_s) : QJsonValue(kinds)},
                         {u"min_severity"_s, enumNameString(kAlertSeverityNames, s.minSeverity)},
                         {u"cooldown_s"_s, s.cooldownMs / 1000},
                         {u"delivered"_s, c.delivered},
                         {u"failed"_s, c.failed},
                         {u"suppressed"_s, c.suppressed}};
        sink.insert(u"last_error"_s, c.lastError.isEmpty() ? QJsonValue() : QJsonValue(c.lastError));
        sinks.append(sink);
    }
    QJsonArray alerts;
    for (auto it = m_records.crbegin(); it != m_records.crend(); ++it)
        alerts.append(it->toJson());
    const AlertRetryPolicy &p = m_config.retry;
    return QJsonObject{{u"sinks"_s, sinks},
                       {u"alerts"_s, alerts},
                       {u"retry"_s,
                        QJsonObject{{u"attempts"_s, p.attempts},
                                    {u"first_delay_ms"_s, p.firstDelayMs},
                                    {u"max_delay_ms"_s, p.maxDelayMs},
                                    {u"timeout_ms"_s, p.timeoutMs}}}};
}

} // namespace boo
