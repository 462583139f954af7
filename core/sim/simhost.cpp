#include "core/sim/simhost.h"

#include "core/http/httprequest.h"
#include "core/http/httpserver.h"
#include "core/sim/gojsonwriter.h"
#include "core/sim/gotime.h"
#include "core/sim/simerrors.h"
#include "core/sim/siminflighttracker.h"
#include "core/sim/simlistener.h"
#include "core/sim/simlog.h"
#include "core/sim/simlogmonitor.h"
#include "core/sim/simmodelmanager.h"
#include "core/sim/simperfmonitor.h"
#include "core/sim/simpipeline.h"
#include "core/sim/simroutes.h"
#include "core/sim/simstreamgroup.h"
#include "core/sim/simtrafficgenerator.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// llama-swap's event subscribers: a channel of 1,024 messages each, in front of a writer that
// blocks while the socket is full (reference §3.1). Bytes the operating system has not taken
// yet stand for a full socket.
constexpr int kEventQueueMessages = 1024;
constexpr qint64 kEventWriterBytes = 64 * 1024;

SimHostConfig normalized(SimHostConfig config)
{
    if (config.gpus.isEmpty())
        config.gpus.append(SimGpuConfig{});
    for (int i = 0; i < config.gpus.size(); ++i) {
        if (config.gpus[i].uuid.isEmpty())
            config.gpus[i].uuid = u"GPU-%1-%2"_s.arg(config.name).arg(i);
    }
    if (config.name.isEmpty())
        config.name = u"sim"_s;
    return config;
}

} // namespace

std::optional<SimMalformedEvent> simMalformedEventFromName(QStringView name)
{
    if (name == u"bad-json")
        return SimMalformedEvent::BadJson;
    if (name == u"bad-envelope")
        return SimMalformedEvent::BadEnvelope;
    if (name == u"huge-line")
        return SimMalformedEvent::HugeLine;
    if (name == u"invalid-utf8")
        return SimMalformedEvent::InvalidUtf8;
    return std::nullopt;
}

SimHost::SimHost(SimHostConfig config, QObject *parent)
    : QObject(parent)
    , m_config(normalized(std::move(config)))
    , m_version(m_config.effectiveVersion())
    , m_server(new HttpServer(this))
    , m_listener(new SimListener(m_server, this))
    , m_models(new SimModelManager(m_config.models, m_config.ttlCheckIntervalMs, this))
    , m_activity(m_config.metricsMaxInMemory, firstActivityId())
    , m_captures(m_config.captureBufferBytes)
    , m_inflight(new SimInflightTracker(m_config.compat, m_config.inflightThrottleMs, m_config.utcOffsetSeconds, this))
    , m_proxyLog(new SimLogMonitor(100 * 1024, this))
    , m_upstreamLog(new SimLogMonitor(100 * 1024, this))
    , m_httpLog(new SimLogMonitor(100 * 1024, this))
    , m_events(new SimStreamGroup(kEventWriterBytes, this))
    , m_logStreams(new SimStreamGroup(1024 * 1024, this))
    , m_logEvents(new SimStreamGroup(8 * 1024 * 1024, this))
    , m_perf(nullptr)
    , m_pipeline(new SimPipeline(this, this))
    , m_traffic(new SimTrafficGenerator(this, this))
{
    m_events->setMessageQueue(kEventQueueMessages);
    m_perf = new SimPerfMonitor(
        m_config,
        [this] {
            SimLoad load;
            const int gpus = int(m_config.gpus.size());
            load.gpuMemoryMb = QList<double>(gpus, 0.0);
            load.gpuBusy = QList<double>(gpus, 0.0);
            for (const SimModelConfig &m : m_models->models()) {
                if (m_models->state(m.id) == SimModelState::Stopped)
                    continue;
                QList<int> on = m.gpus;
                if (on.isEmpty()) {
                    for (int g = 0; g < gpus; ++g)
                        on.append(g);
                }
                const int busy = m_pipeline->generatingOn(m.id);
                for (int g : on) {
                    if (g < 0 || g >= gpus)
                        continue;
                    load.gpuMemoryMb[g] += double(m.vramMb) / double(on.size());
                    load.gpuBusy[g] = qMin(1.0, load.gpuBusy[g] + busy * 0.6);
                }
            }
            load.cpuBusy = qMin(1.0, m_pipeline->generatingCount() / 4.0);
            load.netReceived = m_pipeline->bytesIn();
            load.netSent = m_pipeline->bytesOut();
            return load;
        },
        this);

    for (const SimModelConfig &m : m_models->models()) {
        auto *log = new SimLogMonitor(100 * 1024, this);
        m_modelLogs.insert(m.id, log);
        connect(log, &SimLogMonitor::written, this, [this, tag = QString(u"model:"_s + m.id)](const QByteArray &chunk) {
            if (!m_logStreams->isEmpty())
                m_logStreams->write(chunk, tag);
        });
    }
    forwardLog(m_proxyLog, u"proxy"_s, true);
    forwardLog(m_upstreamLog, u"upstream"_s, false);
    forwardLog(m_httpLog, u"http"_s, false);

    m_inflight->setListening([this] { return hasEventListeners(); });
    connect(m_inflight, &SimInflightTracker::event, this, [this](const QByteArray &json) { publishEvent(u"inflight", json); });
    connect(m_models, &SimModelManager::stateChanged, this, &SimHost::onModelStateChanged);
    connect(m_models, &SimModelManager::ttlExpired, this,
            [this](const QString &id, int ttl) { logProxy("INFO", u"<%1> Unloading model, TTL of %2s reached"_s.arg(id).arg(ttl)); });
    connect(m_server, &HttpServer::requestFinished, this, [this](const HttpRequest &r, int status, qint64 bytes, qint64 elapsedUs) {
        const QString path = r.path();
        if (path.startsWith(u"/wol-health") || path.startsWith(u"/api/performance") || path.startsWith(u"/metrics"))
            return;
        bool isV4 = false;
        const quint32 v4 = r.peerAddress().toIPv4Address(&isV4);
        logAccess(isV4 ? QHostAddress(v4).toString() : r.peerAddress().toString(), r.method(), r.target(), r.protocol(), status, bytes,
                  QString::fromLatin1(r.header("user-agent")), elapsedUs * 1000);
    });
    m_restartTimer.setSingleShot(true);
    connect(&m_restartTimer, &QTimer::timeout, this, [this] {
        if (!comeUp())
            qCWarning(lcSim) << m_config.name << "could not come back after restart";
    });
    installRoutes();
}

