#include "core/gateway/routepolicy.h"

#include "core/common/jsonreader.h"
#include "core/providers/providerconfig.h"

#include <QJsonArray>

#include <limits>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// A policy comes from PUT /api/routing/policies, the database or a cockpit: a wrong-typed field is
// an error naming it, never a default ({"enabled":"no"} once stored the policy as enabled).
constexpr JsonErrorCodes kPolicyCodes{"policy.json", "policy.field", "policy.field"};

bool anyMatches(const QStringList &patterns, const QString &text)
{
    return std::any_of(patterns.cbegin(), patterns.cend(), [&](const QString &p) { return globMatch(p, text); });
}

Result<QStringList> stringList(const QJsonValue &value, const QString &field)
{
    if (value.isUndefined() || value.isNull())
        return QStringList();
    if (!value.isArray())
        return makeError(u"policy.field"_s, u"\"%1\" must be a list of strings"_s.arg(field));
    QStringList out;
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString() || item.toString().trimmed().isEmpty())
            return makeError(u"policy.field"_s, u"\"%1\" must be a list of non-empty strings"_s.arg(field));
        out << item.toString().trimmed();
    }
    return out;
}

Result<std::optional<qint64>> optionalCount(const QJsonObject &object, const QString &field)
{
    const QJsonValue value = object.value(field);
    if (value.isUndefined() || value.isNull())
        return std::optional<qint64>();
    if (!value.isDouble() || value.toDouble() < 0 || value.toDouble() != double(value.toInteger()))
        return makeError(u"policy.field"_s, u"\"rule.%1\" must be a whole number of tokens, 0 or more"_s.arg(field));
    return std::optional<qint64>(value.toInteger());
}

QJsonValue optionalJson(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

} // namespace

bool globMatch(QStringView pattern, QStringView text)
{
    // Iterative matcher with one backtrack point: linear for the patterns people write.
    qsizetype p = 0, t = 0, star = -1, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == u'?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == u'*') {
            star = p++;
            mark = t;
        } else if (star >= 0) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

QString routeStrategyName(RouteStrategy strategy)
{
    return enumNameString(kRouteStrategyNames, strategy);
}

std::optional<RouteStrategy> routeStrategyFromName(QStringView name)
{
    return enumFromName(kRouteStrategyNames, name);
}

bool RouteRule::matches(const QString &policyName, const RouteFacts &facts, QString *why) const
{
    const auto fail = [why](const QString &text) {
        if (why)
            *why = text;
        return false;
    };
    if (models.isEmpty() ? facts.requestedModel != policyName : !anyMatches(models, facts.requestedModel))
        return fail(u"the requested model is not one of %1"_s.arg(models.isEmpty() ? policyName : models.join(u", "_s)));
    if (!sources.isEmpty() && !anyMatches(sources, facts.source))
        return fail(u"X-Boo-Source \"%1\" is not one of %2"_s.arg(facts.source, sources.join(u", "_s)));
    if (minPromptTokens && facts.promptTokens < *minPromptTokens)
        return fail(u"the prompt (~%1 tokens) is shorter than %2 tokens"_s.arg(facts.promptTokens).arg(*minPromptTokens));
    if (maxPromptTokens && facts.promptTokens > *maxPromptTokens)
        return fail(u"the prompt (~%1 tokens) is longer than %2 tokens"_s.arg(facts.promptTokens).arg(*maxPromptTokens));
    if (tools == Tools::Required && !facts.hasTools)
        return fail(u"the request has no tools"_s);
    if (tools == Tools::Absent && facts.hasTools)
        return fail(u"the request has tools"_s);
    return true;
}

QJsonObject RouteRule::toJson() const
{
    return QJsonObject{{u"models"_s, QJsonArray::fromStringList(models)},
                       {u"sources"_s, QJsonArray::fromStringList(sources)},
                       {u"min_prompt_tokens"_s, optionalJson(minPromptTokens)},
                       {u"max_prompt_tokens"_s, optionalJson(maxPromptTokens)},
                       {u"tools"_s, enumNameString(kToolsNames, tools)}};
}

Result<RouteRule> RouteRule::fromJson(const QJsonValue &value)
{
    RouteRule rule;
    if (value.isUndefined() || value.isNull())
        return rule;
    if (!value.isObject())
        return makeError(u"policy.field"_s, u"\"rule\" must be an object"_s);
    JsonReader f(value.toObject(), QString(), kPolicyCodes, u"rule."_s);
    const QJsonObject &o = f.json();
    auto models = stringList(o.value(u"models"_s), u"rule.models"_s);
    auto sources = stringList(o.value(u"sources"_s), u"rule.sources"_s);
    auto min = optionalCount(o, u"min_prompt_tokens"_s);
    auto max = optionalCount(o, u"max_prompt_tokens"_s);
    if (!models)
        return models.error();
    if (!sources)
        return sources.error();
    if (!min)
        return min.error();
    if (!max)
        return max.error();
    rule.models = *models;
    rule.sources = *sources;
    rule.minPromptTokens = *min;
    rule.maxPromptTokens = *max;
    if (rule.minPromptTokens && rule.maxPromptTokens && *rule.minPromptTokens > *rule.maxPromptTokens)
        return makeError(u"policy.field"_s, u"\"rule.min_prompt_tokens\" is larger than \"rule.max_prompt_tokens\""_s);
    rule.tools = f.enumValue(u"tools"_s, kToolsNames).value_or(Tools::Any);
    if (f.failed())
        return f.error();
    return rule;
}

