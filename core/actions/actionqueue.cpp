#include "core/actions/actionqueue.h"

#include "core/actions/hostaccess.h"
#include "core/actions/leasebook.h"
#include "core/common/logging.h"
#include "core/fleet/fleetstate.h"
#include "core/protocol/apierror.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString answerText(const HostResponse &response)
{
    const auto error = ApiError::fromBody(response.body);
    const QString message = error ? error->message : QString();
    return message.isEmpty() ? u"HTTP %1"_s.arg(response.status) : u"HTTP %1: %2"_s.arg(response.status).arg(message);
}

QByteArray warmBody(const QString &model)
{
    const QJsonObject body{{u"model"_s, model},
                           {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"."_s}}}},
                           {u"max_tokens"_s, 1},
                           {u"stream"_s, false}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace

ActionQueue::ActionQueue(FleetState *fleet, HostAccess *access, QObject *parent)
    : QObject(parent)
    , m_fleet(fleet)
    , m_access(access)
{
    connect(fleet, &FleetState::hostRemoved, this, &ActionQueue::dropHost);
}

ActionQueue::~ActionQueue()
{
    // Aborting answers the callbacks at once; with the queues gone they find nothing to finish.
    const QHash<QString, HostQueue> queues = std::exchange(m_queues, {});
    for (const HostQueue &queue : queues) {
        if (queue.reply)
            queue.reply->abort();
    }
}

Result<HostAction> ActionQueue::submit(HostAction action)
{
    if (const QString invalid = action.validate(); !invalid.isEmpty())
        return makeError(u"action.invalid"_s, invalid);
    const auto host = m_fleet ? m_fleet->host(action.hostId) : std::nullopt;
    if (!host || !m_access || !m_access->endpoint(action.hostId))
        return makeError(u"action.host_unknown"_s, tr("no watched host '%1'").arg(action.hostId));
    if (host->liveness == Liveness::Down)
        return makeError(u"action.host_down"_s,
                         tr("%1 is down; try again when it is back").arg(host->name.isEmpty() ? host->id : host->name));
    if (auto refused = leaseRefusal(action))
        return *refused;
    HostQueue &queue = m_queues[action.hostId];
    if (int(queue.waiting.size()) >= kMaxWaiting)
        return makeError(u"action.queue_full"_s,
                         tr("%1 actions are already waiting for %2; wait for them to finish").arg(kMaxWaiting).arg(action.hostId));
    action.id = m_nextId++;
    action.queuedMs = now();
    queue.waiting.push_back(action);
    publish(ActionJob{action, ActionJob::State::Queued, {}, action.queuedMs, std::nullopt});
    // An idle host starts at once (after "queued" was published): "waiting" never counts it.
    if (!queue.running)
        startNext(action.hostId);
    return action;
}

void ActionQueue::setLeaseBook(LeaseBook *leases)
{
    m_leases = leases;
}

std::optional<Error> ActionQueue::leaseRefusal(const HostAction &action)
{
    if (!m_leases || action.kind == HostAction::Kind::Cancel)
        return std::nullopt;
    auto holder = m_leases->heldByOther(action.hostId, action.holder.isEmpty() ? u"operator"_s : action.holder);
    if (!holder) {
        // No lease was ever read (the database is down since start): act as before leases.
        qCWarning(lcApp).noquote() << "actions: leases unknown:" << holder.error().message;
        return std::nullopt;
    }
    if (!*holder)
        return std::nullopt;
    return makeError(u"action.host_leased"_s, tr("%1 is held by %2; release the lease or wait").arg(action.hostId, (*holder)->describe()));
}

int ActionQueue::waitingCount(const QString &hostId) const
{
    const auto it = m_queues.constFind(hostId);
    return it == m_queues.cend() ? 0 : int(it->waiting.size());
}

