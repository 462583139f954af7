#include "core/client/chatstream.h"

#include "core/common/monotonic.h"
#include "core/protocol/apierror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// The message of an `error` member in either shape peers send: {"error":{"message":…}} or
// {"error":"…"}.
QString errorMessage(const QJsonValue &error)
{
    if (error.isString())
        return error.toString();
    const QString message = error.toObject().value(u"message"_s).toString();
    return message.isEmpty() ? QString::fromUtf8(QJsonDocument(error.toObject()).toJson(QJsonDocument::Compact)) : message;
}

} // namespace

ChatStream::ChatStream(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
{
    m_idle.setSingleShot(true);
    m_idle.setInterval(kDefaultIdleTimeoutMs);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        fail(makeError(u"chat.idle"_s,
                       tr("%1: nothing arrived for %n second(s); the host may have gone", nullptr, m_idle.interval() / 1000).arg(m_url)));
    });
}

ChatStream::~ChatStream()
{
    detach();
}

QNetworkRequest ChatStream::buildRequest(const ChatTarget &target)
{
    QNetworkRequest request = target.endpoint.streamRequest(u"/v1/chat/completions"_s);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("X-Boo-Source", kSource.toByteArray());
    return request;
}

void ChatStream::start(const ChatTarget &target, const ChatRequest &request)
{
    detach();
    m_parser.reset();
    m_errorBody.clear();
    m_status.reset();
    m_done = false;
    m_failed = false;
    m_stats = ChatStats{};
    m_content.clear();
    m_reasoning.clear();
    m_firstTokenNs = m_lastTokenNs = 0;

    const QNetworkRequest built = buildRequest(target);
    m_url = built.url().adjusted(QUrl::RemoveUserInfo).toString();
    const QByteArray body = QJsonDocument(request.toJson(target.model)).toJson(QJsonDocument::Compact);
    m_sentNs = steadyNs();
    m_reply = m_nam->post(built, body);
    connect(m_reply, &QNetworkReply::readyRead, this, &ChatStream::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &ChatStream::onFinished);
    m_idle.start();
}

void ChatStream::cancel()
{
    if (m_reply)
        fail(makeError(u"chat.cancelled"_s, tr("Cancelled")));
}

void ChatStream::detach()
{
    m_idle.stop();
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

double ChatStream::msSinceSent(qint64 nowNs) const
{
    return double(nowNs - m_sentNs) / 1e6;
}

void ChatStream::onReadyRead()
{
    if (!m_reply)
        return;
    m_idle.start();
    if (!m_status)
        m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = m_reply->readAll();
    if (*m_status != 200) {
        // Error bodies are small JSON or text; keep a bounded prefix for the message.
        if (m_errorBody.size() < 64 * 1024)
            m_errorBody += bytes;
        return;
    }
    for (const SseEvent &event : m_parser.feed(bytes)) {
        handleEvent(event);
        if (m_failed || !m_reply)
            return;
    }
}

void ChatStream::handleEvent(const SseEvent &event)
{
    if (event.data.trimmed() == "[DONE]") {
        m_done = true;
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(event.data, &parseError);
    if (!document.isObject()) {
        fail(makeError(u"chat.malformed"_s, tr("%1: a chunk of the stream is not a JSON object").arg(m_url)));
        return;
    }
    const QJsonObject chunk = document.object();
    if (chunk.contains(u"error"_s)) {
        fail(makeError(u"chat.stream_error"_s, tr("%1: %2").arg(m_url, errorMessage(chunk.value(u"error"_s)))));
        return;
    }
    const qint64 now = steadyNs();
    if (const QString model = chunk.value(u"model"_s).toString(); !model.isEmpty())
        m_stats.model = model;
    if (chunk.value(u"usage"_s).isObject())
        m_stats.usage = chunk.value(u"usage"_s).toObject();
    if (chunk.value(u"timings"_s).isObject())
        m_stats.timings = chunk.value(u"timings"_s).toObject();

    const QJsonObject choice = chunk.value(u"choices"_s).toArray().at(0).toObject();
    const QJsonObject delta = choice.value(u"delta"_s).toObject();
    if (const QString reason = choice.value(u"finish_reason"_s).toString(); !reason.isEmpty())
        m_stats.finishReason = reason;
    const QString reasoning = delta.value(u"reasoning_content"_s).toString();
    const QString content = delta.value(u"content"_s).toString();
    if (!reasoning.isEmpty()) {
        m_reasoning += reasoning;
        countToken(now);
        Q_EMIT reasoningDelta(reasoning);
    }
    if (!content.isEmpty()) {
        m_content += content;
        countToken(now);
        Q_EMIT contentDelta(content);
    }
    m_stats.elapsedMs = msSinceSent(now);
    Q_EMIT statsChanged(m_stats);
}

void ChatStream::countToken(qint64 nowNs)
{
    // A thinking model's first token is reasoning: the operator waits for it just the same.
    if (m_stats.tokens == 0) {
        m_firstTokenNs = nowNs;
        m_stats.ttftMs = msSinceSent(nowNs);
    }
    m_lastTokenNs = nowNs;
    ++m_stats.tokens;
    const double decodeSeconds = double(m_lastTokenNs - m_firstTokenNs) / 1e9;
    if (m_stats.tokens > 1 && decodeSeconds > 0)
        m_stats.tokensPerSecond = (m_stats.tokens - 1) / decodeSeconds;
}

void ChatStream::onFinished()
{
    if (!m_reply)
        return;
    // Bytes that arrived together with the end.
    if (m_reply->bytesAvailable() > 0)
        onReadyRead();
    if (!m_reply || m_failed)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        fail(makeError(u"chat.network"_s, HostEndpoint::networkError(m_reply, "POST").message));
        return;
    }
    if (status.toInt() != 200) {
        const auto api = ApiError::fromBody(m_errorBody);
        const QString why = api ? api->message : tr("no message");
        fail(makeError(u"chat.http"_s, tr("%1 answered HTTP %2: %3").arg(m_url).arg(status.toInt()).arg(why)));
        return;
    }
    if (m_reply->error() != QNetworkReply::NoError) {
        fail(makeError(u"chat.network"_s, HostEndpoint::networkError(m_reply, "POST").message));
        return;
    }
    if (!m_done) {
        fail(makeError(u"chat.incomplete"_s, tr("%1: the stream ended without [DONE]; the answer may be cut short").arg(m_url)));
        return;
    }
    // The host's count is exact where a chunk carried several tokens.
    if (const int counted = m_stats.usage.value(u"completion_tokens"_s).toInt(-1); counted > 0 && counted != m_stats.tokens) {
        m_stats.tokens = counted;
        const double decodeSeconds = double(m_lastTokenNs - m_firstTokenNs) / 1e9;
        if (counted > 1 && decodeSeconds > 0)
            m_stats.tokensPerSecond = (counted - 1) / decodeSeconds;
    }
    detach();
    Q_EMIT finished(m_stats);
}

void ChatStream::fail(Error error)
{
    m_failed = true;
    detach();
    Q_EMIT failed(error);
}

} // namespace boo
