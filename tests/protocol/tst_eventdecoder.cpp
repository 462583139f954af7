#include "core/protocol/eventdecoder.h"
#include "core/protocol/sseparser.h"
#include "testfixtures.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

QList<Result<HostEvent>> decodeStream(const QByteArray &stream, EventDecoder &decoder)
{
    SseParser parser;
    QList<Result<HostEvent>> results;
    const auto events = parser.feed(stream);
    for (const SseEvent &event : events)
        results.append(decoder.decode(event));
    return results;
}

template <typename T>
const T &as(const Result<HostEvent> &result)
{
    if (!result.ok())
        qFatal("decode failed: %s", qPrintable(result.error().message));
    if (!std::holds_alternative<T>(*result))
        qFatal("unexpected event alternative %d", int(result->index()));
    return std::get<T>(*result);
}

SseEvent envelope(const QByteArray &json)
{
    return SseEvent{QByteArray("message"), json, QByteArray(), std::nullopt};
}

QByteArray wrap(const char *type, const QByteArray &innerJson)
{
    // Double encoding as llama-swap does it: the inner JSON becomes a JSON string.
    QByteArray escaped = innerJson;
    escaped.replace('\\', "\\\\").replace('"', "\\\"");
    return "{\"type\":\"" + QByteArray(type) + "\",\"data\":\"" + escaped + "\"}";
}

} // namespace

class TestEventDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void currentFixtureStream();
    void currentFixtureDetails();
    void v235Stream();
    void v234Stream();
    void inflightShapes_data();
    void inflightShapes();
    void unknownTypesAreCountedNotErrors();
    void dataMayBePlainJson();
    void malformed_data();
    void malformed();
    void hugeLines();
    void newerReleaseFields();
};

void TestEventDecoder::currentFixtureStream()
{
    EventDecoder decoder;
    const auto results = decodeStream(readFixture(u"api-events.sse"_s), decoder);
    QCOMPARE(results.size(), 21);
    // The variant index of every message, in stream order (see the fixture).
    const QList<size_t> expected{1, 1, 0, 2, 3, 4, 4, 0, 0, 0, 1, 1, 0, 4, 4, 5, 4, 1, 3, 0, 4};
    QList<size_t> actual;
    for (const auto &result : results) {
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
        actual << result->index();
    }
    QCOMPARE(actual, expected);
    QCOMPARE(decoder.decodedCount(), 21);
    QCOMPARE(decoder.errorCount(), 0);
    QCOMPARE(decoder.unknownTypeCount(), 0);
}

