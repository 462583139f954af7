#include "core/client/localroutingsource.h"

#include "core/fleet/fleetstate.h"
#include "core/gateway/keylimiter.h"
#include "core/gateway/policystore.h"
#include "core/providers/providerregistry.h"
#include "core/store/database.h"

#include <QDateTime>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace boo {

LocalRoutingSource::LocalRoutingSource(Database *database, FleetState *fleet, ProviderRegistry *registry, QObject *parent)
    : RoutingSource(parent)
    , m_database(database)
    , m_fleet(fleet)
    , m_registry(registry)
{
}

template <typename T>
void LocalRoutingSource::answer(QObject *context, Callback<T> done, Result<T> result)
{
    QMetaObject::invokeMethod(
        context ? context : this, [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); },
        Qt::QueuedConnection);
}

void LocalRoutingSource::policies(QObject *context, Callback<QList<RoutePolicy>> done)
{
    answer(context, std::move(done),
           m_database ? PolicyStore::load(*m_database) : Result<QList<RoutePolicy>>(makeError(u"routing.local"_s, u"no database"_s)));
}

void LocalRoutingSource::savePolicies(const QList<RoutePolicy> &policies, QObject *context, Callback<QList<RoutePolicy>> done)
{
    if (!m_database)
        return answer(context, std::move(done), Result<QList<RoutePolicy>>(makeError(u"routing.local"_s, u"no database"_s)));
    QList<RoutePolicy> ordered = policies;
    for (qsizetype i = 0; i < ordered.size(); ++i)
        ordered[i].position = int(i);
    if (auto stored = PolicyStore::replace(*m_database, ordered, QDateTime::currentMSecsSinceEpoch()); !stored)
        return answer(context, std::move(done), Result<QList<RoutePolicy>>(stored.error()));
    answer(context, std::move(done), PolicyStore::load(*m_database));
}

void LocalRoutingSource::test(const RoutePolicy &policy, const RouteFacts &facts, QObject *context, Callback<TestResult> done)
{
    CandidateRanker::Inputs inputs;
    inputs.fleet = m_fleet;
    if (m_registry)
        inputs.providers = m_registry->providers();
    inputs.nowMs = QDateTime::currentMSecsSinceEpoch();
    if (m_database) {
        if (auto leases = HostLease::active(*m_database, inputs.nowMs))
            inputs.leases = *leases;
    }
    RouteFacts asked = facts;
    if (asked.requestedModel.isEmpty())
        asked.requestedModel = policy.name;
    TestResult result;
    result.ruleMatches = policy.rule.matches(policy.name, asked, &result.ruleMismatch);
    result.ranking = CandidateRanker::rank(policy, asked, inputs);
    answer(context, std::move(done), Result<TestResult>(result));
}

void LocalRoutingSource::log(const GatewayLogFilter &filter, QObject *context, Callback<GatewayLogPage> done)
{
    answer(context, std::move(done),
           m_database ? GatewayLogQuery::fetch(*m_database, filter)
                      : Result<GatewayLogPage>(makeError(u"routing.local"_s, u"no database"_s)));
}

namespace {

Error noDatabase()
{
    return makeError(u"routing.local"_s, u"no database"_s);
}

} // namespace

void LocalRoutingSource::keys(QObject *context, Callback<QList<KeyRow>> done)
{
    if (!m_database)
        return answer(context, std::move(done), Result<QList<KeyRow>>(noDatabase()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto keys = ConsumerKeyStore::list(*m_database);
    if (!keys)
        return answer(context, std::move(done), Result<QList<KeyRow>>(keys.error()));
    auto today = ConsumerKeyStore::usage(*m_database, KeyLimiter::dayStartMs(now), now + 60'000);
    if (!today)
        return answer(context, std::move(done), Result<QList<KeyRow>>(today.error()));
    answer(context, std::move(done), Result<QList<KeyRow>>(joinUsage(*keys, *today)));
}

void LocalRoutingSource::createKey(const ConsumerKeySpec &spec, QObject *context, Callback<IssuedKey> done)
{
    answer(context, std::move(done),
           m_database ? ConsumerKeyStore::create(*m_database, spec, QDateTime::currentMSecsSinceEpoch()) : Result<IssuedKey>(noDatabase()));
}

void LocalRoutingSource::editKey(const QString &name, const ConsumerKeyEdit &edit, QObject *context, Callback<ConsumerKey> done)
{
    answer(context, std::move(done),
           m_database ? ConsumerKeyStore::update(*m_database, name, edit, QDateTime::currentMSecsSinceEpoch())
                      : Result<ConsumerKey>(noDatabase()));
}

void LocalRoutingSource::rotateKey(const QString &name, QObject *context, Callback<IssuedKey> done)
{
    answer(context, std::move(done),
           m_database ? ConsumerKeyStore::rotate(*m_database, name, QDateTime::currentMSecsSinceEpoch()) : Result<IssuedKey>(noDatabase()));
}

void LocalRoutingSource::revokeKey(const QString &name, QObject *context, Callback<ConsumerKey> done)
{
    answer(context, std::move(done),
           m_database ? ConsumerKeyStore::revoke(*m_database, name, QDateTime::currentMSecsSinceEpoch())
                      : Result<ConsumerKey>(noDatabase()));
}

QList<RoutingSource::KeyRow> RoutingSource::joinUsage(const QList<ConsumerKey> &keys, const QList<KeyUsageTotal> &today)
{
    QHash<QString, KeyUsageTotal> byName;
    for (const KeyUsageTotal &t : today) {
        KeyUsageTotal &sum = byName[t.keyName];
        sum.keyName = t.keyName;
        sum.dayMs = t.dayMs;
        sum.requests += t.requests;
        sum.limited += t.limited;
        sum.inputTokens += t.inputTokens;
        sum.outputTokens += t.outputTokens;
    }
    QList<KeyRow> rows;
    for (const ConsumerKey &key : keys)
        rows << KeyRow{key, byName.value(key.name())};
    return rows;
}

} // namespace boo
