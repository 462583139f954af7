#include "core/gateway/consumerkeystore.h"

#include "core/common/jsonreader.h"
#include "core/store/database.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr qint64 kDayMs = 86'400'000;

const QString kKeyColumns = u"name, source, key_hash, key_prefix, allowed_models, allow_sub_source, rpm, tpm, tokens_per_day, "
                            u"expires_at, disabled, revoked_at, created_at, updated_at, last_used_at"_s;

QVariant nullable(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::LongLong));
}

std::optional<qint64> optionalColumn(const QSqlQuery &q, int column)
{
    return q.value(column).isNull() ? std::nullopt : std::optional<qint64>(q.value(column).toLongLong());
}

Result<ConsumerKey> readKey(const QSqlQuery &q)
{
    ConsumerKey key;
    key.spec.name = q.value(0).toString();
    key.spec.source = q.value(1).toString();
    key.keyHash = q.value(2).toString().toLatin1();
    key.keyPrefix = q.value(3).toString();
    // A column we wrote; unreadable text must not become "every model allowed".
    QJsonParseError error{};
    const QJsonDocument models = QJsonDocument::fromJson(q.value(4).toString().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !models.isArray())
        return makeError(u"key.stored"_s, u"consumer_keys: the allowed models of \"%1\" are not a JSON list"_s.arg(key.spec.name));
    for (const QJsonValue &pattern : models.array()) {
        if (!pattern.isString())
            return makeError(u"key.stored"_s, u"consumer_keys: an allowed model of \"%1\" is not a string"_s.arg(key.spec.name));
        key.spec.models << pattern.toString();
    }
    key.spec.allowSubSource = q.value(5).toInt() != 0;
    key.spec.rpm = optionalColumn(q, 6);
    key.spec.tpm = optionalColumn(q, 7);
    key.spec.tokensPerDay = optionalColumn(q, 8);
    key.spec.expiresAtMs = optionalColumn(q, 9);
    key.disabled = q.value(10).toInt() != 0;
    key.revokedAtMs = optionalColumn(q, 11);
    key.createdAtMs = q.value(12).toLongLong();
    key.updatedAtMs = q.value(13).toLongLong();
    key.lastUsedAtMs = optionalColumn(q, 14);
    return key;
}

Error unknownKey(const QString &name)
{
    return makeError(u"key.unknown"_s, u"there is no consumer key named \"%1\" (boocontrol keys list shows them)"_s.arg(name));
}

IssuedKey withNewSecret(ConsumerKey key)
{
    IssuedKey issued;
    issued.secret = ConsumerKey::generateSecret();
    key.keyHash = ConsumerKey::hashSecret(issued.secret);
    key.keyPrefix = issued.secret.left(ConsumerKey::kShownPrefixLength);
    issued.key = std::move(key);
    return issued;
}

} // namespace

QJsonObject KeyUsageTotal::toJson() const
{
    return QJsonObject{{u"key"_s, keyName},     {u"day"_s, dayMs},         {u"requests"_s, requests},
                       {u"limited"_s, limited}, {u"input"_s, inputTokens}, {u"output"_s, outputTokens}};
}

Result<KeyUsageTotal> KeyUsageTotal::fromJson(const QJsonObject &object)
{
    constexpr JsonErrorCodes kCodes{"key.json", "key.field", "key.field"};
    JsonReader f(object, u"key usage"_s, kCodes);
    KeyUsageTotal t;
    t.keyName = f.string(u"key"_s, JsonReader::Required);
    t.dayMs = f.integer(u"day"_s, JsonReader::Required);
    t.requests = f.integer(u"requests"_s);
    t.limited = f.integer(u"limited"_s);
    t.inputTokens = f.integer(u"input"_s);
    t.outputTokens = f.integer(u"output"_s);
    if (f.failed())
        return f.error();
    return t;
}