void TestEventDecoder::currentFixtureDetails()
{
    EventDecoder decoder;
    const auto r = decodeStream(readFixture(u"api-events.sse"_s), decoder);
    QCOMPARE(r.size(), 21);

    const auto &proxyLog = as<LogDataEvent>(r[0]);
    QCOMPARE(proxyLog.source, LogDataEvent::Source::Proxy);
    QVERIFY(proxyLog.text.startsWith(u"[INFO] llama-swap listening on http://:8080\n"_s));
    QVERIFY(proxyLog.text.contains(u"[INFO] <gpt-oss-20b> Health check passed"_s)); // \u003c decoded
    QVERIFY(proxyLog.text.contains(u"\"POST /v1/chat/completions HTTP/1.1\" 200 9321"_s));
    QCOMPARE(proxyLog.text.count(u'\n'), 5);
    const auto &upstreamLog = as<LogDataEvent>(r[1]);
    QCOMPARE(upstreamLog.source, LogDataEvent::Source::Upstream);
    QCOMPARE(upstreamLog.text,
             u"main: server is listening on http://127.0.0.1:5800 - starting the main loop\n"
             "srv  update_slots: all slots are idle\n"_s);

    const auto &status = as<ModelStatusEvent>(r[2]);
    QCOMPARE(status.models.size(), 4);
    QCOMPARE(status.models[0].id, u"bge-reranker"_s);
    QCOMPARE(status.models[0].name, u"BGE reranker v2"_s);
    QCOMPARE(status.models[0].state, ModelState::Stopped);
    QVERIFY(status.models[0].unlisted);
    QCOMPARE(status.models[0].capabilities, (QMap<QString, bool>{{u"reranker"_s, true}}));
    QCOMPARE(status.models[1].id, u"gpt-oss-20b"_s);
    QCOMPARE(status.models[1].state, ModelState::Ready);
    QVERIFY(!status.models[1].contextLength.has_value());
    QCOMPARE(status.models[2].aliases, QStringList{u"qwen3"_s});
    QCOMPARE(status.models[2].contextLength, std::optional<qint64>(32768));
    QCOMPARE(status.models[2].description, u"MoE, vision"_s);
    QCOMPARE(status.models[2].capabilities.value(u"vision"_s), true);
    QCOMPARE(status.models[2].capabilities.value(u"function_calling"_s), true);
    QCOMPARE(status.models[3].id, u"gpu-box-2/llama-3.3-70b"_s);
    QCOMPARE(status.models[3].state, ModelState::None);
    QCOMPARE(status.models[3].peerId, u"gpu-box-2"_s);
    QVERIFY(status.models[3].isPeer());

    QCOMPARE(as<UiConfigEvent>(r[3]).sessionIdHeaders, (QStringList{u"X-Session-ID"_s, u"X-Litellm-Session-Id"_s}));
    QCOMPARE(as<ProfileChangedEvent>(r[4]).active, std::optional<QString>());

    const auto &snapshot = as<InFlightEvent>(r[5]).update;
    QCOMPARE(snapshot.operation, InFlightUpdate::Operation::Snapshot);
    QCOMPARE(snapshot.shape, InFlightUpdate::Shape::Operations);
    QVERIFY(snapshot.requests.isEmpty());
    QCOMPARE(snapshot.total, 0);

    const auto &admitted = as<InFlightEvent>(r[6]).update;
    QCOMPARE(admitted.operation, InFlightUpdate::Operation::Upsert);
    QVERIFY(admitted.request.has_value());
    QCOMPARE(admitted.request->id, u"7"_s);
    QCOMPARE(admitted.request->timestampMs, Q_INT64_C(1787416853902));
    QCOMPARE(admitted.request->model, u"qwen3-30b-a3b"_s);
    QCOMPARE(admitted.request->reqPath, u"/v1/chat/completions"_s);
    QCOMPARE(admitted.request->method, u"POST"_s);
    QCOMPARE(admitted.request->remoteIp, u"192.168.1.50"_s);
    QCOMPARE(admitted.request->reqHeaders.size(), 7);
    QCOMPARE(admitted.request->reqHeaders.value(u"Authorization"_s), u"[REDACTED]"_s);
    QCOMPARE(admitted.request->reqHeaders.value(u"X-Session-Id"_s), u"sess-7f3a"_s);
    QVERIFY(admitted.request->respHeaders.isEmpty());
    QCOMPARE(admitted.request->respBytes, std::optional<qint64>(0));
    QCOMPARE(admitted.request->elapsedMs, std::optional<qint64>(2));

    QCOMPARE(as<ModelStatusEvent>(r[7]).models[1].state, ModelState::Stopping);
    QCOMPARE(as<ModelStatusEvent>(r[8]).models[1].state, ModelState::Stopped);
    QCOMPARE(as<ModelStatusEvent>(r[9]).models[2].state, ModelState::Starting);
    QCOMPARE(as<ModelStatusEvent>(r[12]).models[2].state, ModelState::Ready);
    QVERIFY(as<LogDataEvent>(r[11]).text.startsWith(u"[INFO] <qwen3-30b-a3b> Health check passed"_s));

    const auto &headers = as<InFlightEvent>(r[13]).update;
    QCOMPARE(headers.request->respHeaders.value(u"Server"_s), u"llama.cpp"_s);
    QCOMPARE(headers.request->respHeaders.value(u"Access-Control-Allow-Origin"_s), QString(u""_s));
    QCOMPARE(headers.request->elapsedMs, std::optional<qint64>(6341));
    QCOMPARE(as<InFlightEvent>(r[14]).update.request->respBytes, std::optional<qint64>(18234));

    QCOMPARE(as<ActivityEvent>(r[15]).id, 1043);
    const auto &removed = as<InFlightEvent>(r[16]).update;
    QCOMPARE(removed.operation, InFlightUpdate::Operation::Remove);
    QCOMPARE(removed.removedId, u"7"_s);
    QCOMPARE(as<ProfileChangedEvent>(r[18]).active, std::optional<QString>(u"night"_s));

    const auto &recovery = as<InFlightEvent>(r[20]).update;
    QCOMPARE(recovery.operation, InFlightUpdate::Operation::Snapshot);
    QCOMPARE(recovery.requests.size(), 1);
    QCOMPARE(recovery.total, 1);
    QCOMPARE(recovery.requests[0].id, u"7"_s);
    QCOMPARE(recovery.requests[0].respBytes, std::optional<qint64>(512));
    QCOMPARE(recovery.requests[0].elapsedMs, std::optional<qint64>(120));
}

