#include "core/http/upstreamresponseparser.h"

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
    const qsizetype end = m_buffer.indexOf("\r\n\r\n", qMax<qsizetype>(0, kept - 3));
    if (end < 0) {
        if (m_buffer.size() > kMaxHeadBytes)
            fail(u"the response head is larger than %1 bytes"_s.arg(kMaxHeadBytes));
        return data.size();
    }
    const qsizetype headBytes = end + 4;
    const bool parsed = parseHead(QByteArrayView(m_buffer).first(end));
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
    qsizetype lineEnd = head.indexOf("\r\n");
    const QByteArrayView statusLine = lineEnd < 0 ? head : head.first(lineEnd);
    if (!statusLine.startsWith("HTTP/1.") || statusLine.size() < 12 || statusLine[8] != ' ') {
        fail(u"not an HTTP/1.x response"_s);
        return false;
    }
    bool ok = false;
    m_status = statusLine.sliced(9, 3).toInt(&ok);
    if (!ok || m_status < 100 || m_status > 999) {
        fail(u"bad status line"_s);
        return false;
    }
    const bool http10 = statusLine[7] == '0';
    HttpHeaders headers;
    qsizetype pos = lineEnd < 0 ? head.size() : lineEnd + 2;
    while (pos < head.size()) {
        lineEnd = head.indexOf("\r\n", pos);
        const QByteArrayView line = head.sliced(pos, (lineEnd < 0 ? head.size() : lineEnd) - pos);
        pos = lineEnd < 0 ? head.size() : lineEnd + 2;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            fail(u"bad header line"_s);
            return false;
        }
        headers.add(line.first(colon).trimmed().toByteArray(), line.sliced(colon + 1).trimmed().toByteArray());
    }
    m_headers = std::move(headers);
    m_keepAlive = http10 ? m_headers.hasToken("connection", "keep-alive") : !m_headers.hasToken("connection", "close");

    const bool noBody = m_headRequest || m_status < 200 || m_status == 204 || m_status == 304;
    if (noBody) {
        m_framing = Framing::None;
    } else if (m_headers.hasToken("transfer-encoding", "chunked")) {
        m_framing = Framing::Chunked;
        m_chunks.reset(kChunkLimits);
    } else if (m_headers.contains("content-length")) {
        m_remaining = m_headers.value("content-length").trimmed().toLongLong(&ok);
        if (!ok || m_remaining < 0) {
            fail(u"bad Content-Length"_s);
            return false;
        }
        m_framing = m_remaining == 0 ? Framing::None : Framing::Length;
    } else {
        m_framing = Framing::UntilClose;
        m_keepAlive = false;
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
