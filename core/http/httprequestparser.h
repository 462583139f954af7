#pragma once

#include "core/http/chunkeddecoder.h"
#include "core/http/httprequest.h"

#include <QByteArray>

namespace boo {

// Incremental HTTP/1.x request parser: bytes in, one request out. Pure (no sockets), so it can
// be tested by splitting the same input at every byte boundary.
//
// feed() stops at two points: after the header block (HeadComplete), so the caller can pick the
// body limit for the matched route and answer `Expect: 100-continue` before any body byte is
// read; and after the message (MessageComplete). Memory stays bounded by the limits: the header
// block never grows past maxHeadBytes and the body never past the body limit, whatever the
// client announces or sends.
class HttpRequestParser final
{
public:
    enum class Event {
        NeedMore,        // all input consumed, message not complete yet
        HeadComplete,    // request line and headers parsed; body (if any) follows
        MessageComplete, // takeRequest() now returns the request
        Failed,          // errorStatus() says how to answer; the connection must close
    };

    struct Limits
    {
        qsizetype maxHeadBytes = 64 * 1024;
        qint64 maxBodyBytes = 32 * 1024 * 1024;
        qsizetype maxHeaderFields = 100; // more -> 431
    };

    HttpRequestParser();
    explicit HttpRequestParser(Limits limits);

    // Consumes a prefix of `data` and reports how far it got in *consumed. Bytes after
    // MessageComplete belong to the next request and are left unconsumed.
    Event feed(QByteArrayView data, qsizetype *consumed);

    // Valid after HeadComplete (body still empty) and after MessageComplete.
    const HttpRequest &request() const { return m_request; }
    // Hands out the finished request and resets for the next one.
    HttpRequest takeRequest();
    void reset();

    void setLimits(Limits limits) { m_limits = limits; }
    // May be lowered or raised after HeadComplete (per-route limits).
    void setMaxBodyBytes(qint64 bytes) { m_limits.maxBodyBytes = bytes; }
    qint64 maxBodyBytes() const { return m_limits.maxBodyBytes; }

    // -1 when the body is chunked or absent.
    qint64 contentLength() const { return m_contentLength; }
    bool isChunked() const { return m_chunked; }
    bool hasBody() const { return m_chunked || m_contentLength > 0; }
    bool expectsContinue() const { return m_expectContinue; }
    bool headComplete() const { return m_state != State::Head; }

    int errorStatus() const { return m_errorStatus; }
    const QByteArray &errorReason() const { return m_errorReason; }

    // Offset just past the header block in `data` (leading empty lines included), or -1 when
    // the block is not complete. Lets a connection peek at a head without consuming it.
    static qsizetype findHeadEnd(QByteArrayView data);

private:
    enum class State { Head, BodyStart, FixedBody, Chunked, Complete, Failed };

    Event fail(int status, QByteArray reason);
    Event fail(int status, QLatin1StringView reason);
    Event failChunked(ChunkedDecoder::Error error);
    Event parseHead();
    Event startBody();

    Limits m_limits;
    State m_state = State::Head;
    QByteArray m_head;
    QByteArray m_body;
    HttpRequest m_request;
    ChunkedDecoder m_chunks;
    qint64 m_contentLength = -1;
    qint64 m_remaining = 0; // of a Content-Length body
    bool m_chunked = false;
    bool m_expectContinue = false;
    int m_errorStatus = 0;
    QByteArray m_errorReason;
};

} // namespace boo
