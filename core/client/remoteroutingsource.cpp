#include "core/client/remoteroutingsource.h"

#include "core/common/jsonreader.h"
#include "core/gateway/policystore.h"

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

} // namespace boo
