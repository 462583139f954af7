// The cockpit names itself to the hosts (`BooControl/<version>`) on every request of its own —
// handshake, event stream, activity and GPU polls, actions — while requests the gateway relays
// keep their client's User-Agent. The simulated host records what it received.
#include "core/actions/actionqueue.h"
#include "core/fleet/fleetstate.h"
#include "core/http/useragent.h"
#include "core/sim/simhost.h"
#include "tests/common/gatewayharness.h"
#include "tests/common/testdatabases.h"
#include "tests/gateway/gatewaytestutil.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using namespace boo::test;

namespace {

QByteArray pathOf(const QByteArray &target)
{
    const qsizetype query = target.indexOf('?');
    return query < 0 ? target : target.left(query);
}

} // namespace

class TestHostUserAgent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helperNamesUs()
    {
        QCOMPARE(booUserAgent(), QByteArrayLiteral("BooControl/" BOO_VERSION_STRING));
        QVERIFY(isBooUserAgent(booUserAgent()));
        QVERIFY(isBooUserAgent("BooControl/0.0.9"));
        QVERIFY(!isBooUserAgent("Mozilla/5.0"));
        QVERIFY(!isBooUserAgent("curl/8.5.0 BooControl/1"));
    }

    void ownRequestsSayBooControlRelayedOnesKeepTheClients()
    {
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        GatewayHarness h(db->url(), {quickHost(u"h1"_s, {u"qwen3-8b"_s, u"gemma-3-4b"_s})});
        const auto started = h.start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
        SimHost *host = h.host(u"h1"_s);

        // Relayed: the client's own name reaches the host; then our polls of what it finished.
        QCOMPARE(h.post(u"/v1/chat/completions"_s, chatBody(u"h1/qwen3-8b"_s), {{"User-Agent", "notes-app/2.1"}}).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(h.ingest()->fleet()->host(u"h1"_s)->requestsSeen >= 1, 10000);
        // An action of the cockpit's own.
        HostAction warm;
        warm.hostId = u"h1"_s;
        warm.kind = HostAction::Kind::Warm;
        warm.model = u"gemma-3-4b"_s;
        QVERIFY(h.ingest()->runtime()->actions()->submit(warm).ok());
        QTRY_VERIFY_WITH_TIMEOUT(h.ingest()->fleet()->host(u"h1"_s)->model(u"gemma-3-4b"_s)->state == ModelState::Ready, 10000);

        const auto polledGpus = [host] {
            for (const SimReceivedRequest &r : host->receivedRequests()) {
                if (r.target.startsWith("/api/performance"))
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(polledGpus(), 10000);

        QSet<QByteArray> ours;
        int relayed = 0;
        for (const SimReceivedRequest &r : host->receivedRequests()) {
            if (r.target.startsWith("/v1/")) {
                // The warm-up is ours too: a one-token chat the cockpit sends itself.
                if (r.userAgent == "notes-app/2.1") {
                    ++relayed;
                    continue;
                }
            }
            QVERIFY2(r.userAgent == booUserAgent(),
                     qPrintable(QString::fromLatin1(r.method) + u' ' + QString::fromLatin1(r.target) + u" came with User-Agent: "_s
                                + QString::fromLatin1(r.userAgent)));
            ours.insert(pathOf(r.target));
        }
        QCOMPARE(relayed, 1);
        for (const QByteArray &expected :
             {"/api/version"_ba, "/api/events"_ba, "/api/metrics/activity"_ba, "/api/performance"_ba, "/v1/chat/completions"_ba}) {
            QVERIFY2(ours.contains(expected), expected.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestHostUserAgent)
#include "tst_hostuseragent.moc"
