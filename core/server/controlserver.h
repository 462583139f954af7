#pragma once

#include "core/common/result.h"
#include "core/http/httpresponder.h"
#include "core/http/httpresponse.h"
#include "core/http/httpserverlimits.h"
#include "core/server/listenaddress.h"
#include "core/store/databasereader.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace boo {

class ActionQueue;
class BenchJobs;
class ControlFeed;
class ControlHostRoutes;
class Database;
class HostAccess;
class FleetIngest;
class FleetState;
class Gateway;
class HistoryWriter;
class HttpRequest;
class HttpServer;

struct ControlServerOptions
{
    ListenAddress listen;
    QString token;           // required from clients when set; mandatory off loopback
    QString databaseLabel;   // shown by /api/health (password-free)
    HttpServerLimits limits; // what one client may hold (docs/security.md)
};

// The control API of `boocontrol --serve` on one listener:
//   GET /api/health, /api/fleet, /api/requests (+ /totals, /rate), /api/perf, /metrics and
//   WebSocket /api/ws/control; with setHostServices() also POST /api/actions and the host
//   pass-throughs of ControlHostRoutes (captures, log streams).
// With addGateway() also the gateway's /v1/* and /upstream/* and the routing API (RoutingApi).
//
// Once the gateway has consumer keys (docs/keys.md), /v1/* and /upstream/* want a key or the
// token even without a token on loopback; a consumer key never opens anything under /api.
// With a token, every route but /api/health wants `Authorization: Bearer <token>` (the
// WebSocket also accepts `?token=`, since browsers cannot set headers on it), decided on the
// request head before any body is read or any upgrade answered. Bad requests get 4xx JSON
// errors; nothing a client sends can take the server down (docs/security.md).
class ControlServer final : public QObject
{
    Q_OBJECT

public:
    ControlServer(FleetState *fleet, FleetIngest *ingest, HistoryWriter *writer, Database *database, ControlServerOptions options,
                  QObject *parent = nullptr);
    ~ControlServer() override;
    Q_DISABLE_COPY_MOVE(ControlServer)

    // Refuses a non-loopback address without a token, and says why.
    Result<void> start();
    quint16 port() const;
    // Enables actions and the routes that reach through to the hosts (docs/server.md).
    void setHostServices(HostAccess *access, ActionQueue *actions);
    // Serves the gateway on this listener: its routes, its errors in OpenAI's shape, its
    // metrics in /metrics, and the routing control API. The gateway must outlive this server.
    void addGateway(Gateway *gateway);
    HttpServer *http() const { return m_http; }
    // The benchmark runs of this process, once BenchApi::installRuns() gave them.
    void setBenchJobs(BenchJobs *jobs);
    BenchJobs *benchJobs() const;
    ControlFeed *feed() const { return m_feed; }
    // The authorisation every route of this listener shares (the gateway uses it too).
    bool authorized(const HttpRequest &request) const;
    // Whether the request carries this listener's token (false when it has none).
    bool hasServerToken(const HttpRequest &request) const;

    // Errors this listener produces itself (401, 404, 405, 413, ...) under `pathPrefix` take
    // this shape instead of the control API's: the gateway's /v1/ speaks OpenAI's.
    using ErrorShape = std::function<HttpResponse(int status, const QString &code, const QString &message)>;
    void setErrorShape(const QString &pathPrefix, ErrorShape shape);
    // More Prometheus text appended to /metrics (the gateway's counters).
    void addMetricsSource(std::function<QByteArray()> source);

    // Whether this server has a history database to answer from.
    bool hasHistory() const { return m_reader != nullptr; }
    // Runs `work` against the history on a reader thread of its own, then answers with what
    // `reply` makes of its result: a slow query never holds up this listener's thread, where the
    // gateway relays its streams. Call only when hasHistory().
    template <typename T>
    void answerFromHistory(HttpResponder responder, std::function<Result<T>(Database &)> work,
                           std::function<HttpResponse(const Result<T> &)> reply)
    {
        auto pending = std::make_shared<HttpResponder>(std::move(responder));
        m_reader->run<T>(std::move(work), this, [pending, reply = std::move(reply)](Result<T> result) { pending->respond(reply(result)); });
    }

private:
    void installRoutes();
    void health(const HttpRequest &request, HttpResponder responder);
    void fleet(const HttpRequest &request, HttpResponder responder);
    void requests(const HttpRequest &request, HttpResponder responder);
    void requestTotals(const HttpRequest &request, HttpResponder responder);
    void requestRate(const HttpRequest &request, HttpResponder responder);
    void perf(const HttpRequest &request, HttpResponder responder);
    void metrics(const HttpRequest &request, HttpResponder responder);
    HttpResponse errorFor(QStringView path, int status, const QString &code, const QString &message) const;

    QPointer<FleetState> m_fleet;
    QPointer<FleetIngest> m_ingest;
    QPointer<HistoryWriter> m_writer;
    DatabaseReader *m_reader = nullptr; // reads on a thread of its own; none without a database
    ControlServerOptions m_options;
    HttpServer *m_http;
    ControlFeed *m_feed;
    ControlHostRoutes *m_hostRoutes = nullptr;
    QElapsedTimer m_uptime;
    QList<std::pair<QString, ErrorShape>> m_errorShapes;
    QList<std::function<QByteArray()>> m_metricsSources;
    QPointer<Gateway> m_gateway;
    QPointer<BenchJobs> m_benchJobs;
};

} // namespace boo
