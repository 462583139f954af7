#include "simtestsupport.h"

#include "core/sim/simhost.h"
#include "core/sim/simlogmonitor.h"
#include "core/sim/simmodelmanager.h"

using namespace Qt::StringLiterals;
using namespace boo;
using namespace simtest;

namespace {

using Transition = std::pair<QString, SimModelState>;

QString describe(const QList<Transition> &list)
{
    QStringList out;
    for (const auto &[id, state] : list)
        out.append(id + u':' + simModelStateName(state));
    return out.join(u' ');
}

} // namespace

class TestSimSwap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void swapSequence();
    void swapSequenceOnTheEventStream();
    void requestsJoinOneSwap();
    void swapWaitsForRunningRequests();
    void busyModelDoesNotStarveSwap();
    void ttlUnloadsIdleModel();
    void ttlWaitsForRunningRequest();
    void groupsDoNotEvictEachOther();
    void unloadDuringStartFailsWaiters();
    void unloadCancelsRunningRequests();
    void instantBurstsAcrossModelsRecordEachOnce();

private:
    void start(SimHostConfig config);
    QList<Transition> m_transitions;
    std::unique_ptr<SimHost> m_host;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void TestSimSwap::init()
{
    m_nam = std::make_unique<QNetworkAccessManager>();
    start(fastHost(u"swap"_s, {u"model-a"_s, u"model-b"_s}));
}

void TestSimSwap::cleanup()
{
    m_nam.reset();
    m_host.reset();
    m_transitions.clear();
}

void TestSimSwap::start(SimHostConfig config)
{
    m_transitions.clear();
    m_host = std::make_unique<SimHost>(std::move(config));
    connect(m_host->models(), &SimModelManager::stateChanged, this, [this](const QString &id, SimModelState, SimModelState to) {
        m_transitions.append({id, to});
    });
    QVERIFY(m_host->start().ok());
}

