#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace boo {

// Compact JSON written the way Go's encoding/json writes it, so that simulated hosts produce
// llama-swap's bytes and not merely equivalent JSON: keys in the order they are written
// (struct order; callers sort map-backed objects themselves), `<` `>` `&` U+2028 U+2029
// escaped as \u003c etc., and floats in Go's shortest form (87, 2210.4, 1e-07).
// QJsonDocument cannot do this: it sorts keys and escapes differently.
class GoJsonWriter final
{
public:
    GoJsonWriter &beginObject();
    GoJsonWriter &endObject();
    GoJsonWriter &beginArray();
    GoJsonWriter &endArray();
    GoJsonWriter &key(QStringView name);

    GoJsonWriter &str(QStringView value);
    GoJsonWriter &str(const QByteArray &utf8) { return str(QString::fromUtf8(utf8)); }
    GoJsonWriter &integer(qint64 value);
    GoJsonWriter &real(double value);
    GoJsonWriter &boolean(bool value);
    GoJsonWriter &null();
    // An already encoded JSON value.
    GoJsonWriter &raw(QByteArrayView json);
    GoJsonWriter &strings(const QStringList &values);

    const QByteArray &data() const { return m_out; }
    QByteArray take() { return std::exchange(m_out, {}); }

    static QByteArray quote(QStringView value);
    static void appendQuoted(QByteArray &out, QStringView value);
    static QByteArray number(double value);

private:
    void beforeValue();

    QByteArray m_out;
    QList<bool> m_first; // per open container: no element written yet
    bool m_afterKey = false;
};

} // namespace boo
