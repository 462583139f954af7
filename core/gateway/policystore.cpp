#include "core/gateway/policystore.h"

#include "core/store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// A column that holds JSON we wrote; unreadable text must not become an empty rule (which
// would take every request for the policy's name) or an empty candidate list.
Result<QJsonDocument> storedJson(const QVariant &column, const QString &what)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(column.toString().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(u"policy.stored"_s, u"%1 is not JSON: %2"_s.arg(what, error.errorString()));
    return doc;
}

} // namespace

Result<QList<RoutePolicy>> PolicyStore::load(Database &db)
{
    auto q = db.exec(u"SELECT name, position, description, rule, candidates, strategy, enabled, builtin FROM route_policies "
                     u"ORDER BY position, name"_s);
    if (!q)
        return q.error();
    QList<RoutePolicy> policies;
    while (q->next()) {
        const QString name = q->value(0).toString();
        auto rule = storedJson(q->value(3), u"the rule of \"%1\""_s.arg(name));
        auto candidates = storedJson(q->value(4), u"the candidates of \"%1\""_s.arg(name));
        for (const auto *stored : {&rule, &candidates}) {
            if (!*stored)
                return makeError(u"policy.stored"_s, u"route_policies in %1: %2"_s.arg(db.url().displayString(), stored->error().message));
        }
        // Wrong shapes (a rule that is not an object, ...) are left to RoutePolicy::fromJson to name.
        const auto value = [](const QJsonDocument &doc) { return doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()); };
        QJsonObject o{{u"name"_s, name},
                      {u"position"_s, q->value(1).toInt()},
                      {u"description"_s, q->value(2).toString()},
                      {u"rule"_s, value(*rule)},
                      {u"candidates"_s, value(*candidates)},
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