void TestEventDecoder::v235Stream()
{
    EventDecoder decoder;
    const auto r = decodeStream(readFixture(u"older/v235-events.sse"_s), decoder);
    QCOMPARE(r.size(), 7);
    QCOMPARE(decoder.errorCount(), 0);

    const auto &empty = as<InFlightEvent>(r[2]).update;
    QCOMPARE(empty.shape, InFlightUpdate::Shape::FullList);
    QCOMPARE(empty.operation, InFlightUpdate::Operation::Snapshot);
    QVERIFY(empty.requests.isEmpty());

    const auto &initialRows = as<MetricsEvent>(r[3]).entries;
    QCOMPARE(initialRows.size(), 2);
    QCOMPARE(initialRows[0].id, 0); // legacy ids start at 0
    QCOMPARE(initialRows[0].timestampMs, Q_INT64_C(1773498413589));
    QCOMPARE(initialRows[0].cacheTokens, std::optional<qint64>(128));
    QCOMPARE(initialRows[0].inputTokens, std::optional<qint64>(402));
    QCOMPARE(initialRows[0].outputTokens, std::optional<qint64>(251));
    QCOMPARE(initialRows[0].promptPerSecond, std::optional<double>(1532.7));
    QCOMPARE(initialRows[0].tokensPerSecond, std::optional<double>(61.25));
    QCOMPARE(initialRows[0].draftTokens, std::optional<qint64>()); // not sent by this release
    QVERIFY(!initialRows[0].hasCapture);
    QCOMPARE(initialRows[1].id, 1);
    QCOMPARE(initialRows[1].timestampMs, Q_INT64_C(1773498430000)); // .000000001 truncates
    QCOMPARE(initialRows[1].cacheTokens, std::optional<qint64>());
    QCOMPARE(initialRows[1].promptPerSecond, std::optional<double>());

    const auto &list = as<InFlightEvent>(r[4]).update;
    QCOMPARE(list.shape, InFlightUpdate::Shape::FullList);
    QCOMPARE(list.requests.size(), 1);
    QCOMPARE(list.requests[0].id, u"3"_s);
    QCOMPARE(list.requests[0].timestampMs, Q_INT64_C(1773498445123));
    QCOMPARE(list.requests[0].model, u"mistral-7b"_s);
    QCOMPARE(list.requests[0].respBytes, std::optional<qint64>()); // v240+ field
    QCOMPARE(list.requests[0].elapsedMs, std::optional<qint64>());

    const auto &failed = as<MetricsEvent>(r[5]).entries;
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed[0].id, 2);
    QCOMPARE(failed[0].respStatusCode, 502);
    QCOMPARE(failed[0].timestampMs, Q_INT64_C(1773498451500));
    QVERIFY(!failed[0].tokensReported);
    QCOMPARE(failed[0].inputTokens, std::optional<qint64>());
}

