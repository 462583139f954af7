#pragma once

#include "core/http/chunkeddecoder.h"
#include "core/http/httpheaders.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace boo {

// Incremental parser of one HTTP/1.1 response from an upstream host: bytes in, the head once,
// then body pieces as views into the bytes fed (no copy), whatever the framing
// (Content-Length, chunked, or until the connection closes). Pure: tested by feeding the same
// response split at every byte boundary. Reads heads and framing as strictly as our request
// parser does (HttpHeadReader, MessageFraming, ChunkedDecoder): a response two readers could
// frame differently fails instead of being relayed.
class UpstreamResponseParser final
{
public:
    enum class State { Head, Body, Done, Failed };
    enum class Framing { None, Length, Chunked, UntilClose };

    struct Sink
    {
        std::function<void(int status, const HttpHeaders &headers)> head;
        std::function<void(QByteArrayView piece)> body;
    };

    static constexpr qsizetype kMaxHeadBytes = 64 * 1024;
    static constexpr qsizetype kMaxHeaderFields = 100;

    // `headRequest`: the response to HEAD has no body whatever its headers say.
    void reset(bool headRequest = false);
    // Consumes bytes until the response is complete; returns how many were used (the rest
    // would belong to a next response, which a well-behaved host never sends unasked). The sink
    // may not call reset() or feed() from inside.
    qsizetype feed(QByteArrayView data, const Sink &sink);
    // The connection closed: completes an until-close body, fails anything else.
    void finishOnClose();

    State state() const { return m_state; }
    bool keepAlive() const { return m_keepAlive; }
    const QString &error() const { return m_error; }

private:
    qsizetype feedHead(QByteArrayView data, const Sink &sink);
    qsizetype feedBody(QByteArrayView data, const Sink &sink);
    qsizetype feedChunked(QByteArrayView data, const Sink &sink);
    bool parseHead(QByteArrayView head);
    void fail(const QString &why);

    State m_state = State::Head;
    Framing m_framing = Framing::None;
    bool m_headRequest = false;
    int m_status = 0;
    bool m_keepAlive = true;
    HttpHeaders m_headers;
    QByteArray m_buffer;    // an incomplete head
    qint64 m_remaining = 0; // of a Content-Length body
    ChunkedDecoder m_chunks;
    QString m_error;
};

} // namespace boo
