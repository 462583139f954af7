#pragma once

#include "core/fleet/fleetdelta.h"
#include "core/fleet/logtail.h"
#include "core/protocol/inflightupdate.h"
#include "core/protocol/modelstatus.h"

#include <QHash>
#include <QMap>
#include <QObject>

namespace boo {

// The single in-memory truth about every host.
//
// Every change bumps that host's monotonic `seq` and is announced as a value-typed FleetDelta.
// A late joiner takes snapshot() (each host with its seq, log tails and recent requests) and
// then applies deltas, discarding those with a seq not above its snapshot's. The desktop in
// attached mode runs this same class, fed by the server's WebSocket through apply(). Facts for
// history (FleetDelta) are announced too, without bumping the seq; they never reach apply().
//
// Lives on the thread of its owner (the event loop of the connectors); not thread-safe.
class FleetState final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kRecentActivity = 200;
    static constexpr qint64 kLastSeenPublishMs = 15000;

    struct HostSnapshot
    {
        HostState state;
        QMap<QString, QList<LogLine>> logs;  // by source
        QList<ActivityEntry> recentActivity; // oldest first
    };
    struct Snapshot
    {
        QList<HostSnapshot> hosts;
        QJsonObject toJson(qint64 nowMs) const;
        static Result<Snapshot> fromJson(const QJsonObject &object);
    };

    explicit FleetState(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(FleetState)

    // --- reading
    QStringList hostIds() const;
    std::optional<HostState> host(const QString &id) const;
    QList<LogLine> logTail(const QString &id, const QString &source) const;
    QList<ActivityEntry> recentActivity(const QString &id) const;
    Snapshot snapshot() const;

    // --- changes from the ingest (each one bumps the host's seq when it changes something)
    void addHost(const QString &id, const QString &name, const QString &baseUrl);
    void removeHost(const QString &id);
    void setLiveness(const QString &id, Liveness liveness, qint64 nowMs, const QString &error = {});
    // The host answered: refreshes last_seen_at (published at most every kLastSeenPublishMs).
    void markSeen(const QString &id, qint64 nowMs);
    void setVersion(const QString &id, const QString &version, const QString &generation);
    void setGapSuspected(const QString &id, bool suspected, qint64 nowMs);
    // The operator has seen the suspected gap: the flag goes (its time stays), and the
    // acknowledgement is announced as a `gap_acknowledged` incident, which the HistoryRecorder
    // stores with the host's status, so that it outlives a restart. False for an unknown host;
    // acknowledging a host without a gap changes nothing and is no error. `by` says where from.
    bool acknowledgeGap(const QString &id, qint64 nowMs, const QString &by = {});
    void setActiveProfile(const QString &id, const std::optional<QString> &profile);
    // v251+ hosts publish `globalConcurrencyLimit` in uiConfig; empty: none published.
    void setGlobalConcurrencyLimit(const QString &id, std::optional<qint64> limit);
    void applyModelStatus(const QString &id, const QList<ModelStatus> &models, qint64 nowMs);
    void setModelTtls(const QString &id, const QHash<QString, qint64> &ttlSeconds);
    void applyInFlight(const QString &id, const InFlightUpdate &update);
    void addActivity(const QString &id, const QList<ActivityEntry> &entries);
    void addGpuSamples(const QString &id, const QList<GpuSample> &samples);
    // `replace`: the lines are the host's log history sent on (re)connect; they replace the tail
    // instead of repeating what we already hold.
    void appendLog(const QString &id, const QString &source, const QList<LogLine> &lines, bool replace = false);
    void publishJob(const QString &id, const QJsonObject &job);

    // --- facts for history (FleetDelta): announced to subscribers with the host's seq as it is;
    // the state does not change. `hostId` may name a host this state does not watch (a cloud
    // provider) or be empty. Changes of the state cannot be announced this way.
    template <typename Fact>
    requires(!kIsStateChange<Fact>) void announce(const QString &hostId, Fact fact) { announceFact(hostId, FleetChange(std::move(fact))); }

    // --- attached mode: the server's truth
    void loadSnapshot(const Snapshot &snapshot);
    // Applies a delta from the server. Returns false (and changes nothing) when the delta is not
    // newer than what this state already holds for the host, or is a fact, not a change.
    bool apply(const FleetDelta &delta);

Q_SIGNALS:
    void changed(const boo::FleetDelta &delta);
    void hostAdded(const QString &id);
    void hostRemoved(const QString &id);
    void reset(); // after loadSnapshot()

private:
    struct Host
    {
        HostState state;
        QHash<QString, LogTail> logs;
        QList<ActivityEntry> recent;
        qint64 lastSeenPublishedMs = 0;
    };

    Host *find(const QString &id);
    void publishHost(Host &host);
    void publish(Host &host, FleetChange change);
    void announceFact(const QString &hostId, FleetChange fact);
    // The state change a delta stands for; shared by the ingest (after publish) and apply().
    static void applyTo(Host &host, const FleetDelta &delta);
    static void recountModelInflight(HostState &state);

    QMap<QString, Host> m_hosts;
};

} // namespace boo
