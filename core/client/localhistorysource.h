#pragma once

#include "core/client/historysource.h"
#include "core/store/databaseurl.h"

namespace boo {

class DatabaseReader;

// History from the database this process writes. Pages of the Activity table have a reader
// thread of their own, so that a slow aggregate (totals over a long range) never delays
// scrolling; totals, rates and GPU timelines share a second one.
class LocalHistorySource final : public HistorySource
{
    Q_OBJECT

public:
    explicit LocalHistorySource(const DatabaseUrl &url, QObject *parent = nullptr);
    ~LocalHistorySource() override;
    Q_DISABLE_COPY_MOVE(LocalHistorySource)

    void requests(const RequestFilter &filter, QObject *context, Callback<RequestPage> done) override;
    void totals(const RequestFilter &filter, QObject *context, Callback<QList<RequestTotal>> done) override;
    void rate(const RateFilter &filter, QObject *context, Callback<QList<RatePoint>> done) override;
    void perf(const PerfFilter &filter, QObject *context, Callback<PerfSeries> done) override;

private:
    DatabaseReader *m_pages;
    DatabaseReader *m_aggregates;
};

} // namespace boo
