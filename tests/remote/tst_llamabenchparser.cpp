// llama-bench's JSON lines (tests/data/llamabench: shaped like its `-o jsonl` printer) and the plan
// taken from a model's cmd: which flags llama-bench gets, which are left out.

#include "core/remote/llamabenchparser.h"
#include "core/remote/llamabenchplan.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

QByteArray fixture()
{
    QFile file(QFINDTESTDATA("../data/llamabench/rtx4090-qwen3-8b.jsonl"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestLlamaBenchParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recordedLines()
    {
        const QByteArray text = fixture();
        QVERIFY(!text.isEmpty());
        const LlamaBenchOutput out = LlamaBenchParser::parse(text);
        QVERIFY(out.problems.isEmpty());
        QCOMPARE(out.records.size(), 2);
        const LlamaBenchRecord &pp = out.records.at(0);
        QCOMPARE(pp.line, 1);
        QCOMPARE(pp.testName(), u"pp512"_s);
        QCOMPARE(pp.modelType, u"qwen3 8B Q4_K - Medium"_s);
        QCOMPARE(pp.modelFilename, u"/models/Qwen3-8B-Q4_K_M.gguf"_s);
        QCOMPARE(pp.buildCommit, u"4a2b7c9e"_s);
        QCOMPARE(pp.buildNumber, 6712);
        QCOMPARE(pp.backends, u"CUDA"_s);
        QCOMPARE(pp.gpuInfo, u"NVIDIA GeForce RTX 4090"_s);
        QCOMPARE(pp.nGpuLayers, 99);
        QCOMPARE(pp.modelSize, Q_INT64_C(5027783488));
        QCOMPARE(pp.avgTs, 10843.212457);
        QCOMPARE(pp.stddevTs, 35.118402);
        QCOMPARE(pp.raw.value(u"samples_ns"_s).toArray().size(), 5);
        const LlamaBenchRecord &tg = out.records.at(1);
        QCOMPARE(tg.testName(), u"tg128"_s);
        QCOMPARE(tg.nPrompt, 0);
        QCOMPARE(tg.nGen, 128);
        QCOMPARE(tg.avgTs, 141.376514);
    }

    void tolerant_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("records");
        QTest::addColumn<QList<int>>("problemLines");
        const QByteArray good = R"({"n_prompt": 0, "n_gen": 128, "avg_ts": 50.5, "stddev_ts": 0.5, "model_type": "m"})";
        QTest::newRow("blank lines and CRLF") << QByteArray("\r\n" + good + "\r\n\r\n" + good + "\n") << 2 << QList<int>{};
        QTest::newRow("unknown fields") << QByteArray(R"({"n_prompt":1,"n_gen":0,"avg_ts":1,"a_future_field":{"x":[1]}})") << 1
                                        << QList<int>{};
        QTest::newRow("numbers as strings") << QByteArray(R"({"n_prompt":"512","n_gen":"0","avg_ts":"99.5","build_number":"12"})") << 1
                                            << QList<int>{};
        QTest::newRow("log line between") << QByteArray(good + "\nggml_cuda_init: found 1 CUDA devices:\n" + good) << 2 << QList<int>{2};
        QTest::newRow("cut short") << QByteArray(good + "\n{\"n_prompt\": 512, \"n_gen\": 0, \"avg_") << 1 << QList<int>{2};
        QTest::newRow("array line") << QByteArray("[1,2]\n" + good) << 1 << QList<int>{1};
        QTest::newRow("no avg_ts") << QByteArray(R"({"n_prompt":512,"n_gen":0})") << 0 << QList<int>{1};
        QTest::newRow("avg_ts not a number") << QByteArray(R"({"n_prompt":512,"n_gen":0,"avg_ts":"fast"})") << 0 << QList<int>{1};
        // Hostile figures: converting them to integers would be undefined.
        QTest::newRow("huge counts") << QByteArray(R"({"n_prompt":1e300,"n_gen":0,"avg_ts":1})") << 0 << QList<int>{1};
        QTest::newRow("infinite speed") << QByteArray(R"({"n_prompt":1,"n_gen":0,"avg_ts":"inf"})") << 0 << QList<int>{1};
        QTest::newRow("negative tokens") << QByteArray(R"({"n_prompt":-5,"n_gen":0,"avg_ts":1})") << 0 << QList<int>{1};
        QTest::newRow("huge extras ignored") << QByteArray(
            R"({"n_prompt":1,"n_gen":0,"avg_ts":1,"build_number":"1e300","n_gpu_layers":-1e300,"n_depth":"nan"})")
                                             << 1 << QList<int>{};
        QTest::newRow("binary noise") << QByteArray("\x00\xff\xfe{\n", 5) << 0 << QList<int>{1};
        QTest::newRow("empty") << QByteArray() << 0 << QList<int>{};
    }

    void tolerant()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, records);
        QFETCH(QList<int>, problemLines);
        const LlamaBenchOutput out = LlamaBenchParser::parse(text);
        QCOMPARE(out.records.size(), records);
        QList<int> lines;
        for (const LlamaBenchProblem &p : out.problems) {
            lines << p.line;
            QVERIFY2(p.message.contains(u"line %1"_s.arg(p.line)), qPrintable(p.message));
        }
        QCOMPARE(lines, problemLines);
    }

    void olderBackendField()
    {
        const auto out = LlamaBenchParser::parse(R"({"n_prompt":512,"n_gen":0,"avg_ts":1,"backend":"Vulkan"})");
        QCOMPARE(out.records.value(0).backends, u"Vulkan"_s);
    }

    void testNames()
    {
        LlamaBenchRecord r;
        r.nPrompt = 512;
        r.nGen = 128;
        r.nDepth = 4096;
        QCOMPARE(r.testName(), u"pp512+tg128 @ d4096"_s);
    }

    void splitWords_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QStringList>("words");
        QTest::newRow("plain") << u"a  b\tc"_s << QStringList{u"a"_s, u"b"_s, u"c"_s};
        QTest::newRow("quotes") << u"a 'b c' \"d \\\"e\\\"\" f'g'h"_s << QStringList{u"a"_s, u"b c"_s, u"d \"e\""_s, u"fgh"_s};
        QTest::newRow("continuation") << u"a \\\n  b"_s << QStringList{u"a"_s, u"b"_s};
        QTest::newRow("multi-line") << u"a\n  --x 1\n"_s << QStringList{u"a"_s, u"--x"_s, u"1"_s};
        QTest::newRow("empty quoted") << u"a '' b"_s << QStringList{u"a"_s, QString(), u"b"_s};
    }

    void splitWords()
    {
        QFETCH(QString, command);
        QFETCH(QStringList, words);
        const auto split = LlamaBenchPlan::splitWords(command);
        QVERIFY(split);
        QCOMPARE(*split, words);
    }

    void unclosedQuote()
    {
        const auto split = LlamaBenchPlan::splitWords(u"a 'b"_s);
        QVERIFY(!split);
        QCOMPARE(split.error().code, u"llamabench.flags"_s);
    }

    void planFromCommand()
    {
        const auto words = LlamaBenchPlan::splitWords(
            u"/opt/llama.cpp/bin/llama-server --port 5800 -m '/models/My Model-Q4_K_M.gguf' --n-gpu-layers=99 -fa on "
            "-ctk q8_0 --cache-type-v q8_0 -ts 3,1 -c 32768 --jinja -nkvo --no-mmap -t 8 -ngl -1 -ot exps=CPU,attn=CUDA0"_s);
        QVERIFY(words);
        const auto plan = LlamaBenchPlan::fromCommand(*words);
        QVERIFY(plan);
        QCOMPARE(plan->program, u"/opt/llama.cpp/bin/llama-bench"_s);
        QCOMPARE(plan->modelPath, u"/models/My Model-Q4_K_M.gguf"_s);
        QCOMPARE(plan->flags, (QStringList{u"-ngl"_s,  u"99"_s,   u"-fa"_s,  u"on"_s,  u"-ctk"_s,
                                           u"q8_0"_s,  u"-ctv"_s, u"q8_0"_s, u"-ts"_s, u"3/1"_s,
                                           u"-nkvo"_s, u"1"_s,    u"-mmp"_s, u"0"_s,   u"-t"_s,
                                           u"8"_s,     u"-ngl"_s, u"-1"_s,   u"-ot"_s, u"exps=CPU;attn=CUDA0"_s}));
        QCOMPARE(plan->dropped, (QStringList{u"--port"_s, u"5800"_s, u"-c"_s, u"32768"_s, u"--jinja"_s}));
        QCOMPARE(plan->shellCommand(),
                 u"'/opt/llama.cpp/bin/llama-bench' '-m' '/models/My Model-Q4_K_M.gguf' '-ngl' '99' '-fa' 'on' '-ctk' 'q8_0' "
                 "'-ctv' 'q8_0' '-ts' '3/1' '-nkvo' '1' '-mmp' '0' '-t' '8' '-ngl' '-1' '-ot' 'exps=CPU;attn=CUDA0' '-o' 'jsonl'"_s);
    }

    void planBareFlashAttnAndPath()
    {
        const auto plan = LlamaBenchPlan::fromCommand({u"llama-server"_s, u"-fa"_s, u"--model"_s, u"/m.gguf"_s});
        QVERIFY(plan);
        QCOMPARE(plan->program, u"llama-bench"_s); // not given by path: on PATH
        QCOMPARE(plan->flags, (QStringList{u"-fa"_s, u"1"_s}));
        QCOMPARE(plan->modelPath, u"/m.gguf"_s);
    }

    void planWithoutModelFile()
    {
        const auto plan = LlamaBenchPlan::fromCommand({u"llama-server"_s, u"-hf"_s, u"org/model-GGUF"_s, u"--port"_s, u"9"_s});
        QVERIFY(!plan);
        QCOMPARE(plan.error().code, u"llamabench.no_model"_s);
    }

    void planFromConfig()
    {
        const QByteArray config = R"(macros:
  server: /srv/llama/llama-server
  models_dir: /srv/models
models:
  qwen:
    cmd: |
      # the big one
      ${server} --port ${PORT}
        -m ${models_dir}/${MODEL_ID}.gguf
        -ngl 80
  proxied:
    cmd: docker run image
    proxy: http://127.0.0.1:9000
)";
        const auto plan = LlamaBenchPlan::fromConfig(config, u"qwen"_s);
        QVERIFY2(plan, plan ? "" : qPrintable(plan.error().message));
        QCOMPARE(plan->program, u"/srv/llama/llama-bench"_s);
        QCOMPARE(plan->modelPath, u"/srv/models/qwen.gguf"_s);
        QCOMPARE(plan->flags, (QStringList{u"-ngl"_s, u"80"_s}));

        const auto unknown = LlamaBenchPlan::fromConfig(config, u"nope"_s);
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, u"llamabench.config"_s);
        QCOMPARE(LlamaBenchPlan::fromConfig(config, u"proxied"_s).error().code, u"llamabench.no_model"_s);
        QCOMPARE(LlamaBenchPlan::fromConfig("models: [", u"qwen"_s).error().code, u"llamabench.config"_s);
    }
};

QTEST_GUILESS_MAIN(TestLlamaBenchParser)
#include "tst_llamabenchparser.moc"
