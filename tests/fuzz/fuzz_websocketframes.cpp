// libFuzzer target for WebSocketFrameParser (frames from control WebSocket clients).
//
// Oracle: the same bytes give the same messages and the same close code at once or in pieces;
// no message is larger than the limit; a failure is one of the close codes a server may send
// for it (1002, 1007, 1009).
#include "core/http/websocketframeparser.h"

#include <QList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using boo::WebSocketFrameParser;
using Kind = WebSocketFrameParser::Event::Kind;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_websocketframes: %s\n", what);
        std::abort();
    }
}

struct Outcome
{
    QList<QByteArray> events; // kind, then payload
    quint16 code = 0;
    bool failed = false;
};

Outcome run(QByteArrayView input, WebSocketFrameParser::Limits limits, uint32_t seed)
{
    WebSocketFrameParser parser(limits);
    Outcome out;
    qsizetype pos = 0;
    uint32_t state = seed * 2654435761u + 1;
    while (pos < input.size()) {
        qsizetype len = input.size() - pos;
        if (seed != 0) {
            state = state * 1103515245u + 12345u;
            len = std::min<qsizetype>(len, 1 + (state >> 16) % 19);
        }
        QByteArrayView piece = input.sliced(pos, len);
        pos += len;
        for (;;) {
            const WebSocketFrameParser::Event e = parser.next(piece);
            check(e.consumed >= 0 && e.consumed <= piece.size(), "consumed more than it was given");
            piece = piece.sliced(e.consumed);
            if (e.kind == Kind::NeedMore)
                break;
            if (e.kind == Kind::Text || e.kind == Kind::Binary)
                check(e.payload.size() <= limits.maxMessageBytes, "message over the limit");
            out.events << QByteArray(QByteArray::number(int(e.kind)) + ':' + e.payload);
            if (e.kind == Kind::Failed || e.kind == Kind::Close) {
                out.code = e.closeCode;
                out.failed = e.kind == Kind::Failed;
                return out;
            }
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    WebSocketFrameParser::Limits limits;
    limits.maxFrameBytes = 1 + qint64(data[0]) * 2;
    limits.maxMessageBytes = limits.maxFrameBytes * 3;
    limits.requireMask = data[1] & 1;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 2, qsizetype(size - 2));
    const Outcome whole = run(input, limits, 0);
    const Outcome pieces = run(input, limits, data[1] | 1);
    check(whole.events == pieces.events && whole.code == pieces.code, "outcome depends on how the input was cut");
    if (whole.failed)
        check(whole.code == 1002 || whole.code == 1007 || whole.code == 1009, "unexpected close code");
    return 0;
}
