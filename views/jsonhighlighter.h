#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace boo {

// The built-in highlighter, used when KDE's KSyntaxHighlighting is not available (Debian 12
// ships no Qt 6 build of it). JSON is what captures and configs mostly contain.
class JsonHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit JsonHighlighter(QTextDocument *document);
    Q_DISABLE_COPY_MOVE(JsonHighlighter)

    enum class Token { Key, String, Number, Literal, Punctuation };
    QTextCharFormat formatFor(Token token) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    void applyPalette();

    QTextCharFormat m_key, m_string, m_number, m_literal, m_punctuation;
};

} // namespace boo
