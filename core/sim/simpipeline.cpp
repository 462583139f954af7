#include "core/sim/simpipeline.h"

#include "core/http/httprequest.h"
#include "core/sim/gojsonwriter.h"
#include "core/sim/gotime.h"
#include "core/sim/simerrors.h"
#include "core/sim/simhost.h"
#include "core/sim/siminflighttracker.h"
#include "core/sim/simmodelmanager.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

SimCapture::Headers canonicalHeaders(const HttpHeaders &headers)
{
    SimCapture::Headers out;
    for (const auto &[name, value] : headers.entries()) {
        const QByteArray key = HttpHeaders::canonicalName(name);
        if (key == "Host")
            continue; // Go keeps Host out of the header map
        const bool seen = std::any_of(out.begin(), out.end(), [&](const auto &e) { return e.first == key; });
        if (!seen)
            out.append({key, value});
    }
    std::sort(out.begin(), out.end());
    return out;
}

SimCapture::Headers redacted(SimCapture::Headers headers)
{
    static const QList<QByteArray> secret = {"Authorization"_ba, "Proxy-Authorization"_ba, "Cookie"_ba, "Set-Cookie"_ba, "X-Api-Key"_ba};
    for (auto &[name, value] : headers) {
        if (secret.contains(name))
            value = "[REDACTED]"_ba;
    }
    return headers;
}

QString remoteIpOf(const HttpRequest &request)
{
    const QByteArray forwarded = request.header("x-forwarded-for");
    if (!forwarded.isEmpty())
        return QString::fromLatin1(forwarded.split(',').first().trimmed());
    const QByteArray realIp = request.header("x-real-ip");
    if (!realIp.isEmpty())
        return QString::fromLatin1(realIp);
    bool isV4 = false;
    const quint32 v4 = request.peerAddress().toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : request.peerAddress().toString();
}

qint64 textTokens(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().size() / 4 + 1;
    qint64 n = 0;
    if (v.isArray()) {
        for (const QJsonValue &part : v.toArray())
            n += part.isObject() ? textTokens(part.toObject().value(u"text"_s)) : textTokens(part);
    }
    return n;
}

// The last user message's text (a prompt's for text completions): what a model's scripted
// answers are matched against.
QString lastUserText(const QJsonObject &body)
{
    QString text = body.value(u"prompt"_s).toString();
    for (const QJsonValue &m : body.value(u"messages"_s).toArray()) {
        const QJsonObject message = m.toObject();
        if (message.value(u"role"_s).toString() == u"user")
            text = message.value(u"content"_s).toString();
    }
    return text;
}

qint64 estimatePromptTokens(const QJsonObject &body)
{
    qint64 n = 0;
    for (const QJsonValue &m : body.value(u"messages"_s).toArray())
        n += 4 + textTokens(m.toObject().value(u"content"_s));
    n += textTokens(body.value(u"prompt"_s)) + textTokens(body.value(u"input"_s));
    return qMax<qint64>(1, n);
}

} // namespace

