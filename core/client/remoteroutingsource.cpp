#include "core/client/remoteroutingsource.h"

#include "core/common/jsonreader.h"
#include "core/gateway/keylimiter.h"
#include "core/gateway/policystore.h"

#include <QDateTime>

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Answers of our own server: a field of the wrong type is an error naming it, never a default
// (`"rule_matches":"no"` once read as a match).
constexpr JsonErrorCodes kWireCodes{"routing.wire", "routing.wire", "routing.wire"};

} // namespace

RemoteRoutingSource::RemoteRoutingSource(HostEndpoint server, QNetworkAccessManager *nam, QObject *parent)
    : RoutingSource(parent)
    , m_server(std::move(server))
    , m_nam(nam)
{
}

void RemoteRoutingSource::call(const QByteArray &method, const QString &path, const QUrlQuery &query, const QJsonObject &body,
                               QObject *context, std::function<void(Result<QJsonObject>)> done)
{
    const QByteArray payload = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    m_server.send(
        m_nam, method, path, query, kTimeoutMs, context,
        [done = std::move(done), path](Result<HostResponse> response) {
            if (!response)
                return done(response.error());
            if (response->status < 200 || response->status > 299) {
                // Best effort: the message of an error answer, if it has one.
                const QJsonObject object = QJsonDocument::fromJson(response->body).object();
                const QString message = object.value(u"error"_s).toObject().value(u"message"_s).toString();
                return done(
                    makeError(u"routing.http"_s,
                              u"%1: HTTP %2%3"_s.arg(path).arg(response->status).arg(message.isEmpty() ? QString() : u": "_s + message)));
            }
            done(JsonReader::parseObject(response->body, path, kWireCodes));
        },
        payload);
}

void RemoteRoutingSource::policies(QObject *context, Callback<QList<RoutePolicy>> done)
{
    call("GET", u"/api/routing/policies"_s, {}, {}, context, [done = std::move(done)](Result<QJsonObject> object) {
        if (!object)
            return done(object.error());
        done(PolicyStore::fromJson(object->value(u"policies"_s)));
    });
}

void RemoteRoutingSource::savePolicies(const QList<RoutePolicy> &policies, QObject *context, Callback<QList<RoutePolicy>> done)
{
    QJsonArray list;
    for (const RoutePolicy &p : policies)
        list.append(p.toJson());
    call("PUT", u"/api/routing/policies"_s, {}, QJsonObject{{u"policies"_s, list}}, context,
         [done = std::move(done)](Result<QJsonObject> object) {
             if (!object)
                 return done(object.error());
             done(PolicyStore::fromJson(object->value(u"policies"_s)));
         });
}

void RemoteRoutingSource::test(const RoutePolicy &policy, const RouteFacts &facts, QObject *context, Callback<TestResult> done)
{
    QJsonObject body{{u"policy"_s, policy.toJson()},
                     {u"model"_s, facts.requestedModel.isEmpty() ? policy.name : facts.requestedModel},
                     {u"source"_s, facts.source},
                     {u"prompt_tokens"_s, facts.promptTokens},
                     {u"tools"_s, facts.hasTools}};
    // Upstream has no short name: the server then tests as for chat, its default.
    if (const QString endpoint = enumNameString(kGatewayEndpointShortNames, facts.endpoint); !endpoint.isEmpty())
        body.insert(u"endpoint"_s, endpoint);
    call("POST", u"/api/routing/test"_s, {}, body, context, [done = std::move(done)](Result<QJsonObject> object) {
        if (!object)
            return done(object.error());
        JsonReader f(*object, u"/api/routing/test"_s, kWireCodes);
        TestResult result;
        result.ruleMatches = f.optionalBoolean(u"rule_matches"_s, JsonReader::Required).value_or(false);
        result.ruleMismatch = f.string(u"rule_mismatch"_s);
        const QJsonObject ranking = f.object(u"ranking"_s, JsonReader::Required);
        if (f.failed())
            return done(f.error());
        auto decoded = Ranking::fromJson(ranking);
        if (!decoded)
            return done(decoded.error());
        result.ranking = *decoded;
        done(result);
    });
}

QUrlQuery RemoteRoutingSource::logQuery(const GatewayLogFilter &filter)
{
    QUrlQuery q;
    const auto add = [&q](const QString &key, const QString &value) {
        if (!value.isEmpty())
            q.addQueryItem(key, QString::fromUtf8(QUrl::toPercentEncoding(value)));
    };
    add(u"source"_s, filter.source);
    add(u"model"_s, filter.model);
    add(u"policy"_s, filter.policy);
    add(u"host"_s, filter.provider);
    if (filter.statusClass)
        add(u"status"_s, QString::number(*filter.statusClass) + u"xx"_s);
    if (filter.sinceMs)
        add(u"since"_s, QString::number(*filter.sinceMs));
    if (filter.untilMs)
        add(u"until"_s, QString::number(*filter.untilMs));
    if (filter.beforeId)
        add(u"before_id"_s, QString::number(*filter.beforeId));
    add(u"limit"_s, QString::number(filter.limit));
    return q;
}

