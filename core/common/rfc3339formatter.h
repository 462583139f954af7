#pragma once

#include <QByteArray>
#include <QString>

namespace boo {

// RFC 3339 text of an instant: for the wire JSON of the control API and the store's queries
// (utcMs, which writes what QDateTime::toString(Qt::ISODate / Qt::ISODateWithMs) wrote there
// before, byte for byte), and for the simulated hosts, which write Go's time.RFC3339Nano in
// their zone (GoTime). No QDateTime: it is slow, and the offset is all the zone there is.
class Rfc3339Formatter final
{
public:
    enum class Fraction {
        None,    // whole seconds, truncated: "18:40:55Z"
        Millis,  // always three digits, truncated: "18:40:55.118Z"
        Trimmed, // up to nine digits without trailing zeros, none at a whole second (Go)
    };

    // The instant as local time `utcOffsetSeconds` east of UTC, "+02:00" (the offset's own
    // seconds are not written) or "Z" at 0. Empty outside the years 0001..9999, as QDateTime.
    static QByteArray format(qint64 utcSeconds, int nanos, int utcOffsetSeconds, Fraction fraction);

    // Epoch milliseconds in UTC: "2026-08-22T16:40:55Z" (None), "2026-08-22T16:40:55.118Z" (Millis).
    static QString utcMs(qint64 ms, Fraction fraction);
};

} // namespace boo
