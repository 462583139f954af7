#include "core/http/upstreamresponseparser.h"

#include "core/http/httpheadreader.h"
#include "core/http/messageframing.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Chunk-size lines as long as the request parser allows; trailer lines, which we drop, no more
// than a head. No body limit: the relay streams, it does not keep the body.
constexpr ChunkedDecoder::Limits kChunkLimits{4096, UpstreamResponseParser::kMaxHeadBytes, std::numeric_limits<qint64>::max()};

} // namespace

void UpstreamResponseParser::reset(bool headRequest)
{
    m_state = State::Head;
    m_framing = Framing::None;
    m_headRequest = headRequest;
    m_status = 0;
    m_keepAlive = true;
    m_headers = {};
    m_buffer.clear();
    m_remaining = 0;
    m_chunks.reset(kChunkLimits);
    m_error.clear();
}

void UpstreamResponseParser::fail(const QString &why)
{
    m_state = State::Failed;
    m_error = why;
}

qsizetype UpstreamResponseParser::feed(QByteArrayView data, const Sink &sink)
{
    qsizetype used = 0;
    while (used < data.size() && (m_state == State::Head || m_state == State::Body)) {
        const QByteArrayView rest = data.sliced(used);
        used += m_state == State::Head ? feedHead(rest, sink) : feedBody(rest, sink);
    }
    return used;
}

void UpstreamResponseParser::finishOnClose()
{
    if (m_state == State::Body && m_framing == Framing::UntilClose)
        m_state = State::Done;
    else if (m_state == State::Head || m_state == State::Body)
        fail(m_state == State::Head ? u"the connection closed before a response"_s : u"the connection closed in the middle of the body"_s);
}

qsizetype UpstreamResponseParser::feedHead(QByteArrayView data, const Sink &sink)
{
    // Look for the blank line across what we kept and what came; keep only what is needed.
    const qsizetype kept = m_buffer.size();
    m_buffer.append(data.data(), data.size());
    // Blank lines of either kind end the search, so that a head with bare line ends fails now
    // (HttpHeadReader refuses it) instead of waiting for a CRLFCRLF that never comes.
    const qsizetype headBytes = HttpHeadReader::findBlankLine(m_buffer, qMax<qsizetype>(0, kept - 3));
    if (headBytes < 0) {
        if (m_buffer.size() > kMaxHeadBytes)
            fail(u"the response head is larger than %1 bytes"_s.arg(kMaxHeadBytes));
        return data.size();
    }
    const bool parsed = parseHead(QByteArrayView(m_buffer).first(headBytes));
    m_buffer.clear();
    const qsizetype used = headBytes - kept;
    if (!parsed)
        return used;
    if (m_status >= 100 && m_status < 200) {
        // 100 Continue and friends: the real head follows.
        m_headers = {};
        return used;
    }
    if (sink.head)
        sink.head(m_status, m_headers);
    if (m_framing == Framing::None)
        m_state = State::Done;
    else
        m_state = State::Body;
    return used;
}

bool UpstreamResponseParser::parseHead(QByteArrayView head)
{
    QByteArrayView statusLine;
    HttpHeaders headers;
    const HttpHeadReader::Error headError = HttpHeadReader::read(head, kMaxHeaderFields, &statusLine, &headers);
    if (headError != HttpHeadReader::Error::None) {
        fail(u"bad response head: %1"_s.arg(HttpHeadReader::message(headError)));
        return false;
    }
    // "HTTP/1.x 200 Reason", the reason may be empty and its space absent.
    if (!statusLine.startsWith("HTTP/1.") || statusLine.size() < 12 || (statusLine[7] != '0' && statusLine[7] != '1')
        || statusLine[8] != ' ' || (statusLine.size() > 12 && statusLine[12] != ' ')) {
        fail(u"not an HTTP/1.x response"_s);
        return false;
    }
    m_status = 0;
    for (const char c : statusLine.sliced(9, 3)) {
        if (c < '0' || c > '9') {
            fail(u"bad status line"_s);
            return false;
        }
        m_status = m_status * 10 + (c - '0');
    }
    if (m_status < 100) {
        fail(u"bad status line"_s);
        return false;
    }
    const bool http10 = statusLine[7] == '0';
    m_headers = std::move(headers);
    m_keepAlive = http10 ? m_headers.hasToken("connection", "keep-alive") : !m_headers.hasToken("connection", "close");

    const bool noBody = m_headRequest || m_status < 200 || m_status == 204 || m_status == 304;
    const MessageFraming framing = MessageFraming::forResponse(m_headers, noBody);
    if (!framing.ok()) {
        fail(QString(MessageFraming::message(framing.error)));
        return false;
    }
    switch (framing.kind) {
    case MessageFraming::Kind::None: m_framing = Framing::None; break;
    case MessageFraming::Kind::Length:
        m_framing = Framing::Length;
        m_remaining = framing.length;
        break;
    case MessageFraming::Kind::Chunked:
        m_framing = Framing::Chunked;
        m_chunks.reset(kChunkLimits);
        break;
    case MessageFraming::Kind::UntilClose:
        m_framing = Framing::UntilClose;
        m_keepAlive = false;
        break;
    }
    return true;
}

qsizetype UpstreamResponseParser::feedBody(QByteArrayView data, const Sink &sink)
{
    switch (m_framing) {
    case Framing::Length: {
        const qsizetype n = qsizetype(qMin<qint64>(m_remaining, data.size()));
        m_remaining -= n;
        if (m_remaining == 0)
            m_state = State::Done;
        if (sink.body)
            sink.body(data.first(n));
        return n;
    }
    case Framing::UntilClose:
        if (sink.body)
            sink.body(data);
        return data.size();
    case Framing::Chunked: return feedChunked(data, sink);
    case Framing::None: break;
    }
    m_state = State::Done;
    return 0;
}

qsizetype UpstreamResponseParser::feedChunked(QByteArrayView data, const Sink &sink)
{
    qsizetype used = 0;
    for (;;) {
        const ChunkedDecoder::Step step = m_chunks.next(data.sliced(used));
        used += step.consumed;
        switch (step.kind) {
        case ChunkedDecoder::Step::Kind::Data:
            if (sink.body)
                sink.body(step.data);
            if (used == data.size())
                return used;
            break;
        case ChunkedDecoder::Step::Kind::NeedMore: return used;
        case ChunkedDecoder::Step::Kind::Done: m_state = State::Done; return used;
        case ChunkedDecoder::Step::Kind::Failed: fail(QString(ChunkedDecoder::message(m_chunks.error()))); return used;
        }
    }
}

} // namespace boo
