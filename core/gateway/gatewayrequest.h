#pragma once

#include "core/common/enumnames.h"
#include "core/common/result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace boo {

enum class GatewayEndpoint { ChatCompletions, Completions, Embeddings, Upstream };

// The path the gateway serves an endpoint on, which is also the path a llama-swap host serves it
// on (Upstream: the prefix of /upstream/<provider>/<model>/..., as the dispatch log shows it).
inline constexpr EnumName<GatewayEndpoint> kGatewayEndpointPaths[] = {
    {GatewayEndpoint::ChatCompletions, u"/v1/chat/completions"},
    {GatewayEndpoint::Completions, u"/v1/completions"},
    {GatewayEndpoint::Embeddings, u"/v1/embeddings"},
    {GatewayEndpoint::Upstream, u"/upstream"},
};
// The short names POST /api/routing/test takes ("endpoint"); Upstream is not a policy's business.
inline constexpr EnumName<GatewayEndpoint> kGatewayEndpointShortNames[] = {
    {GatewayEndpoint::ChatCompletions, u"chat"},
    {GatewayEndpoint::Completions, u"completions"},
    {GatewayEndpoint::Embeddings, u"embeddings"},
};

QString gatewayEndpointPath(GatewayEndpoint endpoint);

// What the gateway needs to know about a client's inference request, read once from its JSON
// body: the model it asked for, streaming, tools, and a prompt size estimate for context fit.
// The body itself is forwarded byte for byte except for the model value, which is replaced in
// place (bodyForModel) so that numbers, key order and unknown fields reach the host untouched.
class GatewayRequest final
{
public:
    static constexpr int kCharsPerToken = 4; // a rough average for English text and code

    // Errors carry code "json.malformed", "json.not_object", "model.missing" or "model.type".
    static Result<GatewayRequest> parse(GatewayEndpoint endpoint, const QByteArray &body);
    // A request without a body (/upstream/... GETs): nothing to rewrite.
    static GatewayRequest passthrough(const QByteArray &body);

    GatewayEndpoint endpoint() const { return m_endpoint; }
    const QString &model() const { return m_model; }
    bool stream() const { return m_stream; }
    bool hasTools() const { return m_hasTools; }
    qint64 promptTokens() const { return m_promptTokens; }
    const QByteArray &body() const { return m_body; }

    // The body with the top-level "model" value replaced by `model`.
    QByteArray bodyForModel(const QString &model) const;

    // The [begin, end) byte span of the top-level "model" value (quotes included) in `json`,
    // or nullopt. `json` must be valid JSON (it is only scanned, not validated).
    static std::optional<std::pair<qsizetype, qsizetype>> topLevelValueSpan(QByteArrayView json, QByteArrayView key);

private:
    GatewayEndpoint m_endpoint = GatewayEndpoint::Upstream;
    QString m_model;
    bool m_stream = false;
    bool m_hasTools = false;
    qint64 m_promptTokens = 0;
    QByteArray m_body;
    std::optional<std::pair<qsizetype, qsizetype>> m_modelSpan;
};

} // namespace boo