void TestEventDecoder::v234Stream()
{
    EventDecoder decoder;
    const auto r = decodeStream(readFixture(u"older/v234-events.sse"_s), decoder);
    QCOMPARE(r.size(), 5);
    QList<qint64> totals;
    for (int i : {1, 2, 4}) {
        const auto &update = as<InFlightEvent>(r[i]).update;
        QCOMPARE(update.shape, InFlightUpdate::Shape::Total);
        QCOMPARE(update.operation, InFlightUpdate::Operation::Count);
        totals << update.total;
    }
    QCOMPARE(totals, (QList<qint64>{0, 2, 1}));
    QCOMPARE(as<MetricsEvent>(r[3]).entries.at(0).id, 0);
}

void TestEventDecoder::inflightShapes_data()
{
    QTest::addColumn<QByteArray>("inner");
    QTest::addColumn<int>("operation");
    QTest::addColumn<int>("shape");
    QTest::addColumn<qint64>("total");
    using Op = InFlightUpdate::Operation;
    using Shape = InFlightUpdate::Shape;
    QTest::newRow("snapshot without requests") << QByteArray(R"({"operation":"snapshot"})") << int(Op::Snapshot) << int(Shape::Operations)
                                               << Q_INT64_C(0);
    QTest::newRow("snapshot with null requests")
        << QByteArray(R"({"operation":"snapshot","requests":null})") << int(Op::Snapshot) << int(Shape::Operations) << Q_INT64_C(0);
    QTest::newRow("snapshot with two") << QByteArray(R"({"operation":"snapshot","requests":[{"id":"1"},{"id":"2"}]})") << int(Op::Snapshot)
                                       << int(Shape::Operations) << Q_INT64_C(2);
    QTest::newRow("v235 full list") << QByteArray(
        R"({"requests":[{"id":"4","timestamp":"2026-03-14T09:27:25Z","model":"m","req_path":"/v1/completions","method":"POST"}]})")
                                    << int(Op::Snapshot) << int(Shape::FullList) << Q_INT64_C(1);
    QTest::newRow("v235 null list") << QByteArray(R"({"requests":null})") << int(Op::Snapshot) << int(Shape::FullList) << Q_INT64_C(0);
    QTest::newRow("v234 total") << QByteArray(R"({"total":3})") << int(Op::Count) << int(Shape::Total) << Q_INT64_C(3);
    QTest::newRow("remove") << QByteArray(R"({"operation":"remove","id":"9"})") << int(Op::Remove) << int(Shape::Operations)
                            << Q_INT64_C(0);
    QTest::newRow("upsert numeric id") << QByteArray(R"({"operation":"upsert","request":{"id":12}})") << int(Op::Upsert)
                                       << int(Shape::Operations) << Q_INT64_C(1);
}

void TestEventDecoder::inflightShapes()
{
    QFETCH(QByteArray, inner);
    QFETCH(int, operation);
    QFETCH(int, shape);
    QFETCH(qint64, total);
    EventDecoder decoder;
    const auto result = decoder.decode(envelope(wrap("inflight", inner)));
    const auto &update = as<InFlightEvent>(result).update;
    QCOMPARE(int(update.operation), operation);
    QCOMPARE(int(update.shape), shape);
    QCOMPARE(update.total, total);
    if (update.operation == InFlightUpdate::Operation::Upsert)
        QCOMPARE(update.request->id, u"12"_s);
    if (update.operation == InFlightUpdate::Operation::Remove)
        QCOMPARE(update.removedId, u"9"_s);
}

void TestEventDecoder::unknownTypesAreCountedNotErrors()
{
    EventDecoder decoder;
    const auto perf = decoder.decode(envelope(R"({"type":"perfsys","data":"{}"})"));
    QCOMPARE(as<UnknownEvent>(perf).type, u"perfsys"_s);
    const auto other = decoder.decode(SseEvent{QByteArray("ping"), QByteArray("x"), {}, {}});
    QCOMPARE(as<UnknownEvent>(other).type, u"event:ping"_s);
    QCOMPARE(decoder.unknownTypeCount(), 2);
    QCOMPARE(decoder.errorCount(), 0);
    QCOMPARE(decoder.decodedCount(), 0);
    decoder.resetCounters();
    QCOMPARE(decoder.unknownTypeCount(), 0);
}

