#pragma once

#include <QByteArrayView>

namespace boo::httpsyntax {

// The character classes of RFC 9110 §5.6, shared by every parser of the wire (request heads,
// upstream response heads, chunk extensions), so that all of them refuse the same bytes.

// tchar: the characters of a token (method, field name, chunk extension name).
constexpr bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
    }
}

constexpr bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// SP or HTAB: the only whitespace inside a line (OWS, BWS).
constexpr bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

// A byte of a field value: VCHAR, obs-text, SP and HTAB; never CR, LF, NUL or another control.
constexpr bool isFieldValueChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 ? u != 0x7f : c == '\t';
}

constexpr bool isFieldValue(QByteArrayView s)
{
    for (char c : s) {
        if (!isFieldValueChar(c))
            return false;
    }
    return true;
}

// qdtext of a quoted-string: field-value bytes except '"' and '\'.
constexpr bool isQuotedTextChar(char c)
{
    return isFieldValueChar(c) && c != '"' && c != '\\';
}

} // namespace boo::httpsyntax
