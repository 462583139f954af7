#pragma once

#include "core/http/upstreamconnection.h"
#include "core/providers/providerconfig.h"

#include <QByteArray>
#include <QString>

namespace boo {

// How the gateway reaches one provider: origin for the pool, the base URL's path prefix, the
// Host header and the credentials. llama-swap hosts and other BooControl gateways serve
// /v1/chat/completions under their base URL; an `openai` provider's base URL is the API root
// the OpenAI SDKs call base_url (https://api.openai.com/v1), so /chat/completions follows it.
struct UpstreamTarget
{
    QString providerId;
    ProviderKind kind = ProviderKind::LlamaSwap;
    UpstreamOrigin origin;
    QString basePath; // no trailing '/'
    QByteArray hostHeader;
    QByteArray authorization; // "Bearer <key>", empty without a key

    static UpstreamTarget fromProvider(const ProviderConfig &provider, const QString &apiKey);
    // The request path for an OpenAI route given as "/v1/...".
    QByteArray pathFor(const QString &openAiPath) const;
};

} // namespace boo
