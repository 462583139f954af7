#include "core/common/jsonreader.h"
#include "core/protocol/jsonfields.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

constexpr JsonErrorCodes kCodes{"t.json", "t.field", "t.value"};

enum class Mode { Off, On, Auto };
constexpr EnumName<Mode> kModeNames[] = {{Mode::Off, u"off"}, {Mode::On, u"on"}, {Mode::Auto, u"auto"}};

QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestJsonReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The bug this reader exists for: QJsonValue::toBool(true) reads "no" as true.
    void wrongTypesAreErrorsNotDefaults_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("boolean as string") << "{\"enabled\":\"no\"}"_ba << u"policy: field \"enabled\" is a string, expected a boolean"_s;
        QTest::newRow("integer as string") << "{\"position\":\"3\"}"_ba << u"policy: field \"position\" is a string, expected a number"_s;
        QTest::newRow("integer with fraction") << "{\"position\":2.5}"_ba
                                               << u"policy: field \"position\" is 2.5, expected a whole number"_s;
        QTest::newRow("integer out of range") << "{\"position\":-1}"_ba << u"policy: field \"position\" is -1, must be between 0 and 10"_s;
        QTest::newRow("enum as number") << "{\"mode\":7}"_ba << u"policy: field \"mode\" is a number, expected a string"_s;
        QTest::newRow("unknown enum name") << "{\"mode\":\"sometimes\"}"_ba
                                           << u"policy: field \"mode\" is \"sometimes\", must be one of off, on or auto"_s;
        QTest::newRow("string as number") << "{\"text\":5}"_ba << u"policy: field \"text\" is a number, expected a string"_s;
    }
    void wrongTypesAreErrorsNotDefaults()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        JsonReader f(parse(json), u"policy"_s, kCodes);
        f.boolean(u"enabled"_s, true);
        f.integerIn(u"position"_s, 0, 10);
        f.enumValue(u"mode"_s, kModeNames);
        f.string(u"text"_s);
        QVERIFY(f.failed());
        QCOMPARE(f.error().message, message);
        QCOMPARE(f.error().code, QString::fromLatin1(json.contains("sometimes") || json.contains("-1") ? "t.value" : "t.field"));
    }

    void absentAndNullTakeTheFallback()
    {
        JsonReader f(parse("{\"enabled\":null}"), u"x"_s, kCodes);
        QCOMPARE(f.boolean(u"enabled"_s, true), true);
        QCOMPARE(f.boolean(u"missing"_s, true), true);
        QCOMPARE(f.optionalBoolean(u"missing"_s), std::optional<bool>());
        QCOMPARE(f.integerIn(u"position"_s, 0, 10), std::optional<qint64>());
        QCOMPARE(f.enumValue(u"mode"_s, kModeNames).value_or(Mode::Auto), Mode::Auto);
        QCOMPARE(f.nullableString(u"source"_s).value_or(u"unknown"_s), u"unknown"_s);
        QVERIFY(!f.failed());

        JsonReader g(parse("{\"enabled\":false,\"position\":10,\"mode\":\"on\",\"list\":[1,2]}"), u"x"_s, kCodes);
        QCOMPARE(g.boolean(u"enabled"_s, true), false);
        QCOMPARE(g.integerIn(u"position"_s, 0, 10), 10);
        QCOMPARE(g.enumValue(u"mode"_s, kModeNames), Mode::On);
        QCOMPARE(g.integerList(u"list"_s), (QList<qint64>{1, 2}));
        QVERIFY(!g.failed());
    }

    void requiredFieldsMustBeThere()
    {
        JsonReader f(parse("{}"), u"answer"_s, kCodes);
        QCOMPARE(f.optionalBoolean(u"rule_matches"_s, JsonReader::Required), std::optional<bool>());
        QCOMPARE(f.error().message, u"answer: field \"rule_matches\" is missing"_s);
        JsonReader g(parse("{\"tier\":null}"), u"answer"_s, kCodes);
        g.enumValue(u"tier"_s, kModeNames, JsonReader::Required);
        QCOMPARE(g.error().message, u"answer: field \"tier\" is null, expected a string"_s);
    }

    void listsNameTheBadElement()
    {
        JsonReader f(parse("{\"models\":[{},1]}"), u"host"_s, kCodes);
        QVERIFY(f.objectList(u"models"_s).isEmpty());
        QCOMPARE(f.error().message, u"host: field \"models[1]\" is a number, expected an object"_s);
        JsonReader g(parse("{\"rate\":[1,\"2\"]}"), u"host"_s, kCodes);
        QVERIFY(g.integerList(u"rate"_s).isEmpty());
        QCOMPARE(g.error().message, u"host: field \"rate[1]\" is a string, expected a number"_s);
    }

    void firstErrorWinsAndChildrenKeepThePath()
    {
        JsonReader f(parse("{\"a\":1,\"b\":2,\"rule\":{\"tools\":3}}"), QString(), kCodes);
        f.string(u"a"_s);
        f.string(u"b"_s);
        QCOMPARE(f.error().message, u"field \"a\" is a number, expected a string"_s); // no context: no prefix
        JsonReader rule = f.child(u"rule"_s, f.object(u"rule"_s));
        rule.string(u"tools"_s);
        QCOMPARE(rule.error().message, u"field \"rule.tools\" is a number, expected a string"_s);
        QCOMPARE(rule.error().code, u"t.field"_s);
    }

    void parseUsesTheGivenCodes()
    {
        QCOMPARE(JsonReader::parseObject("nope", u"body"_s, kCodes).error().code, u"t.json"_s);
        QCOMPARE(JsonReader::parseObject("[1]", u"body"_s, kCodes).error().code, u"t.field"_s);
        QVERIFY(JsonReader::parseObject("{}", u"body"_s, kCodes));
    }

    // JsonFields is the same reader with the protocol's codes and RFC 3339 timestamps.
    void jsonFieldsKeepsTheProtocolCodes()
    {
        JsonFields f(parse("{\"id\":\"1\",\"timestamp\":\"yesterday\"}"), u"activity"_s);
        f.integer(u"id"_s);
        QCOMPARE(f.error().code, u"protocol.field"_s);
        JsonFields g(parse("{\"timestamp\":\"yesterday\"}"), u"activity"_s);
        g.timestampMs(u"timestamp"_s);
        QCOMPARE(g.error().code, u"protocol.value"_s);
        QVERIFY(g.error().message.startsWith(u"activity: field \"timestamp\": "_s));
        JsonFields child = g.child(u"tokens"_s, QJsonObject{{u"n"_s, u"x"_s}});
        child.integer(u"n"_s);
        QCOMPARE(child.error().message, u"activity: field \"tokens.n\" is a string, expected a number"_s);
        QCOMPARE(JsonFields::parseObject("nope", u"body"_s).error().code, u"protocol.json"_s);
    }
};

QTEST_GUILESS_MAIN(TestJsonReader)
#include "tst_jsonreader.moc"
