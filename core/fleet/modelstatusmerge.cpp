#include "core/fleet/modelstatusmerge.h"

namespace boo {

namespace {

// A model that stopped this recently before another one started was evicted for it.
constexpr qint64 kSwapWindowMs = 10'000;

bool isLoadedState(ModelState state)
{
    return state == ModelState::Starting || state == ModelState::Ready || state == ModelState::Stopping;
}

} // namespace

ModelStatusMerge ModelStatusMerge::merge(const HostState &before, const QList<ModelStatus> &status, qint64 nowMs)
{
    ModelStatusMerge out;
    out.models.reserve(status.size());
    for (const ModelStatus &s : status) {
        const HostedModel *old = before.model(s.id);
        HostedModel m = old ? *old : HostedModel();
        m.id = s.id;
        m.name = s.name;
        m.unlisted = s.unlisted;
        m.peerId = s.peerId;
        m.aliases = s.aliases;
        m.contextLength = s.contextLength;
        m.capabilities = s.capabilities;
        m.stateText = s.stateText;
        m.readySinceMs = s.readySinceMs;
        m.reportedUptimeMs = s.uptimeMs;
        m.uptimeReportedAtMs = s.uptimeMs ? nowMs : 0;
        if (!old || old->state != s.state) {
            const ModelState from = old ? old->state : ModelState::None;
            if (s.state == ModelState::Ready && from == ModelState::Starting)
                m.lastLoadMs = nowMs - old->stateSinceMs;
            m.state = s.state;
            m.stateSinceMs = nowMs;
            if (old || isLoadedState(s.state))
                out.transitions << Transition{m.id, from, m.state};
        }
        out.models << m;
    }

    // Each message is a snapshot taken at send time, so states can be skipped: a model seen
    // going straight from stopped to ready was loaded too.
    out.lastSwap = before.lastSwap;
    for (const Transition &t : std::as_const(out.transitions)) {
        const bool loadStarts
            = t.to == ModelState::Starting || (t.to == ModelState::Ready && t.from != ModelState::Starting && t.from != ModelState::None);
        if (loadStarts) {
            SwapRecord record{{}, t.model, nowMs, std::nullopt};
            for (const HostedModel &m : std::as_const(out.models)) {
                const bool evicted = m.id != t.model && m.peerId.isEmpty()
                    && (m.state == ModelState::Stopping
                        || (m.state == ModelState::Stopped && nowMs - m.stateSinceMs <= kSwapWindowMs && before.model(m.id) != nullptr));
                if (evicted)
                    record.from << m.id;
            }
            if (t.to == ModelState::Ready)
                record.readyMs = nowMs;
            out.lastSwap = record;
        } else if (t.to == ModelState::Ready && out.lastSwap && out.lastSwap->to == t.model && !out.lastSwap->readyMs) {
            out.lastSwap->readyMs = nowMs;
        }
    }
    return out;
}

} // namespace boo
