#include "core/gateway/gatewaydispatch.h"

#include "core/common/monotonic.h"
#include "core/gateway/gateway.h"
#include "core/gateway/openaierror.h"
#include "core/gateway/upstreampool.h"
#include "core/gateway/upstreamtarget.h"
#include "core/http/httpstream.h"

#include <QDateTime>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

double msSince(qint64 fromNs, qint64 toNs)
{
    return double(toNs - fromNs) / 1e6;
}

// Index just past the last complete SSE event in `data` (0 when there is none).
qsizetype lastEventEnd(QByteArrayView data)
{
    const qsizetype lf = data.lastIndexOf("\n\n");
    const qsizetype crlf = data.lastIndexOf("\r\n\r\n");
    return std::max(lf < 0 ? 0 : lf + 2, crlf < 0 ? 0 : crlf + 4);
}

// The OpenAI end marker closes what the host sent (blank lines after it or not).
bool endsWithDone(QByteArrayView data)
{
    return data.trimmed().endsWith("data: [DONE]") || data.trimmed().endsWith("data:[DONE]");
}

// Response headers the client must not see: ours frame the body differently.
bool isHopByHop(QByteArrayView name)
{
    for (const char *h :
         {"connection", "keep-alive", "transfer-encoding", "content-length", "date", "proxy-connection", "te", "trailer", "upgrade"}) {
        if (HttpHeaders::namesEqual(name, h))
            return true;
    }
    return false;
}

QString modelPath(const QString &model)
{
    // Ids may contain '/': each segment is encoded on its own and the slashes stay, as
    // llama-swap finds the model by the longest run of leading segments.
    QStringList segments = model.split(u'/');
    for (QString &s : segments)
        s = QString::fromLatin1(QUrl::toPercentEncoding(s));
    return segments.join(u'/');
}

} // namespace

GatewayDispatch::GatewayDispatch(Gateway *gateway, DispatchPlan plan, Ranking ranking, HttpResponder responder)
    : QObject(gateway)
    , m_gateway(gateway)
    , m_plan(std::move(plan))
    , m_ranking(std::move(ranking))
    , m_responder(std::move(responder))
{
}

GatewayDispatch::~GatewayDispatch()
{
    releaseConnection();
}

void GatewayDispatch::start()
{
    m_resumedNs = m_plan.receivedNs;
    if (QObject *context = m_responder.connectionContext())
        connect(context, &QObject::destroyed, this, &GatewayDispatch::onClientGone);
    tryNext();
}

void GatewayDispatch::tryNext()
{
    const int maxAttempts = m_gateway->options().maxAttempts;
    while (m_next < m_ranking.ranked.size() && m_attempts.size() < maxAttempts) {
        const RankedCandidate &c = m_ranking.ranked.at(m_next++);
        const QString key = c.directId();
        if (m_triedHosts.contains(c.providerId)) {
            m_outcomes.insert(key, u"not tried: this host was tried already"_s);
            continue;
        }
        const std::optional<UpstreamTarget> target = m_gateway->target(c.providerId);
        if (!target) {
            m_outcomes.insert(key, u"not tried: the provider was removed"_s);
            continue;
        }
        m_triedHosts.insert(c.providerId);
        m_current = &c;
        DispatchAttempt attempt;
        attempt.id = m_plan.dispatchId + u'.' + QString::number(m_attempts.size() + 1);
        attempt.providerId = c.providerId;
        attempt.model = c.model;
        attempt.startedMs = QDateTime::currentMSecsSinceEpoch();
        m_attempts << attempt;
        m_gateway->attemptStarted(attempt, m_plan.source);
        m_inflightCounted = true;

        UpstreamTimeouts timeouts = m_gateway->options().timeouts;
        if (c.tier == CandidateTier::Cold || c.tier == CandidateTier::Loading)
            timeouts.headerMs = int(qMin<qint64>(timeouts.headerMs + 2 * c.expectedWaitMs, std::numeric_limits<int>::max()));
        const QByteArray request = buildRequest(*target, attempt.id);
        m_connection = m_gateway->pool()->acquire(target->origin);
        m_ownNs += steadyNs() - m_resumedNs;
        m_connection->send(request, m_plan.method == "HEAD", timeouts, this);
        return;
    }
    failBeforeCommit();
}

