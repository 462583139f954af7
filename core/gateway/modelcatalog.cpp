#include "core/gateway/modelcatalog.h"

#include "core/fleet/fleetstate.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSet>

using namespace Qt::StringLiterals;

namespace boo {

QJsonObject ModelCatalog::list(const Inputs &in)
{
    const qint64 created = QDateTime::currentSecsSinceEpoch();
    QJsonArray data;
    const auto entry = [created](const QString &id, const QString &owner, bool loaded, std::optional<qint64> context, QJsonObject meta) {
        QJsonObject o{{u"id"_s, id},
                      {u"object"_s, u"model"_s},
                      {u"created"_s, created},
                      {u"owned_by"_s, owner},
                      {u"loaded"_s, loaded},
                      {u"status"_s, QJsonObject{{u"value"_s, loaded ? u"loaded"_s : u"unloaded"_s}}},
                      {u"meta"_s, QJsonObject{{u"boocontrol"_s, meta}}}};
        if (context)
            o.insert(u"context_length"_s, *context);
        return o;
    };
    for (const RoutePolicy &p : in.policies) {
        if (!p.enabled)
            continue;
        const Ranking ranking = in.rank(p);
        bool loaded = false;
        std::optional<qint64> context;
        for (const RankedCandidate &c : ranking.ranked) {
            loaded = loaded || c.tier == CandidateTier::Idle || c.tier == CandidateTier::Busy || c.tier == CandidateTier::Saturated
                || c.tier == CandidateTier::Loading;
            if (c.contextLength)
                context = std::max(context.value_or(0), *c.contextLength);
        }
        QJsonArray candidates;
        for (const CandidateSpec &c : p.candidates)
            candidates.append(c.text);
        data.append(entry(p.name, u"boocontrol"_s, loaded, context,
                          {{u"type"_s, u"virtual"_s},
                           {u"strategy"_s, routeStrategyName(p.strategy)},
                           {u"candidates"_s, candidates},
                           {u"description"_s, p.description}}));
    }
    {
        for (const ProviderConfig &provider : in.providers) {
            if (!provider.enabled)
                continue;
            if (provider.kind == ProviderKind::LlamaSwap) {
                const auto view = in.fleet ? in.fleet->host(provider.id) : std::nullopt;
                if (!view)
                    continue;
                for (const HostedModel &m : view->models) {
                    if (m.unlisted)
                        continue;
                    data.append(entry(QString(provider.id + u'/' + m.id), provider.id, m.isLoaded(), m.contextLength,
                                      {{u"type"_s, u"direct"_s},
                                       {u"provider"_s, provider.id},
                                       {u"model"_s, m.id},
                                       {u"state"_s, m.stateText},
                                       {u"host"_s, livenessName(view->liveness)}}));
                }
                continue;
            }
            // Remote providers: the models the policies name.
            QSet<QString> named;
            for (const RoutePolicy &p : in.policies) {
                for (const CandidateSpec &c : p.candidates) {
                    if (c.hosts == CandidateSpec::Hosts::Provider && c.host == provider.id && !c.modelIsPattern())
                        named.insert(c.model);
                }
            }
            QStringList sorted(named.cbegin(), named.cend());
            sorted.sort();
            for (const QString &m : std::as_const(sorted))
                data.append(entry(QString(provider.id + u'/' + m), provider.id, false, std::nullopt,
                                  {{u"type"_s, u"direct"_s}, {u"provider"_s, provider.id}, {u"model"_s, m}}));
        }
    }
    return QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, data}};
}

} // namespace boo