void TestSimSwap::swapSequence()
{
    QCOMPARE(post(*m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-a"_s, false, 2)).status, 200);
    QCOMPARE(describe(m_transitions), u"model-a:starting model-a:ready"_s);
    m_transitions.clear();
    QCOMPARE(post(*m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-b"_s, false, 2)).status, 200);
    QCOMPARE(describe(m_transitions), u"model-a:stopping model-a:stopped model-b:starting model-b:ready"_s);
    // The activity duration includes the swap.
    QVERIFY(m_host->activity().rows().back().durationMs >= 60);
}

void TestSimSwap::swapSequenceOnTheEventStream()
{
    QCOMPARE(post(*m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-a"_s, false, 2)).status, 200);
    RawClient sse(m_host->port());
    sse.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(sse.waitFor("\"inflight\""_ba));
    QCOMPARE(post(*m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-b"_s, false, 2)).status, 200);
    QVERIFY(sse.waitFor("\\\"operation\\\":\\\"remove\\\""_ba));
    QStringList seen;
    for (const SseMessage &m : sseMessages(sse.data()).mid(6)) {
        if (m.type != u"modelStatus")
            continue;
        QStringList states;
        for (const QJsonValue &v : QJsonDocument::fromJson(m.data).array())
            states.append(v.toObject().value(u"state"_s).toString());
        seen.append(states.join(u'/'));
    }
    // Each message is a full snapshot: a then b.
    QCOMPARE(seen, QStringList({u"stopping/stopped"_s, u"stopped/stopped"_s, u"stopped/starting"_s, u"stopped/ready"_s}));
}

void TestSimSwap::requestsJoinOneSwap()
{
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 4; ++i) {
        replies.append(m_nam->post(request(m_host->port(), u"/v1/chat/completions"_s, {{"Content-Type"_ba, "application/json"_ba}}),
                                   chatBody(u"model-b"_s, i % 2 == 0, 3)));
    }
    for (QNetworkReply *r : replies)
        QCOMPARE(wait(r).status, 200);
    QCOMPARE(describe(m_transitions), u"model-b:starting model-b:ready"_s);
    QCOMPARE(m_host->activity().size(), 4);
}

void TestSimSwap::swapWaitsForRunningRequests()
{
    SimHostConfig c = fastHost(u"swap"_s, {u"model-a"_s, u"model-b"_s});
    c.models[0].generationTokensPerSecond = 200; // 60 tokens: 300 ms
    start(c);
    QNetworkReply *slow = m_nam->post(request(m_host->port(), u"/v1/chat/completions"_s, {{"Content-Type"_ba, "application/json"_ba}}),
                                      chatBody(u"model-a"_s, true, 60));
    QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->activeRequests(u"model-a"_s), 1, 5000);
    QNetworkReply *other = m_nam->post(request(m_host->port(), u"/v1/chat/completions"_s, {{"Content-Type"_ba, "application/json"_ba}}),
                                       chatBody(u"model-b"_s, false, 2));
    QTest::qWait(100);
    QCOMPARE(m_host->models()->state(u"model-a"_s), SimModelState::Ready); // not evicted under a running request
    const Reply a = wait(slow);
    QCOMPARE(a.status, 200);
    QVERIFY(a.body.endsWith("data: [DONE]\n\n")); // finished normally
    QCOMPARE(wait(other).status, 200);
    QCOMPARE(describe(m_transitions), u"model-a:starting model-a:ready model-a:stopping model-a:stopped model-b:starting model-b:ready"_s);
}

void TestSimSwap::busyModelDoesNotStarveSwap()
{
    SimHostConfig c = fastHost(u"swap"_s, {u"model-a"_s, u"model-b"_s});
    c.models[0].generationTokensPerSecond = 400;
    start(c);
    QCOMPARE(post(*m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-a"_s, false, 1)).status, 200);
    QList<QNetworkReply *> replies;
    const auto send = [&](const QString &model) {
        replies.append(m_nam->post(request(m_host->port(), u"/v1/chat/completions"_s, {{"Content-Type"_ba, "application/json"_ba}}),
                                   chatBody(model, false, 20)));
    };
    send(u"model-a"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->activeRequests(u"model-a"_s), 1, 5000);
    send(u"model-b"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->waitingRequests(), 1, 5000);
    send(u"model-a"_s); // arrives after the waiter for b: queues behind it
    QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->waitingRequests(), 2, 5000);
    for (QNetworkReply *r : replies)
        QCOMPARE(wait(r).status, 200);
    QCOMPARE(describe(m_transitions),
             u"model-a:starting model-a:ready model-a:stopping model-a:stopped model-b:starting "
             "model-b:ready model-b:stopping model-b:stopped model-a:starting model-a:ready"_s);
}

void TestSimSwap::ttlUnloadsIdleModel()
{
    SimHostConfig c = fastHost(u"swap"_s, {u"model-a"_s});
    c.models[0].ttlMs = 150;
    start(c);
    QCOMPARE(post(*m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-a"_s, false, 1)).status, 200);
    QElapsedTimer idle;
    idle.start();
    QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->state(u"model-a"_s), SimModelState::Stopped, 3000);
    QVERIFY(idle.elapsed() >= 150);
    QCOMPARE(describe(m_transitions), u"model-a:starting model-a:ready model-a:stopping model-a:stopped"_s);
    QVERIFY(m_host->proxyLog()->history().contains("[INFO] <model-a> Unloading model, TTL of 1s reached\n"));
    const QJsonObject running = get(*m_nam, m_host->port(), u"/running"_s).object();
    QCOMPARE(running.value(u"running"_s).toArray().size(), 0);
}

void TestSimSwap::ttlWaitsForRunningRequest()
{
    SimHostConfig c = fastHost(u"swap"_s, {u"model-a"_s});
    c.models[0].ttlMs = 80;
    c.models[0].generationTokensPerSecond = 200; // 60 tokens: 300 ms, well past the TTL
    start(c);
    const Reply r = post(*m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-a"_s, true, 60));
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.endsWith("data: [DONE]\n\n"));
    QCOMPARE(describe(m_transitions), u"model-a:starting model-a:ready"_s); // still loaded right after
    QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->state(u"model-a"_s), SimModelState::Stopped, 3000);
}

void TestSimSwap::groupsDoNotEvictEachOther()
{
    SimHostConfig c = fastHost(u"swap"_s, {u"model-a"_s, u"model-b"_s, u"embedder"_s});
    c.models[2].group = u"embeddings"_s;
    start(c);
    QCOMPARE(post(*m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"embedder"_s, false, 1)).status, 200);
    QCOMPARE(post(*m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-a"_s, false, 1)).status, 200);
    QCOMPARE(post(*m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-b"_s, false, 1)).status, 200);
    QCOMPARE(m_host->models()->state(u"embedder"_s), SimModelState::Ready);
    QCOMPARE(m_host->models()->state(u"model-a"_s), SimModelState::Stopped);
    QCOMPARE(get(*m_nam, m_host->port(), u"/running"_s).object().value(u"running"_s).toArray().size(), 2);
}

void TestSimSwap::unloadDuringStartFailsWaiters()
{
    SimHostConfig c = fastHost(u"swap"_s, {u"model-a"_s});
    c.models[0].loadMs = 400;
    start(c);
    QNetworkReply *waiting = m_nam->post(request(m_host->port(), u"/v1/chat/completions"_s, {{"Content-Type"_ba, "application/json"_ba}}),
                                         chatBody(u"model-a"_s, false, 1));
    QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->state(u"model-a"_s), SimModelState::Starting, 5000);
    QCOMPARE(post(*m_nam, m_host->port(), u"/api/models/unload/model-a"_s, {}).body, "OK"_ba);
    const Reply r = wait(waiting);
    QCOMPARE(r.status, 500);
    QCOMPARE(r.object().value(u"error"_s).toObject().value(u"message"_s).toString(), u"unspecific error: process stopped while starting"_s);
    QCOMPARE(describe(m_transitions), u"model-a:starting model-a:stopped"_s);
    QCOMPARE(m_host->activity().rows().back().status, 500);
}

void TestSimSwap::unloadCancelsRunningRequests()
{
    SimHostConfig c = fastHost(u"swap"_s, {u"model-a"_s});
    c.models[0].generationTokensPerSecond = 40;
    start(c);
    QNetworkReply *stream = m_nam->post(request(m_host->port(), u"/v1/chat/completions"_s, {{"Content-Type"_ba, "application/json"_ba}}),
                                        chatBody(u"model-a"_s, true, 200));
    QTRY_VERIFY_WITH_TIMEOUT(stream->bytesAvailable() > 0, 5000);
    QCOMPARE(get(*m_nam, m_host->port(), u"/unload"_s).body, "OK"_ba);
    const Reply r = wait(stream);
    QVERIFY(!r.body.contains("[DONE]"));
    QCOMPARE(m_host->models()->state(u"model-a"_s), SimModelState::Stopped);
    QCOMPARE(m_host->models()->activeRequests(u"model-a"_s), 0);
}

void TestSimSwap::instantBurstsAcrossModelsRecordEachOnce()
{
    // The last request of a burst ends, the queued swap evicts its model at once: that request
    // must still be recorded once, as a success, and nothing may be cancelled.
    for (const QString &model : {u"model-a"_s, u"model-b"_s, u"model-a"_s}) {
        SimTrafficSpec spec;
        spec.count = 5; // 10 queued for model-a at most: within its concurrency limit
        spec.model = model;
        m_host->generateTraffic(spec);
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 15, 10000);
    QTest::qWait(100);
    QCOMPARE(m_host->activity().size(), 15);
    for (const SimActivityRow &row : m_host->activity().rows())
        QCOMPARE(row.status, 200);
}

QTEST_GUILESS_MAIN(TestSimSwap)
#include "tst_simswap.moc"
