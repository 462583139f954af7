#pragma once

#include "core/common/result.h"
#include "core/gateway/candidateranker.h"
#include "core/gateway/consumerkeystore.h"
#include "core/gateway/routepolicy.h"
#include "core/store/gatewaylogquery.h"

#include <QObject>

#include <functional>

namespace boo {

// What the desktop's Routing tab reads and writes: the route policies, a policy ranked against
// the fleet as it is now, the dispatch log and the gateway's consumer keys (docs/keys.md).
// RemoteRoutingSource talks to a server's control
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

    // A consumer key with what it used today (UTC); `today.keyName` is empty before its first use.
    struct KeyRow
    {
        ConsumerKey key;
        KeyUsageTotal today;
    };

    // The keys with today's totals of `today` (per key and day, as ConsumerKeyStore::usage).
    static QList<KeyRow> joinUsage(const QList<ConsumerKey> &keys, const QList<KeyUsageTotal> &today);

    using QObject::QObject;
    Q_DISABLE_COPY_MOVE(RoutingSource)

    virtual void policies(QObject *context, Callback<QList<RoutePolicy>> done) = 0;
    virtual void savePolicies(const QList<RoutePolicy> &policies, QObject *context, Callback<QList<RoutePolicy>> done) = 0;
    virtual void test(const RoutePolicy &policy, const RouteFacts &facts, QObject *context, Callback<TestResult> done) = 0;
    virtual void log(const GatewayLogFilter &filter, QObject *context, Callback<GatewayLogPage> done) = 0;

    // Consumer keys. A created or rotated key's secret is in the IssuedKey and nowhere else.
    virtual void keys(QObject *context, Callback<QList<KeyRow>> done) = 0;
    virtual void createKey(const ConsumerKeySpec &spec, QObject *context, Callback<IssuedKey> done) = 0;
    virtual void editKey(const QString &name, const ConsumerKeyEdit &edit, QObject *context, Callback<ConsumerKey> done) = 0;
    virtual void rotateKey(const QString &name, QObject *context, Callback<IssuedKey> done) = 0;
    virtual void revokeKey(const QString &name, QObject *context, Callback<ConsumerKey> done) = 0;
};

} // namespace boo
