#include "simtestsupport.h"

#include "core/sim/simhost.h"
#include "core/sim/simlogmonitor.h"
#include "core/sim/simmodelmanager.h"
#include "core/sim/simstreamgroup.h"

using namespace Qt::StringLiterals;
using namespace boo;
using namespace simtest;

class TestSimFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void dropStreamsResetsConnections();
    void reloadEndsStreamsAndResetsVolatileState();
    void restartResetsIdsAndComesBack();
    void downAndUpKeepState();
    void stallAcceptsButAnswersNothing();
    void stalledListenersKeep1024MessagesAndDropTheRest();
    void malformedEvents_data();
    void malformedEvents();
    void clientVanishingMidStreamIsRecorded();
    void modelCrashEndsStreamsCleanlyWithoutDone();

private:
    quint16 port() const { return m_host->port(); }
    std::unique_ptr<SimHost> m_host;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void TestSimFaults::init()
{
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_host = std::make_unique<SimHost>(fastHost(u"faulty"_s));
    QVERIFY(m_host->start().ok());
}

void TestSimFaults::cleanup()
{
    m_nam.reset();
    m_host.reset();
}

void TestSimFaults::dropStreamsResetsConnections()
{
    RawClient sse(port());
    sse.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    RawClient logs(port());
    logs.send("GET /logs/stream HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(sse.waitFor("\"inflight\""_ba) && logs.waitFor("\r\n\r\n"_ba));
    m_host->dropStreams();
    QVERIFY(sse.waitClosed() && logs.waitClosed());
    QVERIFY(!sse.data().endsWith("\r\n0\r\n\r\n")); // reset, not a proper end
    QCOMPARE(get(*m_nam, port(), u"/health"_s).status, 200);
}

void TestSimFaults::reloadEndsStreamsAndResetsVolatileState()
{
    QCOMPARE(post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"qwen3-8b"_s, false, 2)).status, 200);
    QCOMPARE(post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"qwen3-8b"_s, false, 2)).status, 200);
    QCOMPARE(get(*m_nam, port(), u"/api/captures/2"_s).status, 200);
    RawClient sse(port());
    sse.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    RawClient logs(port());
    logs.send("GET /logs/stream/proxy HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(sse.waitFor("\"inflight\""_ba) && logs.waitFor("\r\n\r\n"_ba));

    m_host->reloadConfig();
    QVERIFY(sse.waitFor("\r\n0\r\n\r\n"_ba)); // the stream ends properly
    QVERIFY(logs.waitFor("\r\n0\r\n\r\n"_ba));
    QCOMPARE(m_host->models()->state(u"qwen3-8b"_s), SimModelState::Stopped);
    QCOMPARE(get(*m_nam, port(), u"/api/captures/2"_s).status, 404); // captures are gone
    QCOMPARE(m_host->activity().size(), 2);                          // the activity store stays

    RawClient again(port());
    again.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(again.waitFor("\"inflight\""_ba));
    QCOMPARE(post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"qwen3-8b"_s, false, 2)).status, 200);
    QVERIFY(again.waitFor("\\\"operation\\\":\\\"remove\\\""_ba));
    QVERIFY(again.data().contains("{\\\"operation\\\":\\\"remove\\\",\\\"id\\\":\\\"1\\\"}")); // in-flight ids start over
    QVERIFY(again.data().contains("{\\\"id\\\":3}"));                                          // activity ids do not
}

void TestSimFaults::restartResetsIdsAndComesBack()
{
    QCOMPARE(post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"qwen3-8b"_s, false, 2)).status, 200);
    QCOMPARE(m_host->activity().lastId(), 1);
    RawClient sse(port());
    sse.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(sse.waitFor("\"inflight\""_ba));
    QSignalSpy upChanged(m_host.get(), &SimHost::upChanged);
    m_host->restart(200, u"v251"_s);
    QVERIFY(sse.waitClosed());
    QVERIFY(!m_host->isUp());
    const Reply refused = get(*m_nam, port(), u"/health"_s);
    QCOMPARE(refused.error, QNetworkReply::ConnectionRefusedError);
    QTRY_VERIFY_WITH_TIMEOUT(m_host->isUp(), 5000);
    QCOMPARE(upChanged.size(), 2);
    QCOMPARE(get(*m_nam, port(), u"/api/version"_s).object().value(u"version"_s).toString(), u"v251"_s);
    QCOMPARE(get(*m_nam, port(), u"/api/metrics/activity"_s).object().value(u"total"_s).toInt(), 0);
    QCOMPARE(post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"qwen3-8b"_s, false, 2)).status, 200);
    QCOMPARE(m_host->activity().lastId(), 1); // ids restart with the in-memory database
    QCOMPARE(m_host->activity().rows().back().id, 1);
}

