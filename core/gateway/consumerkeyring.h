#pragma once

#include "core/common/result.h"
#include "core/gateway/consumerkey.h"
#include "core/gateway/consumerkeystore.h"
#include "core/gateway/keylimiter.h"
#include "core/gateway/keylimitwatch.h"
#include "core/store/databaseurl.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <optional>

namespace boo {

class Database;
class DatabaseReader;

// Who presented what, as far as the consumer keys can tell.
struct KeyIdentity
{
    enum class Kind {
        NoKeys,   // no key was ever created: the gateway works as before keys existed
        Operator, // the listener's own token (decided by the gateway, not the ring)
        Missing,  // keys exist and the request carries none
        Unknown,  // a bearer that is no key (or an old secret of a rotated one)
        Refused,  // a known key that is revoked, disabled or expired
        Accepted, // a key that may be used now
    };
    Kind kind = Kind::NoKeys;
    std::optional<ConsumerKey> key;                    // Refused and Accepted
    ConsumerKeyState state = ConsumerKeyState::Active; // the key's, when there is one
    QString message;                                   // why, for the 401
};

// The consumer keys of a running server (docs/keys.md), in memory on the gateway's thread:
// requests are recognised without a database round trip. The set is read again from the
// database every `reloadMs` on a reader thread of its own, so keys created, revoked or rotated by
// `boocontrol keys` (another process) take effect within a second; changes made through this
// process (/api/keys) take effect at once. Usage (requests, refusals, tokens per key and
// minute) is added to consumer_key_usage every `flushMs` from the same thread.
class ConsumerKeyRing final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int reloadMs = 500;
        int flushMs = 1000;
        KeyLimitWatch::Options limitAlerts;
    };

    explicit ConsumerKeyRing(Options options, QObject *parent = nullptr);
    ~ConsumerKeyRing() override;
    Q_DISABLE_COPY_MOVE(ConsumerKeyRing)

    // Reads the keys and today's usage on the caller's connection; fails when they cannot be read.
    Result<void> load(Database &db, qint64 nowMs);
    // Reloads and flushes from now on, on a connection of its own to `url`.
    void startRefreshing(const DatabaseUrl &url);
    // Writes what usage is still buffered (at shutdown), on the caller's connection.
    Result<void> flushNow(Database &db);

    // Once any key exists (revoked ones too: revoking a leaked key must not reopen the gateway),
    // the gateway wants a key or the server token.
    bool enforcing() const { return !m_keys.isEmpty(); }
    // `bearer`: the token from `Authorization: Bearer` (empty when none).
    KeyIdentity identify(QByteArrayView bearer, qint64 nowMs) const;
    // A request answered 401 for `identity` (counted once, by whoever refuses it).
    void refused(const KeyIdentity &identity);
    // The limits, then (when admitted) the request is counted for usage.
    std::optional<KeyRefusal> admit(const ConsumerKey &key, qint64 nowMs);
    // A request of `key` refused for its model (403).
    void forbidden(const ConsumerKey &key);
    // The host's usage of an answer.
    void charge(const ConsumerKey &key, qint64 inputTokens, qint64 outputTokens, qint64 nowMs);
    // A key changed by this process: applied now, before the next reload would show it.
    void applyChange(const ConsumerKey &key);
    const QList<ConsumerKey> &keys() const { return m_keys; }
    qint64 tokensToday(const QString &keyName, qint64 nowMs) const { return m_limiter.tokensToday(keyName, nowMs); }

    // Prometheus text (docs/keys.md, "Metrics").
    QByteArray metricsText() const;

Q_SIGNALS:
    // A key refused by its limits again and again (KeyLimitWatch decides; at most once per key
    // per cooldown): `boocontrol --serve` raises an alert of kind key_limited from it.
    void limitedRepeatedly(const boo::KeyLimitBurst &burst);

private:
    struct Counters
    {
        qint64 admitted = 0;
        qint64 forbidden = 0;
        qint64 tokens = 0;
        QHash<int, qint64> limited; // KeyLimit -> count
        QHash<int, qint64> refused; // ConsumerKeyState -> count
    };

    void replaceKeys(QList<ConsumerKey> keys);
    void reload();
    void flush();
    KeyUsageRow &usageRow(const QString &keyName, qint64 nowMs);

    Options m_options;
    QList<ConsumerKey> m_keys;
    KeyLimiter m_limiter;
    KeyLimitWatch m_limitWatch;
    QHash<QString, Counters> m_counters;
    qint64 m_unknown = 0;
    QHash<std::pair<QString, qint64>, KeyUsageRow> m_pending; // (key, minute) -> not yet stored
    DatabaseReader *m_reader = nullptr;
    QTimer m_reloadTimer;
    QTimer m_flushTimer;
    bool m_reloading = false;
    bool m_flushing = false;
    quint64 m_generation = 0; // bumped by applyChange(): an older reload is stale
};

} // namespace boo
