#pragma once

#include "core/gateway/candidateranker.h"
#include "core/gateway/routepolicy.h"
#include "core/providers/providerconfig.h"

#include <QJsonObject>

#include <functional>

namespace boo {

class FleetState;

// GET /v1/models: the virtual models (enabled policies: loaded when one of their candidates is,
// context length the largest of theirs), then every listed model of every watched host as
// <provider>/<model>, then the models the policies name on remote providers. OpenAI's fields
// plus `loaded`, llama-swap's `status` and `meta.boocontrol` (docs/gateway.md).
class ModelCatalog final
{
public:
    struct Inputs
    {
        QList<RoutePolicy> policies;
        QList<ProviderConfig> providers;
        const FleetState *fleet = nullptr;
        std::function<Ranking(const RoutePolicy &)> rank;
    };

    static QJsonObject list(const Inputs &in);
};

} // namespace boo