std::optional<HostAction> ActionQueue::running(const QString &hostId) const
{
    const auto it = m_queues.constFind(hostId);
    return it == m_queues.cend() ? std::nullopt : it->running;
}

bool ActionQueue::needsConfirmation(const HostState &host, const HostAction &action, qint64 nowMs)
{
    auto busy = [&](const HostedModel &m) { return m.inflight > 0 || (m.lastUsedMs && nowMs - *m.lastUsedMs < kTakeoverWindowMs); };
    if (action.kind == HostAction::Kind::Unload) {
        const HostedModel *model = host.model(action.model);
        return model && busy(*model);
    }
    if (action.kind == HostAction::Kind::UnloadAll)
        return std::any_of(host.models.cbegin(), host.models.cend(), busy);
    return false;
}

std::optional<QString> ActionQueue::staleReason(const HostAction &action, qint64 nowMs) const
{
    const auto host = m_fleet ? m_fleet->host(action.hostId) : std::nullopt;
    if (!host)
        return tr("the host is no longer watched");
    if (host->liveness == Liveness::Down)
        return tr("the host went down while the action waited");
    if (nowMs - action.queuedMs > m_staleAfterMs)
        return tr("waited %1 s, longer than %2 s: no longer current").arg((nowMs - action.queuedMs) / 1000).arg(m_staleAfterMs / 1000);
    if (action.kind == HostAction::Kind::Cancel && !host->inflight.isEmpty()) {
        const bool stillRunning = std::any_of(host->inflight.cbegin(), host->inflight.cend(),
                                              [&](const InFlightRequest &r) { return r.id == action.requestId; });
        if (!stillRunning)
            return tr("the request had already finished");
    }
    if (action.kind == HostAction::Kind::Cancel && host->inflight.isEmpty() && host->inflightCount == 0)
        return tr("the request had already finished");
    if (action.kind == HostAction::Kind::Unload) {
        const HostedModel *model = host->model(action.model);
        if (model && !model->isLoaded() && model->state != ModelState::Stopping)
            return tr("%1 is not loaded").arg(action.model);
    }
    return std::nullopt;
}

void ActionQueue::startNext(const QString &hostId)
{
    auto it = m_queues.find(hostId);
    if (it == m_queues.end() || it->running)
        return;
    while (!it->waiting.empty()) {
        HostAction action = it->waiting.front();
        it->waiting.pop_front();
        const qint64 t = now();
        if (const auto stale = staleReason(action, t)) {
            publish(ActionJob{action, ActionJob::State::Skipped, *stale, t, std::nullopt});
            continue;
        }
        const auto endpoint = m_access ? m_access->endpoint(hostId) : std::nullopt;
        if (!endpoint) {
            publish(ActionJob{action, ActionJob::State::Skipped, tr("the host is no longer watched"), t, std::nullopt});
            continue;
        }
        it->running = action;
        it->runTimer.start();
        publish(ActionJob{action, ActionJob::State::Running, {}, t, std::nullopt});
        execute(action, *endpoint);
        return;
    }
}

int ActionQueue::timeoutFor(const HostAction &action)
{
    switch (action.kind) {
    case HostAction::Kind::Warm: return kWarmTimeoutMs;
    case HostAction::Kind::Unload:
    case HostAction::Kind::UnloadAll: return kUnloadTimeoutMs;
    case HostAction::Kind::Cancel: return kCancelTimeoutMs;
    }
    return kCancelTimeoutMs;
}

void ActionQueue::execute(const HostAction &action, const HostEndpoint &endpoint)
{
    QByteArray method = "POST";
    QString path;
    QByteArray body;
    switch (action.kind) {
    case HostAction::Kind::Warm:
        path = u"/v1/chat/completions"_s;
        body = warmBody(action.model);
        break;
    case HostAction::Kind::Unload: path = u"/api/models/unload/"_s + action.model; break;
    case HostAction::Kind::UnloadAll: path = u"/api/models/unload"_s; break;
    case HostAction::Kind::Cancel: path = u"/api/inflight/%1/cancel"_s.arg(action.requestId); break;
    }
    m_queues[action.hostId].reply = endpoint.send(
        m_access->network(), method, path, {}, timeoutFor(action), this,
        [this, action](Result<HostResponse> response) { onAnswer(action, response); }, body);
}

