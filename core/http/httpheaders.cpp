#include "core/http/httpheaders.h"

namespace boo {

namespace {

char lowerAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
}

char upperAscii(char c)
{
    return (c >= 'a' && c <= 'z') ? char(c - ('a' - 'A')) : c;
}

} // namespace

HttpHeaders::HttpHeaders(std::initializer_list<Entry> entries)
    : m_entries(entries)
{
}

bool HttpHeaders::namesEqual(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (lowerAscii(a[i]) != lowerAscii(b[i]))
            return false;
    }
    return true;
}

void HttpHeaders::add(QByteArray name, QByteArray value)
{
    m_entries.append({std::move(name), std::move(value)});
}

void HttpHeaders::set(QByteArray name, QByteArray value)
{
    remove(name);
    add(std::move(name), std::move(value));
}

void HttpHeaders::remove(QByteArrayView name)
{
    m_entries.removeIf([name](const Entry &e) { return namesEqual(e.first, name); });
}

bool HttpHeaders::contains(QByteArrayView name) const
{
    for (const Entry &e : m_entries) {
        if (namesEqual(e.first, name))
            return true;
    }
    return false;
}

QByteArray HttpHeaders::value(QByteArrayView name, const QByteArray &defaultValue) const
{
    for (const Entry &e : m_entries) {
        if (namesEqual(e.first, name))
            return e.second;
    }
    return defaultValue;
}

QByteArrayList HttpHeaders::values(QByteArrayView name) const
{
    QByteArrayList out;
    for (const Entry &e : m_entries) {
        if (namesEqual(e.first, name))
            out.append(e.second);
    }
    return out;
}

bool HttpHeaders::hasToken(QByteArrayView name, QByteArrayView token) const
{
    for (const Entry &e : m_entries) {
        if (!namesEqual(e.first, name))
            continue;
        for (const QByteArray &part : e.second.split(',')) {
            if (namesEqual(part.trimmed(), token))
                return true;
        }
    }
    return false;
}

QByteArray HttpHeaders::canonicalName(QByteArrayView name)
{
    QByteArray out(name.data(), name.size());
    bool upper = true;
    for (char &c : out) {
        c = upper ? upperAscii(c) : lowerAscii(c);
        upper = (c == '-');
    }
    return out;
}

} // namespace boo
