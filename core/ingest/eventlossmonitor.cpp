#include "core/ingest/eventlossmonitor.h"

#include "core/fleet/fleetstate.h"
#include "core/ingest/activitysync.h"

#include <QDateTime>
#include <QHash>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

EventLossMonitor::EventLossMonitor(QString hostId, QNetworkAccessManager *nam, const HostEndpoint *endpoint, FleetState *fleet,
                                   ActivitySync *sync, QObject *parent)
    : QObject(parent)
    , m_hostId(std::move(hostId))
    , m_nam(nam)
    , m_endpoint(endpoint)
    , m_fleet(fleet)
    , m_sync(sync)
{
    m_quiet.setSingleShot(true);
    m_quiet.setInterval(1000);
    connect(&m_quiet, &QTimer::timeout, this, &EventLossMonitor::audit);
    connect(m_sync, &ActivitySync::idle, this, &EventLossMonitor::onSyncIdle);
}

void EventLossMonitor::connected()
{
    m_active = true;
    ++m_round;
    m_sequence.reset();
    m_activityAuditPending = false;
    m_modelsMayHaveChanged = true; // the snapshot's model states are checked once
    m_baselineKnown = false;       // the reconcile that follows a connect fetches what came before it
    m_quiet.start();
}

void EventLossMonitor::stop()
{
    m_active = false;
    ++m_round;
    m_activityAuditPending = false;
    m_quiet.stop();
}

void EventLossMonitor::noteEvent(const HostEvent &event)
{
    if (!m_active)
        return;
    // Log lines say nothing about requests and models, and every request of ours (the checks'
    // own included) adds an access line to the host's log: they would keep a stream "busy".
    if (std::holds_alternative<LogDataEvent>(event) || std::holds_alternative<UiConfigEvent>(event)
        || std::holds_alternative<UnknownEvent>(event))
        return;
    ++m_round; // the stream is not quiet: whatever a quiet-time check is finding is moot
    m_activityAuditPending = false;
    m_modelsMayHaveChanged = m_modelsMayHaveChanged || mayChangeModels(event);
    m_quiet.start();
    std::optional<QString> loss;
    if (const auto *activity = std::get_if<ActivityEvent>(&event)) {
        loss = m_sequence.activityAnnounced(activity->id);
    } else if (const auto *metrics = std::get_if<MetricsEvent>(&event)) {
        for (const ActivityEntry &row : metrics->entries) {
            if (auto found = m_sequence.activityAnnounced(row.id); found && !loss)
                loss = found;
        }
    } else if (const auto *inflight = std::get_if<InFlightEvent>(&event)) {
        loss = m_sequence.inFlight(inflight->update);
    }
    if (loss)
        Q_EMIT lossDetected(*loss);
}

// ------------------------------------------------------------------------- quiet-time checks

void EventLossMonitor::audit()
{
    if (!m_active)
        return;
    // <= v235 hosts push whole rows, and have no incremental query: reading their whole ring
    // after every quiet spell would cost more than the check is worth.
    if (m_sync->generation() != ProtocolGeneration::Legacy235) {
        m_activityAuditPending = true;
        m_sync->catchUp(); // answered by idle() once every row the host holds is fetched
    }
    // Every /running we send is a line in the host's access log. A model's state changes only
    // when one is loaded (a request for a model that is not ready, or a swap it causes), unloaded
    // (its TTL, or an unload that comes with a modelStatus of its own) or the host's config
    // changed (a modelStatus too): after a spell of requests for models that were ready there
    // was no modelStatus to lose.
    if (std::exchange(m_modelsMayHaveChanged, false) || ttlRanOut())
        checkRunning(false);
}

