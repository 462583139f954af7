#include "views/jsonhighlighter.h"

#include <QGuiApplication>
#include <QPalette>

using namespace Qt::StringLiterals;

namespace boo {

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    applyPalette();
}

void JsonHighlighter::applyPalette()
{
    // Colours readable on both light and dark palettes.
    const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
    m_key.setForeground(dark ? QColor(0x7d, 0xd3, 0xfc) : QColor(0x03, 0x5e, 0x9e));
    m_key.setFontWeight(QFont::DemiBold);
    m_string.setForeground(dark ? QColor(0x86, 0xef, 0xac) : QColor(0x16, 0x7a, 0x35));
    m_number.setForeground(dark ? QColor(0xfd, 0xba, 0x74) : QColor(0xb4, 0x53, 0x09));
    m_literal.setForeground(dark ? QColor(0xf0, 0xab, 0xfc) : QColor(0x86, 0x19, 0x8f));
    m_punctuation.setForeground(QGuiApplication::palette().color(QPalette::PlaceholderText));
}

QTextCharFormat JsonHighlighter::formatFor(Token token) const
{
    switch (token) {
    case Token::Key: return m_key;
    case Token::String: return m_string;
    case Token::Number: return m_number;
    case Token::Literal: return m_literal;
    case Token::Punctuation: return m_punctuation;
    }
    return {};
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    // One pass over the tokens of a line; a string followed by ':' is a key.
    static const QRegularExpression token(
        uR"(("(?:[^"\\]|\\.)*"?)(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}\[\],:]))"_s);
    auto it = token.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (m.capturedLength(1) > 0)
            setFormat(int(m.capturedStart(1)), int(m.capturedLength(1)), m.capturedLength(2) > 0 ? m_key : m_string);
        else if (m.capturedLength(3) > 0)
            setFormat(int(m.capturedStart(3)), int(m.capturedLength(3)), m_number);
        else if (m.capturedLength(4) > 0)
            setFormat(int(m.capturedStart(4)), int(m.capturedLength(4)), m_literal);
        else if (m.capturedLength(5) > 0)
            setFormat(int(m.capturedStart(5)), int(m.capturedLength(5)), m_punctuation);
    }
}

} // namespace boo
