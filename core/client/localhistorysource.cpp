#include "core/client/localhistorysource.h"

#include "core/store/database.h"
#include "core/store/databasereader.h"

using namespace Qt::StringLiterals;

namespace boo {

LocalHistorySource::LocalHistorySource(const DatabaseUrl &url, QObject *parent)
    : HistorySource(parent)
    , m_pages(new DatabaseReader(url, u"gui-pages"_s, this))
    , m_aggregates(new DatabaseReader(url, u"gui-aggregates"_s, this))
{
}

LocalHistorySource::~LocalHistorySource() = default;

void LocalHistorySource::requests(const RequestFilter &filter, QObject *context, Callback<RequestPage> done)
{
    m_pages->run<RequestPage>([filter](Database &db) { return RequestQuery::fetch(db, filter); }, context, std::move(done));
}

void LocalHistorySource::totals(const RequestFilter &filter, QObject *context, Callback<QList<RequestTotal>> done)
{
    m_aggregates->run<QList<RequestTotal>>([filter](Database &db) { return RequestTotalsQuery::fetch(db, filter); }, context,
                                           std::move(done));
}

void LocalHistorySource::rate(const RateFilter &filter, QObject *context, Callback<QList<RatePoint>> done)
{
    m_aggregates->run<QList<RatePoint>>([filter](Database &db) { return RequestRateQuery::fetch(db, filter); }, context, std::move(done));
}

void LocalHistorySource::perf(const PerfFilter &filter, QObject *context, Callback<PerfSeries> done)
{
    m_aggregates->run<PerfSeries>([filter](Database &db) { return PerfQuery::fetch(db, filter); }, context, std::move(done));
}

} // namespace boo
