#pragma once

#include "core/store/historyrows.h"

#include <QJsonArray>
#include <QList>
#include <QString>

#include <optional>

namespace boo {

// One try of one candidate.
struct DispatchAttempt
{
    QString id; // "<dispatch id>.<n>", sent upstream as X-Boo-Dispatch-Id
    QString providerId;
    QString model;
    QString outcome; // "ok", "HTTP 503", "connect: Connection refused", ...
    int status = 0;  // the host's status, 0 when none came
    qint64 startedMs = 0;
    qint64 endedMs = 0;
};

// Everything the gateway knows about one request once it is over: the dispatch log row, the
// metrics and the attribution of the host's activity rows are all made from it.
struct DispatchRecord
{
    QString dispatchId;
    qint64 startedMs = 0;
    QString source;
    QString requestedModel;
    QString policy;
    QString endpoint;
    bool stream = false;
    QJsonArray candidates;
    QList<DispatchAttempt> attempts;
    QString chosenProvider;
    QString chosenModel;
    int status = 0;
    std::optional<double> ttftMs;
    double totalMs = 0;
    double overheadMs = 0;
    QString error;
    QString consumerKey; // the consumer key it came with; empty for the server token

    GatewayDispatchRow toRow() const;
};

} // namespace boo
