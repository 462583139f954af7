#include "core/http/httprequestparser.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// A chunk-size line: 4096 bytes of size and extensions, then CRLF.
constexpr qsizetype kMaxChunkLineBytes = 4096 + 2;

// RFC 9110 §5.6.2 token characters.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
    }
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isValidFieldValue(QByteArrayView s)
{
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

bool isValidTarget(QByteArrayView s)
{
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f || c == '#')
            return false;
    }
    return true;
}

// Index just past a blank line ("\n\n" or "\n\r\n") at or after `from`, or -1.
qsizetype findBlankLine(QByteArrayView data, qsizetype from)
{
    for (qsizetype i = qMax<qsizetype>(from, 0); i < data.size(); ++i) {
        if (data[i] != '\n')
            continue;
        if (i + 1 < data.size() && data[i + 1] == '\n')
            return i + 2;
        if (i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n')
            return i + 3;
    }
    return -1;
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
    return start < data.size() ? findBlankLine(data, start) : -1;
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
            const qsizetype end = findBlankLine(m_head, oldSize - 3);
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
    QList<QByteArrayView> lines;
    {
        QByteArrayView rest = m_head;
        while (!rest.isEmpty()) {
            const qsizetype nl = rest.indexOf('\n');
            QByteArrayView line = nl < 0 ? rest : rest.first(nl);
            if (line.endsWith('\r'))
                line.chop(1);
            if (line.isEmpty())
                break;
            lines.append(line);
            rest = nl < 0 ? QByteArrayView() : rest.sliced(nl + 1);
        }
    }
    if (lines.isEmpty())
        return fail(400, "empty request"_ba);

    const QByteArrayView requestLine = lines.first();
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0)
        return fail(400, "malformed request line"_ba);
    const QByteArrayView method = requestLine.first(sp1);
    const QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (!isToken(method))
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

    HttpHeaders headers;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines.at(i);
        if (line.startsWith(' ') || line.startsWith('\t'))
            return fail(400, "obsolete line folding"_ba);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return fail(400, "malformed header field"_ba);
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (!isValidFieldValue(value))
            return fail(400, "malformed header value"_ba);
        headers.add(line.first(colon).toByteArray(), value.toByteArray());
    }

    if (m_request.versionMinor() == 1 && headers.values("host").size() != 1)
        return fail(400, "missing or repeated Host header"_ba);

    const QByteArrayList transferEncodings = headers.values("transfer-encoding");
    const QByteArrayList contentLengths = headers.values("content-length");
    if (!transferEncodings.isEmpty()) {
        if (m_request.versionMinor() == 0 || !contentLengths.isEmpty())
            return fail(400, "ambiguous message length"_ba);
        if (transferEncodings.size() != 1 || !HttpHeaders::namesEqual(transferEncodings.first(), "chunked"))
            return fail(501, "unsupported transfer coding"_ba);
        m_chunked = true;
    } else if (!contentLengths.isEmpty()) {
        qint64 length = -1;
        for (const QByteArray &field : contentLengths) {
            for (const QByteArray &item : field.split(',')) {
                const QByteArray digits = item.trimmed();
                if (digits.isEmpty() || digits.size() > 18)
                    return fail(400, "bad Content-Length"_ba);
                qint64 v = 0;
                for (char c : digits) {
                    if (c < '0' || c > '9')
                        return fail(400, "bad Content-Length"_ba);
                    v = v * 10 + (c - '0');
                }
                if (length >= 0 && v != length)
                    return fail(400, "conflicting Content-Length"_ba);
                length = v;
            }
        }
        m_contentLength = length;
    }

    if (target == "*") {
        if (method != "OPTIONS")
            return fail(400, "asterisk target outside OPTIONS"_ba);
    } else if (!target.startsWith('/') && !target.startsWith("http://") && !target.startsWith("https://")) {
        return fail(400, "malformed request target"_ba);
    }
    if (!m_request.setTarget(target.toByteArray()))
        return fail(400, "malformed percent-encoding in path"_ba);

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