SimHost::~SimHost()
{
    stop();
}

void SimHost::forwardLog(SimLogMonitor *monitor, const QString &source, bool mux)
{
    connect(monitor, &SimLogMonitor::written, this, [this, source, mux](const QByteArray &chunk) {
        if (!m_logStreams->isEmpty()) {
            m_logStreams->write(chunk, source);
            if (mux)
                m_logStreams->write(chunk, u"mux"_s); // logToStdout: proxy (the default)
        }
        const auto logData = [&] {
            GoJsonWriter w;
            w.beginObject().key(u"data").str(chunk).key(u"source").str(source).endObject();
            return sseFrame(u"logData", w.take());
        };
        if (m_config.compat != SimCompat::V260) {
            if (hasEventListeners())
                m_events->write(logData());
            return;
        }
        // v260: log lines left /api/events for /api/events/logs; each listener asked for a
        // subset of the three sources.
        if (m_logEvents->isEmpty())
            return;
        const QByteArray frame = logData();
        static const QStringList kSources{u"proxy"_s, u"upstream"_s, u"http"_s};
        for (int subset = 1; subset < 8; ++subset) {
            QStringList sources;
            for (int i = 0; i < 3; ++i) {
                if (subset & (1 << i))
                    sources.append(kSources.at(i));
            }
            const QString tag = logEventTag(sources);
            if (sources.contains(source) && m_logEvents->hasTag(tag))
                m_logEvents->write(frame, tag);
        }
    });
}

QString SimHost::logEventTag(const QStringList &sources)
{
    QStringList sorted = sources;
    sorted.sort();
    sorted.removeDuplicates();
    return sorted.join(u'+');
}

QByteArray SimHost::logHistoryFrame(const QString &source) const
{
    const SimLogMonitor *monitor = source == u"proxy" ? m_proxyLog : source == u"upstream" ? m_upstreamLog : m_httpLog;
    GoJsonWriter w;
    w.beginObject().key(u"data").str(monitor->history()).key(u"source").str(source).endObject();
    return sseFrame(u"logData", w.take());
}

