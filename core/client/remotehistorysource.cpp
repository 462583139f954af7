#include "core/client/remotehistorysource.h"

#include "core/protocol/apierror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

template <typename T>
Result<QList<T>> decodeList(const QJsonArray &array, Result<T> (*decode)(const QJsonObject &))
{
    QList<T> out;
    out.reserve(array.size());
    for (const QJsonValue &value : array) {
        auto item = decode(value.toObject());
        if (!item)
            return item.error();
        out << *item;
    }
    return out;
}

} // namespace

RemoteHistorySource::RemoteHistorySource(HostEndpoint server, QNetworkAccessManager *nam, QObject *parent)
    : HistorySource(parent)
    , m_server(std::move(server))
    , m_nam(nam)
{
}

QUrlQuery RemoteHistorySource::requestQuery(const RequestFilter &filter)
{
    QUrlQuery query;
    auto add = [&query](const QString &key, const QString &value) {
        // '+' and '&' in values must reach the server as themselves.
        query.addQueryItem(key, QString::fromUtf8(QUrl::toPercentEncoding(value)));
    };
    if (!filter.host.isEmpty())
        add(u"host"_s, filter.host);
    for (const QString &model : filter.models)
        add(u"model"_s, model);
    if (!filter.source.isEmpty())
        add(u"source"_s, filter.source);
    if (filter.statusClass)
        add(u"status"_s, u"%1xx"_s.arg(*filter.statusClass));
    if (!filter.text.isEmpty())
        add(u"q"_s, filter.text);
    if (filter.sinceMs)
        add(u"since"_s, QString::number(*filter.sinceMs));
    if (filter.untilMs)
        add(u"until"_s, QString::number(*filter.untilMs));
    add(u"limit"_s, QString::number(filter.limit));
    if (filter.beforeId)
        add(u"before_id"_s, QString::number(*filter.beforeId));
    return query;
}

template <typename T>
void RemoteHistorySource::get(const QString &path, const QUrlQuery &query, QObject *context, Callback<T> done,
                              std::function<Result<T>(const QJsonObject &)> decode)
{
    m_server.send(m_nam, "GET", path, query, kTimeoutMs, this,
                  [context = QPointer<QObject>(context), done = std::move(done), decode = std::move(decode), path](Result<HostResponse> answer) {
                      if (!context)
                          return;
                      if (!answer)
                          return done(answer.error());
                      if (answer->status != 200) {
                          const auto error = ApiError::fromBody(answer->body);
                          return done(makeError(u"server.failed"_s, u"%1: HTTP %2: %3"_s.arg(path).arg(answer->status)
                                                                        .arg(error ? error->message : QString())));
                      }
                      const QJsonObject object = QJsonDocument::fromJson(answer->body).object();
                      done(decode(object));
                  });
}

void RemoteHistorySource::requests(const RequestFilter &filter, QObject *context, Callback<RequestPage> done)
{
    get<RequestPage>(u"/api/requests"_s, requestQuery(filter), context, std::move(done), [](const QJsonObject &o) -> Result<RequestPage> {
        auto rows = decodeList<StoredRequest>(o.value(u"requests"_s).toArray(), &StoredRequest::fromJson);
        if (!rows)
            return rows.error();
        RequestPage page;
        page.rows = *rows;
        if (o.value(u"next_before_id"_s).isDouble())
            page.nextBeforeId = qint64(o.value(u"next_before_id"_s).toDouble());
        return page;
    });
}

void RemoteHistorySource::totals(const RequestFilter &filter, QObject *context, Callback<QList<RequestTotal>> done)
{
    RequestFilter all = filter;
    all.beforeId.reset();
    QUrlQuery query = requestQuery(all);
    query.removeAllQueryItems(u"limit"_s);
    get<QList<RequestTotal>>(u"/api/requests/totals"_s, query, context, std::move(done), [](const QJsonObject &o) {
        return decodeList<RequestTotal>(o.value(u"totals"_s).toArray(), &RequestTotal::fromJson);
    });
}

void RemoteHistorySource::rate(const RateFilter &filter, QObject *context, Callback<QList<RatePoint>> done)
{
    QUrlQuery query{{u"from"_s, QString::number(filter.fromMs)},
                    {u"to"_s, QString::number(filter.toMs)},
                    {u"bucket_ms"_s, QString::number(filter.bucketMs)}};
    if (!filter.host.isEmpty())
        query.addQueryItem(u"host"_s, QString::fromUtf8(QUrl::toPercentEncoding(filter.host)));
    get<QList<RatePoint>>(u"/api/requests/rate"_s, query, context, std::move(done), [](const QJsonObject &o) {
        return decodeList<RatePoint>(o.value(u"points"_s).toArray(), &RatePoint::fromJson);
    });
}

void RemoteHistorySource::perf(const PerfFilter &filter, QObject *context, Callback<PerfSeries> done)
{
    QUrlQuery query{{u"from"_s, QString::number(filter.fromMs)}, {u"to"_s, QString::number(filter.toMs)}};
    if (!filter.host.isEmpty())
        query.addQueryItem(u"host"_s, QString::fromUtf8(QUrl::toPercentEncoding(filter.host)));
    if (filter.gpu)
        query.addQueryItem(u"gpu"_s, QString::number(*filter.gpu));
    get<PerfSeries>(u"/api/perf"_s, query, context, std::move(done), [](const QJsonObject &o) -> Result<PerfSeries> {
        auto points = decodeList<PerfPoint>(o.value(u"points"_s).toArray(), &PerfPoint::fromJson);
        if (!points)
            return points.error();
        PerfSeries series;
        series.resolution = o.value(u"resolution"_s).toString() == u"raw"_s ? PerfSeries::Resolution::Raw
                                                                           : PerfSeries::Resolution::FiveMinutes;
        series.points = *points;
        return series;
    });
}

} // namespace boo
