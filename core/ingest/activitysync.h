#pragma once

#include "core/common/result.h"
#include "core/http/hostendpoint.h"
#include "core/protocol/activityentry.h"
#include "core/protocol/activitypage.h"
#include "core/protocol/protocolgeneration.h"

#include <QObject>
#include <QTimer>

class QNetworkAccessManager;

namespace boo {

// Keeps a host's activity rows in step with what we store, whatever the host's release.
//
// The anchor is the newest row we hold of the host's current run (id and finish time). After
// every (re)connect reconcile() checks it: the same id with the same time means the same run,
// so we fetch what came after it; the id holding another request, or the host's newest id being
// below it, means the host restarted and its ids started again; the anchor missing while newer
// ids exist means the host's ring buffer moved past it. Between reconnects, `activity` events
// (announce()) trigger coalesced fetches: one id-range query on current hosts, newest-first pages
// on v236–v250, nothing on <= v235 hosts, which push their rows themselves (ingestPushed()).
//
// A gap is suspected exactly when rows may have been lost: ids missing between the anchor and
// the first row the host still has, or a restart while rows announced before it were not yet
// fetched. Rows from before we first watched the host are not a gap.
class ActivitySync final : public QObject
{
    Q_OBJECT

public:
    struct Anchor
    {
        qint64 id = 0;
        qint64 ts = 0; // 0 = no anchor: we hold nothing of this host yet
        bool known() const { return ts != 0; }
    };

    ActivitySync(QString hostId, QNetworkAccessManager *nam, const HostEndpoint *endpoint, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ActivitySync)

    void setGeneration(ProtocolGeneration generation) { m_generation = generation; }
    ProtocolGeneration generation() const { return m_generation; }
    void setAnchor(Anchor anchor) { m_anchor = anchor; }
    Anchor anchor() const { return m_anchor; }
    void setRequestTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setCoalesceMs(int ms) { m_coalesce.setInterval(ms); }
    bool isBusy() const { return m_busy; }

    void reconcile();
    void announce(qint64 id);
    // Fetch whatever came after the anchor, announced or not: a safety net for `activity`
    // events lost in a burst (the event stream is lossy by design).
    void catchUp();
    void ingestPushed(const QList<ActivityEntry> &rows);
    void streamLost();

Q_SIGNALS:
    void rowsFetched(const QList<boo::ActivityEntry> &rows); // new rows, ascending id
    void restartDetected(const QString &reason);
    void gapSuspected(const QString &reason);
    void generationCorrected(boo::ProtocolGeneration generation);
    void fetchFailed(const boo::Error &error);
    void idle(); // a sync round finished and nothing is pending

private:
    enum class Mode { Incremental, Reconcile };

    void startRound();
    void finishRound();
    void failRound(const Error &error);
    void get(const QUrlQuery &query, std::function<void(ActivityPage)> next);

    // Current (after v250): id-range queries.
    void checkAnchorById();
    void fetchById(qint64 fromId, bool checkContiguous);
    // v236-v250: newest-first pages.
    void scanPages(int page, QList<ActivityEntry> collected);
    void finishScan(QList<ActivityEntry> newestFirst, bool exhausted);
    // <= v235: the whole ring at once.
    void fetchLegacy();
    void applyWholeRing(QList<ActivityEntry> rows);

    void restart(const QString &reason);
    void deliver(QList<ActivityEntry> ascending, qint64 expectedFirstId, bool checkContiguous);

    QString m_hostId;
    QNetworkAccessManager *m_nam;
    const HostEndpoint *m_endpoint;
    ProtocolGeneration m_generation = ProtocolGeneration::Current;
    Anchor m_anchor;
    Mode m_mode = Mode::Incremental;
    bool m_busy = false;
    bool m_again = false;
    bool m_reconcilePending = false;
    qint64 m_announced = 0;         // highest id an `activity` event announced on this run
    bool m_unfetchedAtLoss = false; // rows were announced but not fetched when the stream broke
    qint64 m_lastTotal = -1;
    bool m_runStartExpected = false; // after a restart: the first row must be the run's first
    int m_timeoutMs = 5000;
    QTimer m_coalesce;
};

} // namespace boo