void TestEventDecoder::dataMayBePlainJson()
{
    EventDecoder decoder;
    // Go writes a nil slice as null: no models / no rows, not an error.
    QVERIFY(as<ModelStatusEvent>(decoder.decode(envelope(wrap("modelStatus", "null")))).models.isEmpty());
    QVERIFY(as<MetricsEvent>(decoder.decode(envelope(wrap("metrics", " null ")))).entries.isEmpty());
    QCOMPARE(as<ActivityEvent>(decoder.decode(envelope(R"({"type":"activity","data":{"id":5}})"))).id, 5);
    QCOMPARE(as<ActivityEvent>(decoder.decode(envelope(wrap("activity", R"({"id":1043})")))).id, 1043);
}

void TestEventDecoder::newerReleaseFields()
{
    // v251-v260 (docs/protocol.md): fields older decoders never saw; older shapes decode as before.
    EventDecoder decoder;
    const auto models = as<ModelStatusEvent>(decoder.decode(envelope(wrap(
        "modelStatus",
        R"([{"id":"a","name":"","description":"","state":"ready","unlisted":false,"peerID":"","readySince":"2026-12-01T10:00:00.5+02:00","uptimeMs":61000},)"
        R"({"id":"b","name":"","description":"","state":"stopped","unlisted":false,"peerID":""}])"))));
    QCOMPARE(models.models.size(), 2);
    QCOMPARE(models.models.at(0).readySinceMs, std::optional<qint64>(1'796'112'000'500));
    QCOMPARE(models.models.at(0).uptimeMs, std::optional<qint64>(61000));
    QVERIFY(!models.models.at(1).readySinceMs && !models.models.at(1).uptimeMs);

    const auto ui = as<UiConfigEvent>(
        decoder.decode(envelope(wrap("uiConfig", R"({"activity":{"session_id":["X-Session-ID"]},"globalConcurrencyLimit":4})"))));
    QCOMPARE(ui.globalConcurrencyLimit, std::optional<qint64>(4));
    const auto none = decoder.decode(envelope(wrap("uiConfig", R"({"activity":{"session_id":[]}})")));
    QVERIFY(!as<UiConfigEvent>(none).globalConcurrencyLimit);
    const auto zero = decoder.decode(envelope(wrap("uiConfig", R"({"activity":{},"globalConcurrencyLimit":0})")));
    QVERIFY(!as<UiConfigEvent>(zero).globalConcurrencyLimit); // no limit

    const auto bad = decoder.decode(envelope(wrap(
        "modelStatus", R"([{"id":"a","name":"","description":"","state":"ready","unlisted":false,"peerID":"","readySince":"soon"}])")));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, u"protocol.value"_s);

    const auto rows = as<MetricsEvent>(decoder.decode(envelope(wrap(
        "metrics",
        R"([{"id":7,"timestamp":"2026-12-01T10:00:00Z","model":"a","req_path":"/v1/chat/completions","resp_content_type":"",)"
        R"("resp_status_code":499,"tokens":{"cache_tokens":0,"draft_tokens":0,"draft_acc_tokens":0,"input_tokens":0,"output_tokens":0,)"
        R"("prompt_per_second":0,"tokens_per_second":0},"duration_ms":12,"has_capture":false,)"
        R"("error_msg":"client disconnected before response","src":"xff:10.1.2.3"}])"))));
    QCOMPARE(rows.entries.size(), 1);
    QCOMPARE(rows.entries.at(0).src, u"xff:10.1.2.3"_s);
    QVERIFY(rows.entries.at(0).isClientAbort());
}

