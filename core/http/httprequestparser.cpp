#include "core/http/httprequestparser.h"

#include "core/http/httpheadreader.h"
#include "core/http/httppath.h"
#include "core/http/httpsyntax.h"
#include "core/http/messageframing.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// A chunk-size line: 4096 bytes of size and extensions, then CRLF.
constexpr qsizetype kMaxChunkLineBytes = 4096 + 2;

bool isValidTarget(QByteArrayView s)
{
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f || c == '#')
            return false;
    }
    return true;
}

} // namespace

HttpRequestParser::HttpRequestParser()
    : HttpRequestParser(Limits{})
{
}

HttpRequestParser::HttpRequestParser(Limits limits)
    : m_limits(limits)
{
}

void HttpRequestParser::reset()
{
    m_state = State::Head;
    m_head.clear();
    m_body.clear();
    m_request = HttpRequest();
    m_chunks.reset();
    m_contentLength = -1;
    m_remaining = 0;
    m_chunked = false;
    m_expectContinue = false;
    m_errorStatus = 0;
    m_errorReason.clear();
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest out = std::move(m_request);
    out.setBody(std::move(m_body));
    const Limits limits = m_limits;
    reset();
    m_limits = limits;
    return out;
}

qsizetype HttpRequestParser::findHeadEnd(QByteArrayView data)
{
    qsizetype start = 0;
    while (start < data.size() && (data[start] == '\r' || data[start] == '\n'))
        ++start;
    // The request line itself must not be empty, so the search begins past the skipped lines.
    return start < data.size() ? HttpHeadReader::findBlankLine(data, start) : -1;
}

HttpRequestParser::Event HttpRequestParser::fail(int status, QByteArray reason)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorReason = std::move(reason);
    return Event::Failed;
}

HttpRequestParser::Event HttpRequestParser::failChunked(ChunkedDecoder::Error error)
{
    // The same words for a chunked body over the limit as for a Content-Length one.
    if (error == ChunkedDecoder::Error::BodyTooLarge)
        return fail(413, "request body exceeds the limit"_ba);
    const QLatin1StringView why = ChunkedDecoder::message(error);
    return fail(error == ChunkedDecoder::Error::TrailerTooLarge ? 431 : 400, QByteArray(why.data(), why.size()));
}

HttpRequestParser::Event HttpRequestParser::fail(int status, QLatin1StringView reason)
{
    return fail(status, QByteArray(reason.data(), reason.size()));
}

HttpRequestParser::Event HttpRequestParser::feed(QByteArrayView data, qsizetype *consumed)
{
    qsizetype pos = 0;
    const auto done = [&](Event e) {
        *consumed = pos;
        return e;
    };

    for (;;) {
        switch (m_state) {
        case State::Head: {
            if (m_head.isEmpty()) {
                while (pos < data.size() && (data[pos] == '\r' || data[pos] == '\n'))
                    ++pos;
            }
            if (pos == data.size())
                return done(Event::NeedMore);
            const qsizetype oldSize = m_head.size();
            const qsizetype room = m_limits.maxHeadBytes - oldSize;
            const qsizetype take = qMin(room, data.size() - pos);
            m_head.append(data.sliced(pos, take));
            const qsizetype end = HttpHeadReader::findBlankLine(m_head, oldSize - 3);
            if (end < 0) {
                pos += take;
                if (m_head.size() >= m_limits.maxHeadBytes)
                    return done(fail(431, "header block exceeds the limit"_ba));
                return done(Event::NeedMore);
            }
            pos += end - oldSize;
            m_head.truncate(end);
            const Event e = parseHead();
            return done(e);
        }
        case State::BodyStart: {
            // HeadComplete was reported; the caller has had its chance to change the limit.
            const Event e = startBody();
            if (e != Event::NeedMore)
                return done(e);
            break;
        }
        case State::FixedBody: {
            const qsizetype take = qMin<qint64>(m_remaining, data.size() - pos);
            m_body.append(data.sliced(pos, take));
            pos += take;
            m_remaining -= take;
            if (m_remaining > 0)
                return done(Event::NeedMore);
            m_state = State::Complete;
            return done(Event::MessageComplete);
        }
        case State::Chunked: {
            const ChunkedDecoder::Step step = m_chunks.next(data.sliced(pos));
            pos += step.consumed;
            switch (step.kind) {
            case ChunkedDecoder::Step::Kind::Data:
                m_body.append(step.data);
                if (pos == data.size())
                    return done(Event::NeedMore);
                break;
            case ChunkedDecoder::Step::Kind::NeedMore: return done(Event::NeedMore);
            case ChunkedDecoder::Step::Kind::Done: m_state = State::Complete; return done(Event::MessageComplete);
            case ChunkedDecoder::Step::Kind::Failed: return done(failChunked(m_chunks.error()));
            }
            break;
        }
        case State::Complete: return done(Event::MessageComplete);
        case State::Failed: return done(Event::Failed);
        }
    }
}

