#pragma once

#include <QHash>
#include <QString>

#include <optional>

namespace boo {

// The gateway's own view of whether a host answers requests, per provider. The ingest's
// liveness says whether the event stream is up; this says whether inference requests succeed,
// which can differ (a host whose model keeps crashing, a cloud endpoint we do not watch).
//
// After `failuresToOpen` consecutive failed attempts the circuit opens: the host is skipped for
// a cool-down that doubles on every re-open (up to `maxOpenMs`). When it has passed, one request
// may try (half-open); success closes the circuit, failure opens it again.
class CircuitBreaker final
{
public:
    struct Options
    {
        int failuresToOpen = 3;
        int openMs = 5000;
        int maxOpenMs = 60000;
    };

    CircuitBreaker() = default;
    explicit CircuitBreaker(Options options)
        : m_options(options)
    {
    }

    void setOptions(Options options) { m_options = options; }
    // Empty when requests may go to the host; else why not ("circuit open after 3 failures, ...").
    std::optional<QString> refusal(const QString &host, qint64 nowMs) const;
    // A request is going out; in half-open state only one may.
    void attempt(const QString &host, qint64 nowMs);
    void succeeded(const QString &host);
    void failed(const QString &host, qint64 nowMs);
    // The request went away before the host told anything (client gone): neither outcome.
    void abandoned(const QString &host);

private:
    struct State
    {
        int failures = 0;
        int opens = 0;
        qint64 openUntilMs = 0;
        bool trialInFlight = false;
    };

    Options m_options;
    QHash<QString, State> m_hosts;
};

} // namespace boo
