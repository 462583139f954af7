#pragma once

#include "core/common/result.h"

#include <QList>
#include <QString>

namespace boo {

// What one HTTP listener lets its clients hold: memory, connections, time. Every field can be set
// on the command line of `boocontrol --serve` as `--http-limit name=value` (the names and
// defaults are in fields(), and in docs/security.md where each one is explained).
struct HttpServerLimits
{
    // A request head (request line and header fields); larger -> 431.
    qsizetype maxHeadBytes = 64 * 1024;
    qsizetype maxHeaderFields = 100; // more -> 431
    // The body of a route that sets no limit of its own; larger -> 413 before it is read.
    qint64 maxBodyBytes = 32 * 1024 * 1024;
    // The body of a request that no route takes (404, 405): it is read only to be dropped.
    qint64 unroutedBodyBytes = 4 * 1024;
    // Time from a request's first byte to the end of its head; then 408 and close.
    int headerTimeoutMs = 10000;
    // A body must keep moving (at most this between two reads) and be whole within bodyTimeoutMs.
    int bodyIdleTimeoutMs = 10000;
    int bodyTimeoutMs = 120000;
    // A keep-alive connection between requests.
    int idleTimeoutMs = 60000;
    // Open connections (WebSockets included), in all and from one peer address. At the cap the
    // oldest idle connection is closed for the new one; without one the new one gets 503.
    int maxConnections = 1024;
    int maxConnectionsPerPeer = 256;
    // Connections the kernel completes before we accept them: a burst beyond it is dropped.
    int listenBacklog = 1024;
    // Requests on one keep-alive connection; the last answer says Connection: close.
    int maxRequestsPerConnection = 1000;
    // Pipelined requests are not read while this much of the answers is still unsent: a client
    // that sends and never reads cannot make us queue answers.
    qint64 maxPendingOutputBytes = 1024 * 1024;
    // A message (and a frame) a WebSocket client may send; larger -> close 1009.
    qint64 webSocketMaxMessageBytes = 4 * 1024;

    struct Field
    {
        QString name;        // as on the command line
        QString description; // one line, for --help and docs
        qint64 defaultValue;
        qint64 min;
        qint64 max;
    };
    static QList<Field> fields();
    // Applies "name=value"; on failure says what is wrong and what is allowed.
    Result<void> apply(const QString &assignment);
    qint64 value(const QString &name) const;
};

} // namespace boo