void SimHost::installRoutes()
{
    m_server->setPreRoutingHook([this](const HttpRequest &request, HttpResponder &responder) {
        if (m_received.size() >= kReceivedKept)
            m_received.remove(0, m_received.size() - kReceivedKept + 1);
        m_received.append(SimReceivedRequest{request.method(), request.target(), request.header("user-agent")});
        if (request.method() == "OPTIONS") {
            // CORS preflight, answered before routing and auth (reference §9).
            QByteArray allow = request.header("access-control-request-headers");
            allow.replace('\r', "").replace('\n', "");
            if (allow.isEmpty())
                allow = "Content-Type, Authorization, Accept, X-Requested-With"_ba;
            HttpResponse r(204);
            r.setHeader("Access-Control-Allow-Origin"_ba, "*"_ba);
            r.setHeader("Access-Control-Allow-Methods"_ba, "GET, POST, PUT, PATCH, DELETE, OPTIONS"_ba);
            r.setHeader("Access-Control-Allow-Headers"_ba, allow);
            r.setHeader("Access-Control-Max-Age"_ba, "86400"_ba);
            responder.respond(std::move(r));
            return true;
        }
        if (authorized(request))
            return false;
        // llama-swap's auth is middleware on each route: a path no route knows (404), or a known
        // path with the wrong method (405), is answered by the mux before any key is asked for.
        if (!m_server->router().match(request.method(), request.rawPath()).route)
            return false;
        HttpResponse r = errorResponse(request, 401, u"unauthorized: invalid or missing API key"_s);
        r.setHeader("WWW-Authenticate"_ba, "Basic realm=\"llama-swap\""_ba);
        responder.respond(std::move(r));
        return true;
    });
    SimRoutes::install(this);
}

bool SimHost::authorized(const HttpRequest &request) const
{
    if (m_config.apiKeys.isEmpty())
        return true;
    const QString path = request.path();
    if (path == u"/health" || path == u"/wol-health" || path == u"/favicon.ico")
        return true;
    if (request.method() == "GET" && (path == u"/" || path == u"/upstream"))
        return true;
    const QByteArray auth = request.header("authorization");
    QString key;
    if (auth.startsWith("Basic ")) {
        const QByteArray decoded = QByteArray::fromBase64(auth.mid(6).trimmed());
        const qsizetype colon = decoded.indexOf(':');
        if (colon >= 0)
            key = QString::fromUtf8(decoded.mid(colon + 1));
    } else if (auth.startsWith("Bearer ")) {
        key = QString::fromUtf8(auth.mid(7).trimmed());
    }
    if (!key.isEmpty() && m_config.apiKeys.contains(key))
        return true;
    const QString headerKey = QString::fromUtf8(request.header("x-api-key"));
    return !headerKey.isEmpty() && m_config.apiKeys.contains(headerKey);
}

Result<void> SimHost::start()
{
    if (m_started)
        return {};
    if (!m_listener->listen(m_config.address, m_config.port)) {
        return makeError(u"sim.listen"_s,
                         u"%1: cannot listen on %2:%3: %4"_s.arg(m_config.name, m_config.address.toString())
                             .arg(m_config.port)
                             .arg(m_listener->errorString()));
    }
    m_port = m_listener->serverPort();
    m_started = true;
    logProxy("INFO", u"llama-swap listening on http://:%1"_s.arg(m_port));
    if (!m_config.performanceDisabled)
        logProxy("INFO", u"using nvidia-smi for GPU monitoring"_s);
    m_perf->start();
    m_traffic->startBackground();
    Q_EMIT upChanged(true);
    return {};
}

void SimHost::stop()
{
    if (!m_started)
        return;
    m_started = false;
    m_restartTimer.stop();
    m_traffic->stopBursts();
    m_traffic->stopBackground();
    m_perf->stop();
    m_events->abortAll();
    m_logStreams->abortAll();
    m_logEvents->abortAll();
    m_pipeline->dropAll();
    m_listener->close();
    Q_EMIT upChanged(false);
}

bool SimHost::isUp() const
{
    return m_listener->isListening();
}

QUrl SimHost::baseUrl() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(m_config.address.toString());
    url.setPort(m_port);
    return url;
}

void SimHost::generateTraffic(const SimTrafficSpec &spec)
{
    m_traffic->enqueue(spec);
}

void SimHost::dropStreams()
{
    m_events->abortAll();
    m_logStreams->abortAll();
    m_logEvents->abortAll();
}

void SimHost::resetVolatileState(bool keepActivity)
{
    m_events->endAll();
    m_logStreams->endAll();
    m_logEvents->endAll();
    m_pipeline->dropAll();
    m_models->resetAll(u"unspecific error: group is shutting down"_s);
    m_inflight->reset();
    m_captures.clear();
    if (!keepActivity)
        m_activity.reset(firstActivityId());
}

