#include "core/client/remotehistorysource.h"

#include "core/common/jsonreader.h"
#include "core/protocol/apierror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Answers of our own server: a wrong type or a non-object row is an error naming it, never a
// default row.
constexpr JsonErrorCodes kWireCodes{"server.wire", "server.wire", "server.wire"};

template <typename T>
Result<QList<T>> decodeList(JsonReader &f, const QString &key, Result<T> (*decode)(const QJsonObject &))
{
    const QList<QJsonObject> objects = f.objectList(key, JsonReader::Required);
    if (f.failed())
        return f.error();
    QList<T> out;
    out.reserve(objects.size());
    for (qsizetype i = 0; i < objects.size(); ++i) {
        auto item = decode(objects.at(i));
        if (!item)
            return makeError(item.error().code, u"%1: %2[%3]: %4"_s.arg(f.context(), key).arg(i).arg(item.error().message));
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
    m_server.send(
        m_nam, "GET", path, query, kTimeoutMs, this,
        [context = QPointer<QObject>(context), done = std::move(done), decode = std::move(decode), path](Result<HostResponse> answer) {
            if (!context)
                return;
            if (!answer)
                return done(answer.error());
            if (answer->status != 200) {
                const auto error = ApiError::fromBody(answer->body);
                return done(makeError(u"server.failed"_s,
                                      u"%1: HTTP %2: %3"_s.arg(path).arg(answer->status).arg(error ? error->message : QString())));
            }
            const auto object = JsonReader::parseObject(answer->body, path, kWireCodes);
            if (!object)
                return done(object.error());
            done(decode(*object));
        });
}

void RemoteHistorySource::requests(const RequestFilter &filter, QObject *context, Callback<RequestPage> done)
{
    get<RequestPage>(u"/api/requests"_s, requestQuery(filter), context, std::move(done), [](const QJsonObject &o) -> Result<RequestPage> {
        JsonReader f(o, u"/api/requests"_s, kWireCodes);
        auto rows = decodeList<StoredRequest>(f, u"requests"_s, &StoredRequest::fromJson);
        if (!rows)
            return rows.error();
        RequestPage page;
        page.rows = *rows;
        page.nextBeforeId = f.optionalInteger(u"next_before_id"_s);
        if (f.failed())
            return f.error();
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
        JsonReader f(o, u"/api/requests/totals"_s, kWireCodes);
        return decodeList<RequestTotal>(f, u"totals"_s, &RequestTotal::fromJson);
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
        JsonReader f(o, u"/api/requests/rate"_s, kWireCodes);
        return decodeList<RatePoint>(f, u"points"_s, &RatePoint::fromJson);
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
        JsonReader f(o, u"/api/perf"_s, kWireCodes);
        PerfSeries series;
        // Not "anything but raw means 5m": an unknown resolution is an error, not a guess.
        series.resolution = f.enumValue(u"resolution"_s, PerfSeries::kResolutionNames, JsonReader::Required).value_or(series.resolution);
        auto points = decodeList<PerfPoint>(f, u"points"_s, &PerfPoint::fromJson);
        if (!points)
            return points.error();
        series.points = *points;
        return series;
    });
}

} // namespace boo