void TestEventDecoder::malformed_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");

    QTest::newRow("not JSON") << QByteArray("hello") << u"protocol.json"_s << u"event envelope: invalid JSON at byte"_s;
    QTest::newRow("truncated envelope") << QByteArray(R"({"type":"activity","data":"{\"id\":1)") << u"protocol.json"_s
                                        << u"event envelope: invalid JSON"_s;
    QTest::newRow("empty") << QByteArray() << u"protocol.json"_s << u"the body is empty"_s;
    QTest::newRow("envelope is array") << QByteArray("[1,2]") << u"protocol.field"_s << u"is an array, expected an object"_s;
    QTest::newRow("type missing") << QByteArray(R"({"data":"{}"})") << u"protocol.field"_s << u"field \"type\" is missing"_s;
    QTest::newRow("type is a number") << QByteArray(R"({"type":5,"data":"{}"})") << u"protocol.field"_s
                                      << u"field \"type\" is a number, expected a string"_s;
    QTest::newRow("data missing") << QByteArray(R"({"type":"activity"})") << u"protocol.field"_s
                                  << u"activity message: field \"data\" is missing"_s;
    QTest::newRow("data is a number") << QByteArray(R"({"type":"activity","data":7})") << u"protocol.field"_s
                                      << u"field \"data\" is a number, expected a string holding JSON"_s;
    QTest::newRow("inner truncated") << QByteArray(R"({"type":"activity","data":"{\"id\":"})") << u"protocol.json"_s
                                     << u"activity message data: invalid JSON"_s;
    QTest::newRow("activity id string") << wrap("activity", R"({"id":"1043"})") << u"protocol.field"_s
                                        << u"activity: field \"id\" is a string, expected a number"_s;
    QTest::newRow("activity id fraction") << wrap("activity", R"({"id":1.5})") << u"protocol.field"_s
                                          << u"activity: field \"id\" is 1.5, expected a whole number"_s;
    QTest::newRow("activity as array") << wrap("activity", R"([1])") << u"protocol.field"_s
                                       << u"activity message data is an array, expected an object"_s;
    QTest::newRow("modelStatus as object") << wrap("modelStatus", R"({"id":"x"})") << u"protocol.field"_s
                                           << u"modelStatus message data is an object, expected an array"_s;
    QTest::newRow("modelStatus entry without id") << wrap("modelStatus", R"([{"id":"a"},{"state":"ready"}])") << u"protocol.field"_s
                                                  << u"modelStatus model 1: field \"id\" is missing"_s;
    QTest::newRow("modelStatus capability not bool")
        << wrap("modelStatus", R"([{"id":"a","capabilities":{"vision":"yes"}}])") << u"protocol.field"_s
        << u"modelStatus model 0: field \"capabilities.vision\" is a string, expected a boolean"_s;
    QTest::newRow("modelStatus entry not object")
        << wrap("modelStatus", R"([1])") << u"protocol.field"_s << u"modelStatus model 0 is a number, expected an object"_s;
    QTest::newRow("logData text number") << wrap("logData", R"({"data":5,"source":"proxy"})") << u"protocol.field"_s
                                         << u"logData: field \"data\" is a number, expected a string"_s;
    QTest::newRow("uiConfig session_id not list") << wrap("uiConfig", R"({"activity":{"session_id":"X"}})") << u"protocol.field"_s
                                                  << u"uiConfig: field \"activity.session_id\" is a string, expected an array"_s;
    QTest::newRow("uiConfig session_id item") << wrap("uiConfig", R"({"activity":{"session_id":["X",1]}})") << u"protocol.field"_s
                                              << u"field \"activity.session_id[1]\" is a number"_s;
    QTest::newRow("profile active number") << wrap("profileChanged", R"({"active":1})") << u"protocol.field"_s
                                           << u"profileChanged: field \"active\" is a number"_s;
    QTest::newRow("inflight no shape") << wrap("inflight", R"({})") << u"protocol.field"_s << u"inflight: none of the fields"_s;
    QTest::newRow("inflight unknown op") << wrap("inflight", R"({"operation":"merge"})") << u"protocol.value"_s
                                         << u"inflight: unknown operation \"merge\""_s;
    QTest::newRow("inflight upsert no request")
        << wrap("inflight", R"({"operation":"upsert"})") << u"protocol.field"_s << u"inflight: field \"request\" is missing"_s;
    QTest::newRow("inflight remove no id") << wrap("inflight", R"({"operation":"remove"})") << u"protocol.field"_s
                                           << u"inflight: field \"id\" is missing"_s;
    QTest::newRow("inflight bad timestamp") << wrap("inflight",
                                                    R"({"operation":"snapshot","requests":[{"id":"1","timestamp":"yesterday"}]})")
                                            << u"protocol.value"_s
                                            << u"inflight request 0: field \"timestamp\": timestamp \"yesterday\" is not RFC 3339"_s;
    QTest::newRow("inflight header not string")
        << wrap("inflight", R"({"operation":"upsert","request":{"id":"1","req_headers":{"A":["x"]}}})") << u"protocol.field"_s
        << u"inflight upsert request: field \"req_headers.A\" is an array, expected a string"_s;
    QTest::newRow("inflight negative total") << wrap("inflight", R"({"total":-1})") << u"protocol.value"_s << u"expected a count >= 0"_s;
    QTest::newRow("metrics row status string") << wrap(
        "metrics",
        R"([{"id":0,"timestamp":"2026-03-14T09:26:53Z","resp_status_code":200},{"id":1,"timestamp":"2026-03-14T09:26:53Z","resp_status_code":"200"}])")
                                               << u"protocol.field"_s
                                               << u"metrics row 1: field \"resp_status_code\" is a string, expected a number"_s;
    QTest::newRow("metrics scalar") << wrap("metrics", R"("x")") << u"protocol.json"_s << u"metrics message data: invalid JSON"_s;
    QTest::newRow("profileChanged null data") << wrap("profileChanged", "null") << u"protocol.field"_s
                                              << u"profileChanged message data is null, expected an object"_s;
    QTest::newRow("invalid UTF-8") << QByteArray("{\"type\":\"logData\",\"data\":\"\xff\xfe\"}") << u"protocol.json"_s
                                   << u"event envelope: invalid JSON"_s;
}