void SimHost::reloadConfig()
{
    // The server object is replaced: streams end, the router and its processes go, in-flight ids
    // and captures start over. The activity database survives (v235 kept rows in memory only).
    resetVolatileState(m_config.compat != SimCompat::V235);
    logProxy("INFO", u"Configuration reloaded"_s);
}

void SimHost::restart(int downMs, const QString &newVersion)
{
    m_traffic->stopBursts();
    m_listener->close();
    m_events->abortAll();
    m_logStreams->abortAll();
    m_logEvents->abortAll();
    resetVolatileState(false);
    m_proxyLog->clear();
    m_upstreamLog->clear();
    m_httpLog->clear();
    for (SimLogMonitor *log : std::as_const(m_modelLogs))
        log->clear();
    m_perf->stop();
    m_perf->clear();
    if (!newVersion.isEmpty())
        m_version = newVersion;
    Q_EMIT upChanged(false);
    m_restartTimer.start(downMs >= 0 ? downMs : m_config.restartDownMs);
}

Result<void> SimHost::crashModel(const QString &modelId)
{
    const SimModelConfig *model = m_models->resolve(modelId);
    if (!model || m_models->state(model->id) != SimModelState::Ready)
        return makeError(u"sim.crash"_s, u"the model \"%1\" is not ready, so it has no server to crash"_s.arg(modelId));
    const QString id = model->id;
    m_pipeline->crashModel(id);
    logProxy("INFO", u"<%1> upstream process exited unexpectedly"_s.arg(id));
    m_models->crash(id);
    return {};
}

void SimHost::goDown()
{
    m_restartTimer.stop();
    m_listener->close();
    Q_EMIT upChanged(false);
}

Result<void> SimHost::comeUp()
{
    if (m_listener->isListening())
        return {};
    if (!m_listener->listen(m_config.address, m_port)) {
        return makeError(u"sim.listen"_s,
                         u"%1: cannot listen again on port %2: %3"_s.arg(m_config.name).arg(m_port).arg(m_listener->errorString()));
    }
    if (m_proxyLog->size() == 0)
        logProxy("INFO", u"llama-swap listening on http://:%1"_s.arg(m_port));
    m_perf->start();
    Q_EMIT upChanged(true);
    return {};
}

void SimHost::setStalled(bool stalled)
{
    m_listener->setStalled(stalled);
    m_events->setSilenced(stalled);
    m_logStreams->setSilenced(stalled);
    m_logEvents->setSilenced(stalled);
}

bool SimHost::isStalled() const
{
    return m_listener->isStalled();
}

void SimHost::injectMalformedEvent(SimMalformedEvent kind, qint64 bytes)
{
    QByteArray frame;
    switch (kind) {
    case SimMalformedEvent::BadJson: frame = sseFrame(u"modelStatus", "[{\"id\":\"broken"_ba); break;
    case SimMalformedEvent::BadEnvelope: frame = "event:message\ndata:{\"type\":\"modelStatus\",\"data\":\n\n"_ba; break;
    case SimMalformedEvent::HugeLine: {
        const qint64 size = bytes > 0 ? bytes : 5 * 1024 * 1024;
        GoJsonWriter w;
        w.beginObject().key(u"data").str(QString(size, u'x')).key(u"source").str(u"upstream").endObject();
        frame = sseFrame(u"logData", w.take());
        break;
    }
    case SimMalformedEvent::InvalidUtf8:
        frame = "event:message\ndata:{\"type\":\"logData\",\"data\":\"{\\\"data\\\":\\\"bad \xff\xfe\xc3\x28 bytes\\\\n\\\","
                "\\\"source\\\":\\\"upstream\\\"}\"}\n\n"_ba;
        break;
    }
    m_events->write(frame);
}

void SimHost::onModelStateChanged(const QString &id, SimModelState from, SimModelState to)
{
    int index = 0;
    while (index < m_models->models().size() && m_models->models().at(index).id != id)
        ++index;
    const QString proxy = u"http://127.0.0.1:%1"_s.arg(5800 + index);
    if (to == SimModelState::Ready)
        m_readySinceNs.insert(id, GoTime::nowNs());
    else
        m_readySinceNs.remove(id);
    switch (to) {
    case SimModelState::Starting:
        logProxy("INFO", u"<%1> Starting process"_s.arg(id));
        logUpstream(id, "load_tensors: loading model tensors, this can take a while...\n"_ba);
        break;
    case SimModelState::Ready:
        m_pipeline->markCold(id);
        logUpstream(id,
                    "load_tensors: offloaded 49/49 layers to GPU\nmain: server is listening on "_ba + proxy.toLatin1()
                        + " - starting the main loop\n");
        logProxy("INFO", u"<%1> Health check passed on %2/health"_s.arg(id, proxy));
        break;
    case SimModelState::Stopping:
        logProxy("INFO", u"<%1> Stopping process, current state: %2"_s.arg(id, simModelStateName(from)));
        m_pipeline->cancelModel(id);
        break;
    case SimModelState::Stopped:
        if (from != SimModelState::Starting)
            logUpstream(id, "srv    operator(): operator(): cleaning up before exit...\n"_ba);
        break;
    }
    if (hasEventListeners())
        publishEvent(u"modelStatus", modelStatusJson());
}