QByteArray GatewayDispatch::buildRequest(const UpstreamTarget &target, const QString &attemptId) const
{
    const RankedCandidate &c = *m_current;
    QByteArray path;
    QByteArray body;
    if (m_plan.request.endpoint() == GatewayEndpoint::Upstream) {
        path = target.pathFor(u"/upstream/"_s + modelPath(c.model) + m_plan.upstreamRest);
        body = m_plan.request.body();
    } else {
        path = target.pathFor(gatewayEndpointPath(m_plan.request.endpoint()));
        body = m_plan.request.bodyForModel(c.model);
    }
    QByteArray out;
    out.reserve(512 + body.size());
    out += m_plan.method + ' ' + path + " HTTP/1.1\r\nHost: " + target.hostHeader + "\r\n";
    if (!target.authorization.isEmpty())
        out += "Authorization: " + target.authorization + "\r\n";
    out += "X-Boo-Source: " + m_plan.source.toUtf8() + "\r\n";
    // Per attempt: llama-swap keeps request headers in its captures, so the host's row of this
    // attempt can be told from a concurrent one of another consumer (docs/gateway.md).
    out += "X-Boo-Dispatch-Id: " + attemptId.toUtf8() + "\r\n";
    for (const auto &[name, value] : m_plan.forwardHeaders.entries())
        out += name + ": " + value + "\r\n";
    if (!body.isEmpty() || m_plan.method == "POST" || m_plan.method == "PUT" || m_plan.method == "PATCH")
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

void GatewayDispatch::endAttempt(const QString &outcome, int status)
{
    DispatchAttempt &a = m_attempts.last();
    a.outcome = outcome;
    a.status = status;
    a.endedMs = QDateTime::currentMSecsSinceEpoch();
    if (m_current) {
        m_outcomes.insert(m_current->directId(), outcome);
        if (m_plan.request.endpoint() == GatewayEndpoint::Embeddings && status != 0 && status != 429) {
            // Remember what the model showed, so that the next request goes straight to it (or
            // never tries it again for embeddings).
            if (status >= 200 && status < 300 && outcome == u"ok"_s)
                m_gateway->learnEmbeds(m_current->providerId, m_current->model, true);
            else if (status == 501 || (m_current->probe && status >= 400))
                m_gateway->learnEmbeds(m_current->providerId, m_current->model, false);
        }
    }
    if (m_inflightCounted) {
        m_gateway->attemptEnded(a, m_plan.source);
        m_inflightCounted = false;
    }
}

void GatewayDispatch::failAttempt(const QString &outcome, int status, bool hostFault)
{
    m_resumedNs = steadyNs();
    const QString provider = m_attempts.last().providerId;
    endAttempt(u"failed: "_s + outcome, status);
    if (hostFault)
        m_gateway->breaker().failed(provider, QDateTime::currentMSecsSinceEpoch());
    m_out.clear();
    m_partial.clear();
    releaseConnection();
    tryNext();
}

void GatewayDispatch::upstreamHead(int status, const HttpHeaders &headers)
{
    // A probe (a model nothing says can do this) that answers with an error has shown that it
    // cannot: its error is not the client's problem.
    const bool probeRefused = m_current && m_current->probe && status >= 400 && status != 429;
    if (status == 429 || status >= 500 || probeRefused) {
        // Nothing has reached the client: another host may do better. 501 is llama-server's
        // "not supported" (embeddings without --embeddings): the model, not the host, said no.
        const bool modelRefused = probeRefused || status == 501;
        if (modelRefused)
            m_triedHosts.remove(m_current->providerId); // another model there may do it
        failAttempt(u"HTTP %1"_s.arg(status), status, status >= 500 && !modelRefused);
        return;
    }
    m_status = status;
    m_headers = headers;
    m_sse = headers.value("content-type").contains("text/event-stream");
}

void GatewayDispatch::commit(QByteArrayView firstPiece)
{
    const qint64 now = steadyNs();
    if (m_connection && m_connection->firstByteNs() > 0)
        m_ownNs += std::max<qint64>(0, now - m_connection->firstByteNs());
    HttpHeaders out;
    for (const auto &[name, value] : m_headers.entries()) {
        if (!isHopByHop(name))
            out.add(name, value);
    }
    const RankedCandidate &c = *m_current;
    out.add("X-Boo-Dispatch-Id", m_plan.dispatchId.toUtf8());
    out.add("X-Boo-Host", c.providerId.toUtf8());
    out.add("X-Boo-Model", c.directId().toUtf8());
    if (!m_plan.policy.isEmpty())
        out.add("X-Boo-Policy", m_plan.policy.toUtf8());
    out.add("X-Boo-Attempts", QByteArray::number(m_attempts.size()));
    out.add("X-Boo-Overhead-Ms", QByteArray::number(double(m_ownNs) / 1e6, 'f', 3));
    m_phase = Phase::Relaying;
    if (m_plan.consumerKey) {
        m_usage.emplace(m_sse);
        m_usage->feed(firstPiece);
    }
    m_stream = m_responder.startStream(m_status, out, firstPiece);
    m_ttftMs = msSince(m_plan.receivedNs, steadyNs());
    if (!m_stream) {
        onClientGone();
        return;
    }
    connect(m_stream.get(), &HttpStream::clientGone, this, &GatewayDispatch::onClientGone);
    connect(m_stream.get(), &HttpStream::drained, this, [this] {
        if (m_connection)
            m_connection->setPaused(false);
    });
}

void GatewayDispatch::upstreamBody(QByteArrayView piece)
{
    deliver(piece);
}

void GatewayDispatch::deliver(QByteArrayView piece)
{
    if (!m_sse) {
        m_out.append(piece.data(), piece.size());
        return;
    }
    // Forward whole events only, so that an error event after a failure never lands inside a
    // half-sent one. Hosts send whole events per chunk, so this normally holds nothing back.
    if (m_partial.isEmpty()) {
        const qsizetype end = lastEventEnd(piece);
        m_out.append(piece.data(), end);
        m_partial.append(piece.sliced(end).data(), piece.size() - end);
        return;
    }
    m_partial.append(piece.data(), piece.size());
    const qsizetype end = lastEventEnd(m_partial);
    if (end > 0) {
        m_out.append(m_partial.constData(), end);
        m_partial.remove(0, end);
    }
}

void GatewayDispatch::upstreamReadDone()
{
    if (!m_out.isEmpty())
        flushToClient();
}

// What one read brought goes on as one chunk: a host that writes a whole answer at once costs
// one write here, not one per token, and nothing waits longer than the rest of its read.
void GatewayDispatch::flushToClient()
{
    const QByteArray out = std::exchange(m_out, {});
    if (m_sse && endsWithDone(out))
        m_sawDone = true;
    if (m_phase == Phase::Trying) {
        commit(out);
        return;
    }
    if (out.isEmpty() || !m_stream)
        return;
    if (m_usage)
        m_usage->feed(out);
    m_stream->write(out);
    if (m_connection && m_stream->bytesPending() > m_gateway->options().clientBufferBytes)
        m_connection->setPaused(true);
}

void GatewayDispatch::upstreamComplete()
{
    m_connection = nullptr; // back in the pool
    if (expectsDone() && !m_sawDone && !endsWithDone(QByteArray(m_out + m_partial))) {
        // When a model's server dies mid-answer llama-swap ends the body properly, only without
        // [DONE] (reference §2.1): a clean end that is really a truncated answer.
        const QString why = u"the stream ended without [DONE] (the model's server went away)"_s;
        if (m_phase == Phase::Trying && m_out.isEmpty()) {
            failAttempt(why, m_status, true); // no whole event came: nothing to relay, try the next
            return;
        }
        failMidStream(why); // relays the whole events, drops a piece of one
        return;
    }
    // Whatever the host sent after its last blank line still belongs to the answer.
    m_out += std::exchange(m_partial, {});
    if (m_phase == Phase::Trying || !m_out.isEmpty()) {
        flushToClient();
        if (m_phase != Phase::Relaying)
            return;
    }
    m_gateway->breaker().succeeded(m_attempts.last().providerId);
    endAttempt(u"ok"_s, m_status);
    if (m_stream)
        m_stream->end();
    finish(m_status, {});
}

void GatewayDispatch::upstreamFailed(UpstreamFailure failure, const QString &message)
{
    m_connection = nullptr;
    const QString outcome = upstreamFailureName(failure) + (message.isEmpty() ? QString() : u": "_s + message);
    if (m_phase == Phase::Trying) {
        failAttempt(outcome, 0, true);
        return;
    }
    failMidStream(outcome);
}

bool GatewayDispatch::expectsDone() const
{
    const GatewayEndpoint endpoint = m_plan.request.endpoint();
    return m_sse && m_status >= 200 && m_status < 300
        && (endpoint == GatewayEndpoint::ChatCompletions || endpoint == GatewayEndpoint::Completions);
}

void GatewayDispatch::failMidStream(const QString &why)
{
    const QString provider = m_attempts.last().providerId;
    endAttempt(u"failed after the first byte: "_s + why, m_status);
    m_gateway->breaker().failed(provider, QDateTime::currentMSecsSinceEpoch());
    const QString message = u"the host %1 failed in the middle of the response: %2"_s.arg(provider, why);
    if (!m_out.isEmpty())
        flushToClient(); // whole events (or body bytes) that arrived before the failure
    if (m_sawDone && m_stream) {
        // Everything the client needs arrived; only the end of the transfer did not.
        m_stream->end();
    } else if (m_sse && m_stream) {
        m_partial.clear();
        m_stream->write(openaierror::streamEvent(502, u"upstream_failed"_s, message));
        m_stream->end();
    } else if (m_stream) {
        // A JSON body cut short cannot be mended: reset the connection so the client sees an
        // error rather than a truncated document.
        m_stream->abort();
    }
    finish(m_sawDone ? m_status : 502, message);
}

void GatewayDispatch::failBeforeCommit()
{
    const bool allBusy = !m_attempts.isEmpty()
        && std::all_of(m_attempts.cbegin(), m_attempts.cend(), [](const DispatchAttempt &a) { return a.status == 429; });
    QStringList reasons;
    for (const DispatchAttempt &a : std::as_const(m_attempts))
        reasons << u"%1/%2: %3"_s.arg(a.providerId, a.model, a.outcome);
    const QString skipped = m_ranking.skippedSummary();
    if (!skipped.isEmpty())
        reasons << skipped;
    const QString target = m_plan.policy.isEmpty() ? m_plan.requestedModel : u"policy "_s + m_plan.policy;
    QString message;
    int status = 503;
    QString code = u"no_healthy_candidate"_s;
    if (m_attempts.isEmpty()) {
        message = u"no healthy candidate for %1: %2"_s.arg(target, reasons.isEmpty() ? u"it has no candidates"_s : reasons.join(u"; "_s));
    } else if (allBusy) {
        status = 429;
        code = u"all_candidates_busy"_s;
        message = u"every candidate for %1 is at its concurrency limit: %2"_s.arg(target, reasons.join(u"; "_s));
    } else {
        status = 502;
        code = u"all_candidates_failed"_s;
        message = u"every candidate for %1 failed: %2"_s.arg(target, reasons.join(u"; "_s));
    }
    HttpResponse response = openaierror::response(status, code, message);
    if (status == 429)
        response.setHeader("Retry-After", "1");
    response.setHeader("X-Boo-Dispatch-Id", m_plan.dispatchId.toUtf8());
    m_ownNs += steadyNs() - m_resumedNs;
    m_phase = Phase::Relaying;
    m_responder.respond(std::move(response));
    finish(status, message);
}

void GatewayDispatch::onClientGone()
{
    if (m_phase == Phase::Done)
        return;
    if (!m_attempts.isEmpty() && m_attempts.last().endedMs == 0) {
        endAttempt(u"cancelled: the client went away"_s, m_status);
        m_gateway->breaker().abandoned(m_attempts.last().providerId);
    }
    releaseConnection();
    finish(499, u"the client went away"_s);
}

void GatewayDispatch::releaseConnection()
{
    if (m_connection) {
        UpstreamConnection *c = m_connection;
        m_connection = nullptr;
        c->abortExchange();
    }
}

QJsonArray GatewayDispatch::candidateLog() const
{
    QJsonArray list;
    for (const RankedCandidate &c : m_ranking.ranked) {
        QJsonObject o = c.toJson();
        o.insert(u"outcome"_s, m_outcomes.value(c.directId(), u"not tried"_s));
        list.append(o);
    }
    for (const SkippedCandidate &s : m_ranking.skipped) {
        QJsonObject o = s.toJson();
        o.insert(u"outcome"_s, QString(u"skipped: "_s + s.reason));
        list.append(o);
    }
    return list;
}

// The tokens of the answer go to the key's per-minute and daily counts: what the host reported,
// or, when it reported nothing readable, the gateway's estimate of the prompt (so a host without
// usage cannot make a token limit meaningless).
void GatewayDispatch::chargeKey(int status)
{
    if (!m_gateway || !m_current || m_attempts.isEmpty() || m_attempts.last().status == 0)
        return; // the request never reached a host
    const std::optional<ReportedUsage> reported = m_usage ? m_usage->finish() : std::nullopt;
    if (reported)
        m_gateway->keyAnswered(*m_plan.consumerKey, reported->inputTokens, reported->outputTokens);
    else if (status >= 200 && status < 300)
        m_gateway->keyAnswered(*m_plan.consumerKey, m_plan.request.promptTokens(), 0);
}

void GatewayDispatch::finish(int status, const QString &error)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    const qint64 now = steadyNs();
    DispatchRecord record;
    record.dispatchId = m_plan.dispatchId;
    record.startedMs = m_plan.receivedMs;
    record.source = m_plan.source;
    record.requestedModel = m_plan.requestedModel;
    record.policy = m_plan.policy;
    record.endpoint = gatewayEndpointPath(m_plan.request.endpoint());
    record.stream = m_plan.request.stream();
    record.candidates = candidateLog();
    record.attempts = m_attempts;
    if (m_current && m_stream) {
        record.chosenProvider = m_current->providerId;
        record.chosenModel = m_current->model;
    }
    record.status = status;
    record.ttftMs = m_ttftMs;
    record.totalMs = msSince(m_plan.receivedNs, now);
    record.overheadMs = double(m_ownNs) / 1e6;
    record.error = error;
    if (m_plan.consumerKey) {
        record.consumerKey = m_plan.consumerKey->name();
        chargeKey(status);
    }
    if (m_gateway)
        m_gateway->dispatchFinished(record);
    m_stream.reset();
    deleteLater();
}

} // namespace boo
