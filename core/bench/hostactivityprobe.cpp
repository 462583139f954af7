#include "core/bench/hostactivityprobe.h"

#include "core/protocol/activitypage.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr int kTimeoutMs = 5000;
// llama-swap refuses a limit above 999.
constexpr int kMaxRows = 999;

QUrlQuery newestFirst(int limit)
{
    QUrlQuery query;
    query.addQueryItem(u"sort"_s, u"id"_s);
    query.addQueryItem(u"order"_s, u"desc"_s);
    query.addQueryItem(u"limit"_s, QString::number(limit));
    return query;
}

Result<ActivityPage> page(const Result<HostResponse> &response, const QString &url)
{
    if (!response)
        return response.error();
    if (response->status == 404)
        return makeError(u"bench.activity"_s, u"%1: this host keeps no activity rows (llama-swap before v236)"_s.arg(url));
    if (response->status != 200)
        return makeError(u"bench.activity"_s, u"%1 answered %2"_s.arg(url).arg(response->status));
    return ActivityPage::fromJson(response->body);
}

} // namespace

HostActivityProbe::HostActivityProbe(HostEndpoint endpoint, QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_nam(nam)
{
}

void HostActivityProbe::latestId(std::function<void(Result<qint64>)> done)
{
    const QString url = m_endpoint.url(u"/api/metrics/activity"_s).toString();
    m_endpoint.send(m_nam, "GET", u"/api/metrics/activity"_s, newestFirst(1), kTimeoutMs, this,
                    [done = std::move(done), url](Result<HostResponse> response) {
                        const auto rows = page(response, url);
                        if (!rows)
                            return done(rows.error());
                        done(rows->data.isEmpty() ? qint64(-1) : rows->data.constFirst().id);
                    });
}

void HostActivityProbe::rowsAfter(qint64 afterId, std::function<void(Result<QList<ActivityEntry>>)> done)
{
    const QString url = m_endpoint.url(u"/api/metrics/activity"_s).toString();
    // Newest first and filtered here, not with min_id: v236-v250 hosts ignore min_id.
    m_endpoint.send(m_nam, "GET", u"/api/metrics/activity"_s, newestFirst(kMaxRows), kTimeoutMs, this,
                    [done = std::move(done), url, afterId](Result<HostResponse> response) {
                        const auto rows = page(response, url);
                        if (!rows)
                            return done(rows.error());
                        QList<ActivityEntry> after;
                        for (const ActivityEntry &row : rows->data) {
                            if (row.id > afterId)
                                after << row;
                        }
                        done(after);
                    });
}

} // namespace boo
