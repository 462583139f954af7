#include "core/client/routingsource.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace boo {

Result<Ranking> RoutingSource::rankingFromJson(const QJsonObject &object)
{
    Ranking r;
    for (const QJsonValue &v : object.value(u"ranked"_s).toArray()) {
        const QJsonObject o = v.toObject();
        RankedCandidate c;
        c.spec = o.value(u"candidate"_s).toString();
        c.providerId = o.value(u"provider"_s).toString();
        c.model = o.value(u"model"_s).toString();
        const auto tier = candidateTierFromName(o.value(u"tier"_s).toString());
        if (c.providerId.isEmpty() || !tier)
            return makeError(u"routing.wire"_s, u"a ranked candidate lacks its provider or tier"_s);
        c.tier = *tier;
        c.why = o.value(u"why"_s).toString();
        c.inflight = o.value(u"inflight"_s).toInt();
        c.concurrencyLimit = o.value(u"limit"_s).toInt();
        c.expectedWaitMs = o.value(u"expected_wait_ms"_s).toInteger();
        if (o.contains(u"context_length"_s))
            c.contextLength = o.value(u"context_length"_s).toInteger();
        if (o.contains(u"tokens_per_second"_s))
            c.tokensPerSecond = o.value(u"tokens_per_second"_s).toDouble();
        r.ranked << c;
    }
    for (const QJsonValue &v : object.value(u"skipped"_s).toArray()) {
        const QJsonObject o = v.toObject();
        r.skipped.append({o.value(u"candidate"_s).toString(), o.value(u"provider"_s).toString(), o.value(u"model"_s).toString(),
                          o.value(u"skipped"_s).toString()});
    }
    return r;
}

Result<GatewayLogEntry> RoutingSource::logEntryFromJson(const QJsonObject &o)
{
    GatewayLogEntry e;
    e.id = o.value(u"id"_s).toInteger();
    GatewayDispatchRow &r = e.row;
    r.dispatchId = o.value(u"dispatch_id"_s).toString();
    r.ts = o.value(u"ts"_s).toInteger();
    if (e.id <= 0 || r.dispatchId.isEmpty())
        return makeError(u"routing.wire"_s, u"a log entry lacks its id"_s);
    r.source = o.value(u"source"_s).toString();
    r.requestedModel = o.value(u"model"_s).toString();
    r.policy = o.value(u"policy"_s).toString();
    r.endpoint = o.value(u"endpoint"_s).toString();
    r.stream = o.value(u"stream"_s).toBool();
    r.candidatesJson = QString::fromUtf8(QJsonDocument(o.value(u"candidates"_s).toArray()).toJson(QJsonDocument::Compact));
    const QJsonArray attempts = o.value(u"attempts"_s).toArray();
    r.attemptsJson = QString::fromUtf8(QJsonDocument(attempts).toJson(QJsonDocument::Compact));
    r.attempts = int(attempts.size());
    r.chosenProvider = o.value(u"host"_s).toString();
    r.chosenModel = o.value(u"host_model"_s).toString();
    r.status = o.value(u"status"_s).toInt();
    if (o.value(u"ttft_ms"_s).isDouble())
        r.ttftMs = o.value(u"ttft_ms"_s).toDouble();
    r.totalMs = o.value(u"total_ms"_s).toDouble();
    r.overheadMs = o.value(u"overhead_ms"_s).toDouble();
    r.error = o.value(u"error"_s).toString();
    return e;
}

} // namespace boo
