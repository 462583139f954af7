#include "core/bench/benchsuiteparser.h"
#include "core/bench/syntheticprompt.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using boo::BenchLoadMode;
using boo::BenchSuite;
using boo::BenchSuiteParser;

class TestBenchSuiteParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issueExample()
    {
        const auto suite = BenchSuiteParser::parseFile(QFINDTESTDATA("../data/bench/quants-8b.yaml"));
        QVERIFY2(suite, suite ? "" : qPrintable(suite.error().message));
        QCOMPARE(suite->name, u"quants-8b"_s);
        QCOMPARE(suite->targets.size(), 3);
        QCOMPARE(suite->targets[0].provider, u"gpu-box"_s);
        QCOMPARE(suite->targets[0].model, u"qwen3-8b-q4"_s);
        QVERIFY(!suite->targets[0].isVirtual());
        QVERIFY(suite->targets[2].isVirtual());
        QCOMPARE(suite->targets[2].model, u"auto:fast"_s);
        QCOMPARE(suite->mode, BenchLoadMode::Concurrency);
        QCOMPARE(suite->concurrency, (QList<int>{1, 4, 16}));
        QCOMPARE(suite->promptTokens, (QList<int>{128, 2048}));
        QCOMPARE(suite->maxTokens, 128);
        QCOMPARE(suite->repetitions, 3);
        QCOMPARE(suite->warmup, 2);
        QVERIFY(suite->coldStart);
        QCOMPARE(suite->slo.ttftMs, 500.0);
        QCOMPARE(suite->slo.tpotMs, 50.0);
        QVERIFY(!suite->slo.e2eMs);
        // Defaults: enough requests that every client sends several.
        QCOMPARE(suite->requestsFor(0), 8);
        QCOMPARE(suite->requestsFor(2), 64);
        QCOMPARE(suite->loadLabel(1), u"c=4"_s);
    }

    void openLoop()
    {
        const auto suite = BenchSuiteParser::parseFile(QFINDTESTDATA("../data/bench/open-loop.yaml"));
        QVERIFY2(suite, suite ? "" : qPrintable(suite.error().message));
        QCOMPARE(suite->mode, BenchLoadMode::Rate);
        QCOMPARE(suite->rates, (QList<double>{2.0, 8.5}));
        QCOMPARE(suite->promptTokens, QList<int>{512});
        QCOMPARE(suite->requests, 40);
        QCOMPARE(suite->requestsFor(1), 40);
        QCOMPARE(suite->seed, 7U);
        QCOMPARE(suite->rerunPolluted, 1);
        QCOMPARE(suite->timeoutMs, 30000);
        QCOMPARE(suite->slo.e2eMs, 4000.0);
        QCOMPARE(suite->loadLabel(1), u"rate=8.5/s"_s);
        QCOMPARE(suite->description, u"Poisson arrivals at two rates"_s);
    }

    void minimalDefaults()
    {
        const auto suite = BenchSuiteParser::parse("name: m\ntargets: h/x\nconcurrency: 2\n", u"m.yaml"_s);
        QVERIFY2(suite, suite ? "" : qPrintable(suite.error().message));
        QCOMPARE(suite->targets.size(), 1);
        QCOMPARE(suite->concurrency, QList<int>{2});
        QCOMPARE(suite->promptTokens, QList<int>{256});
        QCOMPARE(suite->maxTokens, 128);
        QCOMPARE(suite->repetitions, 3);
        QCOMPARE(suite->warmup, 2);
        QVERIFY(!suite->coldStart);
        QVERIFY(suite->slo.isEmpty());
    }

    void invalid_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("message");
        const QByteArray head = "name: s\ntargets: [h/m]\n";
        QTest::newRow("empty") << QByteArray("") << u"s.yaml: the suite is empty"_s;
        QTest::newRow("not a mapping") << QByteArray("- a\n- b\n") << u"s.yaml:1:1: suite: is a list, expected a mapping"_s;
        QTest::newRow("bad yaml") << QByteArray("name: [a\n") << u"s.yaml:2:1: not valid YAML"_s;
        QTest::newRow("no name") << QByteArray("targets: [h/m]\nconcurrency: 1\n") << u"s.yaml:1:1: name: is required"_s;
        QTest::newRow("bad name") << QByteArray("name: a b\ntargets: [h/m]\nconcurrency: 1\n") << u"s.yaml:1:7: name: \"a b\" must be"_s;
        QTest::newRow("unknown key") << head + "concurrency: 1\nconcurency: 2\n" << u"s.yaml:4:1: concurency: unknown key"_s;
        QTest::newRow("duplicate key") << head + "concurrency: 1\nconcurrency: 2\n" << u"s.yaml:4:1: concurrency: appears twice"_s;
        QTest::newRow("no load") << head << u"s.yaml:1:1: concurrency: is required (or rate"_s;
        QTest::newRow("both loads") << head + "concurrency: 1\nrate: 2\n" << u"s.yaml:4:7: rate: a suite has either"_s;
        QTest::newRow("zero clients") << head + "concurrency: [1, 4, 0]\n"
                                      << u"s.yaml:3:21: concurrency[2]: 0 is out of range (1 to 1024)"_s;
        QTest::newRow("quoted number") << head + "concurrency: [\"4\"]\n"
                                       << u"s.yaml:3:15: concurrency[0]: is the quoted text \"4\", expected a whole number"_s;
        QTest::newRow("fraction of a client") << head + "concurrency: 1.5\n"
                                              << u"s.yaml:3:14: concurrency: is \"1.5\", expected a whole number"_s;
        QTest::newRow("duplicate level") << head + "concurrency: [4, 4]\n" << u"s.yaml:3:18: concurrency[1]: is listed twice"_s;
        QTest::newRow("empty list") << head + "concurrency: []\n" << u"s.yaml:3:14: concurrency: is an empty list"_s;
        QTest::newRow("negative rate") << head + "rate: [-1]\n" << u"s.yaml:3:8: rate[0]: -1 is out of range"_s;
        QTest::newRow("no targets") << QByteArray("name: s\nconcurrency: 1\n") << u"s.yaml:1:1: targets: is required"_s;
        QTest::newRow("target with space") << QByteArray("name: s\ntargets: [\"h/a b\"]\nconcurrency: 1\n")
                                           << u"s.yaml:2:11: targets[0]: \"h/a b\" is neither"_s;
        QTest::newRow("target mapping") << QByteArray("name: s\ntargets: [{a: b}]\nconcurrency: 1\n")
                                        << u"s.yaml:2:11: targets[0]: is a mapping, expected text"_s;
        QTest::newRow("yes is not a boolean") << head + "concurrency: 1\ncold_start: yes\n"
                                              << u"s.yaml:4:13: cold_start: is \"yes\", expected true or false"_s;
        QTest::newRow("slo unknown") << head + "concurrency: 1\nslo: {ttft: 5}\n" << u"s.yaml:4:7: slo.ttft: unknown key"_s;
        QTest::newRow("slo empty") << head + "concurrency: 1\nslo: {}\n" << u"s.yaml:4:6: slo: names no objective"_s;
        QTest::newRow("slo zero") << head + "concurrency: 1\nslo: {tpot_ms: 0}\n" << u"s.yaml:4:16: slo.tpot_ms: 0 is out of range"_s;
        QTest::newRow("warmup negative") << head + "concurrency: 1\nwarmup: -1\n"
                                         << u"s.yaml:4:9: warmup: -1 is out of range (0 to 10000)"_s;
        QTest::newRow("repetitions zero") << head + "concurrency: 1\nrepetitions: 0\n" << u"s.yaml:4:14: repetitions: 0 is out of range"_s;
        QTest::newRow("max_tokens text") << head + "concurrency: 1\nmax_tokens: many\n"
                                         << u"s.yaml:4:13: max_tokens: is \"many\", expected a whole number"_s;
        QTest::newRow("prompt_tokens huge") << head + "concurrency: 1\nprompt_tokens: [128, 99999999]\n"
                                            << u"s.yaml:4:22: prompt_tokens[1]: 99999999 is out of range"_s;
        QTest::newRow("rerun too often") << head + "concurrency: 1\nrerun_polluted: 9\n"
                                         << u"s.yaml:4:17: rerun_polluted: 9 is out of range"_s;
        QTest::newRow("timeout too short") << head + "concurrency: 1\ntimeout_ms: 5\n" << u"s.yaml:4:13: timeout_ms: 5 is out of range"_s;
    }

    void invalid()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, message);
        const auto suite = BenchSuiteParser::parse(yaml, u"s.yaml"_s);
        QVERIFY2(!suite, "an invalid suite was accepted");
        QCOMPARE(suite.error().code, u"bench.suite"_s);
        QVERIFY2(suite.error().message.startsWith(message), qPrintable(suite.error().message));
    }

    void missingFile()
    {
        const auto suite = BenchSuiteParser::parseFile(u"/nonexistent/suite.yaml"_s);
        QVERIFY(!suite);
        QVERIFY(suite.error().message.contains(u"/nonexistent/suite.yaml"_s));
    }

    void promptsAreSeededAndSized()
    {
        const QString a = boo::SyntheticPrompt::make(1, 128, 0);
        QCOMPARE(a, boo::SyntheticPrompt::make(1, 128, 0));
        QCOMPARE(a.size(), 128 * boo::SyntheticPrompt::CharactersPerToken);
        QCOMPARE(boo::SyntheticPrompt::make(1, 2048, 3).size(), 2048 * 4);
        QVERIFY(a != boo::SyntheticPrompt::make(2, 128, 0));
        // Requests of a cell differ from their first characters on: no shared cacheable prefix.
        QVERIFY(!boo::SyntheticPrompt::make(1, 128, 1).startsWith(a.left(12)));
        // Words, not noise: about 1.2 to 1.5 tokens per word is what real tokenizers make of it.
        const qsizetype words = a.split(u' ', Qt::SkipEmptyParts).size();
        QVERIFY2(words > 60 && words < 110, qPrintable(QString::number(words)));
        // Stable across machines and releases: a change here changes every stored run's prompts.
        QCOMPARE(boo::SyntheticPrompt::make(42, 8, 5), boo::SyntheticPrompt::make(42, 8, 5));
        QVERIFY(boo::SyntheticPrompt::make(42, 8, 5).startsWith(u"Request 5. "_s));
    }
};

QTEST_GUILESS_MAIN(TestBenchSuiteParser)
#include "tst_benchsuiteparser.moc"