SimPipeline::SimPipeline(SimHost *host, QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_rng(host->config().seed * 7919U + 3)
{
    m_clock.start();
    m_tick.setInterval(qMax(1, host->config().tickMs));
    connect(&m_tick, &QTimer::timeout, this, &SimPipeline::tick);
}

SimPipeline::~SimPipeline()
{
    dropAll();
}

void SimPipeline::handleHttp(const HttpRequest &request, HttpResponder responder, SimEndpoint endpoint, const QString &reqPath)
{
    m_bytesIn += request.body().size() + request.target().size() + 200;
    // The model is read from the body only when it is declared JSON (reference §2.1).
    QJsonObject body;
    if (request.header("content-type").contains("application/json"))
        body = QJsonDocument::fromJson(request.body()).object();
    const QString model = body.value(u"model"_s).toString();
    if (model.isEmpty()) {
        responder.respond(m_host->errorResponse(request, 404, u"no model id could be identified"_s));
        return;
    }
    SimInferenceRequest r;
    r.endpoint = endpoint;
    r.reqPath = reqPath.isEmpty() ? request.path() : reqPath;
    r.method = request.method();
    r.protocol = request.protocol();
    r.body = request.body();
    r.headers = canonicalHeaders(request.headers());
    r.remoteIp = remoteIpOf(request);
    r.userAgent = QString::fromLatin1(request.header("user-agent"));
    r.accept = request.headerValues("accept").join(',');
    r.requestedModel = model;
    r.stream = endpoint != SimEndpoint::Embeddings && body.value(u"stream"_s).toBool();
    for (const QString &key : {u"max_tokens"_s, u"max_completion_tokens"_s, u"n_predict"_s}) {
        if (body.value(key).toInteger() > 0) {
            r.maxTokens = body.value(key).toInteger();
            break;
        }
    }
    r.promptTokens = estimatePromptTokens(body);
    r.lastUserText = lastUserText(body);
    r.injectedStatus = request.header("x-sim-status").toInt();
    if (r.injectedStatus == 0)
        r.injectedStatus = m_host->forcedStatus();
    r.realtime = true;

    auto job = std::make_unique<SimJob>();
    job->http = true;
    job->responder = std::move(responder);
    job->request = std::move(r);
    admit(std::move(job));
}

void SimPipeline::submit(SimInferenceRequest request)
{
    m_bytesIn += request.body.size() + 300;
    auto job = std::make_unique<SimJob>();
    job->request = std::move(request);
    admit(std::move(job));
}

void SimPipeline::admit(std::unique_ptr<SimJob> owned)
{
    SimJob &job = *owned;
    job.serial = m_nextSerial++;
    job.admittedNs = GoTime::nowNs();
    job.wall.start();
    const SimModelConfig *model = m_host->models()->resolve(job.request.requestedModel);
    job.modelId = model ? model->id : job.request.requestedModel;

    SimInflightEntry entry;
    entry.startNs = job.admittedNs;
    entry.model = job.modelId;
    entry.reqPath = job.request.reqPath;
    entry.method = job.request.method;
    entry.reqHeaders = redacted(job.request.headers);
    entry.remoteIp = job.request.remoteIp;
    job.inflightId = m_host->inflight()->add(std::move(entry));

    const quint64 serial = job.serial;
    m_jobs[serial] = std::move(owned);
    if (job.http) {
        if (QObject *context = job.responder.connectionContext()) {
            job.goneConnection = connect(context, &QObject::destroyed, this, [this, serial] {
                const auto it = m_jobs.find(serial);
                if (it != m_jobs.end() && it->second->phase != SimJob::Phase::Finished && !it->second->stream)
                    finishCancelled(*it->second, true);
            });
        }
    }

    const auto llamaSwapError = [&](int status, const QString &message, const QString &code = {}) {
        const HttpResponse r = SimErrors::response(job.request.accept, m_host->compat(), status, message, code);
        finishError(job, status, r.headers().value("content-type"), r.body(), message);
    };
    if (!model) {
        llamaSwapError(404, u"no router for requested model"_s);
        return;
    }
    const int limit = model->concurrencyLimit > 0 ? model->concurrencyLimit : 10;
    int running = 0;
    for (const auto &[s, other] : m_jobs) {
        if (s != serial && other->modelId == job.modelId && other->phase != SimJob::Phase::Finished)
            ++running;
    }
    // v260's globalConcurrencyLimit counts every model's requests in the pipeline together.
    const int globalLimit = m_host->compat() == SimCompat::V260 ? m_host->config().globalConcurrencyLimit : 0;
    int runningAll = 0;
    for (const auto &[s, other] : m_jobs) {
        if (globalLimit > 0 && s != serial && other->phase != SimJob::Phase::Finished)
            ++runningAll;
    }
    if (job.request.injectedStatus == 429 || running >= limit || (globalLimit > 0 && runningAll >= globalLimit)) {
        // The shedder answers JSON whatever the Accept header says, with Retry-After.
        const QByteArray body = SimErrors::jsonBody(m_host->compat(), 429, u"Too many requests"_s, u"concurrency_limit"_s);
        finishError(job, 429, "application/json"_ba, body, u"Too many requests"_s);
        return;
    }
    job.ticket = m_host->models()->acquire(
        job.modelId, [this, serial, id = job.modelId](bool ok, const QString &error) { onReady(serial, id, ok, error); });
}

void SimPipeline::onReady(quint64 serial, const QString &modelId, bool ok, const QString &error)
{
    const auto it = m_jobs.find(serial);
    if (it == m_jobs.end() || it->second->phase != SimJob::Phase::Waiting) {
        if (ok) // the manager counted it as running; nobody will run it
            m_host->models()->endRequest(modelId);
        return;
    }
    SimJob &job = *it->second;
    job.ticket = 0;
    if (!ok) {
        const HttpResponse r = SimErrors::response(job.request.accept, m_host->compat(), 500, error);
        finishError(job, 500, r.headers().value("content-type"), r.body(), error);
        return;
    }
    job.counted = true;
    begin(job);
}

void SimPipeline::begin(SimJob &job)
{
    const SimModelConfig &m = *m_host->models()->resolve(job.modelId);
    const auto frand = [this] {
        m_rng = m_rng * 1664525U + 1013904223U;
        return double(m_rng >> 8) / double(1 << 24);
    };
    SimCompletion &c = job.completion;
    c.endpoint = job.request.endpoint;
    c.model = job.modelId;
    c.stream = job.request.stream && c.endpoint != SimEndpoint::Embeddings;
    c.created = GoTime::nowNs() / 1000000000;
    m_rng = m_rng * 1664525U + 1013904223U;
    c.seed = m_rng ^ quint32(job.serial);
    c.promptTokens = qMax<qint64>(1, job.request.promptTokens);
    c.cacheTokens = m_warm.value(job.modelId) ? qint64(std::floor(double(c.promptTokens) * m.cacheFraction)) : 0;
    m_warm[job.modelId] = true;
    const SimScriptedAnswer *script = c.endpoint == SimEndpoint::Embeddings ? nullptr : m.scriptedAnswer(job.request.lastUserText);
    c.scripted = script ? SimCompletion::scriptPieces(script->text) : QStringList();
    if (c.endpoint == SimEndpoint::Embeddings)
        c.outputTokens = 0;
    else if (script) // ends where the text ends, or at max_tokens like a real model
        c.outputTokens = job.request.maxTokens > 0 ? qMin<qint64>(job.request.maxTokens, c.scripted.size()) : c.scripted.size();
    else if (job.request.maxTokens > 0)
        c.outputTokens = job.request.maxTokens;
    else
        c.outputTokens = qMax<qint64>(1, qint64(std::round(m.defaultMaxTokens * (0.4 + frand() * 1.2))));
    // The requests running on the model now, this one included (the manager counts it).
    const int alongside = qMax(0, m_host->models()->activeRequests(job.modelId) - 1);
    c.promptMs = double(c.promptProcessed()) / qMax(1.0, m.promptTokensPerSecond) * 1000.0 * (0.92 + frand() * 0.16)
        * (1.0 + m.prefillLoad * alongside);
    c.predictedMs = double(c.outputTokens) / qMax(1.0, m.generationTokensPerSecond) * 1000.0 * (0.92 + frand() * 0.16)
        * (1.0 + m.decodeLoad * alongside);
    c.timings = m.timings && c.endpoint != SimEndpoint::Embeddings;
    c.speculative = m.speculative;

    job.phase = SimJob::Phase::Prefill;
    const qint64 now = m_clock.elapsed();
    if (!job.request.realtime) {
        job.firstTokenAtMs = job.endAtMs = now;
        advance(job, now);
        return;
    }
    job.firstTokenAtMs = now + m.timeToFirstTokenMs + qint64(c.promptMs);
    job.endAtMs = job.firstTokenAtMs + qint64(c.predictedMs);
    if (job.firstTokenAtMs <= now) {
        // A model with no first-token delay answers now rather than on the next tick, so that
        // benchmarks of what sits in front of a host measure that and not the tick.
        advance(job, now);
        if (job.phase == SimJob::Phase::Finished)
            return;
    }
    if (!m_tick.isActive())
        m_tick.start();
}

void SimPipeline::tick()
{
    const qint64 now = m_clock.elapsed();
    bool active = false;
    for (auto &[serial, job] : m_jobs) {
        if (job->phase == SimJob::Phase::Prefill || job->phase == SimJob::Phase::Generating) {
            advance(*job, now);
            active = active || job->phase != SimJob::Phase::Finished;
        }
    }
    if (!active)
        m_tick.stop();
    sweep();
}

void SimPipeline::advance(SimJob &job, qint64 now)
{
    SimCompletion &c = job.completion;
    if (job.phase == SimJob::Phase::Prefill) {
        if (now < job.firstTokenAtMs)
            return;
        if (job.request.injectedStatus >= 400) {
            // What a failing llama-server answers; llama-swap passes it through untouched.
            const int status = job.request.injectedStatus;
            GoJsonWriter w;
            w.beginObject().key(u"error").beginObject();
            w.key(u"code").integer(status).key(u"message").str(u"simulated upstream failure");
            w.key(u"type").str(status >= 500 ? u"server_error" : u"invalid_request_error");
            w.endObject().endObject();
            finishError(job, status, "application/json; charset=utf-8"_ba, w.take(), u"simulated upstream failure"_s);
            return;
        }
        if (c.endpoint == SimEndpoint::Embeddings && !m_host->models()->resolve(job.modelId)->embeddings) {
            // llama-server started without --embeddings (any chat model) refuses with 501.
            GoJsonWriter w;
            w.beginObject().key(u"error").beginObject();
            w.key(u"code").integer(501).key(u"message").str(u"This server does not support embeddings. Start it with `--embeddings`");
            w.key(u"type").str(u"not_supported_error");
            w.endObject().endObject();
            finishError(job, 501, "application/json; charset=utf-8"_ba, w.take(), QString());
            return;
        }
        job.phase = SimJob::Phase::Generating;
        if (c.stream) {
            startStreamResponse(job);
            if (job.phase == SimJob::Phase::Finished)
                return;
        }
    }
    if (job.phase != SimJob::Phase::Generating)
        return;
    if (c.stream) {
        qint64 due = c.outputTokens;
        if (now < job.endAtMs && c.predictedMs > 0)
            due = qMin(c.outputTokens, qint64(double(now - job.firstTokenAtMs) / c.predictedMs * double(c.outputTokens)));
        if (due > job.tokensSent) {
            if (job.http) {
                QByteArray batch;
                while (job.tokensSent < due)
                    batch += c.tokenChunk(job.tokensSent++);
                writeChunk(job, batch);
            } else {
                // Nobody reads internal streams: count bytes instead of rendering them.
                m_host->inflight()->addBytes(job.inflightId, (due - job.tokensSent) * 190);
                job.bytesSent += (due - job.tokensSent) * 190;
                job.tokensSent = due;
            }
            if (job.phase == SimJob::Phase::Finished)
                return;
        }
    }
    if (now >= job.endAtMs && job.tokensSent >= (c.stream ? c.outputTokens : 0))
        finishSuccess(job);
}

SimCapture::Headers SimPipeline::upstreamHeaders(const SimJob &job) const
{
    SimCapture::Headers h{
        {"Access-Control-Allow-Origin"_ba, QByteArray()}, {"Content-Type"_ba, job.completion.contentType()}, {"Server"_ba, "llama.cpp"_ba}};
    if (job.completion.stream)
        h.append({"X-Accel-Buffering"_ba, "no"_ba});
    return h;
}

void SimPipeline::startStreamResponse(SimJob &job)
{
    const SimCapture::Headers headers = upstreamHeaders(job);
    if (job.http) {
        HttpHeaders h;
        for (const auto &[k, v] : headers)
            h.add(k, v);
        job.stream = job.responder.startStream(200, h);
        if (!job.stream) {
            finishCancelled(job, true);
            return;
        }
        const quint64 serial = job.serial;
        connect(job.stream.get(), &HttpStream::clientGone, this, [this, serial] {
            const auto it = m_jobs.find(serial);
            if (it != m_jobs.end() && it->second->phase != SimJob::Phase::Finished)
                finishCancelled(*it->second);
        });
    }
    job.status = 200;
    m_host->inflight()->setResponseHeaders(job.inflightId, headers);
    writeChunk(job, job.http ? job.completion.roleChunk() : QByteArray());
}

void SimPipeline::writeChunk(SimJob &job, const QByteArray &data)
{
    if (data.isEmpty())
        return;
    if (job.stream)
        job.stream->write(data);
    job.bytesSent += data.size();
    m_bytesOut += data.size();
    m_host->inflight()->addBytes(job.inflightId, data.size());
}

void SimPipeline::finishSuccess(SimJob &job)
{
    SimCompletion &c = job.completion;
    job.status = 200;
    if (c.stream) {
        if (job.http) {
            writeChunk(job, c.finalChunk() + SimCompletion::doneChunk());
            if (job.stream)
                job.stream->end();
        } else {
            job.bytesSent += 700;
        }
    } else {
        const SimCapture::Headers headers = upstreamHeaders(job);
        m_host->inflight()->setResponseHeaders(job.inflightId, headers);
        if (job.http) {
            HttpResponse r(200);
            for (const auto &[k, v] : headers)
                r.headers().add(k, v);
            r.setBody(c.jsonBody());
            job.bytesSent += r.body().size();
            job.responder.respond(std::move(r));
        } else {
            job.bytesSent += c.estimatedBodySize();
        }
    }
    m_bytesOut += job.http ? 0 : job.bytesSent;
    if (job.request.realtime) {
        const double total = c.promptMs + c.predictedMs;
        const auto line = [](double ms, qint64 n, const char *what) {
            const double perToken = n > 0 ? ms / double(n) : 0;
            const double perSecond = ms > 0 ? 1000.0 * double(n) / ms : 0;
            return u"%1 time = %2 ms / %3 tokens (%4 ms per token, %5 tokens per second)\n"_s.arg(QString::fromLatin1(what))
                .arg(ms, 10, 'f', 2)
                .arg(n, 5)
                .arg(perToken, 8, 'f', 2)
                .arg(perSecond, 8, 'f', 2);
        };
        QString text = u"slot launch_slot_: id  0 | task %1 | processing task\n"_s.arg(job.serial);
        text += line(c.promptMs, c.promptProcessed(), "prompt eval");
        text += line(c.predictedMs, c.outputTokens, "       eval");
        text += u"      total time = %1 ms / %2 tokens\nsrv  update_slots: all slots are idle\n"_s.arg(total, 10, 'f', 2)
                    .arg(c.promptProcessed() + c.outputTokens, 5);
        m_host->logUpstream(job.modelId, text.toUtf8());
    }
    record(job, c.contentType(), {}, true);
    retire(job);
}

void SimPipeline::finishError(SimJob &job, int status, const QByteArray &contentType, const QByteArray &body, const QString &errorMessage)
{
    if (job.phase == SimJob::Phase::Waiting && job.ticket) {
        m_host->models()->cancel(job.ticket);
        job.ticket = 0;
    }
    job.status = status;
    if (job.http) {
        HttpResponse r(status, contentType, body);
        if (status == 429 && errorMessage == u"Too many requests")
            r.setHeader("Retry-After"_ba, "1"_ba);
        job.responder.respond(std::move(r));
    }
    job.bytesSent += body.size();
    m_bytesOut += body.size();
    m_host->inflight()->setResponseHeaders(job.inflightId, {{"Content-Type"_ba, contentType}});
    // error_msg is what llama-swap's recorder finds in the body, not what we meant to say.
    Q_UNUSED(errorMessage);
    record(job, contentType, SimErrors::extractMessage(status, body), false);
    retire(job);
}

void SimPipeline::finishCancelled(SimJob &job, bool clientGone)
{
    if (job.phase == SimJob::Phase::Finished)
        return;
    if (clientGone && !job.stream && m_host->compat() == SimCompat::V260) {
        // Nothing was written: recorded as 499, never sent (llama-swap #1040).
        job.status = SimHost::kClientClosedStatus;
        if (job.phase == SimJob::Phase::Waiting && job.ticket) {
            m_host->models()->cancel(job.ticket);
            job.ticket = 0;
        }
        record(job, {}, u"client disconnected before response"_s, false);
    } else if (job.stream) {
        // The handler returns, so Go ends the chunked body properly, just without [DONE].
        job.stream->end();
        record(job, job.completion.contentType(), {}, false);
    } else {
        job.status = 502;
        if (job.http && job.responder.isPending())
            job.responder.respond(SimErrors::response(job.request.accept, m_host->compat(), 502, u"context canceled"_s));
        if (job.phase == SimJob::Phase::Waiting && job.ticket) {
            m_host->models()->cancel(job.ticket);
            job.ticket = 0;
        }
        record(job, "application/json"_ba, u"context canceled"_s, false);
    }
    retire(job);
}

void SimPipeline::record(SimJob &job, const QByteArray &contentType, const QString &errorMessage, bool parsed)
{
    SimActivityRow row;
    row.timestampNs = GoTime::nowNs();
    row.model = job.modelId;
    row.reqPath = job.request.reqPath;
    row.respContentType = QString::fromLatin1(contentType);
    row.status = job.status == 0 ? 200 : job.status;
    row.durationMs = job.wall.elapsed();
    if (parsed && row.status == 200) {
        job.completion.fillRow(row);
        if (job.completion.timings)
            row.durationMs = qMax(row.durationMs, qint64(job.completion.promptMs + job.completion.predictedMs));
    }
    if (row.status != 200)
        row.errorMessage = errorMessage;
    if (job.counted)
        row.metadata = {{u"fifo_priority"_s, u"0"_s}};
    if (m_host->compat() == SimCompat::V260) {
        // The caller tag: a forwarded address when a proxy in front said who asked.
        for (const auto &[name, value] : job.request.headers) {
            if (name == "X-Forwarded-For")
                row.src = u"xff:"_s + QString::fromLatin1(value.split(',').first().trimmed());
        }
    }

    SimCapture capture;
    capture.reqPath = job.request.reqPath;
    capture.reqHeaders = redacted(job.request.headers);
    capture.reqBody = job.request.body;
    capture.sizeEstimate = job.request.body.size() + 600;
    if (parsed && row.status == 200) {
        capture.respHeaders = upstreamHeaders(job);
        const SimCompletion c = job.completion;
        capture.renderRespBody = [c] { return c.stream ? c.streamBody() : c.jsonBody(); };
        capture.sizeEstimate += c.estimatedBodySize();
    } else {
        capture.respHeaders = SimCapture::Headers{{"Content-Type"_ba, contentType}};
    }
    m_host->recordFinished(std::move(row), std::move(capture));
}

void SimPipeline::retire(SimJob &job)
{
    // Finished first: ending the request may evict the model, and that cancels whatever still
    // looks unfinished on it.
    job.phase = SimJob::Phase::Finished;
    if (job.counted) {
        job.counted = false;
        m_host->models()->endRequest(job.modelId);
    }
    QObject::disconnect(job.goneConnection);
    m_host->inflight()->remove(job.inflightId);
    if (!job.http) {
        m_host->logAccess(job.request.remoteIp, job.request.method, job.request.reqPath.toUtf8(), job.request.protocol, job.status,
                          job.bytesSent, job.request.userAgent, job.wall.nsecsElapsed());
    }
    if (!m_sweepQueued) {
        m_sweepQueued = true;
        QMetaObject::invokeMethod(this, &SimPipeline::sweep, Qt::QueuedConnection);
    }
}

void SimPipeline::sweep()
{
    m_sweepQueued = false;
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
        if (it->second->phase == SimJob::Phase::Finished)
            it = m_jobs.erase(it);
        else
            ++it;
    }
}