Result<IssuedKey> ConsumerKeyStore::create(Database &db, const ConsumerKeySpec &spec, qint64 nowMs)
{
    if (auto valid = spec.validate(); !valid)
        return valid.error();
    ConsumerKey key;
    key.spec = spec;
    key.createdAtMs = nowMs;
    key.updatedAtMs = nowMs;
    IssuedKey issued = withNewSecret(std::move(key));
    const ConsumerKey &k = issued.key;
    // One statement decides: two creators of one name cannot both succeed.
    auto inserted = db.exec(u"INSERT INTO consumer_keys (name, source, key_hash, key_prefix, allowed_models, allow_sub_source, rpm, tpm, "
                            u"tokens_per_day, expires_at, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) "
                            u"ON CONFLICT (name) DO NOTHING"_s,
                            {k.spec.name, k.spec.source, QString::fromLatin1(k.keyHash), k.keyPrefix,
                             QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(k.spec.models)).toJson(QJsonDocument::Compact)),
                             k.spec.allowSubSource ? 1 : 0, nullable(k.spec.rpm), nullable(k.spec.tpm), nullable(k.spec.tokensPerDay),
                             nullable(k.spec.expiresAtMs), nowMs, nowMs});
    if (!inserted)
        return inserted.error();
    if (inserted->numRowsAffected() != 1)
        return makeError(u"key.exists"_s,
                         u"a consumer key named \"%1\" exists already (names stay taken after a revocation: pick another, "
                         u"or rotate the key)"_s.arg(spec.name));
    return issued;
}

Result<QList<ConsumerKey>> ConsumerKeyStore::list(Database &db)
{
    auto q = db.exec(u"SELECT %1 FROM consumer_keys ORDER BY name"_s.arg(kKeyColumns));
    if (!q)
        return q.error();
    QList<ConsumerKey> keys;
    while (q->next()) {
        auto key = readKey(*q);
        if (!key)
            return key.error();
        keys << *key;
    }
    return keys;
}

Result<ConsumerKey> ConsumerKeyStore::find(Database &db, const QString &name)
{
    auto q = db.exec(u"SELECT %1 FROM consumer_keys WHERE name = ?"_s.arg(kKeyColumns), {name});
    if (!q)
        return q.error();
    if (!q->next())
        return unknownKey(name);
    return readKey(*q);
}

Result<ConsumerKey> ConsumerKeyStore::revoke(Database &db, const QString &name, qint64 nowMs)
{
    auto updated
        = db.exec(u"UPDATE consumer_keys SET revoked_at = COALESCE(revoked_at, ?), updated_at = ? WHERE name = ?"_s, {nowMs, nowMs, name});
    if (!updated)
        return updated.error();
    return find(db, name);
}

Result<ConsumerKey> ConsumerKeyStore::update(Database &db, const QString &name, const ConsumerKeyEdit &edit, qint64 nowMs)
{
    auto current = find(db, name);
    if (!current)
        return current.error();
    if (current->revokedAtMs)
        return makeError(u"key.revoked"_s, u"the consumer key \"%1\" is revoked and cannot be changed: create a new one"_s.arg(name));
    auto edited = edit.appliedTo(*current);
    if (!edited)
        return edited.error();
    const ConsumerKey &k = *edited;
    // Only the version this caller read is changed: two editors cannot lose each other's change
    // unnoticed (a usage flush touches last_used_at only, not updated_at).
    auto updated = db.exec(u"UPDATE consumer_keys SET allowed_models = ?, allow_sub_source = ?, rpm = ?, tpm = ?, tokens_per_day = ?, "
                           u"expires_at = ?, disabled = ?, updated_at = ? WHERE name = ? AND revoked_at IS NULL AND updated_at = ? "
                           u"AND key_hash = ?"_s,
                           {QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(k.spec.models)).toJson(QJsonDocument::Compact)),
                            k.spec.allowSubSource ? 1 : 0, nullable(k.spec.rpm), nullable(k.spec.tpm), nullable(k.spec.tokensPerDay),
                            nullable(k.spec.expiresAtMs), k.disabled ? 1 : 0, std::max(nowMs, current->updatedAtMs + 1), name,
                            current->updatedAtMs, QString::fromLatin1(current->keyHash)});
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() != 1)
        return makeError(u"key.changed"_s, u"the consumer key \"%1\" changed while it was being edited: try again"_s.arg(name));
    return find(db, name);
}