void SimHost::logProxy(const char *level, const QString &message)
{
    m_proxyLog->write("[" + QByteArray(level) + "] " + message.toUtf8() + '\n');
}

void SimHost::logUpstream(const QString &modelId, const QByteArray &text)
{
    if (SimLogMonitor *log = m_modelLogs.value(modelId))
        log->write(text);
    m_upstreamLog->write(text);
}

void SimHost::logAccess(const QString &remoteIp, const QByteArray &method, const QByteArray &target, const QByteArray &protocol, int status,
                        qint64 bytes, const QString &userAgent, qint64 elapsedNs)
{
    // Rounded like the reference transcripts show it ("4.812s").
    const qint64 rounded = elapsedNs >= 1000000000 ? (elapsedNs + 500000) / 1000000 * 1000000 : (elapsedNs + 500) / 1000 * 1000;
    const QString line = u"Request %1 \"%2 %3 %4\" %5 %6 \"%7\" %8"_s
                             .arg(remoteIp, QString::fromLatin1(method), QString::fromUtf8(target), QString::fromLatin1(protocol))
                             .arg(status)
                             .arg(bytes)
                             .arg(userAgent, QString::fromUtf8(GoTime::duration(rounded)));
    // v260 keeps access lines apart, as the `http` log stream.
    if (m_config.compat == SimCompat::V260)
        m_httpLog->write("[INFO] " + line.toUtf8() + '\n');
    else
        logProxy("INFO", line);
}

bool SimHost::hasEventListeners() const
{
    return !m_events->isEmpty();
}

QByteArray SimHost::sseFrame(QStringView type, const QByteArray &dataJson)
{
    QByteArray out;
    out.reserve(dataJson.size() + dataJson.size() / 8 + 48);
    out += "event:message\ndata:{\"type\":";
    GoJsonWriter::appendQuoted(out, type);
    out += ",\"data\":";
    GoJsonWriter::appendQuoted(out, QString::fromUtf8(dataJson));
    out += "}\n\n";
    return out;
}

void SimHost::publishEvent(QStringView type, const QByteArray &dataJson)
{
    if (!m_events->isEmpty())
        m_events->write(sseFrame(type, dataJson));
}

qint64 SimHost::recordFinished(SimActivityRow row, SimCapture capture)
{
    const bool clientClosed = row.status == kClientClosedStatus;
    const qint64 id = m_activity.append(std::move(row));
    capture.id = id;
    // A client that hung up leaves no capture (llama-swap #1040): nothing to inspect.
    if (!clientClosed)
        m_captures.add(std::move(capture));
    if (hasEventListeners()) {
        if (m_config.compat == SimCompat::V235) {
            GoJsonWriter w;
            w.beginArray();
            m_activity.rows().back().write(w, m_captures.contains(id), m_config.utcOffsetSeconds, true);
            w.endArray();
            publishEvent(u"metrics", w.take());
        } else {
            GoJsonWriter w;
            w.beginObject().key(u"id").integer(id).endObject();
            publishEvent(u"activity", w.take());
        }
    }
    Q_EMIT activityRecorded(id);
    return id;
}

HttpResponse SimHost::errorResponse(const HttpRequest &request, int status, const QString &message) const
{
    return SimErrors::response(request, m_config.compat, status, message);
}

