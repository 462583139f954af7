#pragma once

#include "core/common/enumnames.h"
#include "core/common/result.h"
#include "core/gateway/gatewayrequest.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace boo {

struct ProviderConfig;

// How a policy orders its candidates (docs/gateway.md, "Ranking").
//   Ranked    by readiness tier (loaded idle, loaded busy, cold, cloud), then candidate order
//   Ordered   by candidate order, then readiness tier within one candidate entry
//   Fastest   by readiness tier, then the decode speed the host showed recently
//   Cheapest  local hosts before cloud providers whatever the order, then like Ranked, with cold
//             starts ordered by expected load time
enum class RouteStrategy { Ranked, Ordered, Fastest, Cheapest };
inline constexpr EnumName<RouteStrategy> kRouteStrategyNames[] = {
    {RouteStrategy::Ranked, u"ranked"},
    {RouteStrategy::Ordered, u"ordered"},
    {RouteStrategy::Fastest, u"fastest"},
    {RouteStrategy::Cheapest, u"cheapest"},
};
QString routeStrategyName(RouteStrategy strategy);
std::optional<RouteStrategy> routeStrategyFromName(QStringView name);

// What a rule looks at in a request.
struct RouteFacts
{
    QString requestedModel;
    QString source;          // X-Boo-Source, "unknown" when absent
    qint64 promptTokens = 0; // estimated
    bool hasTools = false;
    GatewayEndpoint endpoint = GatewayEndpoint::ChatCompletions;
};

// Which requests a policy takes. Patterns may use '*' (any run of characters) and '?'.
struct RouteRule
{
    enum class Tools { Any, Required, Absent };
    static constexpr EnumName<Tools> kToolsNames[] = {{Tools::Any, u"any"}, {Tools::Required, u"required"}, {Tools::Absent, u"absent"}};

    QStringList models;  // requested model ids; empty: the policy's own name only
    QStringList sources; // X-Boo-Source values; empty: any
    std::optional<qint64> minPromptTokens;
    std::optional<qint64> maxPromptTokens;
    Tools tools = Tools::Any;

    // On a mismatch `why` says which condition failed.
    bool matches(const QString &policyName, const RouteFacts &facts, QString *why = nullptr) const;
    QJsonObject toJson() const;
    static Result<RouteRule> fromJson(const QJsonValue &value);
    friend bool operator==(const RouteRule &, const RouteRule &) = default;
};

// One entry of a policy's candidate list, as written:
//   gpu-box/qwen3-30b-a3b    that model on that provider (cloud providers need this form)
//   */qwen3-8b               that model on every host that has it
//   tag:code/*coder*         models matching the pattern on providers tagged "code"
//   tag:fast                 every model on providers tagged "fast" (same as tag:fast/*)
struct CandidateSpec
{
    enum class Hosts { Provider, Any, Tag };

    Hosts hosts = Hosts::Any;
    QString host;  // provider id or tag
    QString model; // id or pattern
    QString text;

    static Result<CandidateSpec> parse(const QString &text);
    bool modelIsPattern() const;
    bool matchesProvider(const ProviderConfig &provider) const;
    bool matchesModel(const QString &modelId) const;
    friend bool operator==(const CandidateSpec &a, const CandidateSpec &b) { return a.text == b.text; }
};

// A virtual model: requests its rule accepts go to the best of its candidates.
struct RoutePolicy
{
    QString name; // the virtual model id clients ask for ("auto", "auto:code")
    QString description;
    RouteRule rule;
    QList<CandidateSpec> candidates;
    RouteStrategy strategy = RouteStrategy::Ranked;
    bool enabled = true;
    bool builtIn = false;
    int position = 0; // rules are tried in this order, lowest first

    QJsonObject toJson() const;
    // Every problem names the field; `position` comes from the caller's list order.
    static Result<RoutePolicy> fromJson(const QJsonObject &object);
    static Result<void> validateName(const QString &name);
    friend bool operator==(const RoutePolicy &, const RoutePolicy &) = default;
};

// '*' and '?' wildcards, case-sensitive (model ids are).
bool globMatch(QStringView pattern, QStringView text);

} // namespace boo