void TestSimFaults::downAndUpKeepState()
{
    m_host->goDown();
    QCOMPARE(get(*m_nam, port(), u"/health"_s).error, QNetworkReply::ConnectionRefusedError);
    // The host keeps working while unreachable: rows pile up for the client to catch up on.
    SimTrafficSpec spec;
    spec.count = 5;
    spec.model = u"qwen3-8b"_s;
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 5, 5000);
    QVERIFY(m_host->comeUp().ok());
    QCOMPARE(get(*m_nam, port(), u"/api/metrics/activity"_s).object().value(u"total"_s).toInt(), 5);
}

void TestSimFaults::stallAcceptsButAnswersNothing()
{
    RawClient sse(port());
    sse.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(sse.waitFor("\"inflight\""_ba));
    const qsizetype before = sse.data().size();
    m_host->setStalled(true);
    RawClient stuck(port());
    QCOMPARE(stuck.socket().state(), QAbstractSocket::ConnectedState);
    stuck.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    SimTrafficSpec spec;
    spec.model = u"qwen3-8b"_s;
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 1, 5000);
    QTest::qWait(150);
    QVERIFY(stuck.data().isEmpty());
    QCOMPARE(sse.data().size(), before); // a hung host tells its listeners nothing either
    m_host->setStalled(false);
    QVERIFY(stuck.waitFor("\r\n\r\nOK"_ba));
}

// llama-swap queues 1,024 messages per event subscriber while its writer is blocked and drops
// what comes after, silently (reference §3.1); the queued ones are sent once it writes again.
void TestSimFaults::stalledListenersKeep1024MessagesAndDropTheRest()
{
    RawClient sse(port());
    sse.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(sse.waitFor("\"inflight\""_ba));
    const qsizetype before = sse.data().count("event:message");
    m_host->setStalled(true);
    SimTrafficSpec spec;
    spec.model = u"qwen3-8b"_s;
    spec.count = 400; // several messages each: far more than 1,024
    spec.timing = SimTrafficSpec::Timing::Instant;
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 400, 10000);
    QTest::qWait(100);
    QCOMPARE(sse.data().count("event:message"), before);
    const qint64 dropped = m_host->eventStreams()->droppedWrites();
    QVERIFY2(dropped > 400, qPrintable(QString::number(dropped)));

    m_host->setStalled(false);
    QVERIFY(sse.waitCount("event:message"_ba, int(before) + 1024));
    QTest::qWait(200);
    QCOMPARE(sse.data().count("event:message"), before + 1024);
    QVERIFY(!sse.data().contains("{\\\"id\\\":400}")); // the last activity event was dropped
    QCOMPARE(m_host->eventStreams()->droppedWrites(), dropped);
}

void TestSimFaults::malformedEvents_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<qint64>("bytes");
    QTest::newRow("bad-json") << u"bad-json"_s << qint64(0);
    QTest::newRow("bad-envelope") << u"bad-envelope"_s << qint64(0);
    QTest::newRow("huge-line") << u"huge-line"_s << qint64(3 * 1024 * 1024);
    QTest::newRow("invalid-utf8") << u"invalid-utf8"_s << qint64(0);
}

void TestSimFaults::malformedEvents()
{
    QFETCH(QString, kind);
    QFETCH(qint64, bytes);
    RawClient sse(port());
    sse.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(sse.waitFor("\"inflight\""_ba));
    const qsizetype start = sse.data().size();
    const auto parsed = simMalformedEventFromName(kind);
    QVERIFY(parsed);
    m_host->injectMalformedEvent(*parsed, bytes);
    QVERIFY(QTest::qWaitFor(
        [&] {
            return dechunk(sse.data().mid(sse.data().indexOf("\r\n\r\n") + 4)).endsWith("\n\n") && sse.data().size() > start + 40
                && (bytes == 0 || sse.data().size() > start + bytes);
        },
        10000));
    const QByteArray body = dechunk(sse.data().mid(sse.data().indexOf("\r\n\r\n") + 4));
    const QByteArray frame = body.mid(body.lastIndexOf("event:message\n"));
    QVERIFY(frame.startsWith("event:message\ndata:"));
    const QByteArray data = frame.mid(19, frame.size() - 21);
    QJsonParseError error;
    const QJsonDocument envelope = QJsonDocument::fromJson(data, &error);
    if (kind == u"bad-json") {
        QCOMPARE(error.error, QJsonParseError::NoError);
        QJsonParseError inner;
        QJsonDocument::fromJson(envelope.object().value(u"data"_s).toString().toUtf8(), &inner);
        QVERIFY(inner.error != QJsonParseError::NoError);
    } else if (kind == u"bad-envelope") {
        QVERIFY(error.error != QJsonParseError::NoError);
    } else if (kind == u"huge-line") {
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(data.size() > bytes);
        QVERIFY(!data.contains('\n'));
    } else {
        QVERIFY(data.contains("\xff\xfe"));
        QVERIFY(QString::fromUtf8(data).contains(QChar::ReplacementCharacter));
    }
    // The host goes on as usual afterwards.
    QCOMPARE(post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"qwen3-8b"_s, false, 1)).status, 200);
    QVERIFY(sse.waitFor("\\\"operation\\\":\\\"remove\\\""_ba));
}

