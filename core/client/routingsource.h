#pragma once

#include "core/common/result.h"
#include "core/gateway/candidateranker.h"
#include "core/gateway/routepolicy.h"
#include "core/store/gatewaylogquery.h"

#include <QObject>

#include <functional>

namespace boo {

// What the desktop's Routing tab reads and writes: the route policies, a policy ranked against
// the fleet as it is now, and the dispatch log. RemoteRoutingSource talks to a server's control
// API (attached mode); LocalRoutingSource uses a database and FleetState in this process.
// Callbacks run on `context`'s thread, and not at all when `context` is gone.
class RoutingSource : public QObject
{
    Q_OBJECT

public:
    template <typename T>
    using Callback = std::function<void(Result<T>)>;

    // A policy (stored or edited) tried against the fleet: does its rule take the request, and
    // how do its candidates rank.
    struct TestResult
    {
        bool ruleMatches = true;
        QString ruleMismatch;
        Ranking ranking;
    };

    using QObject::QObject;
    Q_DISABLE_COPY_MOVE(RoutingSource)

    virtual void policies(QObject *context, Callback<QList<RoutePolicy>> done) = 0;
    virtual void savePolicies(const QList<RoutePolicy> &policies, QObject *context, Callback<QList<RoutePolicy>> done) = 0;
    virtual void test(const RoutePolicy &policy, const RouteFacts &facts, QObject *context, Callback<TestResult> done) = 0;
    virtual void log(const GatewayLogFilter &filter, QObject *context, Callback<GatewayLogPage> done) = 0;
};

} // namespace boo