Result<CandidateSpec> CandidateSpec::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    CandidateSpec spec;
    spec.text = trimmed;
    const qsizetype slash = trimmed.indexOf(u'/');
    const QString hostPart = slash < 0 ? trimmed : trimmed.left(slash);
    spec.model = slash < 0 ? u"*"_s : trimmed.mid(slash + 1);
    if (hostPart.startsWith(u"tag:"_s)) {
        spec.hosts = Hosts::Tag;
        spec.host = hostPart.mid(4);
    } else if (hostPart == u"*"_s) {
        spec.hosts = Hosts::Any;
    } else {
        spec.hosts = Hosts::Provider;
        spec.host = hostPart;
        if (slash < 0)
            return makeError(u"policy.candidate"_s,
                             u"candidate \"%1\": write <provider>/<model>, */<model> or tag:<tag>[/<model>]"_s.arg(trimmed));
    }
    if ((spec.hosts != Hosts::Any && spec.host.isEmpty()) || spec.model.isEmpty())
        return makeError(u"policy.candidate"_s,
                         u"candidate \"%1\": write <provider>/<model>, */<model> or tag:<tag>[/<model>]"_s.arg(trimmed));
    return spec;
}

bool CandidateSpec::modelIsPattern() const
{
    return model.contains(u'*') || model.contains(u'?');
}

bool CandidateSpec::matchesProvider(const ProviderConfig &provider) const
{
    switch (hosts) {
    case Hosts::Provider: return provider.id == host;
    case Hosts::Any: return true;
    case Hosts::Tag: return provider.tags.contains(host);
    }
    return false;
}

bool CandidateSpec::matchesModel(const QString &modelId) const
{
    return globMatch(model, modelId);
}

QJsonObject RoutePolicy::toJson() const
{
    QJsonArray list;
    for (const CandidateSpec &c : candidates)
        list.append(c.text);
    return QJsonObject{{u"name"_s, name},
                       {u"description"_s, description},
                       {u"rule"_s, rule.toJson()},
                       {u"candidates"_s, list},
                       {u"strategy"_s, routeStrategyName(strategy)},
                       {u"enabled"_s, enabled},
                       {u"builtin"_s, builtIn},
                       {u"position"_s, position}};
}

Result<void> RoutePolicy::validateName(const QString &name)
{
    if (name.isEmpty() || name.size() > 64)
        return makeError(u"policy.name"_s, u"a policy name must have 1 to 64 characters"_s);
    for (QChar c : name) {
        if (c == u'/' || c.isSpace() || c == u'*' || c == u'?')
            return makeError(u"policy.name"_s,
                             u"policy name \"%1\": no '/', '*', '?' or spaces (direct model ids are <provider>/<model>)"_s.arg(name));
    }
    return {};
}

Result<RoutePolicy> RoutePolicy::fromJson(const QJsonObject &object)
{
    JsonReader f(object, QString(), kPolicyCodes);
    RoutePolicy p;
    p.name = f.string(u"name"_s).trimmed();
    if (f.failed())
        return f.error();
    if (auto valid = validateName(p.name); !valid)
        return valid.error();
    const auto inPolicy = [&p](const Error &e) { return makeError(e.code, u"policy \"%1\": %2"_s.arg(p.name, e.message)); };
    p.description = f.string(u"description"_s);
    p.strategy = f.enumValue(u"strategy"_s, kRouteStrategyNames).value_or(RouteStrategy::Ranked);
    p.enabled = f.boolean(u"enabled"_s, true);
    p.builtIn = f.boolean(u"builtin"_s, false);
    p.position = int(f.integerIn(u"position"_s, 0, std::numeric_limits<int>::max()).value_or(0));
    if (f.failed())
        return inPolicy(f.error());
    auto rule = RouteRule::fromJson(object.value(u"rule"_s));
    if (!rule)
        return inPolicy(rule.error());
    p.rule = *rule;
    auto texts = stringList(object.value(u"candidates"_s), u"candidates"_s);
    if (!texts)
        return inPolicy(texts.error());
    if (texts->isEmpty())
        return inPolicy(makeError(u"policy.candidate"_s, u"\"candidates\" must name at least one candidate"_s));
    for (const QString &text : std::as_const(*texts)) {
        auto spec = CandidateSpec::parse(text);
        if (!spec)
            return inPolicy(spec.error());
        p.candidates << *spec;
    }
    return p;
}

} // namespace boo