bool SimPipeline::cancel(const QString &inflightId)
{
    for (auto &[serial, job] : m_jobs) {
        if (job->inflightId == inflightId && job->phase != SimJob::Phase::Finished) {
            finishCancelled(*job);
            return true;
        }
    }
    return false;
}

void SimPipeline::cancelModel(const QString &modelId)
{
    for (auto &[serial, job] : m_jobs) {
        if (job->modelId == modelId && (job->phase == SimJob::Phase::Prefill || job->phase == SimJob::Phase::Generating)) {
            finishCancelled(*job);
        }
    }
}

void SimPipeline::crashModel(const QString &modelId)
{
    for (auto &[serial, job] : m_jobs) {
        if (job->modelId != modelId || (job->phase != SimJob::Phase::Prefill && job->phase != SimJob::Phase::Generating))
            continue;
        if (job->completion.stream && job->phase == SimJob::Phase::Generating) {
            // The reverse proxy panics once headers were sent; llama-swap recovers and returns,
            // so Go ends the chunked body properly: no [DONE], no error event. The row is a 200.
            m_host->logProxy("WARN", u"<%1> recovered from upstream disconnection during streaming"_s.arg(modelId));
            finishCancelled(*job);
        } else {
            // No head yet: Go's reverse proxy answers 502 with an empty body.
            finishError(*job, 502, QByteArray(), QByteArray(), QString());
        }
    }
}

void SimPipeline::dropAll()
{
    auto jobs = std::exchange(m_jobs, {});
    for (auto &[serial, job] : jobs) {
        QObject::disconnect(job->goneConnection);
        if (job->stream) {
            job->stream->disconnect(this);
            job->stream->abort();
        }
    }
    m_tick.stop();
}

int SimPipeline::generatingOn(const QString &modelId) const
{
    return int(std::count_if(m_jobs.begin(), m_jobs.end(), [&](const auto &e) {
        return e.second->modelId == modelId && (e.second->phase == SimJob::Phase::Prefill || e.second->phase == SimJob::Phase::Generating);
    }));
}

int SimPipeline::generatingCount() const
{
    return int(std::count_if(m_jobs.begin(), m_jobs.end(), [](const auto &e) {
        return e.second->phase == SimJob::Phase::Prefill || e.second->phase == SimJob::Phase::Generating;
    }));
}

void SimPipeline::markCold(const QString &modelId)
{
    m_warm[modelId] = false;
}

} // namespace boo
