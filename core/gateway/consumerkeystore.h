#pragma once

#include "core/common/result.h"
#include "core/gateway/consumerkey.h"
#include "core/gateway/consumerkeyedit.h"

#include <QHash>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace boo {

class Database;

// A new key as its creator sees it: the only moment the clear key exists outside its holder.
struct IssuedKey
{
    ConsumerKey key;
    QString secret; // "boo_sk_..."; shown once, stored nowhere
};

// Usage of one key in one minute, added to what is stored (consumer_key_usage).
struct KeyUsageRow
{
    QString keyName;
    qint64 minuteMs = 0; // start of the minute, epoch ms
    qint64 requests = 0; // admitted
    qint64 limited = 0;  // refused with 429
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 lastUsedMs = 0; // the latest admitted request in the minute (0: none)
};

// Usage of one key over one UTC day, for GET /api/keys/usage and the desktop.
struct KeyUsageTotal
{
    QString keyName;
    qint64 dayMs = 0;
    qint64 requests = 0;
    qint64 limited = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;

    QJsonObject toJson() const;
    static Result<KeyUsageTotal> fromJson(const QJsonObject &object);
};

// The consumer_keys and consumer_key_usage tables (docs/keys.md). Used by the CLI, by
// /api/keys and, on a reader thread, by the gateway's key ring; all of it works on SQLite and
// Postgres alike. Errors: "key.exists", "key.unknown", "key.field", or the database's own.
class ConsumerKeyStore final
{
public:
    static Result<IssuedKey> create(Database &db, const ConsumerKeySpec &spec, qint64 nowMs);
    // Every key, revoked ones included, by name.
    static Result<QList<ConsumerKey>> list(Database &db);
    static Result<ConsumerKey> find(Database &db, const QString &name);
    // The key stops working at once; its row and usage stay for the history. Revoking a revoked
    // key is not an error (it keeps its first revocation time).
    static Result<ConsumerKey> revoke(Database &db, const QString &name, qint64 nowMs);
    // Changes a key's limits, models, expiry or disabled flag; its secret and usage stay. A
    // revoked key cannot be changed ("key.revoked"); an edit racing another one fails ("key.changed").
    static Result<ConsumerKey> update(Database &db, const QString &name, const ConsumerKeyEdit &edit, qint64 nowMs);
    // The same key (name, source, limits, usage) with a new secret; the old one stops working.
    static Result<IssuedKey> rotate(Database &db, const QString &name, qint64 nowMs);

    // Adds usage (upserts per key and minute) and moves last_used_at forward, in one transaction.
    static Result<void> addUsage(Database &db, const QList<KeyUsageRow> &rows);
    // Tokens (input + output) of every key since `sinceMs` (the start of today, for budgets).
    static Result<QHash<QString, qint64>> tokensSince(Database &db, qint64 sinceMs);
    // Per key and UTC day in [sinceMs, untilMs), newest day first; `keyName` empty for all keys.
    static Result<QList<KeyUsageTotal>> usage(Database &db, qint64 sinceMs, qint64 untilMs, const QString &keyName = {});
};

} // namespace boo
