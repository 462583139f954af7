#include "core/bench/benchexchange.h"

#include "core/common/monotonic.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Error bodies are short; a huge one is cut to what a message needs.
constexpr qsizetype kMaxErrorBody = 4096;

BenchErrorKind kindOfStatus(int status)
{
    if (status == 429)
        return BenchErrorKind::Http429;
    if (status >= 500)
        return BenchErrorKind::Http5xx;
    return BenchErrorKind::Http4xx;
}

// The message of an OpenAI or llama-swap error body ({"error":{"message"}} or {"error":"..."}).
QString errorText(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QJsonValue error = object.value(u"error"_s);
    if (error.isObject())
        return error.toObject().value(u"message"_s).toString();
    if (error.isString())
        return error.toString();
    return QString::fromUtf8(body.left(200)).trimmed();
}

std::optional<double> positive(const QJsonValue &value)
{
    if (!value.isDouble() || value.toDouble() < 0)
        return std::nullopt;
    return value.toDouble();
}

} // namespace

void BenchExchange::start(UpstreamConnection *connection, const QByteArray &request, const UpstreamTimeouts &timeouts, BenchSample sample,
                          Done done)
{
    m_connection = connection;
    m_done = std::move(done);
    m_sample = std::move(sample);
    m_parser.reset();
    m_errorBody.clear();
    m_sentNs = steadyNs(); // replaced by the moment the bytes went out, once they did
    m_lastContentNs = 0;
    m_contentChunks = 0;
    m_sawDone = false;
    connection->send(request, false, timeouts, this);
}

double BenchExchange::msSinceSent(qint64 ns) const
{
    return double(ns - m_sentNs) / 1e6;
}

void BenchExchange::upstreamHead(int status, const HttpHeaders &headers)
{
    if (m_connection->sentAtNs() > 0)
        m_sentNs = m_connection->sentAtNs();
    m_sample.status = status;
    if (const QByteArray host = headers.value("x-boo-host"); !host.isEmpty())
        m_sample.host = QString::fromUtf8(host);
}

void BenchExchange::upstreamBody(QByteArrayView piece)
{
    if (m_sample.status != 200) {
        if (m_errorBody.size() < kMaxErrorBody)
            m_errorBody += piece.first(qMin(piece.size(), kMaxErrorBody - m_errorBody.size()));
        return;
    }
    const qint64 now = steadyNs();
    for (const SseEvent &event : m_parser.feed(piece))
        onEvent(event, now);
}

void BenchExchange::onEvent(const SseEvent &event, qint64 nowNs)
{
    if (m_sample.error != BenchErrorKind::None)
        return;
    if (event.data == "[DONE]") {
        m_sawDone = true;
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(event.data, &parseError);
    if (!document.isObject()) {
        m_sample.error = BenchErrorKind::Protocol;
        m_sample.errorMessage = u"an event of the stream is not a JSON object: "_s + parseError.errorString();
        return;
    }
    const QJsonObject chunk = document.object();
    if (chunk.contains(u"error"_s)) {
        m_sample.error = BenchErrorKind::StreamError;
        m_sample.errorMessage = errorText(event.data);
        return;
    }
    const QJsonArray choices = chunk.value(u"choices"_s).toArray();
    if (!choices.isEmpty()) {
        const QJsonObject delta = choices.first().toObject().value(u"delta"_s).toObject();
        if (m_sample.keepContent)
            m_sample.content += delta.value(u"content"_s).toString();
        // Reasoning models stream their thinking first: it is output the user waits for too.
        const bool content = !delta.value(u"content"_s).toString().isEmpty() || !delta.value(u"reasoning_content"_s).toString().isEmpty();
        if (content) {
            if (!m_sample.ttftMs)
                m_sample.ttftMs = msSinceSent(nowNs);
            else
                m_sample.itlMs << double(nowNs - m_lastContentNs) / 1e6;
            m_lastContentNs = nowNs;
            ++m_contentChunks;
        }
    }
    const QJsonObject usage = chunk.value(u"usage"_s).toObject();
    if (usage.value(u"completion_tokens"_s).isDouble()) {
        m_sample.outputTokens = usage.value(u"completion_tokens"_s).toInt();
        m_sample.outputTokensFromUsage = true;
    }
    if (usage.value(u"prompt_tokens"_s).isDouble())
        m_sample.promptTokens = usage.value(u"prompt_tokens"_s).toInt();
    const QJsonObject timings = chunk.value(u"timings"_s).toObject();
    if (!timings.isEmpty()) {
        m_sample.hostPromptPerSecond = positive(timings.value(u"prompt_per_second"_s));
        m_sample.hostPredictedPerSecond = positive(timings.value(u"predicted_per_second"_s));
        m_sample.hostPromptMs = positive(timings.value(u"prompt_ms"_s));
    }
}

void BenchExchange::upstreamComplete()
{
    m_sample.e2eMs = msSinceSent(steadyNs());
    if (m_sample.status != 200) {
        m_sample.error = kindOfStatus(m_sample.status);
        m_sample.errorMessage = u"%1: %2"_s.arg(m_sample.status).arg(errorText(m_errorBody));
    } else if (m_sample.error == BenchErrorKind::None && !m_sawDone) {
        m_sample.error = BenchErrorKind::Incomplete;
        m_sample.errorMessage = u"the stream ended without [DONE] after %1 content chunks"_s.arg(m_contentChunks);
    } else if (m_sample.error == BenchErrorKind::None && !m_sample.ttftMs) {
        m_sample.error = BenchErrorKind::Protocol;
        m_sample.errorMessage = u"the stream had no content"_s;
    }
    finish();
}

void BenchExchange::upstreamFailed(UpstreamFailure failure, const QString &message)
{
    m_sample.e2eMs = msSinceSent(steadyNs());
    switch (failure) {
    case UpstreamFailure::Connect: fail(BenchErrorKind::Connect, message); break;
    case UpstreamFailure::ConnectTimeout:
    case UpstreamFailure::HeaderTimeout:
    case UpstreamFailure::Idle: fail(BenchErrorKind::Timeout, message); break;
    case UpstreamFailure::Reset: fail(BenchErrorKind::Reset, message); break;
    case UpstreamFailure::Protocol: fail(BenchErrorKind::Protocol, message); break;
    }
    finish();
}

void BenchExchange::fail(BenchErrorKind kind, const QString &message)
{
    // The first problem is the cause; a reset after an error event is its consequence.
    if (m_sample.error != BenchErrorKind::None)
        return;
    m_sample.error = kind;
    m_sample.errorMessage = message;
}

void BenchExchange::finish()
{
    if (!m_sample.outputTokensFromUsage)
        m_sample.outputTokens = m_contentChunks;
    m_connection = nullptr;
    Done done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(std::move(m_sample));
}

} // namespace boo
