#include "core/gateway/consumerkeyring.h"

#include "core/common/logging.h"
#include "core/store/database.h"
#include "core/store/databasereader.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr qint64 kMinuteMs = 60'000;
// Usage that cannot be stored (database down) is kept for retries up to this many key-minutes,
// then the oldest is dropped with a warning: memory stays bounded whatever the outage.
constexpr qsizetype kMaxPendingUsage = 100'000;

// Label values are key names, which validate() keeps to [A-Za-z0-9._-]; the escape is for
// names that came from a database someone edited by hand.
QByteArray label(const QString &value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

} // namespace

ConsumerKeyRing::ConsumerKeyRing(Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_limitWatch(options.limitAlerts)
{
    m_reloadTimer.setInterval(m_options.reloadMs);
    m_flushTimer.setInterval(m_options.flushMs);
    connect(&m_reloadTimer, &QTimer::timeout, this, &ConsumerKeyRing::reload);
    connect(&m_flushTimer, &QTimer::timeout, this, &ConsumerKeyRing::flush);
}

ConsumerKeyRing::~ConsumerKeyRing() = default;

Result<void> ConsumerKeyRing::load(Database &db, qint64 nowMs)
{
    auto keys = ConsumerKeyStore::list(db);
    if (!keys)
        return keys.error();
    auto today = ConsumerKeyStore::tokensSince(db, KeyLimiter::dayStartMs(nowMs));
    if (!today)
        return today.error();
    replaceKeys(*keys);
    m_limiter.seedDay(*today, nowMs);
    return {};
}

void ConsumerKeyRing::startRefreshing(const DatabaseUrl &url)
{
    if (m_reader)
        return;
    m_reader = new DatabaseReader(url, u"consumer-keys"_s, this);
    m_reloadTimer.start();
    m_flushTimer.start();
}

Result<void> ConsumerKeyRing::flushNow(Database &db)
{
    const QList<KeyUsageRow> rows = m_pending.values();
    m_pending.clear();
    return ConsumerKeyStore::addUsage(db, rows);
}

KeyIdentity ConsumerKeyRing::identify(QByteArrayView bearer, qint64 nowMs) const
{
    KeyIdentity identity;
    if (!enforcing())
        return identity;
    if (bearer.isEmpty()) {
        identity.kind = KeyIdentity::Kind::Missing;
        identity.message = u"this gateway wants a consumer key: Authorization: Bearer boo_sk_..."_s;
        return identity;
    }
    // Every stored hash is compared, in time independent of where they differ: how long the
    // answer takes says nothing about which key (or how much of one) was close.
    const QByteArray hash = ConsumerKey::hashPresented(bearer);
    const ConsumerKey *match = nullptr;
    for (const ConsumerKey &key : std::as_const(m_keys)) {
        if (ConsumerKey::sameHash(key.keyHash, hash))
            match = &key;
    }
    if (!match) {
        identity.kind = KeyIdentity::Kind::Unknown;
        identity.message = u"the key is not valid for this gateway"_s;
        return identity;
    }
    identity.key = *match;
    const ConsumerKeyState state = match->state(nowMs);
    identity.state = state;
    if (state == ConsumerKeyState::Active) {
        identity.kind = KeyIdentity::Kind::Accepted;
        return identity;
    }
    identity.kind = KeyIdentity::Kind::Refused;
    identity.message = u"the key \"%1\" is %2"_s.arg(match->name(), enumNameString(kConsumerKeyStateNames, state));
    return identity;
}

void ConsumerKeyRing::refused(const KeyIdentity &identity)
{
    if (identity.kind == KeyIdentity::Kind::Refused && identity.key)
        ++m_counters[identity.key->name()].refused[int(identity.state)];
    else if (identity.kind != KeyIdentity::Kind::NoKeys && identity.kind != KeyIdentity::Kind::Accepted) {
        ++m_unknown; // missing or unknown: no key to count it for
    }
}

KeyUsageRow &ConsumerKeyRing::usageRow(const QString &keyName, qint64 nowMs)
{
    const qint64 minute = nowMs - nowMs % kMinuteMs;
    KeyUsageRow &row = m_pending[{keyName, minute}];
    row.keyName = keyName;
    row.minuteMs = minute;
    return row;
}

std::optional<KeyRefusal> ConsumerKeyRing::admit(const ConsumerKey &key, qint64 nowMs)
{
    auto refusal = m_limiter.admit(key, nowMs);
    Counters &counters = m_counters[key.name()];
    KeyUsageRow &row = usageRow(key.name(), nowMs);
    if (refusal) {
        ++counters.limited[int(refusal->limit)];
        ++row.limited;
        if (auto burst = m_limitWatch.refused(key, refusal->limit, nowMs))
            Q_EMIT limitedRepeatedly(*burst);
        return refusal;
    }
    ++counters.admitted;
    ++row.requests;
    row.lastUsedMs = std::max(row.lastUsedMs, nowMs);
    return std::nullopt;
}

void ConsumerKeyRing::forbidden(const ConsumerKey &key)
{
    ++m_counters[key.name()].forbidden;
}

void ConsumerKeyRing::charge(const ConsumerKey &key, qint64 inputTokens, qint64 outputTokens, qint64 nowMs)
{
    const qint64 tokens = std::max<qint64>(0, inputTokens) + std::max<qint64>(0, outputTokens);
    if (tokens == 0)
        return;
    // The limits in force now (a reload may have changed them since the request was admitted).
    const auto current = std::find_if(m_keys.cbegin(), m_keys.cend(), [&key](const ConsumerKey &k) { return k.name() == key.name(); });
    m_limiter.charge(current == m_keys.cend() ? key : *current, tokens, nowMs);
    m_counters[key.name()].tokens += tokens;
    KeyUsageRow &row = usageRow(key.name(), nowMs);
    row.inputTokens += std::max<qint64>(0, inputTokens);
    row.outputTokens += std::max<qint64>(0, outputTokens);
}

void ConsumerKeyRing::applyChange(const ConsumerKey &key)
{
    ++m_generation;
    QList<ConsumerKey> keys = m_keys;
    const auto it = std::find_if(keys.begin(), keys.end(), [&key](const ConsumerKey &k) { return k.name() == key.name(); });
    if (it == keys.end())
        keys << key;
    else
        *it = key;
    replaceKeys(std::move(keys));
}

void ConsumerKeyRing::replaceKeys(QList<ConsumerKey> keys)
{
    m_keys = std::move(keys);
    m_limiter.retain(m_keys);
}

void ConsumerKeyRing::reload()
{
    if (!m_reader || m_reloading)
        return;
    m_reloading = true;
    const quint64 generation = m_generation;
    m_reader->run<QList<ConsumerKey>>([](Database &db) { return ConsumerKeyStore::list(db); }, this,
                                      [this, generation](Result<QList<ConsumerKey>> keys) {
                                          m_reloading = false;
                                          if (!keys) {
                                              // Keep the last known set: an outage must not open the gateway.
                                              qCWarning(lcGateway).noquote() << "cannot reload consumer keys:" << keys.error().message;
                                              return;
                                          }
                                          // A change made here after this read began is newer than what it read.
                                          if (generation == m_generation)
                                              replaceKeys(std::move(keys).value());
                                      });
}

void ConsumerKeyRing::flush()
{
    if (!m_reader || m_flushing || m_pending.isEmpty())
        return;
    m_flushing = true;
    const QList<KeyUsageRow> rows = m_pending.values();
    m_pending.clear();
    m_reader->run<bool>(
        [rows](Database &db) -> Result<bool> {
            if (auto added = ConsumerKeyStore::addUsage(db, rows); !added)
                return added.error();
            return true;
        },
        this,
        [this, rows](Result<bool> added) {
            m_flushing = false;
            if (added)
                return;
            qCWarning(lcGateway).noquote() << "cannot store consumer key usage (kept for the next try):" << added.error().message;
            for (const KeyUsageRow &old : rows) {
                if (m_pending.size() >= kMaxPendingUsage) {
                    qCWarning(lcGateway) << "consumer key usage buffer full: dropping the oldest minutes";
                    break;
                }
                KeyUsageRow &row = m_pending[{old.keyName, old.minuteMs}];
                row.keyName = old.keyName;
                row.minuteMs = old.minuteMs;
                row.requests += old.requests;
                row.limited += old.limited;
                row.inputTokens += old.inputTokens;
                row.outputTokens += old.outputTokens;
                row.lastUsedMs = std::max(row.lastUsedMs, old.lastUsedMs);
            }
        });
}

QByteArray ConsumerKeyRing::metricsText() const
{
    if (m_keys.isEmpty() && m_counters.isEmpty())
        return {};
    QByteArray out;
    out += "# HELP boo_gateway_key_requests_total Requests of a consumer key admitted to dispatch.\n"
           "# TYPE boo_gateway_key_requests_total counter\n";
    for (auto it = m_counters.cbegin(); it != m_counters.cend(); ++it)
        out += "boo_gateway_key_requests_total{key=\"" + label(it.key()) + "\"} " + QByteArray::number(it->admitted) + '\n';
    out += "# HELP boo_gateway_key_limited_total Requests of a consumer key refused with 429, by limit.\n"
           "# TYPE boo_gateway_key_limited_total counter\n";
    for (auto it = m_counters.cbegin(); it != m_counters.cend(); ++it) {
        for (const EnumName<KeyLimit> &limit : kKeyLimitNames) {
            out += "boo_gateway_key_limited_total{key=\"" + label(it.key()) + "\",limit=\"" + limit.name.toLatin1() + "\"} "
                + QByteArray::number(it->limited.value(int(limit.value))) + '\n';
        }
    }
    out += "# HELP boo_gateway_key_refused_total Requests of a consumer key refused with 401 or 403, by reason.\n"
           "# TYPE boo_gateway_key_refused_total counter\n";
    for (auto it = m_counters.cbegin(); it != m_counters.cend(); ++it) {
        for (const ConsumerKeyState state : {ConsumerKeyState::Revoked, ConsumerKeyState::Disabled, ConsumerKeyState::Expired}) {
            out += "boo_gateway_key_refused_total{key=\"" + label(it.key()) + "\",reason=\""
                + enumName(kConsumerKeyStateNames, state).toLatin1() + "\"} " + QByteArray::number(it->refused.value(int(state))) + '\n';
        }
        out += "boo_gateway_key_refused_total{key=\"" + label(it.key()) + "\",reason=\"model\"} " + QByteArray::number(it->forbidden)
            + '\n';
    }
    out += "# HELP boo_gateway_key_tokens_total Tokens the hosts reported for a consumer key's answers.\n"
           "# TYPE boo_gateway_key_tokens_total counter\n";
    for (auto it = m_counters.cbegin(); it != m_counters.cend(); ++it)
        out += "boo_gateway_key_tokens_total{key=\"" + label(it.key()) + "\"} " + QByteArray::number(it->tokens) + '\n';
    out += "# HELP boo_gateway_key_unknown_total Requests with a bearer that is no consumer key or server token.\n"
           "# TYPE boo_gateway_key_unknown_total counter\n"
           "boo_gateway_key_unknown_total "
        + QByteArray::number(m_unknown) + '\n';
    out += "# HELP boo_gateway_keys Consumer keys known to the gateway.\n# TYPE boo_gateway_keys gauge\nboo_gateway_keys "
        + QByteArray::number(m_keys.size()) + '\n';
    return out;
}

} // namespace boo
