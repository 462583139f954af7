#pragma once

#include "core/common/result.h"
#include "core/http/hostendpoint.h"

#include <QString>

namespace boo {

struct ChatRequest;

class HostAccess;

// Where one Playground side sends its chat: a host straight (its base URL and API key, as its
// connector uses them, and the host's own model id) or a `--serve` gateway (the server URL and
// token, and a gateway model id: "provider/model" or a virtual model such as "auto:fast").
struct ChatTarget
{
    enum class Kind { Host, Gateway };

    Kind kind = Kind::Host;
    HostEndpoint endpoint;
    QString model;    // as the endpoint knows it
    QString provider; // the host, for a direct target; empty through the gateway

    // "gpu-box/qwen3-8b" for either kind: what the operator reads in the Playground.
    QString label() const;

    // "Copy as curl": the same request for a terminal. The key or token becomes a shell variable
    // the user fills in ($LLAMA_SWAP_API_KEY, $BOO_TOKEN): a copied command never carries a secret.
    QString curlCommand(const ChatRequest &request) const;

    static Result<ChatTarget> direct(const HostAccess &access, const QString &provider, const QString &model);
    static ChatTarget gateway(const QUrl &serverUrl, const QString &token, const QString &model);
};

} // namespace boo
