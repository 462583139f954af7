#pragma once

#include "core/gateway/candidateranker.h"
#include "core/gateway/consumerkey.h"
#include "core/gateway/dispatchrecord.h"
#include "core/gateway/gatewayrequest.h"
#include "core/gateway/usagescanner.h"
#include "core/http/httpresponder.h"
#include "core/http/upstreamconnection.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>

namespace boo {

class Gateway;
class HttpStream;

// What the gateway decided before dispatching: who asked for what, and how to forward it.
struct DispatchPlan
{
    QString dispatchId;
    QString source;
    QString requestedModel;
    QString policy; // empty for direct ids
    QByteArray method = "POST";
    QString upstreamRest; // /upstream/... only: the path after the model, with the query
    GatewayRequest request;
    HttpHeaders forwardHeaders;             // the client's headers that go on to the host
    qint64 receivedNs = 0;                  // steady clock, when the handler got the request
    qint64 receivedMs = 0;                  // wall clock
    std::optional<ConsumerKey> consumerKey; // the key it came with: its usage is charged to it
};

// One client request on its way through the gateway: tries the ranked candidates in turn, at
// most once per host, until one answers; then relays the answer as it arrives (docs/gateway.md,
// "Failover"). Before the client has received a byte any failure moves on to the next
// candidate; after that a stream ends with an error event and [DONE]. Deletes itself when done.
class GatewayDispatch final : public QObject, private UpstreamConnection::Listener
{
    Q_OBJECT

public:
    GatewayDispatch(Gateway *gateway, DispatchPlan plan, Ranking ranking, HttpResponder responder);
    ~GatewayDispatch() override;
    Q_DISABLE_COPY_MOVE(GatewayDispatch)

    void start();

private:
    enum class Phase { Trying, Relaying, Done };

    void tryNext();
    // The request for the current candidate.
    QByteArray buildRequest(const struct UpstreamTarget &target, const QString &attemptId) const;
    void endAttempt(const QString &outcome, int status);
    void failAttempt(const QString &outcome, int status, bool hostFault);
    void commit(QByteArrayView firstPiece);
    void deliver(QByteArrayView piece);
    void flushToClient();
    void finishRelay();
    // An OpenAI stream (chat, completions) that succeeded must end with `data: [DONE]`.
    bool expectsDone() const;
    void failMidStream(const QString &why);
    void failBeforeCommit();
    void onClientGone();
    void finish(int status, const QString &error);
    void chargeKey(int status);
    void releaseConnection();
    QJsonArray candidateLog() const;

    void upstreamHead(int status, const HttpHeaders &headers) override;
    void upstreamBody(QByteArrayView piece) override;
    void upstreamReadDone() override;
    void upstreamComplete() override;
    void upstreamFailed(UpstreamFailure failure, const QString &message) override;

    QPointer<Gateway> m_gateway;
    DispatchPlan m_plan;
    Ranking m_ranking;
    HttpResponder m_responder;
    std::unique_ptr<HttpStream> m_stream;
    QPointer<UpstreamConnection> m_connection;
    Phase m_phase = Phase::Trying;
    qsizetype m_next = 0;
    QSet<QString> m_triedHosts;
    QHash<QString, QString> m_outcomes; // "<provider>/<model>" -> outcome, for the log
    const RankedCandidate *m_current = nullptr;
    QList<DispatchAttempt> m_attempts;
    int m_status = 0;
    HttpHeaders m_headers;
    bool m_sse = false;
    QByteArray m_partial; // an SSE event not yet complete
    QByteArray m_out;     // whole pieces of the current read, not yet written
    bool m_sawDone = false;
    qint64 m_ownNs = 0; // the gateway's own time, summed
    qint64 m_resumedNs = 0;
    std::optional<double> m_ttftMs;
    bool m_inflightCounted = false;
    std::optional<UsageScanner> m_usage; // only for requests with a consumer key
};

} // namespace boo
