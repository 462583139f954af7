#include "views/jsonhighlighter.h"
#include "views/syntaxhighlighting.h"

#include <QApplication>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

// The format applied at column `column` of the first block.
QTextCharFormat formatAt(QTextDocument &document, int column)
{
    const QTextBlock block = document.firstBlock();
    for (const QTextLayout::FormatRange &range : block.layout()->formats()) {
        if (column >= range.start && column < range.start + range.length)
            return range.format;
    }
    return {};
}

} // namespace

class TestJsonHighlighter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void highlightsJsonTokens()
    {
        QTextDocument document;
        auto *highlighter = qobject_cast<JsonHighlighter *>(attachHighlighter(&document, u"JSON"_s));
        if (syntaxHighlightingEngine() == u"KSyntaxHighlighting"_s)
            QSKIP("KSyntaxHighlighting handles JSON in this build");
        QVERIFY(highlighter);
        //                     0123456789012345678901234567890123456789012345678
        document.setPlainText(u"{\"model\": \"qwen3\", \"n\": -1.5e3, \"ok\": true}"_s);
        highlighter->rehighlight();

        const auto key = highlighter->formatFor(JsonHighlighter::Token::Key);
        const auto string = highlighter->formatFor(JsonHighlighter::Token::String);
        const auto number = highlighter->formatFor(JsonHighlighter::Token::Number);
        const auto literal = highlighter->formatFor(JsonHighlighter::Token::Literal);
        QVERIFY(key.foreground() != string.foreground());
        QCOMPARE(formatAt(document, 2).foreground(), key.foreground());      // "model"
        QCOMPARE(formatAt(document, 12).foreground(), string.foreground());  // "qwen3"
        QCOMPARE(formatAt(document, 20).foreground(), key.foreground());     // "n"
        QCOMPARE(formatAt(document, 25).foreground(), number.foreground());  // -1.5e3
        QCOMPARE(formatAt(document, 39).foreground(), literal.foreground()); // true
    }

    void escapedQuotesStayInsideTheString()
    {
        QTextDocument document;
        auto *highlighter = qobject_cast<JsonHighlighter *>(attachHighlighter(&document, u"json"_s));
        if (!highlighter)
            QSKIP("KSyntaxHighlighting handles JSON in this build");
        document.setPlainText(u"[\"say \\\"true\\\" 42\"]"_s);
        highlighter->rehighlight();
        const auto string = highlighter->formatFor(JsonHighlighter::Token::String);
        // "true" and 42 inside the string are string, not literal/number.
        QCOMPARE(formatAt(document, 8).foreground(), string.foreground());
        QCOMPARE(formatAt(document, 15).foreground(), string.foreground());
    }

    void unknownLanguageStaysPlainWithoutKSyntax()
    {
        QTextDocument document;
        QSyntaxHighlighter *highlighter = attachHighlighter(&document, u"Brainfuck++"_s);
        QVERIFY(highlighter == nullptr);
    }
};

QTEST_MAIN(TestJsonHighlighter)
#include "tst_jsonhighlighter.moc"
