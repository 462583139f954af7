#include "core/gateway/policystore.h"
#include "core/gateway/routepolicy.h"
#include "core/providers/providerconfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestRoutePolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void glob_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("match");
        QTest::newRow("star") << u"*"_s << u"anything"_s << true;
        QTest::newRow("infix") << u"*coder*"_s << u"qwen2.5-coder-7b"_s << true;
        QTest::newRow("infix miss") << u"*coder*"_s << u"qwen3-8b"_s << false;
        QTest::newRow("question") << u"qwen?-8b"_s << u"qwen3-8b"_s << true;
        QTest::newRow("exact") << u"auto"_s << u"auto:code"_s << false;
        QTest::newRow("prefix") << u"auto*"_s << u"auto:code"_s << true;
        QTest::newRow("backtrack") << u"*a*b"_s << u"xaxxbab"_s << true;
        QTest::newRow("case") << u"Qwen*"_s << u"qwen3"_s << false;
    }
    void glob()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, text);
        QFETCH(bool, match);
        QCOMPARE(globMatch(pattern, text), match);
    }

    void candidates_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("hosts");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("model");
        QTest::newRow("direct") << u"gpu-box/qwen3/30b"_s << true << int(CandidateSpec::Hosts::Provider) << u"gpu-box"_s << u"qwen3/30b"_s;
        QTest::newRow("any") << u"*/qwen3-8b"_s << true << int(CandidateSpec::Hosts::Any) << QString() << u"qwen3-8b"_s;
        QTest::newRow("tag") << u"tag:code"_s << true << int(CandidateSpec::Hosts::Tag) << u"code"_s << u"*"_s;
        QTest::newRow("tag model") << u"tag:fast/*8b*"_s << true << int(CandidateSpec::Hosts::Tag) << u"fast"_s << u"*8b*"_s;
        QTest::newRow("provider only") << u"gpu-box"_s << false << 0 << QString() << QString();
        QTest::newRow("empty model") << u"gpu-box/"_s << false << 0 << QString() << QString();
        QTest::newRow("empty tag") << u"tag:/x"_s << false << 0 << QString() << QString();
    }
    void candidates()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        auto spec = CandidateSpec::parse(text);
        QCOMPARE(bool(spec), valid);
        if (!valid) {
            QVERIFY(spec.error().message.contains(text));
            return;
        }
        QFETCH(int, hosts);
        QFETCH(QString, host);
        QFETCH(QString, model);
        QCOMPARE(int(spec->hosts), hosts);
        QCOMPARE(spec->host, host);
        QCOMPARE(spec->model, model);
    }

    void providerMatching()
    {
        ProviderConfig p;
        p.id = u"box"_s;
        p.tags = {u"code"_s};
        QVERIFY(CandidateSpec::parse(u"tag:code"_s)->matchesProvider(p));
        QVERIFY(!CandidateSpec::parse(u"tag:fast"_s)->matchesProvider(p));
        QVERIFY(CandidateSpec::parse(u"box/m"_s)->matchesProvider(p));
        QVERIFY(!CandidateSpec::parse(u"boxx/m"_s)->matchesProvider(p));
        QVERIFY(CandidateSpec::parse(u"*/m"_s)->matchesProvider(p));
    }

    void rules_data()
    {
        QTest::addColumn<QString>("ruleJson");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("source");
        QTest::addColumn<qint64>("prompt");
        QTest::addColumn<bool>("tools");
        QTest::addColumn<bool>("match");
        QTest::newRow("own name") << u"{}"_s << u"auto"_s << u"x"_s << qint64(10) << false << true;
        QTest::newRow("other name") << u"{}"_s << u"auto:fast"_s << u"x"_s << qint64(10) << false << false;
        QTest::newRow("models glob") << u"{\"models\":[\"gpt-*\"]}"_s << u"gpt-4o"_s << u"x"_s << qint64(10) << false << true;
        QTest::newRow("source") << u"{\"sources\":[\"aider*\"]}"_s << u"auto"_s << u"aider-1"_s << qint64(10) << false << true;
        QTest::newRow("source miss") << u"{\"sources\":[\"aider*\"]}"_s << u"auto"_s << u"web"_s << qint64(10) << false << false;
        QTest::newRow("max prompt") << u"{\"max_prompt_tokens\":100}"_s << u"auto"_s << u"x"_s << qint64(101) << false << false;
        QTest::newRow("min prompt") << u"{\"min_prompt_tokens\":100}"_s << u"auto"_s << u"x"_s << qint64(100) << false << true;
        QTest::newRow("tools required") << u"{\"tools\":\"required\"}"_s << u"auto"_s << u"x"_s << qint64(1) << false << false;
        QTest::newRow("tools absent") << u"{\"tools\":\"absent\"}"_s << u"auto"_s << u"x"_s << qint64(1) << true << false;
    }
    void rules()
    {
        QFETCH(QString, ruleJson);
        QFETCH(QString, model);
        QFETCH(QString, source);
        QFETCH(qint64, prompt);
        QFETCH(bool, tools);
        QFETCH(bool, match);
        auto rule = RouteRule::fromJson(QJsonDocument::fromJson(ruleJson.toUtf8()).object());
        QVERIFY(rule);
        RouteFacts facts{model, source, prompt, tools, GatewayEndpoint::ChatCompletions};
        QString why;
        QCOMPARE(rule->matches(u"auto"_s, facts, &why), match);
        QCOMPARE(why.isEmpty(), match);
    }

    void policyJsonRoundTrip()
    {
        const QByteArray json = "{\"name\":\"auto:agents\",\"description\":\"d\",\"rule\":{\"models\":[\"auto\"],\"sources\":[\"aider\"],"
                                "\"tools\":\"required\",\"max_prompt_tokens\":9000},\"candidates\":[\"tag:code/*\",\"cloud/gpt-4o\"],"
                                "\"strategy\":\"ordered\",\"enabled\":false}"_ba;
        auto policy = RoutePolicy::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY2(policy, qPrintable(policy ? QString() : policy.error().message));
        QCOMPARE(policy->strategy, RouteStrategy::Ordered);
        QCOMPARE(policy->candidates.size(), 2);
        QVERIFY(!policy->enabled);
        auto again = RoutePolicy::fromJson(policy->toJson());
        QVERIFY(again);
        QCOMPARE(*again, *policy);
    }

    void policyErrorsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no name") << "{\"candidates\":[\"*/*\"]}"_ba << u"name"_s;
        QTest::newRow("slash name") << "{\"name\":\"a/b\",\"candidates\":[\"*/*\"]}"_ba << u"'/'"_s;
        QTest::newRow("no candidates") << "{\"name\":\"a\",\"candidates\":[]}"_ba << u"candidates"_s;
        QTest::newRow("bad candidate") << "{\"name\":\"a\",\"candidates\":[\"box\"]}"_ba << u"box"_s;
        QTest::newRow("bad strategy") << "{\"name\":\"a\",\"candidates\":[\"*/*\"],\"strategy\":\"random\"}"_ba << u"strategy"_s;
        QTest::newRow("bad tools") << "{\"name\":\"a\",\"candidates\":[\"*/*\"],\"rule\":{\"tools\":\"maybe\"}}"_ba << u"rule.tools"_s;
        QTest::newRow("bad tokens") << "{\"name\":\"a\",\"candidates\":[\"*/*\"],\"rule\":{\"max_prompt_tokens\":-1}}"_ba
                                    << u"max_prompt_tokens"_s;
        QTest::newRow("min over max")
            << "{\"name\":\"a\",\"candidates\":[\"*/*\"],\"rule\":{\"min_prompt_tokens\":5,\"max_prompt_tokens\":4}}"_ba
            << u"min_prompt_tokens"_s;
        // Wrong JSON types once became defaults: "no" enabled the policy, "3" and 2.5 became
        // position 0, 7 became ranked.
        const auto policy = [](const char *extra) -> QByteArray { return "{\"name\":\"a\",\"candidates\":[\"*/*\"],"_ba + extra + '}'; };
        QTest::newRow("enabled as string") << policy("\"enabled\":\"no\"")
                                           << u"policy \"a\": field \"enabled\" is a string, expected a boolean"_s;
        QTest::newRow("builtin as string") << policy("\"builtin\":\"yes\"") << u"field \"builtin\" is a string"_s;
        QTest::newRow("position as string") << policy("\"position\":\"3\"") << u"field \"position\" is a string, expected a number"_s;
        QTest::newRow("position fraction") << policy("\"position\":2.5") << u"field \"position\" is 2.5, expected a whole number"_s;
        QTest::newRow("position negative") << policy("\"position\":-1") << u"field \"position\" is -1"_s;
        QTest::newRow("strategy as number") << policy("\"strategy\":7") << u"field \"strategy\" is a number, expected a string"_s;
        QTest::newRow("unknown strategy") << policy("\"strategy\":\"random\"") << u"must be one of ranked, ordered, fastest or cheapest"_s;
        QTest::newRow("description as number") << policy("\"description\":5") << u"field \"description\" is a number"_s;
        QTest::newRow("tools as number") << policy("\"rule\":{\"tools\":1}") << u"field \"rule.tools\" is a number, expected a string"_s;
        QTest::newRow("name as number") << "{\"name\":5,\"candidates\":[\"*/*\"]}"_ba << u"field \"name\" is a number"_s;
    }
    void policyErrorsNameTheField()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        auto policy = RoutePolicy::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY(!policy);
        QVERIFY2(policy.error().message.contains(mentions), qPrintable(policy.error().message));
    }

    void setsRejectDuplicates()
    {
        const QJsonArray list{QJsonObject{{u"name"_s, u"a"_s}, {u"candidates"_s, QJsonArray{u"*/*"_s}}},
                              QJsonObject{{u"name"_s, u"a"_s}, {u"candidates"_s, QJsonArray{u"*/*"_s}}}};
        auto set = PolicyStore::fromJson(list);
        QVERIFY(!set);
        QVERIFY(set.error().message.contains(u"twice"_s));
        auto ok = PolicyStore::fromJson(QJsonArray{list.at(0)});
        QVERIFY(ok);
        QCOMPARE(ok->first().position, 0);
        QVERIFY(!PolicyStore::fromJson(QJsonObject{}));
    }
};

QTEST_GUILESS_MAIN(TestRoutePolicy)
#include "tst_routepolicy.moc"
