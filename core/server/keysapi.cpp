#include "core/server/keysapi.h"

#include "core/gateway/consumerkeystore.h"
#include "core/gateway/gateway.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/server/apireply.h"
#include "core/server/controlserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr qint64 kMaxKeyBody = 16 * 1024;
constexpr qint64 kDayMs = 86'400'000;

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A store error as an answer: what the client can fix is 4xx, the database's trouble 503.
HttpResponse storeError(const Error &error)
{
    if (error.code == u"key.unknown"_s)
        return apireply::error(404, u"key_unknown"_s, error.message);
    if (error.code == u"key.exists"_s)
        return apireply::error(409, u"key_exists"_s, error.message);
    if (error.code == u"key.revoked"_s || error.code == u"key.changed"_s)
        return apireply::error(409, u"key_conflict"_s, error.message);
    if (error.code.startsWith(u"key."_s))
        return apireply::error(400, u"bad_request"_s, error.message);
    return apireply::error(503, u"database"_s, error.message);
}

QJsonObject keyJson(const ConsumerKey &key, const Gateway *gateway, qint64 nowMs)
{
    QJsonObject o = key.toJson(nowMs);
    if (gateway)
        o.insert(u"tokens_today"_s, gateway->keys()->tokensToday(key.name(), nowMs));
    return o;
}

// The one answer that carries a secret, shaped like `boocontrol keys create --json`.
HttpResponse issuedAnswer(int status, const IssuedKey &issued, const Gateway *gateway)
{
    QJsonObject body{{u"name"_s, issued.key.name()},
                     {u"source"_s, issued.key.spec.source},
                     {u"key"_s, issued.secret},
                     {u"consumer_key"_s, keyJson(issued.key, gateway, now())}};
    HttpResponse response = apireply::json(status, body);
    response.setHeader("Cache-Control", "no-store");
    return response;
}

void list(Gateway *gateway, ControlServer *server, HttpResponder responder)
{
    server->answerFromHistory<QList<ConsumerKey>>(
        std::move(responder), [](Database &db) { return ConsumerKeyStore::list(db); },
        [gateway = QPointer(gateway)](const Result<QList<ConsumerKey>> &keys) {
            if (!keys)
                return storeError(keys.error());
            const qint64 nowMs = now();
            QJsonArray list;
            for (const ConsumerKey &key : *keys)
                list.append(keyJson(key, gateway, nowMs));
            return apireply::json(200, QJsonObject{{u"keys"_s, list}});
        });
}

void create(Gateway *gateway, ControlServer *server, const HttpRequest &request, HttpResponder responder)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return responder.respond(apireply::error(400, u"bad_request"_s, u"the body must be a JSON object: {\"name\", \"source\", ...}"_s));
    auto spec = ConsumerKeySpec::fromJson(doc.object());
    if (!spec)
        return responder.respond(apireply::error(400, u"bad_request"_s, spec.error().message));
    server->answerFromHistory<IssuedKey>(
        std::move(responder), [spec = *spec](Database &db) { return ConsumerKeyStore::create(db, spec, now()); },
        [gateway = QPointer(gateway)](const Result<IssuedKey> &issued) {
            if (!issued)
                return storeError(issued.error());
            if (gateway)
                gateway->keys()->applyChange(issued->key);
            return issuedAnswer(201, *issued, gateway);
        });
}

void rotate(Gateway *gateway, ControlServer *server, const HttpRequest &request, HttpResponder responder)
{
    server->answerFromHistory<IssuedKey>(
        std::move(responder), [name = request.pathParam(u"name")](Database &db) { return ConsumerKeyStore::rotate(db, name, now()); },
        [gateway = QPointer(gateway)](const Result<IssuedKey> &issued) {
            if (!issued)
                return storeError(issued.error());
            if (gateway)
                gateway->keys()->applyChange(issued->key);
            return issuedAnswer(200, *issued, gateway);
        });
}

void edit(Gateway *gateway, ControlServer *server, const HttpRequest &request, HttpResponder responder)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return responder.respond(apireply::error(400, u"bad_request"_s, u"the body must be a JSON object: {\"rpm\", \"tpm\", ...}"_s));
    auto change = ConsumerKeyEdit::fromJson(doc.object());
    if (!change)
        return responder.respond(apireply::error(400, u"bad_request"_s, change.error().message));
    server->answerFromHistory<ConsumerKey>(
        std::move(responder),
        [name = request.pathParam(u"name"), change = *change](Database &db) { return ConsumerKeyStore::update(db, name, change, now()); },
        [gateway = QPointer(gateway)](const Result<ConsumerKey> &key) {
            if (!key)
                return storeError(key.error());
            if (gateway)
                gateway->keys()->applyChange(*key);
            return apireply::json(200, QJsonObject{{u"consumer_key"_s, keyJson(*key, gateway, now())}});
        });
}

void revoke(Gateway *gateway, ControlServer *server, const HttpRequest &request, HttpResponder responder)
{
    server->answerFromHistory<ConsumerKey>(
        std::move(responder), [name = request.pathParam(u"name")](Database &db) { return ConsumerKeyStore::revoke(db, name, now()); },
        [gateway = QPointer(gateway)](const Result<ConsumerKey> &key) {
            if (!key)
                return storeError(key.error());
            if (gateway)
                gateway->keys()->applyChange(*key);
            return apireply::json(200, QJsonObject{{u"consumer_key"_s, keyJson(*key, gateway, now())}});
        });
}

