#pragma once

#include <QString>
#include <QStringView>

#include <cstddef>
#include <optional>

namespace boo {

// One row of an enum's name table. Each enum that is written to or read from fixed strings (wire
// JSON, the database, the command line) has exactly one table, declared next to the enum, so the
// forward and the reverse mapping cannot drift apart and a new value is added in one place:
//
//   enum class Liveness { Reconnecting, Connected, Down };
//   inline constexpr EnumName<Liveness> kLivenessNames[] = {
//       {Liveness::Reconnecting, u"reconnecting"}, {Liveness::Connected, u"connected"}, {Liveness::Down, u"down"}};
//
// A value may appear more than once (aliases): the first row is its name, every row is accepted
// when reading. A value may be missing (an internal state that never goes on the wire): its name
// is empty and no text reads back as it.
template <typename E>
struct EnumName
{
    E value;
    QStringView name;
};

// The name of `value`, or an empty view when the table has none. Points into the table's literal:
// no allocation.
template <typename E, std::size_t N>
constexpr QStringView enumName(const EnumName<E> (&table)[N], E value)
{
    for (const EnumName<E> &row : table) {
        if (row.value == value)
            return row.name;
    }
    return {};
}

// The same as a QString that shares the literal (QString::fromRawData), for the many callers that
// put names into JSON objects, SQL binds or QString::arg.
template <typename E, std::size_t N>
QString enumNameString(const EnumName<E> (&table)[N], E value)
{
    const QStringView name = enumName(table, value);
    return QString::fromRawData(name.data(), name.size());
}

// The value named `name` (exact, case-sensitive: these are wire tokens), or nullopt.
template <typename E, std::size_t N>
std::optional<E> enumFromName(const EnumName<E> (&table)[N], QStringView name)
{
    for (const EnumName<E> &row : table) {
        if (row.name == name)
            return row.value;
    }
    return std::nullopt;
}

// "a, b or c": the accepted names for an error message, aliases included, in table order.
template <typename E, std::size_t N>
QString enumChoices(const EnumName<E> (&table)[N])
{
    QString text;
    for (std::size_t i = 0; i < N; ++i) {
        if (i > 0)
            text += i + 1 == N ? QStringLiteral(" or ") : QStringLiteral(", ");
        text += table[i].name;
    }
    return text;
}

} // namespace boo
