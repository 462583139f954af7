// libFuzzer target for SseParser.
//
// Oracle (beyond "no crash, no sanitizer report"): the same bytes must give the same events
// and the same drop count whether fed at once, in fuzzer-chosen chunks, or byte by byte; and
// the parser must never buffer more than its line limit allows.
#include "core/protocol/sseparser.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using boo::SseEvent;
using boo::SseParser;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_sseparser: %s\n", what);
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    // First byte: line limit (small limits exercise the oversize path); second: chunk seed.
    const qsizetype maxLine = 1 + qsizetype(data[0]) * 4;
    const uint8_t seed = data[1];
    const QByteArrayView stream(reinterpret_cast<const char *>(data) + 2, qsizetype(size - 2));

    SseParser whole(maxLine);
    const QList<SseEvent> reference = whole.feed(stream);

    SseParser chunked(maxLine);
    QList<SseEvent> events;
    qsizetype pos = 0;
    uint32_t state = seed * 2654435761u + 1;
    while (pos < stream.size()) {
        state = state * 1103515245u + 12345u;
        const qsizetype len = std::min<qsizetype>(stream.size() - pos, 1 + (state >> 16) % 17);
        events += chunked.feed(stream.sliced(pos, len));
        check(chunked.bufferedBytes() <= 2 * maxLine + 1, "buffered more than the line limit allows");
        pos += len;
    }
    check(events == reference, "chunked feed differs from whole feed");
    check(chunked.droppedEventCount() == whole.droppedEventCount(), "drop count differs (chunked)");

    SseParser bytewise(maxLine);
    QList<SseEvent> single;
    for (qsizetype i = 0; i < stream.size(); ++i)
        single += bytewise.feed(stream.sliced(i, 1));
    check(single == reference, "byte-by-byte feed differs from whole feed");
    check(bytewise.droppedEventCount() == whole.droppedEventCount(), "drop count differs (bytewise)");

    for (const SseEvent &event : reference)
        check(event.data.size() <= maxLine && !event.event.isEmpty(), "event exceeds the limit or has no type");
    return 0;
}
