#pragma once

#include "core/gateway/keylimiter.h"

#include <QHash>
#include <QString>

#include <optional>

namespace boo {

// A key refused by its limits often enough to tell someone (an alert of kind key_limited).
struct KeyLimitBurst
{
    QString keyName;
    QString source;
    KeyLimit limit = KeyLimit::Rpm; // the limit of the refusal that completed the burst
    int refusals = 0;               // within the window
    qint64 windowMs = 0;
    QString detail; // "refused 5 times in 60 s, last by its requests per minute (60)"
};

// When 429s of one key become an alert (KeyLimitWatch).
struct KeyLimitWatchOptions
{
    int threshold = 5;
    qint64 windowMs = 60'000;
    qint64 cooldownMs = 5 * 60'000;
};

// Decides when a key's 429s become an alert: `threshold` refusals within `windowMs`, then
// silence for that key for `cooldownMs`, so a client hammering a limit gives one alert every few
// minutes, not one per request. One refusal now and then (a client that backs off as told) never
// alerts. Pure: the caller passes the clock.
class KeyLimitWatch final
{
public:
    using Options = KeyLimitWatchOptions;

    explicit KeyLimitWatch(Options options = {})
        : m_options(options)
    {
    }

    std::optional<KeyLimitBurst> refused(const ConsumerKey &key, KeyLimit limit, qint64 nowMs);
    void forget(const QString &keyName) { m_keys.remove(keyName); }

private:
    struct State
    {
        qint64 windowStartMs = 0;
        int count = 0;
        qint64 quietUntilMs = 0;
    };

    Options m_options;
    QHash<QString, State> m_keys;
};

} // namespace boo
