#include "core/store/database.h"
#include "tests/common/gatewayharness.h"
#include "tests/common/testdatabases.h"
#include "tests/gateway/gatewaytestutil.h"

#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using namespace boo::test;

// The official `openai` npm package against the gateway: what a real client library makes of
// our JSON, our streams and our errors. ./scripts/test installs the package under the build
// tree; the test skips (and says why) only where Node.js or the package is missing.
class TestOpenAiClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void officialClientLibrary()
    {
        const QString node = QStandardPaths::findExecutable(u"node"_s);
        const QString npmDir = QStringLiteral(BOO_NPM_DIR);
        const bool required = qEnvironmentVariable("BOO_TEST_NPM_REQUIRED") == u"1"_s;
        if (node.isEmpty()) {
            if (required)
                QFAIL("node is not installed, but BOO_TEST_NPM_REQUIRED=1");
            QSKIP("node is not installed (Debian: apt-get install nodejs npm)");
        }
        if (!QFileInfo::exists(npmDir + u"/node_modules/openai/package.json"_s)) {
            if (required)
                QFAIL(qPrintable(u"the openai npm package is missing under %1"_s.arg(npmDir)));
            QSKIP(qPrintable(u"the openai npm package is not installed under %1: ./scripts/test installs it"_s.arg(npmDir)));
        }

        auto db = TestDatabase::create(SqlDialect::Sqlite);
        GatewayHarness h(db->url(), {quickHost(u"h1"_s, {u"qwen3-8b"_s}), quickHost(u"h2"_s, {u"nomic-embed-text"_s})},
                         GatewayHarness::fastOptions(), u"test-token"_s);
        QVERIFY(h.start());

        QProcess client;
        client.setProcessChannelMode(QProcess::MergedChannels);
        client.start(node, {QStringLiteral(BOO_OPENAI_CLIENT_SCRIPT), h.baseUrl() + u"/v1"_s, npmDir});
        QVERIFY(client.waitForStarted(5000));
        QSignalSpy finished(&client, &QProcess::finished);
        // The gateway answers from this thread's event loop while node runs.
        QVERIFY2(finished.wait(60000), "node did not finish within a minute");
        const QString output = QString::fromUtf8(client.readAll());
        qInfo().noquote() << output.trimmed();
        QVERIFY2(client.exitStatus() == QProcess::NormalExit && client.exitCode() == 0, qPrintable(output));
        QCOMPARE(output.count(u"ok "_s), 5);
        // Three inference requests reached the hosts, each attributed to the SDK's source.
        QTRY_COMPARE_WITH_TIMEOUT(db->count(u"control_requests"_s, u"source = 'openai-node'"_s), 3, 10000);
    }
};

QTEST_GUILESS_MAIN(TestOpenAiClient)
#include "tst_openaiclient.moc"
