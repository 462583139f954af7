#pragma once

#include "core/fleet/hoststate.h"
#include "core/protocol/modelstatus.h"

namespace boo {

// What a `modelStatus` message changes on a host: llama-swap sends the full list each time, so
// the transitions (and what they mean: a load, a swap, its duration) are derived here by
// comparing with what we held.
struct ModelStatusMerge
{
    struct Transition
    {
        QString model;
        ModelState from;
        ModelState to;
    };

    QList<HostedModel> models; // the new list, keeping what we learned (TTL, last use, ...)
    std::optional<SwapRecord> lastSwap;
    QList<Transition> transitions; // first sight of a model counts only when it is loaded

    static ModelStatusMerge merge(const HostState &before, const QList<ModelStatus> &status, qint64 nowMs);
};

} // namespace boo
