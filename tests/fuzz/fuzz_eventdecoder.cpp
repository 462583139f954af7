// libFuzzer target for the /api/events decoding path: SseParser -> EventDecoder, plus the
// envelope decoder on the raw input (so the fuzzer need not learn SSE framing to reach JSON).
//
// Oracle: no crash, no sanitizer report, no exception; every event is counted exactly once as
// decoded, unknown or error; an error always carries a code and a message; and whenever the
// envelope scanner (the fast path) answers, QJsonDocument reads the same type and data.
#include "core/protocol/envelopescanner.h"
#include "core/protocol/eventdecoder.h"
#include "core/protocol/sseparser.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace boo;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_eventdecoder: %s\n", what);
        std::abort();
    }
}

void checkResult(const Result<HostEvent> &result)
{
    if (!result.ok())
        check(!result.error().code.isEmpty() && !result.error().message.isEmpty(), "error without code or message");
}

void checkScannerAgreesWithParser(const QByteArray &input)
{
    const auto scanned = scanStringEnvelope(input);
    if (!scanned)
        return;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(input, &error);
    check(error.error == QJsonParseError::NoError && document.isObject(), "scanner read what the parser refuses");
    const QJsonObject object = document.object();
    check(object.value(QLatin1String("type")).toString().toUtf8() == scanned->type, "scanner and parser disagree on type");
    check(object.value(QLatin1String("data")).isString(), "scanner read a data the parser does not see as a string");
    check(object.value(QLatin1String("data")).toString().toUtf8() == scanned->data, "scanner and parser disagree on data");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));

    EventDecoder decoder;
    SseParser parser(64 * 1024);
    const QList<SseEvent> events = parser.feed(input);
    for (const SseEvent &event : events)
        checkResult(decoder.decode(event));
    check(decoder.decodedCount() + decoder.unknownTypeCount() + decoder.errorCount() == events.size(), "counters do not add up");

    checkResult(decoder.decodeEnvelope(input));
    checkScannerAgreesWithParser(input);
    return 0;
}
