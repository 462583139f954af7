#include "core/sim/gojsonwriter.h"

#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

void GoJsonWriter::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_first.isEmpty()) {
        if (!m_first.last())
            m_out += ',';
        m_first.last() = false;
    }
}

GoJsonWriter &GoJsonWriter::beginObject()
{
    beforeValue();
    m_out += '{';
    m_first.append(true);
    return *this;
}

GoJsonWriter &GoJsonWriter::endObject()
{
    m_out += '}';
    m_first.removeLast();
    return *this;
}

GoJsonWriter &GoJsonWriter::beginArray()
{
    beforeValue();
    m_out += '[';
    m_first.append(true);
    return *this;
}

GoJsonWriter &GoJsonWriter::endArray()
{
    m_out += ']';
    m_first.removeLast();
    return *this;
}

GoJsonWriter &GoJsonWriter::key(QStringView name)
{
    beforeValue();
    appendQuoted(m_out, name);
    m_out += ':';
    m_afterKey = true;
    return *this;
}

GoJsonWriter &GoJsonWriter::str(QStringView value)
{
    beforeValue();
    appendQuoted(m_out, value);
    return *this;
}

GoJsonWriter &GoJsonWriter::integer(qint64 value)
{
    beforeValue();
    m_out += QByteArray::number(value);
    return *this;
}

GoJsonWriter &GoJsonWriter::real(double value)
{
    beforeValue();
    m_out += number(value);
    return *this;
}

GoJsonWriter &GoJsonWriter::boolean(bool value)
{
    beforeValue();
    m_out += value ? "true" : "false";
    return *this;
}

GoJsonWriter &GoJsonWriter::null()
{
    beforeValue();
    m_out += "null";
    return *this;
}

GoJsonWriter &GoJsonWriter::raw(QByteArrayView json)
{
    beforeValue();
    m_out += json;
    return *this;
}

GoJsonWriter &GoJsonWriter::strings(const QStringList &values)
{
    beginArray();
    for (const QString &v : values)
        str(v);
    return endArray();
}

QByteArray GoJsonWriter::quote(QStringView value)
{
    QByteArray out;
    appendQuoted(out, value);
    return out;
}

void GoJsonWriter::appendQuoted(QByteArray &out, QStringView value)
{
    static const char hex[] = "0123456789abcdef";
    out.reserve(out.size() + value.size() + 2);
    out += '"';
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char16_t c = value[i].unicode();
        if (c < 0x80) {
            switch (c) {
            case u'"': out += "\\\""; continue;
            case u'\\': out += "\\\\"; continue;
            case u'\n': out += "\\n"; continue;
            case u'\r': out += "\\r"; continue;
            case u'\t': out += "\\t"; continue;
            case u'\b': out += "\\b"; continue; // Go >= 1.22
            case u'\f': out += "\\f"; continue;
            case u'<':
            case u'>':
            case u'&': break;
            default:
                if (c >= 0x20) {
                    out += char(c);
                    continue;
                }
            }
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
            continue;
        }
        if (c == 0x2028 || c == 0x2029) {
            out += c == 0x2028 ? "\\u2028" : "\\u2029";
            continue;
        }
        char32_t cp = c;
        if (QChar::isHighSurrogate(c) && i + 1 < value.size() && QChar::isLowSurrogate(value[i + 1].unicode())) {
            cp = QChar::surrogateToUcs4(c, value[i + 1].unicode());
            ++i;
        } else if (QChar::isSurrogate(c)) {
            out += "\\ufffd"; // what Go writes for invalid UTF-8
            continue;
        }
        if (cp < 0x800) {
            out += char(0xc0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out += char(0xe0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3f));
            out += char(0x80 | (cp & 0x3f));
        } else {
            out += char(0xf0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3f));
            out += char(0x80 | ((cp >> 6) & 0x3f));
            out += char(0x80 | (cp & 0x3f));
        }
    }
    out += '"';
}

QByteArray GoJsonWriter::number(double value)
{
    if (!std::isfinite(value))
        return "0"_ba; // Go refuses to encode these; never produce invalid JSON
    const double a = std::fabs(value);
    if (a != 0 && (a < 1e-6 || a >= 1e21)) {
        QByteArray s = QByteArray::number(value, 'e', QLocale::FloatingPointShortest);
        // Go writes "1e-07" as "1e-7"
        const qsizetype e = s.indexOf("e-0");
        if (e >= 0 && e + 3 < s.size())
            s.remove(e + 2, 1);
        return s;
    }
    return QByteArray::number(value, 'f', QLocale::FloatingPointShortest);
}

} // namespace boo
