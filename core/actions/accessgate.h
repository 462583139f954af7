#pragma once

#include "core/actions/hostlease.h"
#include "core/common/enumnames.h"
#include "core/common/result.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <optional>

namespace boo {

class Database;
class FleetState;
class LeaseBook;

// What a benchmark, an eval or a scheduled run asks before it touches a host.
struct HostAccessRequest
{
    enum class WhenBusy {
        Ask,    // the desktop: say so, the operator decides (and asks again with Force)
        Refuse, // --serve, the command line, schedules: never disturb live traffic
        Force,  // the operator said yes (--force, a confirmed dialog); recorded as forced
    };
    static constexpr EnumName<WhenBusy> kWhenBusyNames[]
        = {{WhenBusy::Ask, u"ask"}, {WhenBusy::Refuse, u"refuse"}, {WhenBusy::Force, u"force"}};

    QString providerId;
    QString model;    // the model the run will use and the lease holds; empty = the host as it is
    QString holder;   // who holds the lease: "bench:quants-8b", "operator"
    QString purpose;  // "benchmark", "eval", "warm-up": shown to whoever is refused because of it
    qint64 ttlMs = 0; // 0 = LeaseBook::kDefaultTtlMs; the holder heartbeats before it runs out
    WhenBusy whenBusy = WhenBusy::Refuse;
};

// The answer, recorded in control_access_decisions whatever it is.
struct HostAccessDecision
{
    enum class Outcome {
        Granted,           // the lease is held (lease is set)
        NeedsConfirmation, // the host is in use and the request said Ask
        Busy,              // the host is in use and the request said Refuse
        Leased,            // someone else holds the host (blocker is set); Force does not override
        Unavailable,       // unknown host, or down
    };
    static constexpr EnumName<Outcome> kOutcomeNames[] = {{Outcome::Granted, u"granted"},
                                                          {Outcome::NeedsConfirmation, u"needs_confirmation"},
                                                          {Outcome::Busy, u"busy"},
                                                          {Outcome::Leased, u"leased"},
                                                          {Outcome::Unavailable, u"unavailable"}};

    Outcome outcome = Outcome::Unavailable;
    bool forced = false; // granted over live traffic
    std::optional<HostLease> lease;
    std::optional<HostLease> blocker;
    qint64 inflight = 0;                    // requests in flight on the host when asked
    std::optional<qint64> lastRequestAgoMs; // the host's most recent request, if within the quiet window
    QString reason;                         // one sentence for the operator

    bool granted() const { return outcome == Outcome::Granted; }
    QJsonObject toJson(qint64 nowMs) const;
};

// The one seam every benchmark, eval or warm-up goes through before it uses a host
// (issue 12, "safe by construction"): it looks at the host's traffic in FleetState and at the
// leases in force, grants a lease or says why not, and records the decision.
class AccessGate final : public QObject
{
    Q_OBJECT

public:
    // A host that served a request this recently is "in use" (the action queue's takeover window).
    static constexpr qint64 kDefaultQuietWindowMs = 60'000;
    // A request that finished while a lease on the host was held, give or take this much (host
    // timestamps may be whole seconds, events arrive late, clocks drift), was the lease holder's
    // own (a benchmark's, an eval's) and does not make the host "in use". Requests in flight
    // always count.
    static constexpr qint64 kOwnTrafficGraceMs = 10'000;

    AccessGate(FleetState *fleet, LeaseBook *leases, Database *database, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(AccessGate)

    void setQuietWindowMs(qint64 ms) { m_quietWindowMs = ms; }
    qint64 quietWindowMs() const { return m_quietWindowMs; }

    // Fails only when the database does; every refusal is a decision, not an error.
    Result<HostAccessDecision> acquireHostAccess(const HostAccessRequest &request);
    // The latest decisions, newest first: {"ts","provider","holder","purpose","outcome","forced","reason"}.
    Result<QList<QJsonObject>> recentDecisions(int limit);

private:
    HostAccessDecision decide(const HostAccessRequest &request, const QList<HostLease> &recentLeases, qint64 nowMs);
    void record(const HostAccessRequest &request, const HostAccessDecision &decision, qint64 nowMs);

    QPointer<FleetState> m_fleet;
    QPointer<LeaseBook> m_leases;
    Database *m_database;
    qint64 m_quietWindowMs = kDefaultQuietWindowMs;
};

} // namespace boo
