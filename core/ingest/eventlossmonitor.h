#pragma once

#include "core/http/hostendpoint.h"
#include "core/ingest/eventsequencecheck.h"
#include "core/protocol/hostevent.h"
#include "core/protocol/runningmodel.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;

namespace boo {

class ActivitySync;
class FleetState;

// Notices that the host dropped messages from the event stream, so that the connector can
// resynchronise before FleetState shows stale requests and models for long.
//
// While messages flow, EventSequenceCheck reads the loss off the ids that arrive. A loss at the
// end of a burst leaves no later id to tell, so once the stream has been quiet for a moment
// (`quietMs`) the monitor asks the host what the stream should have said:
//   * activity rows after the newest one announced: their `activity` events were lost, and with
//     them, most likely, the in-flight removes that follow them;
//   * `/running` against the model states: the last `modelStatus` was lost.
// A finding stands only if the stream stayed quiet until it was made and for a short grace
// after it: an event in flight (a row fetched before its announcement arrives, a state change
// reported while we asked) would otherwise look like a loss. Announcements still stuck in the
// host's queue after that (a stalled connection) count as lost: a fresh snapshot is newer than
// anything waiting there.
class EventLossMonitor final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kGraceMs = 250;

    EventLossMonitor(QString hostId, QNetworkAccessManager *nam, const HostEndpoint *endpoint, FleetState *fleet, ActivitySync *sync,
                     QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(EventLossMonitor)

    void setQuietMs(int ms) { m_quiet.setInterval(ms); }
    void setRequestTimeoutMs(int ms) { m_timeoutMs = ms; }

    // A new connection: what the previous one announced proves nothing any more.
    void connected();
    void stop();
    // Every event of the stream, in order. "Quiet" means: no event about requests or models
    // (log lines do not count).
    void noteEvent(const HostEvent &event);

Q_SIGNALS:
    void lossDetected(const QString &reason);

private:
    void audit();
    void onSyncIdle();
    void checkRunning(bool confirming);
    // Whether the spell's events could have gone with a model's state change (see audit()).
    bool mayChangeModels(const HostEvent &event) const;
    bool ttlRanOut() const;
    std::optional<QString> runningMismatch(const QList<RunningModel> &running) const;
    // Reports `reason` if the stream is still quiet after the grace.
    void confirmAfterGrace(const QString &reason);

    QString m_hostId;
    QNetworkAccessManager *m_nam;
    const HostEndpoint *m_endpoint;
    QPointer<FleetState> m_fleet;
    ActivitySync *m_sync;
    EventSequenceCheck m_sequence;
    QTimer m_quiet;
    int m_timeoutMs = 5000;
    bool m_active = false;
    quint64 m_round = 0; // bumped by every event: a quiet-time finding holds only within one round
    bool m_activityAuditPending = false;
    bool m_modelsMayHaveChanged = false; // since the last audit
    bool m_baselineKnown = false;
    qint64 m_baselineId = 0; // rows up to this id were fetched when the connection began
};

} // namespace boo
