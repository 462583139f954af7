#pragma once

#include "core/gateway/upstreamtarget.h"

#include <QByteArray>
#include <QString>

namespace boo {

// Where a target's requests go and what they say: straight to a llama-swap host (the model as
// the host names it) or to a BooControl gateway (the target as written: virtual or
// `provider/model`). Every request carries `X-Boo-Source`, so the gateway, Activity and the
// foreign-traffic count can tell the bench's requests from everyone else's.
struct BenchEndpoint
{
    UpstreamTarget upstream;
    QString wireModel;
    QString providerId; // the host, when known before the first answer (direct targets)
    bool viaGateway = false;
    QString source = QStringLiteral("bench");

    // A streaming chat completion of `prompt` that generates `maxTokens` tokens (ignore_eos, so
    // that every request of a cell decodes the same length; hosts that do not know it stop early
    // and the samples then show fewer output tokens).
    // ignoreEos false: the model stops where it wants (evals read the answer, not the speed).
    QByteArray chatRequest(const QString &prompt, int maxTokens, bool ignoreEos = true) const;
};

} // namespace boo
