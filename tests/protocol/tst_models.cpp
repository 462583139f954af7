#include "core/protocol/modelinfo.h"
#include "core/protocol/runningmodel.h"
#include "testfixtures.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void v1ModelsFixture();
    void v1ModelsWithoutStatus();
    void aliasAndSpilloverRecords();
    void runningFixture();
    void runningIdle();
    void malformed_data();
    void malformed();
};

void TestModels::v1ModelsFixture()
{
    const auto models = ModelInfo::listFromJson(readFixture(u"v1-models.json"_s));
    QVERIFY2(models.ok(), models.ok() ? "" : qPrintable(models.error().message));
    QCOMPARE(models->size(), 5);

    const ModelInfo &profile = models->at(0);
    QCOMPARE(profile.id, u"chat"_s);
    QCOMPARE(profile.kind, ModelInfo::Kind::Profile);
    QCOMPARE(profile.loaded, std::optional<bool>(false));
    QCOMPARE(profile.created, 1787416873);
    QCOMPARE(profile.ownedBy, u"llama-swap"_s);

    const ModelInfo &selector = models->at(1);
    QCOMPARE(selector.id, u"coder"_s);
    QCOMPARE(selector.kind, ModelInfo::Kind::Selector);
    QCOMPARE(selector.name, u"Coding Model"_s);
    QCOMPARE(selector.description, u"Best currently loaded coding model"_s);
    QCOMPARE(selector.strategy, u"warm"_s);
    QCOMPARE(selector.targets, (QStringList{u"qwen3-30b-a3b"_s, u"gpt-oss-20b"_s}));
    QVERIFY(!selector.spillover.has_value());
    QCOMPARE(selector.llamaswapMeta.value(u"purpose"_s).toString(), u"coding"_s); // user metadata kept
    QCOMPARE(selector.loaded, std::optional<bool>(true));

    const ModelInfo &plain = models->at(2);
    QCOMPARE(plain.id, u"gpt-oss-20b"_s);
    QCOMPARE(plain.kind, ModelInfo::Kind::Model);
    QVERIFY(plain.aliases.isEmpty());
    QCOMPARE(plain.loaded, std::optional<bool>(false));
    QVERIFY(!plain.contextLength.has_value());

    const ModelInfo &peer = models->at(3);
    QCOMPARE(peer.kind, ModelInfo::Kind::Peer);
    QCOMPARE(peer.peerId, u"gpu-box-2"_s);
    QCOMPARE(peer.name, u"gpu-box-2: llama-3.3-70b"_s);

    const ModelInfo &qwen = models->at(4);
    QCOMPARE(qwen.id, u"qwen3-30b-a3b"_s);
    QCOMPARE(qwen.kind, ModelInfo::Kind::Model);
    QCOMPARE(qwen.kindText, u"model"_s);
    QCOMPARE(qwen.aliases, QStringList{u"qwen3"_s});
    QCOMPARE(qwen.inputModalities, (QStringList{u"text"_s, u"image"_s}));
    QCOMPARE(qwen.outputModalities, QStringList{u"text"_s});
    QCOMPARE(qwen.modality, u"text+image->text"_s);
    QCOMPARE(qwen.capabilities, (QMap<QString, bool>{{u"function_calling"_s, true}, {u"vision"_s, true}}));
    QCOMPARE(qwen.supportedParameters, (QStringList{u"tools"_s, u"tool_choice"_s}));
    QCOMPARE(qwen.contextLength, std::optional<qint64>(32768));
    QCOMPARE(qwen.nCtx, std::optional<qint64>(32768));
    QCOMPARE(qwen.llamaswapMeta.value(u"quant"_s).toString(), u"Q4_K_M"_s);
    QCOMPARE(qwen.statusText, u"loaded"_s);
    QCOMPARE(qwen.loaded, std::optional<bool>(true));
}

void TestModels::v1ModelsWithoutStatus()
{
    const auto models = ModelInfo::listFromJson(readFixture(u"older/v1-models-without-status.json"_s));
    QVERIFY(models.ok());
    QCOMPARE(models->size(), 2);
    QCOMPARE(models->at(0).id, u"llama-3.1-8b"_s);
    QCOMPARE(models->at(0).kind, ModelInfo::Kind::Unknown);
    QVERIFY(!models->at(0).loaded.has_value());
    QCOMPARE(models->at(1).kind, ModelInfo::Kind::Model);
    QCOMPARE(models->at(1).name, u"Mistral 7B"_s);
    QVERIFY(!models->at(1).loaded.has_value());
}

