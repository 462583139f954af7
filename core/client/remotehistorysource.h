#pragma once

#include "core/client/historysource.h"
#include "core/http/hostendpoint.h"

class QNetworkAccessManager;

namespace boo {

// History from a remote `boocontrol --serve`: GET /api/requests (+ /totals, /rate) and /api/perf
// with the server's bearer token. `server` is the server's HTTP base URL.
class RemoteHistorySource final : public HistorySource
{
    Q_OBJECT

public:
    static constexpr int kTimeoutMs = 30000;

    RemoteHistorySource(HostEndpoint server, QNetworkAccessManager *nam, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(RemoteHistorySource)

    void requests(const RequestFilter &filter, QObject *context, Callback<RequestPage> done) override;
    void totals(const RequestFilter &filter, QObject *context, Callback<QList<RequestTotal>> done) override;
    void rate(const RateFilter &filter, QObject *context, Callback<QList<RatePoint>> done) override;
    void perf(const PerfFilter &filter, QObject *context, Callback<PerfSeries> done) override;

    // The query parameters of the control API for a filter (cursor and limit included).
    static QUrlQuery requestQuery(const RequestFilter &filter);

private:
    template <typename T>
    void get(const QString &path, const QUrlQuery &query, QObject *context, Callback<T> done,
             std::function<Result<T>(const QJsonObject &)> decode);

    HostEndpoint m_server;
    QNetworkAccessManager *m_nam;
};

} // namespace boo