bool EventLossMonitor::mayChangeModels(const HostEvent &event) const
{
    if (std::holds_alternative<ModelStatusEvent>(event) || std::holds_alternative<ProfileChangedEvent>(event))
        return true;
    const auto *inflight = std::get_if<InFlightEvent>(&event);
    if (!inflight)
        return false;
    const auto host = m_fleet ? m_fleet->host(m_hostId) : std::nullopt;
    if (!host)
        return true;
    QList<InFlightRequest> requests = inflight->update.requests;
    if (inflight->update.request)
        requests << *inflight->update.request;
    if (inflight->update.operation == InFlightUpdate::Operation::Count)
        return true; // <= v234: no model named
    return std::any_of(requests.cbegin(), requests.cend(), [&](const InFlightRequest &r) {
        const HostedModel *m = host->model(r.model);
        return !m || m->state != ModelState::Ready;
    });
}

bool EventLossMonitor::ttlRanOut() const
{
    const auto host = m_fleet ? m_fleet->host(m_hostId) : std::nullopt;
    if (!host)
        return false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    return std::any_of(host->models.cbegin(), host->models.cend(), [&](const HostedModel &m) {
        const auto left = m.ttlRemainingSeconds(now);
        return left && *left == 0;
    });
}

void EventLossMonitor::onSyncIdle()
{
    if (!m_active)
        return;
    const ActivitySync::Anchor anchor = m_sync->anchor();
    if (!m_baselineKnown) {
        m_baselineKnown = true;
        m_baselineId = anchor.known() ? anchor.id : 0;
        m_activityAuditPending = false; // rows fetched so far may predate the connection
        return;
    }
    if (!std::exchange(m_activityAuditPending, false) || !anchor.known())
        return;
    const qint64 accounted = std::max(m_baselineId, m_sequence.lastAnnouncedId());
    if (anchor.id > accounted) {
        confirmAfterGrace(u"the host stored activity rows %1-%2 whose announcements have not arrived"_s.arg(accounted + 1).arg(anchor.id));
    }
}

void EventLossMonitor::checkRunning(bool confirming)
{
    const quint64 round = m_round;
    m_endpoint->send(m_nam, "GET", u"/running"_s, {}, m_timeoutMs, this, [this, round, confirming](Result<HostResponse> response) {
        if (!m_active || round != m_round || !response || response->status != 200)
            return;
        auto running = RunningModel::listFromJson(response->body);
        if (!running)
            return;
        const std::optional<QString> mismatch = runningMismatch(*running);
        if (!mismatch)
            return;
        if (confirming)
            return Q_EMIT lossDetected(*mismatch);
        // A state change reported while we asked would look the same: ask once more.
        QTimer::singleShot(kGraceMs, this, [this, round] {
            if (m_active && round == m_round)
                checkRunning(true);
        });
    });
}

std::optional<QString> EventLossMonitor::runningMismatch(const QList<RunningModel> &running) const
{
    const auto host = m_fleet ? m_fleet->host(m_hostId) : std::nullopt;
    if (!host)
        return std::nullopt;
    QHash<QString, ModelState> onHost;
    for (const RunningModel &r : running)
        onHost.insert(r.model, r.state);
    QStringList differences;
    for (const HostedModel &m : host->models) {
        if (!m.peerId.isEmpty() || m.state == ModelState::Unknown || m.state == ModelState::None)
            continue;
        const ModelState theirs = onHost.value(m.id, ModelState::Stopped);
        const ModelState ours = m.state == ModelState::Shutdown ? ModelState::Stopped : m.state;
        if (theirs != ours) {
            differences << u"%1 is %2, not %3"_s.arg(m.id, enumNameString(kModelStateNames, theirs),
                                                     enumNameString(kModelStateNames, ours));
        }
        onHost.remove(m.id);
    }
    for (auto it = onHost.cbegin(); it != onHost.cend(); ++it)
        differences << u"%1 is %2 and was never reported"_s.arg(it.key(), enumNameString(kModelStateNames, it.value()));
    if (differences.isEmpty())
        return std::nullopt;
    differences.sort();
    return u"/running disagrees with the last modelStatus: "_s + differences.join(u"; "_s);
}

void EventLossMonitor::confirmAfterGrace(const QString &reason)
{
    const quint64 round = m_round;
    QTimer::singleShot(kGraceMs, this, [this, round, reason] {
        if (m_active && round == m_round)
            Q_EMIT lossDetected(reason);
    });
}

} // namespace boo
