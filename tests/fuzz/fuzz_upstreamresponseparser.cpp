// libFuzzer target for UpstreamResponseParser (responses from hosts, relayed to our clients).
//
// Oracle: the same bytes give the same head, body and verdict at once or in pieces; the body
// of a Content-Length response is never longer than announced; a failed response stays failed.
#include "core/http/upstreamresponseparser.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using boo::HttpHeaders;
using boo::UpstreamResponseParser;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_upstreamresponseparser: %s\n", what);
        std::abort();
    }
}

struct Outcome
{
    int status = 0;
    int heads = 0;
    QByteArray body;
    QByteArray contentLength;
    UpstreamResponseParser::State state = UpstreamResponseParser::State::Head;
};

Outcome run(QByteArrayView input, bool headRequest, uint32_t seed)
{
    UpstreamResponseParser parser;
    parser.reset(headRequest);
    Outcome out;
    UpstreamResponseParser::Sink sink;
    sink.head = [&](int status, const HttpHeaders &headers) {
        out.status = status;
        ++out.heads;
        out.contentLength = headers.value("content-length");
    };
    sink.body = [&](QByteArrayView piece) { out.body += piece.toByteArray(); };
    qsizetype pos = 0;
    uint32_t state = seed * 2654435761u + 1;
    while (pos < input.size()
           && (parser.state() == UpstreamResponseParser::State::Head || parser.state() == UpstreamResponseParser::State::Body)) {
        qsizetype len = input.size() - pos;
        if (seed != 0) {
            state = state * 1103515245u + 12345u;
            len = std::min<qsizetype>(len, 1 + (state >> 16) % 29);
        }
        const qsizetype used = parser.feed(input.sliced(pos, len), sink);
        check(used >= 0 && used <= len, "used more than it was given");
        pos += len; // bytes after a complete response are ignored, as the connection does
    }
    parser.finishOnClose();
    out.state = parser.state();
    return out;
}

// The announced length: a field may repeat one value as a list ("2, 2", RFC 9110 section 8.6),
// which the parser accepts; the oracle reads the first element.
qint64 announcedLength(const QByteArray &field)
{
    return field.split(',').first().trimmed().toLongLong();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const bool headRequest = data[0] & 1;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const Outcome whole = run(input, headRequest, 0);
    const Outcome pieces = run(input, headRequest, data[0] | 1);
    check(whole.state == pieces.state, "verdict depends on how the input was cut");
    check(whole.heads == pieces.heads && whole.status == pieces.status, "head depends on how the input was cut");
    check(whole.body == pieces.body, "body depends on how the input was cut");
    check(whole.heads <= 1, "more than one head");
    const bool bodyless = headRequest || whole.status == 204 || whole.status == 304 || whole.status < 200;
    if (whole.state == UpstreamResponseParser::State::Done && !whole.contentLength.isEmpty() && !bodyless)
        check(whole.body.size() == announcedLength(whole.contentLength), "body differs from its Content-Length");
    return 0;
}
