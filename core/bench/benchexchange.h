#pragma once

#include "core/bench/benchsample.h"
#include "core/http/upstreamconnection.h"
#include "core/protocol/sseparser.h"

#include <functional>

namespace boo {

// One benchmark request on one connection: sends it, reads the event stream as it arrives and
// times every content chunk on the monotonic clock. Reports exactly one BenchSample, whatever
// happens (an error is a sample with its kind, never a crash or a hang: the connection's
// timeouts bound every phase).
class BenchExchange final : public UpstreamConnection::Listener
{
public:
    using Done = std::function<void(BenchSample)>;

    BenchExchange() = default;
    Q_DISABLE_COPY_MOVE(BenchExchange)

    void start(UpstreamConnection *connection, const QByteArray &request, const UpstreamTimeouts &timeouts, BenchSample sample, Done done);
    bool isRunning() const { return m_connection != nullptr; }

    void upstreamHead(int status, const HttpHeaders &headers) override;
    void upstreamBody(QByteArrayView piece) override;
    void upstreamComplete() override;
    void upstreamFailed(UpstreamFailure failure, const QString &message) override;

private:
    void onEvent(const SseEvent &event, qint64 nowNs);
    void fail(BenchErrorKind kind, const QString &message);
    void finish();
    double msSinceSent(qint64 ns) const;

    UpstreamConnection *m_connection = nullptr;
    Done m_done;
    BenchSample m_sample;
    SseParser m_parser;
    QByteArray m_errorBody; // the body of a non-200 answer, for its message
    qint64 m_sentNs = 0;
    qint64 m_lastContentNs = 0;
    int m_contentChunks = 0;
    bool m_sawDone = false;
};

} // namespace boo
