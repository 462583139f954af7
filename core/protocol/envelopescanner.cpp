#include "core/protocol/envelopescanner.h"

#include "core/common/hexdigit.h"

#include <cstring>

namespace boo {

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void appendUtf8(QByteArray &out, char32_t codePoint)
{
    if (codePoint < 0x80) {
        out.append(char(codePoint));
    } else if (codePoint < 0x800) {
        out.append(char(0xC0 | (codePoint >> 6)));
        out.append(char(0x80 | (codePoint & 0x3F)));
    } else if (codePoint < 0x10000) {
        out.append(char(0xE0 | (codePoint >> 12)));
        out.append(char(0x80 | ((codePoint >> 6) & 0x3F)));
        out.append(char(0x80 | (codePoint & 0x3F)));
    } else {
        out.append(char(0xF0 | (codePoint >> 18)));
        out.append(char(0x80 | ((codePoint >> 12) & 0x3F)));
        out.append(char(0x80 | ((codePoint >> 6) & 0x3F)));
        out.append(char(0x80 | (codePoint & 0x3F)));
    }
}

// A cursor over the envelope. Every reader returns false where the input leaves the plain shape.
class Cursor
{
public:
    explicit Cursor(QByteArrayView input)
        : m_at(input.data())
        , m_end(input.data() + input.size())
    {
    }

    bool take(char c)
    {
        skipSpace();
        if (m_at == m_end || *m_at != c)
            return false;
        ++m_at;
        return true;
    }

    bool atEnd()
    {
        skipSpace();
        return m_at == m_end;
    }

    // A JSON string, unescaped into `out` as UTF-8.
    bool string(QByteArray &out)
    {
        if (!take('"'))
            return false;
        out.clear();
        for (;;) {
            const char *run = m_at;
            while (m_at != m_end && *m_at != '"' && *m_at != '\\' && uchar(*m_at) >= 0x20)
                ++m_at;
            out.append(run, m_at - run);
            if (m_at == m_end)
                return false;
            if (*m_at == '"') {
                ++m_at;
                // Raw non-ASCII bytes must be UTF-8 a JSON parser would take.
                return QByteArrayView(out).isValidUtf8();
            }
            if (*m_at != '\\')
                return false; // a raw control character
            ++m_at;
            if (!escape(out))
                return false;
        }
    }

private:
    void skipSpace()
    {
        while (m_at != m_end && isJsonSpace(*m_at))
            ++m_at;
    }

    bool escape(QByteArray &out)
    {
        if (m_at == m_end)
            return false;
        const char c = *m_at++;
        switch (c) {
        case '"': out.append('"'); return true;
        case '\\': out.append('\\'); return true;
        case '/': out.append('/'); return true;
        case 'b': out.append('\b'); return true;
        case 'f': out.append('\f'); return true;
        case 'n': out.append('\n'); return true;
        case 'r': out.append('\r'); return true;
        case 't': out.append('\t'); return true;
        case 'u': return unicodeEscape(out);
        default: return false;
        }
    }

    bool hex4(char16_t &unit)
    {
        if (m_end - m_at < 4)
            return false;
        unit = 0;
        for (int i = 0; i < 4; ++i) {
            const int digit = hexDigitValue(*m_at++);
            if (digit < 0)
                return false;
            unit = char16_t(unit << 4 | digit);
        }
        return true;
    }

    bool unicodeEscape(QByteArray &out)
    {
        char16_t unit = 0;
        if (!hex4(unit))
            return false;
        if (unit >= 0xDC00 && unit <= 0xDFFF)
            return false; // a lone low surrogate
        if (unit < 0xD800 || unit > 0xDBFF) {
            appendUtf8(out, unit);
            return true;
        }
        char16_t low = 0;
        if (m_end - m_at < 2 || m_at[0] != '\\' || m_at[1] != 'u')
            return false; // a high surrogate without its pair
        m_at += 2;
        if (!hex4(low) || low < 0xDC00 || low > 0xDFFF)
            return false;
        appendUtf8(out, 0x10000 + ((char32_t(unit) - 0xD800) << 10) + (low - 0xDC00));
        return true;
    }

    const char *m_at;
    const char *m_end;
};

bool isPrintableAscii(const QByteArray &text)
{
    for (const char c : text) {
        if (uchar(c) < 0x20 || uchar(c) > 0x7E)
            return false;
    }
    return true;
}

} // namespace

std::optional<ScannedEnvelope> scanStringEnvelope(QByteArrayView json)
{
    Cursor cursor(json);
    if (!cursor.take('{'))
        return std::nullopt;
    ScannedEnvelope envelope;
    bool haveType = false;
    bool haveData = false;
    QByteArray key;
    QByteArray value;
    if (!cursor.take('}')) {
        do {
            if (!cursor.string(key) || !cursor.take(':') || !cursor.string(value))
                return std::nullopt;
            if (key == "type") {
                if (haveType)
                    return std::nullopt;
                haveType = true;
                envelope.type = value;
            } else if (key == "data") {
                if (haveData)
                    return std::nullopt;
                haveData = true;
                envelope.data.swap(value);
            }
        } while (cursor.take(','));
        if (!cursor.take('}'))
            return std::nullopt;
    }
    if (!cursor.atEnd() || !haveType || !haveData || !isPrintableAscii(envelope.type))
        return std::nullopt;
    return envelope;
}

} // namespace boo
