#pragma once

#include "core/common/result.h"
#include "core/store/perfquery.h"
#include "core/store/requestquery.h"
#include "core/store/requestratequery.h"
#include "core/store/requesttotalsquery.h"

#include <QObject>

#include <functional>

namespace boo {

// Where the cockpit reads history from: the local database (LocalHistorySource, on reader
// threads) or a remote `boocontrol --serve` (RemoteHistorySource, over its control API). Both
// answer asynchronously on the caller's thread, and only while `context` exists; both apply the
// same queries, so the two modes show the same rows.
class HistorySource : public QObject
{
    Q_OBJECT

public:
    template <typename T>
    using Callback = std::function<void(Result<T>)>;

    using QObject::QObject;
    Q_DISABLE_COPY_MOVE(HistorySource)

    // Newest first, one keyset page (RequestQuery).
    virtual void requests(const RequestFilter &filter, QObject *context, Callback<RequestPage> done) = 0;
    // Token totals of everything the filter selects (RequestTotalsQuery).
    virtual void totals(const RequestFilter &filter, QObject *context, Callback<QList<RequestTotal>> done) = 0;
    // Requests and tokens per bucket and host (RequestRateQuery).
    virtual void rate(const RateFilter &filter, QObject *context, Callback<QList<RatePoint>> done) = 0;
    // GPU timelines, raw or in 5-minute buckets (PerfQuery).
    virtual void perf(const PerfFilter &filter, QObject *context, Callback<PerfSeries> done) = 0;
};

} // namespace boo
