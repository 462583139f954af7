#include "core/gateway/dispatchrecord.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace boo {

GatewayDispatchRow DispatchRecord::toRow() const
{
    QJsonArray attemptList;
    for (const DispatchAttempt &a : attempts) {
        attemptList.append(QJsonObject{{u"id"_s, a.id},
                                       {u"provider"_s, a.providerId},
                                       {u"model"_s, a.model},
                                       {u"outcome"_s, a.outcome},
                                       {u"status"_s, a.status},
                                       {u"ms"_s, a.endedMs - a.startedMs}});
    }
    GatewayDispatchRow row;
    row.dispatchId = dispatchId;
    row.ts = startedMs;
    row.source = source;
    row.requestedModel = requestedModel;
    row.policy = policy;
    row.endpoint = endpoint;
    row.stream = stream;
    row.candidatesJson = QString::fromUtf8(QJsonDocument(candidates).toJson(QJsonDocument::Compact));
    row.attemptsJson = QString::fromUtf8(QJsonDocument(attemptList).toJson(QJsonDocument::Compact));
    row.attempts = int(attempts.size());
    row.chosenProvider = chosenProvider;
    row.chosenModel = chosenModel;
    row.status = status;
    row.ttftMs = ttftMs;
    row.totalMs = totalMs;
    row.overheadMs = overheadMs;
    row.error = error;
    row.consumerKey = consumerKey;
    return row;
}

} // namespace boo