QByteArray SimHost::modelStatusJson() const
{
    GoJsonWriter w;
    w.beginArray();
    for (const SimModelConfig &m : m_models->models()) {
        w.beginObject();
        w.key(u"id").str(m.id);
        w.key(u"name").str(m.name);
        w.key(u"description").str(m.description);
        w.key(u"state").str(simModelStateName(m_models->state(m.id)));
        w.key(u"unlisted").boolean(m.unlisted);
        w.key(u"peerID").str(u"");
        if (!m.aliases.isEmpty())
            w.key(u"aliases").strings(m.aliases);
        if (m.hasCapabilities) {
            QList<std::pair<QString, bool>> caps;
            if (m.inputModalities.contains(u"audio"_s) && m.outputModalities.contains(u"text"_s))
                caps.append({u"audio_transcriptions"_s, true});
            if (m.tools)
                caps.append({u"function_calling"_s, true});
            if (m.reranker)
                caps.append({u"reranker"_s, true});
            if (m.inputModalities.contains(u"image"_s))
                caps.append({u"vision"_s, true});
            if (!caps.isEmpty()) {
                w.key(u"capabilities").beginObject();
                for (const auto &[k, v] : caps)
                    w.key(k).boolean(v);
                w.endObject();
            }
        }
        if (m.hasCapabilities && m.contextLength > 0)
            w.key(u"context_length").integer(m.contextLength);
        const auto since = m_readySinceNs.constFind(m.id);
        if (m_config.compat == SimCompat::V260 && since != m_readySinceNs.cend()) {
            w.key(u"readySince").str(QString::fromLatin1(GoTime::rfc3339(*since, m_config.utcOffsetSeconds, true)));
            w.key(u"uptimeMs").integer((GoTime::nowNs() - *since) / 1000000);
        }
        w.endObject();
    }
    w.endArray();
    return w.take();
}

QList<QByteArray> SimHost::snapshotFrames() const
{
    QList<QByteArray> frames;
    const auto logData = [](const QByteArray &history, QStringView source) {
        GoJsonWriter w;
        w.beginObject().key(u"data").str(history).key(u"source").str(source).endObject();
        return w.take();
    };
    if (m_config.compat != SimCompat::V260) { // v260 sends logs on /api/events/logs only
        frames.append(sseFrame(u"logData", logData(m_proxyLog->history(), u"proxy")));
        frames.append(sseFrame(u"logData", logData(m_upstreamLog->history(), u"upstream")));
    }
    frames.append(sseFrame(u"modelStatus", modelStatusJson()));
    if (m_config.compat == SimCompat::V235) {
        // Before v236 the whole in-memory metrics list opened the stream.
        GoJsonWriter w;
        w.beginArray();
        for (const SimActivityRow &row : m_activity.rows())
            row.write(w, m_captures.contains(row.id), m_config.utcOffsetSeconds, true);
        w.endArray();
        frames.append(sseFrame(u"metrics", w.take()));
    } else {
        GoJsonWriter ui;
        ui.beginObject().key(u"activity").beginObject().key(u"session_id").strings(m_config.sessionIdHeaders);
        ui.endObject();
        if (m_config.compat == SimCompat::V260 && m_config.globalConcurrencyLimit > 0)
            ui.key(u"globalConcurrencyLimit").integer(m_config.globalConcurrencyLimit);
        ui.endObject();
        frames.append(sseFrame(u"uiConfig", ui.take()));
        frames.append(sseFrame(u"profileChanged", "{\"active\":null}"_ba));
    }
    frames.append(sseFrame(u"inflight", m_inflight->snapshotJson()));
    return frames;
}

QJsonObject SimHost::stateJson() const
{
    QJsonObject models;
    for (const SimModelConfig &m : m_models->models())
        models.insert(m.id, simModelStateName(m_models->state(m.id)));
    const qint64 first = m_activity.rows().empty() ? -1 : m_activity.rows().front().id;
    return QJsonObject{
        {u"name"_s, m_config.name},
        {u"port"_s, m_port},
        {u"url"_s, baseUrl().toString()},
        {u"up"_s, isUp()},
        {u"stalled"_s, isStalled()},
        {u"compat"_s, simCompatName(m_config.compat)},
        {u"version"_s, m_version},
        {u"lastActivityId"_s, m_activity.rows().empty() ? -1 : m_activity.lastId()},
        {u"firstActivityId"_s, first},
        {u"rows"_s, qint64(m_activity.size())},
        {u"inflight"_s, m_inflight->count()},
        {u"jobs"_s, m_pipeline->jobCount()},
        {u"waiting"_s, m_models->waitingRequests()},
        {u"pendingTraffic"_s, m_traffic->pending()},
        {u"submitted"_s, m_traffic->submitted()},
        {u"captures"_s, qint64(m_captures.count())},
        {u"sseClients"_s, m_events->count()},
        {u"logClients"_s, m_logStreams->count() + m_logEvents->count()},
        {u"models"_s, models},
    };
}

} // namespace boo