void TestSimFaults::clientVanishingMidStreamIsRecorded()
{
    SimHostConfig c = fastHost(u"faulty"_s);
    c.models[0].generationTokensPerSecond = 50;
    m_host = std::make_unique<SimHost>(c);
    QVERIFY(m_host->start().ok());
    RawClient client(port());
    const QByteArray body = chatBody(u"qwen3-8b"_s, true, 200);
    client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(client.waitFor("delta"_ba));
    client.socket().abort();
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 1, 5000);
    QCOMPARE(m_host->activity().rows().back().status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->activeRequests(u"qwen3-8b"_s), 0, 5000);
    // A client that leaves while the model loads is recorded as well.
    m_host->models()->unloadAll([] {});
    QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->state(u"qwen3-8b"_s), SimModelState::Stopped, 5000);
    RawClient impatient(port());
    impatient.send("POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: "
                   + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->state(u"qwen3-8b"_s), SimModelState::Starting, 5000);
    impatient.socket().abort();
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 2, 5000);
    QCOMPARE(m_host->activity().rows().back().status, 502);
    QCOMPARE(m_host->activity().rows().back().errorMessage, u"context canceled"_s);
}

// llama-swap recovers the reverse proxy's panic and returns, so the chunked body ends properly:
// no [DONE], no error event (reference §2.1) — unlike goDown()/restart(), which reset.
void TestSimFaults::modelCrashEndsStreamsCleanlyWithoutDone()
{
    SimHostConfig c = fastHost(u"faulty"_s);
    c.models[0].generationTokensPerSecond = 50;
    m_host = std::make_unique<SimHost>(c);
    QVERIFY(m_host->start().ok());
    QVERIFY(!m_host->crashModel(u"qwen3-8b"_s).ok()); // stopped: no server to crash
    RawClient streaming(port());
    const QByteArray body = chatBody(u"qwen3-8b"_s, true, 200);
    streaming.send("POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: "
                   + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(streaming.waitFor("\"content\""_ba));

    QVERIFY(m_host->crashModel(u"qwen3-8b"_s).ok());
    QVERIFY(streaming.waitFor("\r\n0\r\n\r\n"_ba)); // the terminating chunk: a proper end
    QVERIFY(streaming.data().startsWith("HTTP/1.1 200"));
    const QByteArray sse = dechunk(streaming.data().mid(streaming.data().indexOf("\r\n\r\n") + 4));
    QVERIFY(sse.endsWith("\n\n"));
    QVERIFY(!sse.contains("[DONE]"));
    QVERIFY(!sse.contains("\"error\""));
    QVERIFY(!sse.contains("finish_reason\":\"stop"));
    QTest::qWait(50);
    QVERIFY(!streaming.closed()); // the connection stays usable: it was a normal end

    QCOMPARE(m_host->models()->state(u"qwen3-8b"_s), SimModelState::Stopped); // ready -> stopped
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 1, 5000);
    QCOMPARE(m_host->activity().rows().back().status, 200); // still recorded, as a 200
    const QByteArray log = m_host->proxyLog()->history();
    QVERIFY(log.contains("<qwen3-8b> recovered from upstream disconnection during streaming"));
    QVERIFY(log.contains("<qwen3-8b> upstream process exited unexpectedly"));
    // The host goes on: the next request loads the model again.
    QCOMPARE(post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"qwen3-8b"_s, false, 2)).status, 200);
}

QTEST_GUILESS_MAIN(TestSimFaults)
#include "tst_simfaults.moc"