HttpRequestParser::Event HttpRequestParser::startBody()
{
    if (m_chunked) {
        // The trailer block may be as large as a header block, no more.
        m_chunks.reset({kMaxChunkLineBytes, m_limits.maxHeadBytes, m_limits.maxBodyBytes});
        m_state = State::Chunked;
        return Event::NeedMore;
    }
    if (m_contentLength > m_limits.maxBodyBytes)
        return fail(413, "request body exceeds the limit"_ba);
    if (m_contentLength <= 0) {
        m_state = State::Complete;
        return Event::MessageComplete;
    }
    m_body.reserve(m_contentLength);
    m_state = State::FixedBody;
    m_remaining = m_contentLength;
    return Event::NeedMore;
}

HttpRequestParser::Event HttpRequestParser::parseHead()
{
    // Leading empty lines were skipped before the head was collected (RFC 9112 §2.2).
    QByteArrayView requestLine;
    HttpHeaders headers;
    const HttpHeadReader::Error headError = HttpHeadReader::read(m_head, m_limits.maxHeaderFields, &requestLine, &headers);
    if (headError != HttpHeadReader::Error::None)
        return fail(headError == HttpHeadReader::Error::TooManyFields ? 431 : 400, HttpHeadReader::message(headError));

    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0)
        return fail(400, "malformed request line"_ba);
    const QByteArrayView method = requestLine.first(sp1);
    const QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (!httpsyntax::isToken(method))
        return fail(400, "malformed method"_ba);
    if (target.isEmpty() || !isValidTarget(target))
        return fail(400, "malformed request target"_ba);
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.' || version[5] < '0' || version[5] > '9' || version[7] < '0'
        || version[7] > '9') {
        return fail(400, "malformed HTTP version"_ba);
    }
    const int major = version[5] - '0';
    const int minor = version[7] - '0';
    if (major != 1)
        return fail(505, "unsupported HTTP version"_ba);
    m_request.setMethod(method.toByteArray());
    m_request.setVersion(1, qMin(minor, 1));

    if (m_request.versionMinor() == 1 && headers.values("host").size() != 1)
        return fail(400, "missing or repeated Host header"_ba);

    const MessageFraming framing = MessageFraming::forRequest(headers, m_request.versionMinor());
    if (!framing.ok())
        return fail(MessageFraming::requestStatus(framing.error), MessageFraming::message(framing.error));
    m_chunked = framing.kind == MessageFraming::Kind::Chunked;
    m_contentLength = framing.length;

    if (target == "*") {
        if (method != "OPTIONS")
            return fail(400, "asterisk target outside OPTIONS"_ba);
    } else if (!target.startsWith('/') && !target.startsWith("http://") && !target.startsWith("https://")) {
        return fail(400, "malformed request target"_ba);
    }
    if (!m_request.setTarget(target.toByteArray()))
        return fail(400, "malformed percent-encoding in path"_ba);
    // Authorisation and routing must read the same path: refuse what readers could resolve
    // differently, collapse empty segments.
    const HttpPath::Normalised path = HttpPath::normalise(m_request.rawPath());
    if (!path.ok())
        return fail(400, HttpPath::message(path.error));
    if (path.path != m_request.rawPath())
        m_request.setTarget(m_request.hasQuery() ? path.path + '?' + m_request.rawQuery() : path.path);

    const QByteArray expect = headers.value("expect");
    if (!expect.isEmpty()) {
        if (!HttpHeaders::namesEqual(expect, "100-continue"))
            return fail(417, "unsupported expectation"_ba);
        m_expectContinue = m_request.versionMinor() == 1;
    }

    m_request.setHeaders(std::move(headers));
    m_head.clear();
    m_state = State::BodyStart;
    return Event::HeadComplete;
}

} // namespace boo