Result<IssuedKey> ConsumerKeyStore::rotate(Database &db, const QString &name, qint64 nowMs)
{
    auto current = find(db, name);
    if (!current)
        return current.error();
    if (current->revokedAtMs)
        return makeError(u"key.revoked"_s, u"the consumer key \"%1\" is revoked: create a new one instead"_s.arg(name));
    IssuedKey issued = withNewSecret(*current);
    issued.key.updatedAtMs = nowMs;
    // Only the secret this caller read is replaced: a concurrent rotation makes one of them fail.
    auto updated
        = db.exec(u"UPDATE consumer_keys SET key_hash = ?, key_prefix = ?, updated_at = ? WHERE name = ? AND key_hash = ? "
                  u"AND revoked_at IS NULL"_s,
                  {QString::fromLatin1(issued.key.keyHash), issued.key.keyPrefix, nowMs, name, QString::fromLatin1(current->keyHash)});
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() != 1)
        return makeError(u"key.changed"_s, u"the consumer key \"%1\" changed while it was being rotated: try again"_s.arg(name));
    return issued;
}

Result<void> ConsumerKeyStore::addUsage(Database &db, const QList<KeyUsageRow> &rows)
{
    if (rows.isEmpty())
        return {};
    return db.inTransaction([&]() -> Result<void> {
        for (const KeyUsageRow &row : rows) {
            auto added = db.exec(u"INSERT INTO consumer_key_usage (key_name, minute, requests, limited, input_tokens, output_tokens) "
                                 u"VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_name, minute) DO UPDATE SET "
                                 u"requests = consumer_key_usage.requests + excluded.requests, "
                                 u"limited = consumer_key_usage.limited + excluded.limited, "
                                 u"input_tokens = consumer_key_usage.input_tokens + excluded.input_tokens, "
                                 u"output_tokens = consumer_key_usage.output_tokens + excluded.output_tokens"_s,
                                 {row.keyName, row.minuteMs, row.requests, row.limited, row.inputTokens, row.outputTokens});
            if (!added)
                return added.error();
            if (row.lastUsedMs <= 0)
                continue;
            auto touched
                = db.exec(u"UPDATE consumer_keys SET last_used_at = ? WHERE name = ? AND (last_used_at IS NULL OR last_used_at < ?)"_s,
                          {row.lastUsedMs, row.keyName, row.lastUsedMs});
            if (!touched)
                return touched.error();
        }
        return {};
    });
}

Result<QHash<QString, qint64>> ConsumerKeyStore::tokensSince(Database &db, qint64 sinceMs)
{
    auto q = db.exec(u"SELECT key_name, SUM(input_tokens + output_tokens) FROM consumer_key_usage WHERE minute >= ? GROUP BY key_name"_s,
                     {sinceMs});
    if (!q)
        return q.error();
    QHash<QString, qint64> tokens;
    while (q->next())
        tokens.insert(q->value(0).toString(), q->value(1).toLongLong());
    return tokens;
}

Result<QList<KeyUsageTotal>> ConsumerKeyStore::usage(Database &db, qint64 sinceMs, qint64 untilMs, const QString &keyName)
{
    QString sql = u"SELECT key_name, (minute / %1) * %1 AS day, SUM(requests), SUM(limited), SUM(input_tokens), SUM(output_tokens) "
                  u"FROM consumer_key_usage WHERE minute >= ? AND minute < ?"_s.arg(kDayMs);
    QVariantList binds{sinceMs, untilMs};
    if (!keyName.isEmpty()) {
        sql += u" AND key_name = ?"_s;
        binds << keyName;
    }
    sql += u" GROUP BY key_name, (minute / %1) * %1 ORDER BY day DESC, key_name"_s.arg(kDayMs);
    auto q = db.exec(sql, binds);
    if (!q)
        return q.error();
    QList<KeyUsageTotal> totals;
    while (q->next()) {
        totals << KeyUsageTotal{q->value(0).toString(),   q->value(1).toLongLong(), q->value(2).toLongLong(),
                                q->value(3).toLongLong(), q->value(4).toLongLong(), q->value(5).toLongLong()};
    }
    return totals;
}

} // namespace boo
