#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QList>

#include <initializer_list>
#include <utility>

namespace boo {

// An ordered list of header fields. Names compare case-insensitively (RFC 9110 §5.1) but keep
// the spelling they were added with, because the simulator must reproduce llama-swap's exact
// header spelling on the wire.
class HttpHeaders final
{
public:
    using Entry = std::pair<QByteArray, QByteArray>;

    HttpHeaders() = default;
    HttpHeaders(std::initializer_list<Entry> entries);

    void add(QByteArray name, QByteArray value);
    // Replaces every field called `name` with one field.
    void set(QByteArray name, QByteArray value);
    void remove(QByteArrayView name);

    bool contains(QByteArrayView name) const;
    // First value, or `defaultValue` when the field is absent.
    QByteArray value(QByteArrayView name, const QByteArray &defaultValue = {}) const;
    QByteArrayList values(QByteArrayView name) const;
    // True when a comma-separated list field (Connection, Upgrade, ...) names `token`,
    // compared case-insensitively across all fields of that name.
    bool hasToken(QByteArrayView name, QByteArrayView token) const;

    qsizetype size() const { return m_entries.size(); }
    bool isEmpty() const { return m_entries.isEmpty(); }
    const QList<Entry> &entries() const { return m_entries; }

    // Go's textproto canonical form ("x-session-id" -> "X-Session-Id"), which is how llama-swap
    // spells header names in captures and in-flight entries.
    static QByteArray canonicalName(QByteArrayView name);
    static bool namesEqual(QByteArrayView a, QByteArrayView b);

private:
    QList<Entry> m_entries;
};

} // namespace boo
