#include "core/gateway/policystore.h"

#include "core/store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

using namespace Qt::StringLiterals;

namespace boo {

Result<QList<RoutePolicy>> PolicyStore::load(Database &db)
{
    auto q = db.exec(u"SELECT name, position, description, rule, candidates, strategy, enabled, builtin FROM route_policies "
                     u"ORDER BY position, name"_s);
    if (!q)
        return q.error();
    QList<RoutePolicy> policies;
    while (q->next()) {
        QJsonObject o{{u"name"_s, q->value(0).toString()},
                      {u"position"_s, q->value(1).toInt()},
                      {u"description"_s, q->value(2).toString()},
                      {u"rule"_s, QJsonDocument::fromJson(q->value(3).toString().toUtf8()).object()},
                      {u"candidates"_s, QJsonDocument::fromJson(q->value(4).toString().toUtf8()).array()},
                      {u"strategy"_s, q->value(5).toString()},
                      {u"enabled"_s, q->value(6).toInt() != 0},
                      {u"builtin"_s, q->value(7).toInt() != 0}};
        auto policy = RoutePolicy::fromJson(o);
        if (!policy)
            return makeError(u"policy.stored"_s, u"route_policies in %1: %2"_s.arg(db.url().displayString(), policy.error().message));
        policies << *policy;
    }
    return policies;
}

Result<void> PolicyStore::replace(Database &db, const QList<RoutePolicy> &policies, qint64 nowMs)
{
    return db.inTransaction([&]() -> Result<void> {
        if (auto cleared = db.exec(u"DELETE FROM route_policies"_s); !cleared)
            return cleared.error();
        for (qsizetype i = 0; i < policies.size(); ++i) {
            const RoutePolicy &p = policies.at(i);
            QJsonArray candidates;
            for (const CandidateSpec &c : p.candidates)
                candidates.append(c.text);
            auto inserted = db.exec(u"INSERT INTO route_policies (name, position, description, rule, candidates, strategy, enabled, "
                                    u"builtin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
                                    {p.name, int(i), p.description.isEmpty() ? u""_s : p.description, // NULL is not "no description"
                                     QString::fromUtf8(QJsonDocument(p.rule.toJson()).toJson(QJsonDocument::Compact)),
                                     QString::fromUtf8(QJsonDocument(candidates).toJson(QJsonDocument::Compact)),
                                     routeStrategyName(p.strategy), p.enabled ? 1 : 0, p.builtIn ? 1 : 0, nowMs});
            if (!inserted)
                return inserted.error();
        }
        return {};
    });
}

Result<QList<RoutePolicy>> PolicyStore::fromJson(const QJsonValue &value)
{
    if (!value.isArray())
        return makeError(u"policy.list"_s, u"expected {\"policies\": [ ... ]}"_s);
    QList<RoutePolicy> policies;
    QSet<QString> names;
    const QJsonArray list = value.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (!list.at(i).isObject())
            return makeError(u"policy.list"_s, u"policies[%1] is not an object"_s.arg(i));
        auto policy = RoutePolicy::fromJson(list.at(i).toObject());
        if (!policy)
            return makeError(policy.error().code, u"policies[%1]: %2"_s.arg(i).arg(policy.error().message));
        if (names.contains(policy->name))
            return makeError(u"policy.name"_s, u"policies[%1]: the name \"%2\" is used twice"_s.arg(i).arg(policy->name));
        names.insert(policy->name);
        policy->position = int(i);
        policies << *policy;
    }
    return policies;
}

} // namespace boo
