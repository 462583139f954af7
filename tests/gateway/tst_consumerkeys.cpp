// Consumer keys without the network: the value type, the store on both dialects, the limiter's
// arithmetic with explicit clocks, and the usage the gateway reads from answers.
#include "core/gateway/consumerkey.h"
#include "core/gateway/consumerkeyedit.h"
#include "core/gateway/consumerkeyring.h"
#include "core/gateway/consumerkeystore.h"
#include "core/gateway/keylimiter.h"
#include "core/gateway/keylimitwatch.h"
#include "core/gateway/usagescanner.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

constexpr qint64 kDay = 86'400'000;
constexpr qint64 kT0 = 1'790'000'000'000 - 1'790'000'000'000 % kDay + 10 * 3'600'000; // 10:00 UTC on some day

std::unique_ptr<Database> openMigrated(const TestDatabase &tdb)
{
    auto db = Database::open(tdb.url(), u"test"_s);
    if (!db || !Migrations::migrate(**db))
        qFatal("cannot open the test database");
    return std::move(db).value();
}

ConsumerKeySpec spec(const QString &name, const QString &source = u"notes-app"_s)
{
    ConsumerKeySpec s;
    s.name = name;
    s.source = source;
    return s;
}

ConsumerKey limitedKey(std::optional<qint64> rpm, std::optional<qint64> tpm, std::optional<qint64> perDay)
{
    ConsumerKey k;
    k.spec = spec(u"k"_s);
    k.spec.rpm = rpm;
    k.spec.tpm = tpm;
    k.spec.tokensPerDay = perDay;
    return k;
}

} // namespace

class TestConsumerKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // 429s become an alert only when they repeat: `threshold` within the window, then one per
    // cooldown however hard the client keeps hitting the limit.
    void limitWatchAlertsOncePerCooldown()
    {
        KeyLimitWatch watch({3, 60'000, 300'000});
        ConsumerKey key;
        key.spec.name = u"k"_s;
        key.spec.source = u"app"_s;
        key.spec.rpm = 10;
        QVERIFY(!watch.refused(key, KeyLimit::Rpm, kT0));
        QVERIFY(!watch.refused(key, KeyLimit::Rpm, kT0 + 1000));
        // A window that passed starts over: two old refusals and one new are not three.
        QVERIFY(!watch.refused(key, KeyLimit::Rpm, kT0 + 61'000));
        QVERIFY(!watch.refused(key, KeyLimit::Rpm, kT0 + 62'000));
        auto burst = watch.refused(key, KeyLimit::Tpm, kT0 + 63'000);
        QVERIFY(burst);
        QCOMPARE(burst->keyName, u"k"_s);
        QCOMPARE(burst->refusals, 3);
        QCOMPARE(burst->limit, KeyLimit::Tpm);
        QVERIFY2(burst->detail.contains(u"refused 3 times in 60 s"_s), qPrintable(burst->detail));
        // Quiet for the cooldown, whatever the count.
        for (int i = 0; i < 20; ++i)
            QVERIFY(!watch.refused(key, KeyLimit::Rpm, kT0 + 64'000 + i * 1000));
        // After it, the next burst alerts again; another key was never quiet.
        QVERIFY(!watch.refused(key, KeyLimit::Rpm, kT0 + 63'000 + 300'000));
        QVERIFY(!watch.refused(key, KeyLimit::Rpm, kT0 + 63'000 + 300'001));
        QVERIFY(watch.refused(key, KeyLimit::Rpm, kT0 + 63'000 + 300'002));
        ConsumerKey other = key;
        other.spec.name = u"other"_s;
        QVERIFY(!watch.refused(other, KeyLimit::Rpm, kT0 + 64'000));
        QVERIFY(!watch.refused(other, KeyLimit::Rpm, kT0 + 64'001));
        QVERIFY(watch.refused(other, KeyLimit::Rpm, kT0 + 64'002));
    }

    // The edit of a key: strict JSON, null clears, the settings checked as a new key's.
    void editsOfAKey()
    {
        auto edit = ConsumerKeyEdit::fromJson(QJsonDocument::fromJson(R"({"rpm":null,"tpm":7,"disabled":true})").object());
        QVERIFY(edit);
        QCOMPARE(edit->rpm, ConsumerKeyEdit::Limit(std::optional<qint64>()));
        QCOMPARE(edit->tpm, ConsumerKeyEdit::Limit(std::optional<qint64>(7)));
        QVERIFY(!edit->tokensPerDay && !edit->models);
        QCOMPARE(ConsumerKeyEdit::fromJson(edit->toJson())->toJson(), edit->toJson());
        ConsumerKey key;
        key.spec.name = u"usage"_s; // reserved today, created before: still editable
        key.spec.source = u"s"_s;
        key.spec.rpm = 5;
        auto applied = edit->appliedTo(key);
        QVERIFY(applied);
        QCOMPARE(applied->spec.rpm, std::optional<qint64>());
        QCOMPARE(applied->spec.tpm, std::optional<qint64>(7));
        QVERIFY(applied->disabled);
        ConsumerKeyEdit zero;
        zero.tokensPerDay = std::optional<qint64>(0);
        QVERIFY(!zero.appliedTo(key));
        QVERIFY(!ConsumerKeyEdit::fromJson({}));
        QVERIFY(!ConsumerKeyEdit::fromJson(QJsonDocument::fromJson(R"({"name":"x"})").object()));
    }

    void secretsAreRandomAndOnlyHashed()
    {
        const QString a = ConsumerKey::generateSecret();
        const QString b = ConsumerKey::generateSecret();
        QVERIFY(a.startsWith(u"boo_sk_"_s));
        QCOMPARE(a.size(), 7 + 43); // 32 bytes of base64url without padding
        QVERIFY(a != b);
        for (QChar c : a.mid(7))
            QVERIFY2(c.isLetterOrNumber() || c == u'-' || c == u'_', qPrintable(a));
        const QByteArray hash = ConsumerKey::hashSecret(a);
        QCOMPARE(hash.size(), 64);
        QVERIFY(!hash.contains(a.toUtf8()));
        QVERIFY(ConsumerKey::sameHash(hash, ConsumerKey::hashSecret(a)));
        QVERIFY(!ConsumerKey::sameHash(hash, ConsumerKey::hashSecret(b)));
        QVERIFY(!ConsumerKey::sameHash(hash, hash.left(63)));
    }

    void specValidation_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error"); // empty: valid
        QTest::newRow("minimal") << R"({"name":"a","source":"s"})"_ba << QString();
        QTest::newRow("all")
            << R"({"name":"a.b-c_d","source":"team/app","models":["auto*"],"allow_sub_source":true,"rpm":60,"tpm":1000,"tokens_per_day":5,"expires_at":"2030-01-02"})"_ba
            << QString();
        QTest::newRow("no name") << R"({"source":"s"})"_ba << u"field \"name\" is missing"_s;
        QTest::newRow("unknown field") << R"({"name":"a","source":"s","rate":1})"_ba << u"unknown field \"rate\""_s;
        QTest::newRow("rpm string") << R"({"name":"a","source":"s","rpm":"60"})"_ba << u"\"rpm\" is a string"_s;
        QTest::newRow("rpm zero") << R"({"name":"a","source":"s","rpm":0})"_ba << u"rpm must be a whole number from 1"_s;
        QTest::newRow("bad name") << R"({"name":"a b","source":"s"})"_ba << u"may only contain"_s;
        QTest::newRow("slash name") << R"({"name":"a/b","source":"s"})"_ba << u"may only contain"_s;
        QTest::newRow("bad expiry") << R"({"name":"a","source":"s","expires_at":"soon"})"_ba << u"neither a date"_s;
        QTest::newRow("bad date") << R"({"name":"a","source":"s","expires_at":"2030-02-30"})"_ba << u"is not a date"_s;
    }

    void specValidation()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        auto parsed = ConsumerKeySpec::fromJson(QJsonDocument::fromJson(json).object());
        if (error.isEmpty()) {
            QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
            return;
        }
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(error), qPrintable(parsed.error().message));
    }

    void expiryText()
    {
        QCOMPARE(*ConsumerKeySpec::parseExpiry(u"1970-01-02"_s), kDay);
        QCOMPARE(*ConsumerKeySpec::parseExpiry(u"1970-01-01T01:00:00+01:00"_s), 0);
        QCOMPARE(*ConsumerKeySpec::parseExpiry(u"2024-02-29"_s), 1'709'164'800'000);
    }

    void stateModelsAndSources()
    {
        ConsumerKey k;
        k.spec = spec(u"k"_s);
        QCOMPARE(k.state(kT0), ConsumerKeyState::Active);
        k.spec.expiresAtMs = kT0;
        QCOMPARE(k.state(kT0 - 1), ConsumerKeyState::Active);
        QCOMPARE(k.state(kT0), ConsumerKeyState::Expired);
        k.disabled = true;
        QCOMPARE(k.state(kT0 - 1), ConsumerKeyState::Disabled);
        k.revokedAtMs = kT0 - 5;
        QCOMPARE(k.state(kT0 - 1), ConsumerKeyState::Revoked);

        QVERIFY(k.allowsModel(u"anything"_s));
        k.spec.models = {u"auto*"_s, u"gpu1/*"_s};
        QVERIFY(k.allowsModel(u"auto"_s));
        QVERIFY(k.allowsModel(u"auto:code"_s));
        QVERIFY(k.allowsModel(u"gpu1/qwen3-8b"_s));
        QVERIFY(!k.allowsModel(u"gpu2/qwen3-8b"_s));
        QVERIFY(!k.allowsModel(u"qwen3-8b"_s));

        QCOMPARE(k.attributedSource(u"intruder"_s), u"notes-app"_s); // no sub-sources: the header is ignored
        k.spec.allowSubSource = true;
        QCOMPARE(k.attributedSource(u"user-42"_s), u"notes-app/user-42"_s);
        QCOMPARE(k.attributedSource(u"notes-app/user-42"_s), u"notes-app/user-42"_s);
        QCOMPARE(k.attributedSource(u"unknown"_s), u"notes-app"_s);
        QCOMPARE(k.attributedSource(u"other-app"_s), u"notes-app/other-app"_s); // never another source
    }

    void jsonRoundTripWithoutHash()
    {
        ConsumerKey k;
        k.spec = spec(u"k"_s);
        k.spec.models = {u"auto"_s};
        k.spec.rpm = 10;
        k.spec.expiresAtMs = kT0;
        k.keyHash = ConsumerKey::hashSecret(u"boo_sk_x"_s);
        k.keyPrefix = u"boo_sk_x"_s;
        k.createdAtMs = kT0 - 10;
        k.updatedAtMs = kT0 - 5;
        const QJsonObject json = k.toJson(kT0 + 1);
        QCOMPARE(json.value(u"state"_s).toString(), u"expired"_s);
        QVERIFY(!QJsonDocument(json).toJson().contains(k.keyHash));
        auto back = ConsumerKey::fromJson(json);
        QVERIFY(back.ok());
        QCOMPARE(back->spec.rpm, std::optional<qint64>(10));
        QCOMPARE(back->spec.models, QStringList{u"auto"_s});
        QCOMPARE(back->keyPrefix, u"boo_sk_x"_s);
        QCOMPARE(back->createdAtMs, kT0 - 10);
        QVERIFY(back->keyHash.isEmpty());
        QVERIFY(!ConsumerKey::fromJson(QJsonObject{{u"name"_s, 3}}).ok());
    }

    void bucketRefill()
    {
        TokenBucket b = TokenBucket::full(60, 60, kT0); // one per second
        QCOMPARE(b.level, 60.0);
        b.level = 0;
        QCOMPARE(b.msUntil(1), 1000);
        b.refill(kT0 + 500);
        QCOMPARE(b.level, 0.5);
        QCOMPARE(b.msUntil(1), 500);
        b.refill(kT0 + 400); // the clock went back: nothing changes
        QCOMPARE(b.level, 0.5);
        b.refill(kT0 + 3'600'000);
        QCOMPARE(b.level, 60.0); // never above capacity
        b.level = -30;           // a debt from a large answer
        QCOMPARE(b.msUntil(1), 31'000);
        b.resize(10, 10);
        QCOMPARE(b.level, -30.0);
        QCOMPARE(b.msUntil(0), 180'000);
    }

    void rpmLimit()
    {
        KeyLimiter limiter;
        const ConsumerKey key = limitedKey(3, std::nullopt, std::nullopt);
        for (int i = 0; i < 3; ++i)
            QVERIFY(!limiter.admit(key, kT0));
        auto refused = limiter.admit(key, kT0);
        QVERIFY(refused);
        QCOMPARE(refused->limit, KeyLimit::Rpm);
        QCOMPARE(refused->code(), u"rate_limit_rpm"_s);
        QCOMPARE(refused->retryAfterMs, 20'000); // 3 per minute: one every 20 s
        QCOMPARE(refused->retryAfterSeconds(), 20);
        QVERIFY(limiter.admit(key, kT0 + 19'999));
        QVERIFY(!limiter.admit(key, kT0 + 20'000));
        QVERIFY(limiter.admit(key, kT0 + 20'000));
    }

    void tpmDebitsAfterTheAnswer()
    {
        KeyLimiter limiter;
        const ConsumerKey key = limitedKey(std::nullopt, 600, std::nullopt); // 10 tokens per second
        QVERIFY(!limiter.admit(key, kT0));
        limiter.charge(key, 500, kT0);
        QVERIFY(!limiter.admit(key, kT0)); // 100 left
        limiter.charge(key, 400, kT0);     // 300 in debt
        auto refused = limiter.admit(key, kT0);
        QVERIFY(refused);
        QCOMPARE(refused->limit, KeyLimit::Tpm);
        QCOMPARE(refused->retryAfterMs, 30'100); // back above zero: 301 tokens at 10/s
        QCOMPARE(refused->retryAfterSeconds(), 31);
        QVERIFY(limiter.admit(key, kT0 + 30'000)); // still 0
        QVERIFY(!limiter.admit(key, kT0 + 30'100));
    }

    void dailyBudgetRollsOverAtMidnightUtc()
    {
        KeyLimiter limiter;
        const ConsumerKey key = limitedKey(std::nullopt, std::nullopt, 1000);
        limiter.seedDay({{u"k"_s, 900}}, kT0); // a restart: today's usage from the database
        QCOMPARE(limiter.tokensToday(u"k"_s, kT0), 900);
        QVERIFY(!limiter.admit(key, kT0));
        limiter.charge(key, 150, kT0);
        auto refused = limiter.admit(key, kT0);
        QVERIFY(refused);
        QCOMPARE(refused->limit, KeyLimit::DailyTokens);
        QCOMPARE(refused->retryAfterMs, 14 * 3'600'000); // from 10:00 to midnight
        const qint64 midnight = KeyLimiter::dayStartMs(kT0) + kDay;
        QVERIFY(limiter.admit(key, midnight - 1));
        QVERIFY(!limiter.admit(key, midnight));
        QCOMPARE(limiter.tokensToday(u"k"_s, midnight), 0);
        QCOMPARE(KeyLimiter::dayStartMs(kT0), kT0 - 10 * 3'600'000);
    }

    void limitsChangeWithTheKey()
    {
        KeyLimiter limiter;
        ConsumerKey key = limitedKey(2, std::nullopt, std::nullopt);
        QVERIFY(!limiter.admit(key, kT0));
        QVERIFY(!limiter.admit(key, kT0));
        QVERIFY(limiter.admit(key, kT0));
        key.spec.rpm.reset(); // the operator lifted the limit
        QVERIFY(!limiter.admit(key, kT0));
        key.spec.rpm = 100; // a new limit starts full
        QVERIFY(!limiter.admit(key, kT0));
    }

    void usageFromAnswers()
    {
        auto json = UsageScanner::fromJson(R"({"id":"x","usage":{"completion_tokens":7,"prompt_tokens":12,"total_tokens":19}})");
        QVERIFY(json);
        QCOMPARE(json->inputTokens, 12);
        QCOMPARE(json->outputTokens, 7);
        auto embeddings = UsageScanner::fromJson(R"({"usage":{"prompt_tokens":5,"total_tokens":5}})");
        QCOMPARE(embeddings->outputTokens, 0);
        QVERIFY(!UsageScanner::fromJson(R"({"usage":"none"})"));
        QVERIFY(!UsageScanner::fromJson("not json"));

        UsageScanner stream(true);
        stream.feed("data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n");
        stream.feed("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}\n\ndata: [DONE]\n\n");
        QCOMPARE(stream.finish()->outputTokens, 4);

        UsageScanner body(false);
        const QByteArray answer = R"({"choices":[],"usage":{"prompt_tokens":30,"completion_tokens":40}})";
        body.feed(answer.left(10));
        body.feed(answer.mid(10));
        QCOMPARE(body.finish()->inputTokens, 30);

        UsageScanner silent(true);
        silent.feed("data: {\"choices\":[]}\n\n");
        QVERIFY(!silent.finish());
    }

    void store_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void store()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = openMigrated(*tdb);
        ConsumerKeySpec s = spec(u"notes"_s);
        s.models = {u"auto"_s, u"gpu1/*"_s};
        s.rpm = 60;
        s.tokensPerDay = 1000;
        auto issued = ConsumerKeyStore::create(*db, s, kT0);
        QVERIFY2(issued.ok(), issued.ok() ? "" : qPrintable(issued.error().message));
        QVERIFY(issued->secret.startsWith(u"boo_sk_"_s));
        QCOMPARE(issued->key.keyPrefix, issued->secret.left(12));
        // Only the hash is stored: the secret is nowhere in the table.
        QCOMPARE(tdb->count(u"consumer_keys"_s, u"key_hash = '%1'"_s.arg(QString::fromLatin1(ConsumerKey::hashSecret(issued->secret)))), 1);
        QCOMPARE(tdb->count(u"consumer_keys"_s, u"key_hash LIKE '%%1%' OR key_prefix = '%2'"_s.arg(issued->secret.mid(12), issued->secret)),
                 0);

        auto twice = ConsumerKeyStore::create(*db, s, kT0);
        QVERIFY(!twice.ok());
        QCOMPARE(twice.error().code, u"key.exists"_s);

        auto listed = ConsumerKeyStore::list(*db);
        QVERIFY(listed.ok());
        QCOMPARE(listed->size(), 1);
        const ConsumerKey &stored = listed->constFirst();
        QCOMPARE(stored.spec.models, s.models);
        QCOMPARE(stored.spec.rpm, std::optional<qint64>(60));
        QCOMPARE(stored.spec.tpm, std::nullopt);
        QCOMPARE(stored.spec.tokensPerDay, std::optional<qint64>(1000));
        QCOMPARE(stored.keyHash, ConsumerKey::hashSecret(issued->secret));

        auto rotated = ConsumerKeyStore::rotate(*db, u"notes"_s, kT0 + 1);
        QVERIFY(rotated.ok());
        QVERIFY(rotated->secret != issued->secret);
        QCOMPARE(ConsumerKeyStore::find(*db, u"notes"_s)->keyHash, ConsumerKey::hashSecret(rotated->secret));
        QCOMPARE(ConsumerKeyStore::rotate(*db, u"nope"_s, kT0).error().code, u"key.unknown"_s);

        auto revoked = ConsumerKeyStore::revoke(*db, u"notes"_s, kT0 + 2);
        QVERIFY(revoked.ok());
        QCOMPARE(revoked->revokedAtMs, std::optional<qint64>(kT0 + 2));
        QCOMPARE(ConsumerKeyStore::revoke(*db, u"notes"_s, kT0 + 9)->revokedAtMs, std::optional<qint64>(kT0 + 2));
        QCOMPARE(ConsumerKeyStore::rotate(*db, u"notes"_s, kT0 + 3).error().code, u"key.revoked"_s);
        QCOMPARE(ConsumerKeyStore::revoke(*db, u"nope"_s, kT0).error().code, u"key.unknown"_s);

        // Usage adds up per key and minute, across flushes; last_used_at only moves forward.
        const qint64 minute = kT0 - kT0 % 60'000;
        QVERIFY(ConsumerKeyStore::addUsage(*db, {{u"notes"_s, minute, 2, 1, 10, 20, kT0 + 5}}).ok());
        QVERIFY(ConsumerKeyStore::addUsage(*db, {{u"notes"_s, minute, 1, 0, 5, 5, kT0 + 3}, {u"notes"_s, minute - kDay, 7, 0, 100, 0, 0}})
                    .ok());
        QCOMPARE(ConsumerKeyStore::find(*db, u"notes"_s)->lastUsedAtMs, std::optional<qint64>(kT0 + 5));
        auto today = ConsumerKeyStore::tokensSince(*db, KeyLimiter::dayStartMs(kT0));
        QCOMPARE(today->value(u"notes"_s), 40);
        auto usage = ConsumerKeyStore::usage(*db, kT0 - 2 * kDay, kT0 + kDay);
        QVERIFY(usage.ok());
        QCOMPARE(usage->size(), 2);
        QCOMPARE(usage->at(0).dayMs, KeyLimiter::dayStartMs(kT0)); // newest first
        QCOMPARE(usage->at(0).requests, 3);
        QCOMPARE(usage->at(0).limited, 1);
        QCOMPARE(usage->at(0).inputTokens, 15);
        QCOMPARE(usage->at(0).outputTokens, 25);
        QCOMPARE(usage->at(1).requests, 7);
        QCOMPARE(KeyUsageTotal::fromJson(usage->at(0).toJson())->outputTokens, 25);
        QCOMPARE(ConsumerKeyStore::usage(*db, kT0 - 2 * kDay, kT0 + kDay, u"other"_s)->size(), 0);
    }

    void ringIdentifies_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void ringIdentifies()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = openMigrated(*tdb);
        ConsumerKeyRing ring({});
        QVERIFY(ring.load(*db, kT0).ok());
        QCOMPARE(ring.identify("anything", kT0).kind, KeyIdentity::Kind::NoKeys);

        ConsumerKeySpec s = spec(u"a"_s);
        s.expiresAtMs = kT0 + 1000;
        auto a = ConsumerKeyStore::create(*db, s, kT0);
        auto b = ConsumerKeyStore::create(*db, spec(u"b"_s), kT0);
        QVERIFY(ring.load(*db, kT0).ok());
        QVERIFY(ring.enforcing());
        QCOMPARE(ring.identify("", kT0).kind, KeyIdentity::Kind::Missing);
        QCOMPARE(ring.identify("boo_sk_guess", kT0).kind, KeyIdentity::Kind::Unknown);
        const KeyIdentity ida = ring.identify(a->secret.toUtf8(), kT0);
        QCOMPARE(ida.kind, KeyIdentity::Kind::Accepted);
        QCOMPARE(ida.key->name(), u"a"_s);
        QCOMPARE(ring.identify(b->secret.toUtf8(), kT0).key->name(), u"b"_s);
        const KeyIdentity expired = ring.identify(a->secret.toUtf8(), kT0 + 1000);
        QCOMPARE(expired.kind, KeyIdentity::Kind::Refused);
        QCOMPARE(expired.message, u"the key \"a\" is expired"_s);

        auto revoked = ConsumerKeyStore::revoke(*db, u"b"_s, kT0);
        ring.applyChange(*revoked);
        QCOMPARE(ring.identify(b->secret.toUtf8(), kT0).kind, KeyIdentity::Kind::Refused);
        // Revoking every key does not reopen the gateway.
        ring.applyChange(*ConsumerKeyStore::revoke(*db, u"a"_s, kT0));
        QVERIFY(ring.enforcing());
        QCOMPARE(ring.identify("", kT0).kind, KeyIdentity::Kind::Missing);

        // Usage buffered by the ring reaches the table.
        auto c = ConsumerKeyStore::create(*db, spec(u"c"_s), kT0);
        ring.applyChange(c->key);
        QVERIFY(!ring.admit(c->key, kT0));
        ring.charge(c->key, 11, 22, kT0);
        QVERIFY(ring.flushNow(*db).ok());
        QCOMPARE(ConsumerKeyStore::tokensSince(*db, 0)->value(u"c"_s), 33);
        QCOMPARE(ring.tokensToday(u"c"_s, kT0), 33);
        QVERIFY(ring.metricsText().contains("boo_gateway_key_tokens_total{key=\"c\"} 33"));
    }
};

QTEST_GUILESS_MAIN(TestConsumerKeys)
#include "tst_consumerkeys.moc"
