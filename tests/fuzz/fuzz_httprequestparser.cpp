// libFuzzer target for HttpRequestParser (our server's request parser, a security boundary).
//
// Oracle beyond "no crash, no sanitizer report": the same bytes give the same requests and the
// same verdict whether fed at once or in fuzzer-chosen pieces; a request's body never exceeds
// the body limit; every accepted path is already normalised (HttpPath), so authorisation and
// routing can never read it two ways.
#include "core/http/httppath.h"
#include "core/http/httprequestparser.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using boo::HttpRequest;
using boo::HttpRequestParser;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_httprequestparser: %s\n", what);
        std::abort();
    }
}

struct Outcome
{
    QList<QByteArray> requests; // method, target, body of each
    int errorStatus = 0;
};

Outcome run(QByteArrayView input, HttpRequestParser::Limits limits, uint32_t seed)
{
    HttpRequestParser parser(limits);
    Outcome out;
    qsizetype pos = 0;
    uint32_t state = seed * 2654435761u + 1;
    QByteArray pending; // what the parser did not consume, joined with the next piece
    while (pos < input.size() || !pending.isEmpty()) {
        qsizetype len = input.size() - pos;
        if (seed != 0) {
            state = state * 1103515245u + 12345u;
            len = std::min<qsizetype>(len, 1 + (state >> 16) % 23);
        }
        pending += input.sliced(pos, len);
        pos += len;
        qsizetype used = 0;
        for (;;) {
            qsizetype consumed = 0;
            const auto e = parser.feed(QByteArrayView(pending).sliced(used), &consumed);
            used += consumed;
            if (e == HttpRequestParser::Event::Failed) {
                out.errorStatus = parser.errorStatus();
                return out;
            }
            if (e == HttpRequestParser::Event::MessageComplete) {
                const HttpRequest r = parser.takeRequest();
                check(r.body().size() <= limits.maxBodyBytes, "body over the limit");
                const auto normal = boo::HttpPath::normalise(r.rawPath());
                check(normal.ok() && normal.path == r.rawPath(), "accepted a path that is not normalised");
                out.requests << QByteArray(r.method() + ' ' + r.target() + ' ' + r.body());
                continue;
            }
            if (e == HttpRequestParser::Event::HeadComplete)
                continue;
            break; // NeedMore
        }
        pending.remove(0, used);
        if (pos == input.size())
            break;
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    // First byte: body limit (small limits reach the 413 path); second: how to cut the input.
    HttpRequestParser::Limits limits;
    limits.maxHeadBytes = 4096;
    limits.maxBodyBytes = qint64(data[0]) * 8;
    limits.maxHeaderFields = 20;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 2, qsizetype(size - 2));
    const Outcome whole = run(input, limits, 0);
    const Outcome pieces = run(input, limits, data[1] | 1);
    check(whole.errorStatus == pieces.errorStatus, "verdict depends on how the input was cut");
    check(whole.requests == pieces.requests, "requests depend on how the input was cut");
    return 0;
}