// A model that is not a chat model (embeddings, rerankers) refuses a completion; loading it
// through /upstream/<model>/ works for every kind, as llama-swap's own UI does it.
void ActionQueue::warmByUpstream(const HostAction &action, const HostEndpoint &endpoint)
{
    m_queues[action.hostId].reply
        = endpoint.send(m_access->network(), "GET", u"/upstream/%1/"_s.arg(action.model), {}, timeoutFor(action), this,
                        [this, action](Result<HostResponse> response) { onAnswer(action, response, true); });
}

void ActionQueue::onAnswer(const HostAction &action, const Result<HostResponse> &response, bool viaUpstream)
{
    if (!response) {
        finish(action.hostId, ActionJob::State::Failed, response.error().message);
        return;
    }
    const int status = response->status;
    const bool ok = status >= 200 && status < 300;
    switch (action.kind) {
    case HostAction::Kind::Warm:
        if (!ok && (status == 400 || status == 422 || status == 501) && !viaUpstream) {
            if (const auto endpoint = m_access ? m_access->endpoint(action.hostId) : std::nullopt) {
                warmByUpstream(action, *endpoint);
                return;
            }
        }
        finish(action.hostId, ok ? ActionJob::State::Succeeded : ActionJob::State::Failed, ok ? tr("loaded") : answerText(*response));
        return;
    case HostAction::Kind::Unload:
        finish(action.hostId, ok ? ActionJob::State::Succeeded : ActionJob::State::Failed, ok ? tr("unloaded") : answerText(*response));
        return;
    case HostAction::Kind::UnloadAll:
        finish(action.hostId, ok ? ActionJob::State::Succeeded : ActionJob::State::Failed,
               ok ? tr("all models unloaded") : answerText(*response));
        return;
    case HostAction::Kind::Cancel:
        if (status == 404)
            finish(action.hostId, ActionJob::State::Skipped, tr("the request had already finished"));
        else
            finish(action.hostId, ok ? ActionJob::State::Succeeded : ActionJob::State::Failed,
                   ok ? tr("cancelled") : answerText(*response));
        return;
    }
}

void ActionQueue::finish(const QString &hostId, ActionJob::State state, const QString &message)
{
    auto it = m_queues.find(hostId);
    if (it == m_queues.end() || !it->running)
        return;
    ActionJob job{*it->running, state, message, now(), it->runTimer.elapsed()};
    it->running.reset();
    it->reply = nullptr;
    if (job.state == ActionJob::State::Failed)
        qCWarning(lcFleet).noquote() << hostId << job.action.describe() << "failed:" << message;
    publish(job);
    startNext(hostId);
}

void ActionQueue::publish(const ActionJob &job)
{
    if (m_fleet)
        m_fleet->publishJob(job.action.hostId, job.toJson());
    Q_EMIT jobChanged(job);
}

void ActionQueue::dropHost(const QString &hostId)
{
    auto it = m_queues.find(hostId);
    if (it == m_queues.end())
        return;
    HostQueue queue = *it;
    m_queues.erase(it);
    if (queue.reply)
        queue.reply->abort();
    const qint64 t = now();
    if (queue.running)
        Q_EMIT jobChanged(ActionJob{*queue.running, ActionJob::State::Skipped, tr("the host is no longer watched"), t, std::nullopt});
    for (const HostAction &action : queue.waiting)
        Q_EMIT jobChanged(ActionJob{action, ActionJob::State::Skipped, tr("the host is no longer watched"), t, std::nullopt});
}

} // namespace boo
