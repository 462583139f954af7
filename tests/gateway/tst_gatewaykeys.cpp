// Consumer keys end to end: a ControlServer and a Gateway as `boocontrol --serve` wires them, a
// simulated llama-swap host, real loopback HTTP, keys changed behind the server's back through
// another connection (as `boocontrol keys` does) and through /api/keys. SQLite and Postgres.
#include "core/alerts/alertmonitor.h"
#include "core/gateway/consumerkeystore.h"
#include "core/server/keylimitalerts.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "tests/common/gatewayharness.h"
#include "tests/common/testdatabases.h"
#include "tests/gateway/gatewaytestutil.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using namespace boo::test;

namespace {

using Headers = QHash<QByteArray, QByteArray>;

std::unique_ptr<GatewayHarness> startHarness(TestDatabase &db, const QString &token = {})
{
    auto h = std::make_unique<GatewayHarness>(db.url(), QList<SimHostConfig>{quickHost(u"h1"_s, {u"qwen3-8b"_s})},
                                              GatewayHarness::fastOptions(), token);
    auto started = h->start();
    if (!started)
        qFatal("%s", qPrintable(started.error().message));
    return h;
}

// A connection of its own, like `boocontrol keys` in another process.
std::unique_ptr<Database> cliConnection(const TestDatabase &db)
{
    auto opened = Database::open(db.url(), u"keys-cli"_s);
    if (!opened || !Migrations::migrate(**opened))
        qFatal("cannot open %s", qPrintable(db.url().displayString()));
    return std::move(opened).value();
}

IssuedKey createKey(Database &db, const QString &name, std::function<void(ConsumerKeySpec &)> adjust = {})
{
    ConsumerKeySpec spec;
    spec.name = name;
    spec.source = name + u"-app"_s;
    if (adjust)
        adjust(spec);
    auto issued = ConsumerKeyStore::create(db, spec, QDateTime::currentMSecsSinceEpoch());
    if (!issued)
        qFatal("%s", qPrintable(issued.error().message));
    return *issued;
}

Headers bearer(const QString &secret, const QByteArray &source = {})
{
    Headers h{{"Authorization", "Bearer " + secret.toUtf8()}};
    if (!source.isEmpty())
        h.insert("X-Boo-Source", source);
    return h;
}

const Headers kNoAuth{{"Authorization", QByteArray()}};

// The dispatch log entries of `key`, newest first, once `count` are stored.
QJsonArray logEntries(GatewayHarness &h, const QString &key, int count)
{
    QJsonArray entries;
    const bool complete = QTest::qWaitFor(
        [&] {
            entries = {};
            for (const QJsonValue &e : h.get(u"/api/gateway/log?limit=1000"_s).json().value(u"entries"_s).toArray()) {
                if (e.toObject().value(u"consumer_key"_s).toString() == key)
                    entries.append(e);
            }
            return entries.size() >= count;
        },
        5000);
    if (!complete)
        qWarning() << "only" << entries.size() << "of" << count << "dispatch log entries of" << key << "arrived";
    return entries;
}

// Milliseconds until a request with `headers` gets `status` (-1: not within `timeoutMs`);
// `answered` counts the requests before it that were answered 200.
qint64 msUntilStatus(GatewayHarness &h, const Headers &headers, int status, int timeoutMs, int *answered = nullptr)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        const int got = h.post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), headers).status;
        if (got == status)
            return clock.elapsed();
        if (answered && got == 200)
            ++*answered;
        QTest::qWait(20);
    }
    return -1;
}

} // namespace

class TestGatewayKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keysTakeEffectBehindTheServersBack_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void keysTakeEffectBehindTheServersBack()
    {
        auto db = TestDatabase::createForCurrentRow();
        if (!db)
            return;
        auto h = startHarness(*db); // loopback, no token: open until a key exists
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), kNoAuth).status, 200);

        auto cli = cliConnection(*db);
        const IssuedKey notes = createKey(*cli, u"notes"_s);
        // The running server reads the new key within a second; from then on /v1 wants a key.
        const qint64 closedAfter = msUntilStatus(*h, kNoAuth, 401, 3000);
        QVERIFY2(closedAfter >= 0 && closedAfter < 1000, qPrintable(QString::number(closedAfter)));
        auto refused = h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), kNoAuth);
        QCOMPARE(refused.error().value(u"type"_s).toString(), u"authentication_error"_s);
        QCOMPARE(refused.error().value(u"code"_s).toString(), u"invalid_api_key"_s);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(u"boo_sk_guessed"_s)).status, 401);
        QCOMPARE(h->get(u"/v1/models"_s, kNoAuth).status, 401);
        // The control API on a loopback listener without a token stays as it was.
        QCOMPARE(h->get(u"/api/fleet"_s, kNoAuth).status, 200);

        // Attributed to the key's source; X-Boo-Source is not honoured without sub-sources.
        auto answered = h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(notes.secret, "pretender"));
        QCOMPARE(answered.status, 200);
        const QJsonArray entries = logEntries(*h, u"notes"_s, 1);
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().toObject().value(u"source"_s).toString(), u"notes-app"_s);
        QCOMPARE(logEntries(*h, QString(), 1).last().toObject().value(u"source"_s).toString(), u"unknown"_s); // before the key

        // Revoked by another process: 401 within a second.
        QVERIFY(ConsumerKeyStore::revoke(*cli, u"notes"_s, QDateTime::currentMSecsSinceEpoch()).ok());
        int answeredBeforeRevocation = 0;
        const qint64 revokedAfter = msUntilStatus(*h, bearer(notes.secret), 401, 3000, &answeredBeforeRevocation);
        QVERIFY2(revokedAfter >= 0 && revokedAfter < 1000, qPrintable(QString::number(revokedAfter)));
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(notes.secret)).error().value(u"message"_s).toString(),
                 u"the key \"notes\" is revoked"_s);
        // Revoking the last key does not reopen the gateway.
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), kNoAuth).status, 401);

        // Usage reaches consumer_key_usage (flushed every second).
        QTRY_COMPARE_WITH_TIMEOUT(
            [&] {
                const QJsonArray usage = h->get(u"/api/keys/usage?key=notes"_s).json().value(u"usage"_s).toArray();
                return usage.isEmpty() ? qint64(-1) : usage.first().toObject().value(u"requests"_s).toInteger();
            }(),
            1 + answeredBeforeRevocation, 5000);
        QVERIFY(ConsumerKeyStore::find(*cli, u"notes"_s)->lastUsedAtMs.has_value());
    }

    void modelsSubSourcesAndLimits_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void modelsSubSourcesAndLimits()
    {
        auto db = TestDatabase::createForCurrentRow();
        if (!db)
            return;
        auto cli = cliConnection(*db);
        // Created before the server starts: it loads them.
        const IssuedKey onlyAuto = createKey(*cli, u"only-auto"_s, [](ConsumerKeySpec &s) {
            s.models = {u"auto*"_s};
            s.allowSubSource = true;
        });
        const IssuedKey rpm = createKey(*cli, u"rpm"_s, [](ConsumerKeySpec &s) { s.rpm = 2; });
        const IssuedKey tpm = createKey(*cli, u"tpm"_s, [](ConsumerKeySpec &s) { s.tpm = 1; });
        auto h = startHarness(*db);

        auto forbidden = h->post(u"/v1/chat/completions"_s, chatBody(u"h1/qwen3-8b"_s), bearer(onlyAuto.secret));
        QCOMPARE(forbidden.status, 403);
        QCOMPARE(forbidden.error().value(u"code"_s).toString(), u"model_not_allowed"_s);
        QCOMPARE(forbidden.error().value(u"param"_s).toString(), u"model"_s);
        QCOMPARE(h->rowsOn(u"h1"_s), 0); // never dispatched
        QCOMPARE(h->get(u"/upstream/h1/qwen3-8b/props"_s, bearer(onlyAuto.secret)).status, 403);
        // /v1/models lists what the key may ask for, and only that.
        QStringList listed;
        for (const QJsonValue &m : h->get(u"/v1/models"_s, bearer(onlyAuto.secret)).json().value(u"data"_s).toArray())
            listed << m.toObject().value(u"id"_s).toString();
        QVERIFY2(listed.contains(u"auto"_s) && listed.contains(u"auto:code"_s), qPrintable(listed.join(u' ')));
        QVERIFY2(!listed.contains(u"h1/qwen3-8b"_s), qPrintable(listed.join(u' ')));
        QVERIFY(h->get(u"/v1/models"_s, bearer(rpm.secret)).json().value(u"data"_s).toArray().size() > listed.size());
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto:fast"_s), bearer(onlyAuto.secret, "user-42")).status, 200);
        QJsonArray entries = logEntries(*h, u"only-auto"_s, 3);
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries.at(0).toObject().value(u"source"_s).toString(), u"only-auto-app/user-42"_s);
        QCOMPARE(entries.at(0).toObject().value(u"status"_s).toInt(), 200);
        QCOMPARE(entries.at(2).toObject().value(u"status"_s).toInt(), 403);
        QCOMPARE(entries.at(2).toObject().value(u"source"_s).toString(), u"only-auto-app"_s);

        // rpm: two in a minute, the third is refused with Retry-After and the limit named.
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(rpm.secret)).status, 200);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s, true), bearer(rpm.secret)).status, 200);
        const qsizetype rowsBefore = h->rowsOn(u"h1"_s);
        auto limited = h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(rpm.secret));
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.error().value(u"code"_s).toString(), u"rate_limit_rpm"_s);
        QCOMPARE(limited.error().value(u"type"_s).toString(), u"rate_limit_error"_s);
        QCOMPARE(limited.header("x-boo-limit"), "rpm"_ba);
        const int retryAfter = limited.header("retry-after").toInt();
        QVERIFY2(retryAfter >= 29 && retryAfter <= 30, limited.header("retry-after").constData()); // one request every 30 s
        QCOMPARE(h->rowsOn(u"h1"_s), rowsBefore);
        entries = logEntries(*h, u"rpm"_s, 3);
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries.at(0).toObject().value(u"status"_s).toInt(), 429);
        QCOMPARE(entries.at(0).toObject().value(u"consumer_key"_s).toString(), u"rpm"_s);
        QVERIFY(entries.at(0).toObject().value(u"error"_s).toString().contains(u"2 requests per minute"_s));

        // tpm: the first answer's usage (as the host reported it) puts the key in debt.
        auto first = h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(tpm.secret));
        QCOMPARE(first.status, 200);
        const QJsonObject usage = first.json().value(u"usage"_s).toObject();
        const qint64 total = usage.value(u"prompt_tokens"_s).toInteger() + usage.value(u"completion_tokens"_s).toInteger();
        QVERIFY(total > 1);
        auto overTpm = h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(tpm.secret));
        QCOMPARE(overTpm.status, 429);
        QCOMPARE(overTpm.error().value(u"code"_s).toString(), u"rate_limit_tpm"_s);
        QCOMPARE(overTpm.header("x-boo-limit"), "tpm"_ba);
        QVERIFY(overTpm.header("retry-after").toInt() >= 1);

        const QByteArray metrics = h->get(u"/metrics"_s).body;
        QVERIFY(metrics.contains(QByteArray("boo_gateway_key_tokens_total{key=\"tpm\"} " + QByteArray::number(total) + '\n')));
        QVERIFY(metrics.contains("boo_gateway_key_requests_total{key=\"rpm\"} 2\n"));
        QVERIFY(metrics.contains("boo_gateway_key_limited_total{key=\"rpm\",limit=\"rpm\"} 1\n"));
        QVERIFY(metrics.contains("boo_gateway_key_limited_total{key=\"tpm\",limit=\"tpm\"} 1\n"));
        QVERIFY(metrics.contains("boo_gateway_key_refused_total{key=\"only-auto\",reason=\"model\"} 2\n"));
        QVERIFY(!metrics.contains(tpm.secret.toUtf8()));
        QVERIFY(!metrics.contains(ConsumerKey::hashSecret(tpm.secret)));

        // The day's tokens survive a restart of the server: read back from consumer_key_usage.
        QTRY_VERIFY_WITH_TIMEOUT(ConsumerKeyStore::tokensSince(*cli, 0)->value(u"tpm"_s) == total, 5000);
    }

    void operatorsAndTheKeysApi()
    {
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        auto h = startHarness(*db, u"op-token"_s);
        const Headers op{{"Authorization", "Bearer op-token"}};

        // Create through the API: the secret once, then never again.
        auto created = h->post(u"/api/keys"_s, R"({"name":"web","source":"web-ui","rpm":100,"models":["auto"]})"_ba, op);
        QCOMPARE(created.status, 201);
        const QString secret = created.json().value(u"key"_s).toString();
        QVERIFY(secret.startsWith(u"boo_sk_"_s));
        QCOMPARE(created.json().value(u"name"_s).toString(), u"web"_s);
        QCOMPARE(created.json().value(u"source"_s).toString(), u"web-ui"_s);
        QCOMPARE(h->post(u"/api/keys"_s, R"({"name":"web","source":"x"})"_ba, op).status, 409);
        QCOMPARE(h->post(u"/api/keys"_s, R"({"name":"x","source":"x","rpm":"many"})"_ba, op).status, 400);

        const auto listed = h->get(u"/api/keys"_s, op);
        QCOMPARE(listed.status, 200);
        QVERIFY(!listed.body.contains(secret.toUtf8()));
        QVERIFY(!listed.body.contains(ConsumerKey::hashSecret(secret)));
        const QJsonObject web = listed.json().value(u"keys"_s).toArray().first().toObject();
        QCOMPARE(ConsumerKey::fromJson(web)->spec.rpm, std::optional<qint64>(100));
        QCOMPARE(web.value(u"state"_s).toString(), u"active"_s);

        // At once, without waiting for a reload: the key works, a consumer key opens nothing
        // under /api, and the server token still works for operators on /v1.
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(secret)).status, 200);
        QCOMPARE(h->get(u"/api/keys"_s, bearer(secret)).status, 401);
        QCOMPARE(h->get(u"/api/fleet"_s, bearer(secret)).status, 401);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"h1/qwen3-8b"_s), op).status, 200);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), kNoAuth).status, 401);

        auto rotated = h->post(u"/api/keys/web/rotate"_s, {}, op);
        QCOMPARE(rotated.status, 200);
        const QString newSecret = rotated.json().value(u"key"_s).toString();
        QVERIFY(newSecret != secret);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(secret)).status, 401);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(newSecret)).status, 200);
        QCOMPARE(h->post(u"/api/keys/nope/rotate"_s, {}, op).status, 404);

        QCOMPARE(h->send("DELETE", u"/api/keys/web"_s, {}, op).status, 200);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(newSecret)).status, 401);
        QCOMPARE(h->get(u"/api/keys"_s, op).json().value(u"keys"_s).toArray().first().toObject().value(u"state"_s).toString(),
                 u"revoked"_s);
        QCOMPARE(h->send("DELETE", u"/api/keys/nope"_s, {}, op).status, 404);

        // An expired key is refused at the instant it expires, not at the next reload.
        const qint64 expiresAt = QDateTime::currentMSecsSinceEpoch() + 1500;
        auto shortLived
            = h->post(u"/api/keys"_s, "{\"name\":\"brief\",\"source\":\"b\",\"expires_at\":" + QByteArray::number(expiresAt) + '}', op);
        QCOMPARE(shortLived.status, 201);
        const QString brief = shortLived.json().value(u"key"_s).toString();
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(brief)).status, 200);
        QTest::qWait(int(std::max<qint64>(0, expiresAt - QDateTime::currentMSecsSinceEpoch())));
        auto expired = h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(brief));
        QCOMPARE(expired.status, 401);
        QCOMPARE(expired.error().value(u"message"_s).toString(), u"the key \"brief\" is expired"_s);
        QVERIFY(h->get(u"/metrics"_s, op).body.contains("boo_gateway_key_refused_total{key=\"brief\",reason=\"expired\"} 1\n"));
        QTRY_COMPARE_WITH_TIMEOUT(
            h->get(u"/api/keys/usage?key=web"_s, op).json().value(u"usage"_s).toArray().first().toObject().value(u"requests"_s).toInteger(),
            2, 5000);
        QJsonArray usage;
        QTRY_VERIFY_WITH_TIMEOUT((usage = h->get(u"/api/keys/usage"_s, op).json().value(u"usage"_s).toArray()).size() == 2, 5000);
        // One day, two keys, by name.
        QCOMPARE(usage.at(0).toObject().value(u"key"_s).toString(), u"brief"_s);
        QCOMPARE(usage.at(0).toObject().value(u"requests"_s).toInteger(), 1);
        QVERIFY(usage.at(0).toObject().value(u"output"_s).toInteger() > 0);
    }

    // PATCH /api/keys/{name}: every setting takes effect before the answer is sent; bad edits get
    // a 400 naming the field and change nothing. An edit by another connection (the CLI's
    // `keys set`) reaches the server within a second.
    void editingAKey()
    {
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        auto h = startHarness(*db, u"op-token"_s);
        const Headers op{{"Authorization", "Bearer op-token"}};
        auto created = h->post(u"/api/keys"_s, R"({"name":"ed","source":"ed-app","rpm":1})"_ba, op);
        QCOMPARE(created.status, 201);
        const QString secret = created.json().value(u"key"_s).toString();
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(secret)).status, 200);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(secret)).status, 429);

        // Lifting the limit works at once.
        auto lifted = h->send("PATCH", u"/api/keys/ed"_s, R"({"rpm":null,"tpm":5000})"_ba, op);
        QCOMPARE(lifted.status, 200);
        const QJsonObject key = lifted.json().value(u"consumer_key"_s).toObject();
        QVERIFY(key.value(u"rpm"_s).isNull());
        QCOMPARE(key.value(u"tpm"_s).toInteger(), 5000);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(secret)).status, 200);

        QCOMPARE(h->send("PATCH", u"/api/keys/ed"_s, R"({"models":["h1/q*"]})"_ba, op).status, 200);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(secret)).status, 403);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"h1/qwen3-8b"_s), bearer(secret)).status, 200);

        QCOMPARE(h->send("PATCH", u"/api/keys/ed"_s, R"({"disabled":true})"_ba, op).status, 200);
        auto disabled = h->post(u"/v1/chat/completions"_s, chatBody(u"h1/qwen3-8b"_s), bearer(secret));
        QCOMPARE(disabled.status, 401);
        QCOMPARE(disabled.error().value(u"message"_s).toString(), u"the key \"ed\" is disabled"_s);
        QCOMPARE(h->send("PATCH", u"/api/keys/ed"_s, R"({"disabled":false,"expires_at":"2099-01-01"})"_ba, op).status, 200);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"h1/qwen3-8b"_s), bearer(secret)).status, 200);

        // Bad edits: a 400 that names the problem, and the key unchanged.
        const QList<std::pair<QByteArray, QString>> bad{
            {R"({"rpm":0})", u"rpm must be a whole number"_s},
            {R"({"rpm":"5"})", u"rpm"_s},
            {R"({"source":"other"})", u"the source of a key cannot be changed"_s},
            {R"({"frob":1})", u"unknown field \"frob\""_s},
            {R"({})", u"nothing to change"_s},
            {R"({"expires_at":"soon"})", u"expires_at: \"soon\""_s},
            {R"({"disabled":"yes"})", u"disabled"_s},
            {R"({"models":[""]})", u"a model pattern is empty"_s},
            {R"([1])", u"the body must be a JSON object"_s},
        };
        for (const auto &[body, message] : bad) {
            auto answer = h->send("PATCH", u"/api/keys/ed"_s, body, op);
            QCOMPARE(answer.status, 400);
            QVERIFY2(answer.error().value(u"message"_s).toString().contains(message), answer.body.constData());
        }
        const QJsonObject after = h->get(u"/api/keys/ed"_s, op).json().value(u"consumer_key"_s).toObject();
        QCOMPARE(after.value(u"tpm"_s).toInteger(), 5000);
        QCOMPARE(after.value(u"models"_s).toArray().first().toString(), u"h1/q*"_s);
        QCOMPARE(h->send("PATCH", u"/api/keys/nope"_s, R"({"rpm":5})"_ba, op).status, 404);
        QCOMPARE(h->send("PATCH", u"/api/keys/ed"_s, R"({"rpm":5})"_ba, bearer(secret)).status, 401);

        // Behind the server's back, as `boocontrol keys set ed --disable` does.
        auto cli = cliConnection(*db);
        ConsumerKeyEdit off;
        off.disabled = true;
        QVERIFY(ConsumerKeyStore::update(*cli, u"ed"_s, off, QDateTime::currentMSecsSinceEpoch()).ok());
        QElapsedTimer clock;
        clock.start();
        QTRY_COMPARE_WITH_TIMEOUT(h->post(u"/v1/chat/completions"_s, chatBody(u"h1/qwen3-8b"_s), bearer(secret)).status, 401, 3000);
        QVERIFY2(clock.elapsed() < 1500, qPrintable(QString::number(clock.elapsed())));

        // A revoked key cannot be edited (nor re-enabled that way).
        QCOMPARE(h->send("DELETE", u"/api/keys/ed"_s, {}, op).status, 200);
        QCOMPARE(h->send("PATCH", u"/api/keys/ed"_s, R"({"disabled":false})"_ba, op).status, 409);
    }

    // A key hitting its limit again and again raises one key_limited alert (as --serve wires
    // it), not one per refusal; the per-key totals of /api/keys/usage count the refusals.
    void repeatedLimitsRaiseOneAlert()
    {
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        auto h = startHarness(*db, u"op-token"_s);
        const Headers op{{"Authorization", "Bearer op-token"}};
        AlertMonitor monitor(h->ingest()->fleet());
        KeyLimitAlerts::install(h->gateway()->keys(), &monitor);
        QSignalSpy alerts(&monitor, &AlertMonitor::alert);
        const QString secret
            = h->post(u"/api/keys"_s, R"({"name":"busy","source":"busy-app","rpm":1})"_ba, op).json().value(u"key"_s).toString();
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(secret)).status, 200);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(secret)).status, 429);
        QCOMPARE(alerts.count(), 0); // four refusals: a client may just be unlucky
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(secret)).status, 429);
        QCOMPARE(alerts.count(), 1);
        const Alert alert = alerts.at(0).at(0).value<Alert>();
        QCOMPARE(alert.kind, Alert::Kind::KeyLimited);
        QCOMPARE(alert.dedupKey(), u"key_limited/busy"_s);
        QVERIFY2(alert.describe().contains(u"requests per minute (1)"_s), qPrintable(alert.describe()));
        for (int i = 0; i < 10; ++i)
            QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(secret)).status, 429);
        QCOMPARE(alerts.count(), 1); // the cooldown

        QJsonObject usage;
        QTRY_VERIFY_WITH_TIMEOUT((usage = h->get(u"/api/keys/usage"_s, op).json()).value(u"keys"_s).toArray().size() == 1
                                     && usage.value(u"keys"_s).toArray().first().toObject().value(u"limited"_s).toInteger() == 15,
                                 5000);
        const QJsonObject busy = usage.value(u"keys"_s).toArray().first().toObject();
        QCOMPARE(busy.value(u"key"_s).toString(), u"busy"_s);
        QCOMPARE(busy.value(u"requests"_s).toInteger(), 1);
        QVERIFY(!busy.contains(u"day"_s));
    }

    // "usage" is both a route segment (/api/keys/usage) and was once a valid key name. New keys
    // cannot take it; a key of that name from an older database stays manageable through the
    // routes that cannot clash, and the fleet-wide usage keeps its meaning.
    void reservedNameAndPerKeyRoutes()
    {
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        auto h = startHarness(*db, u"op-token"_s);
        const Headers op{{"Authorization", "Bearer op-token"}};

        auto refused = h->post(u"/api/keys"_s, R"({"name":"usage","source":"x"})"_ba, op);
        QCOMPARE(refused.status, 400);
        QVERIFY2(refused.body.contains("reserved"), refused.body.constData());
        QCOMPARE(h->post(u"/api/keys"_s, R"({"name":"Usage","source":"x"})"_ba, op).status, 400);
        auto cli = cliConnection(*db);
        ConsumerKeySpec spec;
        spec.name = u"usage"_s;
        spec.source = u"x"_s;
        QCOMPARE(ConsumerKeyStore::create(*cli, spec, 1).error().code, u"key.field"_s);

        // A legacy key named "usage", written as an older release would have.
        const IssuedKey legacy = createKey(*cli, u"legacy"_s);
        QVERIFY(cli->exec(u"UPDATE consumer_keys SET name = 'usage' WHERE name = 'legacy'"_s).ok());
        const IssuedKey other = createKey(*cli, u"other"_s);
        QTRY_COMPARE_WITH_TIMEOUT(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(legacy.secret)).status, 200, 3000);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), bearer(other.secret)).status, 200);

        // One key by name; the fleet-wide usage is not mistaken for the key "usage".
        const auto one = h->get(u"/api/keys/other"_s, op);
        QCOMPARE(one.status, 200);
        QCOMPARE(one.json().value(u"consumer_key"_s).toObject().value(u"source"_s).toString(), u"other-app"_s);
        QCOMPARE(h->get(u"/api/keys/nope"_s, op).status, 404);
        QJsonArray all;
        QTRY_VERIFY_WITH_TIMEOUT((all = h->get(u"/api/keys/usage"_s, op).json().value(u"usage"_s).toArray()).size() == 2, 5000);
        const auto mine = h->get(u"/api/keys/usage/usage"_s, op).json().value(u"usage"_s).toArray();
        QCOMPARE(mine.size(), 1);
        QCOMPARE(mine.first().toObject().value(u"key"_s).toString(), u"usage"_s);
        const auto others = h->get(u"/api/keys/other/usage"_s, op).json().value(u"usage"_s).toArray();
        QCOMPARE(others.size(), 1);
        QCOMPARE(others.first().toObject().value(u"key"_s).toString(), u"other"_s);

        // The legacy key can still be rotated and revoked.
        QCOMPARE(h->post(u"/api/keys/usage/rotate"_s, {}, op).status, 200);
        QCOMPARE(h->send("DELETE", u"/api/keys/usage"_s, {}, op).status, 200);
        QCOMPARE(ConsumerKeyStore::find(*cli, u"usage"_s)->state(QDateTime::currentMSecsSinceEpoch()), ConsumerKeyState::Revoked);
    }
};

QTEST_GUILESS_MAIN(TestGatewayKeys)
#include "tst_gatewaykeys.moc"