void TestEventDecoder::malformed()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, code);
    QFETCH(QString, message);
    EventDecoder decoder;
    const auto result = decoder.decode(envelope(data));
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.contains(message), qPrintable(result.error().message));
    QCOMPARE(result.error().code, code);
    QCOMPARE(decoder.errorCount(), 1);
    QCOMPARE(decoder.decodedCount(), 0);
}

void TestEventDecoder::hugeLines()
{
    // The initial logData may carry MiBs of (double-escaped) log text: a 5 MB line must decode...
    const QByteArray text(5 * 1000 * 1000, 'a');
    const QByteArray big = "event:message\ndata:" + wrap("logData", R"({"data":")" + text + R"(\n","source":"upstream"})") + "\n\n";
    SseParser parser;
    const auto events = parser.feed(big);
    QCOMPARE(events.size(), 1);
    EventDecoder decoder;
    const auto decoded = decoder.decode(events.at(0));
    QCOMPARE(as<LogDataEvent>(decoded).text.size(), 5 * 1000 * 1000 + 1);

    // ...and a 5 MB line of garbage must be a typed error, not a crash.
    QByteArray garbage(5 * 1000 * 1000, '{');
    const auto error = decoder.decode(envelope(garbage));
    QVERIFY(!error.ok());
    QCOMPARE(error.error().code, u"protocol.json"_s);
    QVERIFY2(error.error().message.startsWith(u"event envelope: invalid JSON at byte"_s), qPrintable(error.error().message));
    garbage.fill('x');
    const auto text5 = decoder.decode(envelope(wrap("activity", garbage)));
    QVERIFY(!text5.ok());
    QVERIFY2(text5.error().message.startsWith(u"activity message data: invalid JSON"_s), qPrintable(text5.error().message));
    QCOMPARE(decoder.errorCount(), 2);
}

QTEST_GUILESS_MAIN(TestEventDecoder)
#include "tst_eventdecoder.moc"