void show(Gateway *gateway, ControlServer *server, const HttpRequest &request, HttpResponder responder)
{
    server->answerFromHistory<ConsumerKey>(
        std::move(responder), [name = request.pathParam(u"name")](Database &db) { return ConsumerKeyStore::find(db, name); },
        [gateway = QPointer(gateway)](const Result<ConsumerKey> &key) {
            if (!key)
                return storeError(key.error());
            return apireply::json(200, QJsonObject{{u"consumer_key"_s, keyJson(*key, gateway, now())}});
        });
}

// `keyName` empty: every key, or the one named by ?key= (GET /api/keys/usage); else the key of
// the path (GET /api/keys/{name}/usage), which works for any name.
void usage(ControlServer *server, const HttpRequest &request, HttpResponder responder, const QString &keyName)
{
    auto since = apireply::timeParam(request, u"since"_s);
    auto until = apireply::timeParam(request, u"until"_s);
    for (const Result<std::optional<qint64>> *param : {&since, &until}) {
        if (!*param)
            return responder.respond(apireply::error(400, param->error().code, param->error().message));
    }
    const qint64 untilMs = until->value_or(now() + 60'000);
    const qint64 sinceMs = since->value_or(untilMs - 30 * kDayMs);
    server->answerFromHistory<QList<KeyUsageTotal>>(
        std::move(responder),
        [sinceMs, untilMs, key = keyName.isEmpty() ? request.queryValue(u"key"_s) : keyName](Database &db) {
            return ConsumerKeyStore::usage(db, sinceMs, untilMs, key);
        },
        [sinceMs, untilMs](const Result<QList<KeyUsageTotal>> &totals) {
            if (!totals)
                return storeError(totals.error());
            QJsonArray list;
            // Per key over the whole range as well: what a report or the desktop wants first.
            QMap<QString, KeyUsageTotal> perKey;
            for (const KeyUsageTotal &t : *totals) {
                list.append(t.toJson());
                KeyUsageTotal &sum = perKey[t.keyName];
                sum.keyName = t.keyName;
                sum.requests += t.requests;
                sum.limited += t.limited;
                sum.inputTokens += t.inputTokens;
                sum.outputTokens += t.outputTokens;
            }
            QList<KeyUsageTotal> ranked = perKey.values();
            std::stable_sort(ranked.begin(), ranked.end(), [](const KeyUsageTotal &a, const KeyUsageTotal &b) {
                return a.inputTokens + a.outputTokens > b.inputTokens + b.outputTokens;
            });
            QJsonArray keys;
            for (const KeyUsageTotal &t : ranked) {
                QJsonObject o = t.toJson();
                o.remove(u"day"_s);
                keys.append(o);
            }
            return apireply::json(200, QJsonObject{{u"since"_s, sinceMs}, {u"until"_s, untilMs}, {u"usage"_s, list}, {u"keys"_s, keys}});
        });
}

} // namespace

void KeysApi::install(Gateway *gateway, ControlServer *server)
{
    HttpServer *http = server->http();
    // Every route needs the database: without one there are no keys to manage.
    const auto withHistory = [server](auto handler) {
        return [server, handler](const HttpRequest &request, HttpResponder responder) {
            if (!server->hasHistory())
                return responder.respond(apireply::error(503, u"no_database"_s, u"this server keeps no database, so no consumer keys"_s));
            handler(request, std::move(responder));
        };
    };
    http->route("GET", u"/api/keys"_s,
                withHistory([gateway, server](const HttpRequest &, HttpResponder r) { list(gateway, server, std::move(r)); }), 0);
    http->route("POST", u"/api/keys"_s,
                withHistory([gateway, server](const HttpRequest &q, HttpResponder r) { create(gateway, server, q, std::move(r)); }),
                kMaxKeyBody);
    http->route("POST", u"/api/keys/{name}/rotate"_s,
                withHistory([gateway, server](const HttpRequest &q, HttpResponder r) { rotate(gateway, server, q, std::move(r)); }), 0);
    http->route("PATCH", u"/api/keys/{name}"_s,
                withHistory([gateway, server](const HttpRequest &q, HttpResponder r) { edit(gateway, server, q, std::move(r)); }),
                kMaxKeyBody);
    http->route("DELETE", u"/api/keys/{name}"_s,
                withHistory([gateway, server](const HttpRequest &q, HttpResponder r) { revoke(gateway, server, q, std::move(r)); }), 0);
    // The literal /api/keys/usage beats /api/keys/{name} in the router, and "usage" is a reserved
    // key name (ConsumerKeySpec::isReservedName), so neither route can shadow a key.
    http->route("GET", u"/api/keys/usage"_s,
                withHistory([server](const HttpRequest &q, HttpResponder r) { usage(server, q, std::move(r), QString()); }), 0);
    http->route("GET", u"/api/keys/{name}"_s,
                withHistory([gateway, server](const HttpRequest &q, HttpResponder r) { show(gateway, server, q, std::move(r)); }), 0);
    http->route("GET", u"/api/keys/{name}/usage"_s,
                withHistory([server](const HttpRequest &q, HttpResponder r) { usage(server, q, std::move(r), q.pathParam(u"name")); }), 0);
}

} // namespace boo