void RemoteRoutingSource::log(const GatewayLogFilter &filter, QObject *context, Callback<GatewayLogPage> done)
{
    call("GET", u"/api/gateway/log"_s, logQuery(filter), {}, context, [done = std::move(done)](Result<QJsonObject> object) {
        if (!object)
            return done(object.error());
        JsonReader f(*object, u"/api/gateway/log"_s, kWireCodes);
        const QList<QJsonObject> entries = f.objectList(u"entries"_s, JsonReader::Required);
        GatewayLogPage page;
        page.nextBeforeId = f.optionalInteger(u"next_before_id"_s);
        if (f.failed())
            return done(f.error());
        for (qsizetype i = 0; i < entries.size(); ++i) {
            auto entry = GatewayLogEntry::fromJson(entries.at(i));
            if (!entry)
                return done(makeError(entry.error().code, u"/api/gateway/log entry %1: %2"_s.arg(i).arg(entry.error().message)));
            page.entries << *entry;
        }
        done(page);
    });
}

namespace {

Result<ConsumerKey> keyOf(const Result<QJsonObject> &object, const QString &field)
{
    if (!object)
        return object.error();
    if (!object->value(field).isObject())
        return makeError(u"routing.wire"_s, u"/api/keys: the answer has no \"%1\" object"_s.arg(field));
    return ConsumerKey::fromJson(object->value(field).toObject());
}

Result<IssuedKey> issuedOf(const Result<QJsonObject> &object)
{
    auto key = keyOf(object, u"consumer_key"_s);
    if (!key)
        return key.error();
    const QString secret = object->value(u"key"_s).toString();
    if (!secret.startsWith(ConsumerKey::kPrefix))
        return makeError(u"routing.wire"_s, u"/api/keys: the answer carries no key"_s);
    return IssuedKey{*key, secret};
}

QString keyPath(const QString &name, const QString &tail = {})
{
    return u"/api/keys/"_s + QString::fromUtf8(QUrl::toPercentEncoding(name)) + tail;
}

} // namespace

void RemoteRoutingSource::keys(QObject *context, Callback<QList<KeyRow>> done)
{
    // Two reads: the keys, then today's usage of all of them (one day, so one row per key).
    call("GET", u"/api/keys"_s, {}, {}, context,
         [self = QPointer(this), context, done = std::move(done)](Result<QJsonObject> object) mutable {
             if (!object)
                 return done(object.error());
             if (!self)
                 return;
             QList<ConsumerKey> keys;
             for (const QJsonValue &value : object->value(u"keys"_s).toArray()) {
                 auto key = ConsumerKey::fromJson(value.toObject());
                 if (!key)
                     return done(key.error());
                 keys << *key;
             }
             QUrlQuery query;
             query.addQueryItem(u"since"_s, QString::number(KeyLimiter::dayStartMs(QDateTime::currentMSecsSinceEpoch())));
             self->call("GET", u"/api/keys/usage"_s, query, {}, context, [keys, done = std::move(done)](Result<QJsonObject> usage) {
                 if (!usage)
                     return done(usage.error());
                 QList<KeyUsageTotal> today;
                 for (const QJsonValue &value : usage->value(u"usage"_s).toArray()) {
                     auto total = KeyUsageTotal::fromJson(value.toObject());
                     if (!total)
                         return done(total.error());
                     today << *total;
                 }
                 done(joinUsage(keys, today));
             });
         });
}

void RemoteRoutingSource::createKey(const ConsumerKeySpec &spec, QObject *context, Callback<IssuedKey> done)
{
    QJsonObject body{{u"name"_s, spec.name}, {u"source"_s, spec.source}};
    if (!spec.models.isEmpty())
        body.insert(u"models"_s, QJsonArray::fromStringList(spec.models));
    if (spec.allowSubSource)
        body.insert(u"allow_sub_source"_s, true);
    for (const auto &[field, value] : {std::pair{u"rpm"_s, spec.rpm}, std::pair{u"tpm"_s, spec.tpm},
                                       std::pair{u"tokens_per_day"_s, spec.tokensPerDay}, std::pair{u"expires_at"_s, spec.expiresAtMs}}) {
        if (value)
            body.insert(field, *value);
    }
    call("POST", u"/api/keys"_s, {}, body, context, [done = std::move(done)](Result<QJsonObject> object) { done(issuedOf(object)); });
}

void RemoteRoutingSource::editKey(const QString &name, const ConsumerKeyEdit &edit, QObject *context, Callback<ConsumerKey> done)
{
    call("PATCH", keyPath(name), {}, edit.toJson(), context,
         [done = std::move(done)](Result<QJsonObject> object) { done(keyOf(object, u"consumer_key"_s)); });
}

void RemoteRoutingSource::rotateKey(const QString &name, QObject *context, Callback<IssuedKey> done)
{
    call("POST", keyPath(name, u"/rotate"_s), {}, {}, context,
         [done = std::move(done)](Result<QJsonObject> object) { done(issuedOf(object)); });
}

void RemoteRoutingSource::revokeKey(const QString &name, QObject *context, Callback<ConsumerKey> done)
{
    call("DELETE", keyPath(name), {}, {}, context,
         [done = std::move(done)](Result<QJsonObject> object) { done(keyOf(object, u"consumer_key"_s)); });
}

} // namespace boo