void TestModels::aliasAndSpilloverRecords()
{
    const auto models = ModelInfo::listFromJson(R"({"data":[
        {"id":"qwen3","object":"model","created":1,"owned_by":"llama-swap","meta":{"llamaswap":{"modelID":"qwen3-30b-a3b","type":"alias"}},"status":{"value":"loaded"}},
        {"id":"burst","object":"model","created":1,"owned_by":"llama-swap","meta":{"llamaswap":{"spillover":2,"strategy":"spillover","targets":["a","b"],"type":"selector"}},"status":{"value":"unloaded"}},
        {"id":"odd","object":"model","created":1,"owned_by":"llama-swap","meta":{"llamaswap":{"type":"gizmo"}},"status":{"value":"warming"}}
    ],"object":"list"})");
    QVERIFY2(models.ok(), models.ok() ? "" : qPrintable(models.error().message));
    QCOMPARE(models->at(0).kind, ModelInfo::Kind::Alias);
    QCOMPARE(models->at(0).modelId, u"qwen3-30b-a3b"_s);
    QCOMPARE(models->at(1).strategy, u"spillover"_s);
    QCOMPARE(models->at(1).spillover, std::optional<qint64>(2));
    QCOMPARE(models->at(1).loaded, std::optional<bool>(false));
    QCOMPARE(models->at(2).kind, ModelInfo::Kind::Unknown);
    QCOMPARE(models->at(2).kindText, u"gizmo"_s);
    QCOMPARE(models->at(2).statusText, u"warming"_s);
    QVERIFY(!models->at(2).loaded.has_value());
}

void TestModels::runningFixture()
{
    const auto running = RunningModel::listFromJson(readFixture(u"running.json"_s));
    QVERIFY2(running.ok(), running.ok() ? "" : qPrintable(running.error().message));
    QCOMPARE(running->size(), 1);
    const RunningModel &m = running->at(0);
    QCOMPARE(m.model, u"qwen3-30b-a3b"_s);
    QCOMPARE(m.state, ModelState::Ready);
    QCOMPARE(m.stateText, u"ready"_s);
    QCOMPARE(m.cmd, u"/opt/llama.cpp/llama-server --port 5801\n-m /models/Qwen3-30B-A3B-Q4_K_M.gguf\n-c 32768 --jinja\n"_s);
    QCOMPARE(m.proxy, u"http://127.0.0.1:5801"_s);
    QCOMPARE(m.ttlSeconds, 300);
    QCOMPARE(m.name, u"Qwen3 30B A3B"_s);
    QCOMPARE(m.description, u"MoE, vision"_s);
}

void TestModels::runningIdle()
{
    const auto idle = RunningModel::listFromJson(readFixture(u"older/running-idle.json"_s));
    QVERIFY(idle.ok());
    QVERIFY(idle->isEmpty());
    const auto nil = RunningModel::listFromJson(R"({"running":null})");
    QVERIFY(nil.ok());
    QVERIFY(nil->isEmpty());
}

void TestModels::malformed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("running");
    QTest::addColumn<QString>("message");
    QTest::newRow("no data") << QByteArray(R"({"object":"list"})") << false << u"/v1/models: field \"data\" is missing"_s;
    QTest::newRow("record without id") << QByteArray(R"({"data":[{"object":"model"}]})") << false
                                       << u"/v1/models record 0: field \"id\" is missing"_s;
    QTest::newRow("created string") << QByteArray(R"({"data":[{"id":"a","created":"now"}]})") << false
                                    << u"/v1/models record 0: field \"created\" is a string, expected a number"_s;
    QTest::newRow("targets not list") << QByteArray(R"({"data":[{"id":"a","meta":{"llamaswap":{"type":"selector","targets":"x"}}}]})")
                                      << false << u"field \"meta.llamaswap.targets\" is a string, expected an array"_s;
    QTest::newRow("status value number") << QByteArray(R"({"data":[{"id":"a","status":{"value":1}}]})") << false
                                         << u"field \"status.value\" is a number, expected a string"_s;
    QTest::newRow("modalities item") << QByteArray(R"({"data":[{"id":"a","architecture":{"input_modalities":[1]}}]})") << false
                                     << u"field \"architecture.input_modalities[0]\" is a number, expected a string"_s;
    QTest::newRow("running missing") << QByteArray(R"({})") << true << u"/running: field \"running\" is missing"_s;
    QTest::newRow("running ttl string") << QByteArray(R"({"running":[{"model":"m","ttl":"300"}]})") << true
                                        << u"/running entry 0: field \"ttl\" is a string, expected a number"_s;
    QTest::newRow("running truncated") << QByteArray(R"({"running":[{"model":"m")") << true << u"/running: invalid JSON"_s;
}

void TestModels::malformed()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, running);
    QFETCH(QString, message);
    const Error error = running ? RunningModel::listFromJson(body).error() : ModelInfo::listFromJson(body).error();
    QVERIFY2(error.message.contains(message), qPrintable(error.message));
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
