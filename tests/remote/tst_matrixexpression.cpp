// The swap matrix's set expressions: parsing, and which models a set lets run together.

#include "core/remote/confignode.h"
#include "core/remote/matrixexpression.h"
#include "core/remote/matrixsets.h"

#include <QTest>

using namespace Qt::StringLiterals;
using boo::MatrixExpression;

namespace {

boo::ConfigNode text(const QString &value)
{
    boo::ConfigNode node;
    node.kind = boo::ConfigNode::Kind::String;
    node.scalar = value;
    return node;
}

boo::ConfigNode mapping(std::vector<std::pair<QString, boo::ConfigNode>> entries)
{
    boo::ConfigNode node;
    node.kind = boo::ConfigNode::Kind::Map;
    node.entries = std::move(entries);
    return node;
}

} // namespace

class TestMatrixExpression : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parses_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QStringList>("identifiers");
        QTest::addColumn<QStringList>("references");
        QTest::newRow("one") << u"model-a"_s << QStringList{u"model-a"_s} << QStringList{};
        QTest::newRow("and-or") << u"(g | qwen.2 | m) & v"_s << QStringList{u"g"_s, u"qwen.2"_s, u"m"_s, u"v"_s} << QStringList{};
        QTest::newRow("reference") << u" +llms & v_1 "_s << QStringList{u"v_1"_s} << QStringList{u"llms"_s};
    }

    void parses()
    {
        QFETCH(QString, expression);
        QFETCH(QStringList, identifiers);
        QFETCH(QStringList, references);
        auto parsed = MatrixExpression::parse(expression);
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
        QCOMPARE(parsed->identifiers(), identifiers);
        QCOMPARE(parsed->references(), references);
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << u"  "_s << u"empty"_s;
        QTest::newRow("unclosed") << u"(a & b"_s << u"missing ')'"_s;
        QTest::newRow("dangling operator") << u"a &"_s << u"ends"_s;
        QTest::newRow("bare plus") << u"+ & a"_s << u"set name must follow '+'"_s;
        QTest::newRow("stray character") << u"a , b"_s << u"unexpected ','"_s;
        QTest::newRow("two names") << u"a b"_s << u"unexpected 'b'"_s;
    }

    void refuses()
    {
        QFETCH(QString, expression);
        QFETCH(QString, message);
        auto parsed = MatrixExpression::parse(expression);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(message), qPrintable(parsed.error().message));
    }

    void combinationsAreMaximalSets()
    {
        auto parsed = MatrixExpression::parse(u"(a | b) & c | a & b & c"_s);
        QVERIFY(parsed.ok());
        const QStringList models{u"a"_s, u"b"_s, u"c"_s};
        const auto masks = parsed->combinations([&](const QString &name) { return std::uint64_t(1) << models.indexOf(name); },
                                                [](const QString &) { return MatrixExpression::Masks{}; });
        // {a,c} and {b,c} are subsets of {a,b,c}: only the largest is kept.
        QCOMPARE(masks, (MatrixExpression::Masks{0b111}));
    }

    void canContainAllFollowsVarsAndReferences()
    {
        const boo::ConfigNode matrix = mapping({
            {u"vars"_s, mapping({{u"g"_s, text(u"gemma"_s)}, {u"q"_s, text(u"qwen"_s)}})},
            {u"sets"_s, mapping({{u"llms"_s, text(u"g | q"_s)}, {u"with_tts"_s, text(u"+llms & tts"_s)}, {u"pair"_s, text(u"g & q"_s)}})},
        });
        const boo::MatrixSets sets(matrix);
        QVERIFY(sets.canContainAll({u"gemma"_s, u"tts"_s}));
        QVERIFY(sets.canContainAll({u"qwen"_s, u"tts"_s}));
        QVERIFY(sets.canContainAll({u"gemma"_s, u"qwen"_s}));
        QVERIFY(!sets.canContainAll({u"gemma"_s, u"qwen"_s, u"tts"_s}));
        QVERIFY(!sets.canContainAll({u"gemma"_s, u"other"_s}));
        QVERIFY(sets.cycleThrough(u"with_tts"_s).isEmpty());
    }

    void cycles()
    {
        const boo::ConfigNode matrix = mapping({
            {u"sets"_s,
             mapping({{u"a"_s, text(u"+b | x"_s)}, {u"b"_s, text(u"+c & y"_s)}, {u"c"_s, text(u"+a"_s)}, {u"d"_s, text(u"+a"_s)}})},
        });
        const boo::MatrixSets sets(matrix);
        QCOMPARE(sets.cycleThrough(u"a"_s), (QStringList{u"a"_s, u"b"_s, u"c"_s}));
        QVERIFY(sets.cycleThrough(u"d"_s).isEmpty()); // d leads into the cycle but is not on it
        QVERIFY(sets.canContainAll({u"x"_s}));        // and evaluating it terminates
    }
};

QTEST_GUILESS_MAIN(TestMatrixExpression)
#include "tst_matrixexpression.moc"
