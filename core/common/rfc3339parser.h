#pragma once

#include "core/common/result.h"

#include <QStringView>

#include <optional>

namespace boo {

// RFC 3339 timestamps ("2026-08-22T18:40:55.118274031+02:00", "2026-08-22T18:41:08Z") read into
// UTC seconds and nanoseconds. One parser for two readers with slightly different rules: the
// wire timestamps of llama-swap and our API's time parameters (Rfc3339::toUtcMs in
// core/protocol), and the simulated hosts, which accept what Go's time.Parse accepts (GoTime in
// core/sim, which may use only common and http).
//
// Our own parser because QDateTime::fromString(Qt::ISODateWithMs) rejects more than three
// fractional digits and consults the local time zone database, which is slow and irrelevant
// here: the offset in the text is all we need.
class Rfc3339Parser final
{
public:
    // Where the readers differ.
    struct Rules
    {
        bool lowerCaseAndSpace; // 't' or ' ' for 'T' and 'z' for 'Z' (RFC 3339 §5.6 allows them)
        bool commaFraction;     // ',' as well as '.' before the fraction (Go accepts it)
        bool leapSecond;        // ss = 60, read as the first instant of the next minute
    };
    // llama-swap's timestamps and our API's parameters: what RFC 3339 permits.
    static constexpr Rules kLenient{true, false, true};
    // Go's time.Parse(time.RFC3339, s): 'T' and 'Z' only, '.' or ',', no second 60.
    static constexpr Rules kGo{false, true, false};

    struct Instant
    {
        qint64 utcSeconds = 0;
        int nanos = 0; // 0..999'999'999: fraction digits past the ninth are dropped

        // Truncated towards the past, which keeps samples in order.
        qint64 utcMs() const { return utcSeconds * 1000 + nanos / 1000000; }
        // nullopt outside the years 1678..2262 that qint64 nanoseconds reach.
        std::optional<qint64> utcNs() const;
    };

    // YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm) with a fraction of any length and years
    // 0000..9999. An error has the code "rfc3339" and a message that shows the text and says
    // what is wrong with it.
    static Result<Instant> parse(QStringView text, Rules rules);

    // "Z" or "±hh:mm" as seconds east of UTC; nullopt for anything else.
    static std::optional<int> parseUtcOffset(QStringView text);
};

} // namespace boo
