#pragma once

#include <QByteArray>
#include <QStringView>

#include <optional>

namespace boo {

// Go's time formats as llama-swap emits and accepts them. Times are nanoseconds since the
// Unix epoch; a host's zone is a fixed UTC offset in seconds.
class GoTime final
{
public:
    static qint64 nowNs();
    // RFC 3339 in the given zone: "2026-08-22T18:40:55.118274031+02:00" with trailing zeros
    // of the fraction trimmed, or "...Z" at offset 0. Without fraction: 1-second precision.
    static QByteArray rfc3339(qint64 ns, int utcOffsetSeconds, bool withFraction);
    // time.Parse(time.RFC3339, s): optional fraction (any precision, '.' or ','), "Z" or ±hh:mm;
    // Rfc3339Parser with Go's rules. nullopt also outside the years 1678..2262.
    static std::optional<qint64> parseRfc3339(QStringView text);
    // time.Duration.String(): "350µs", "1.5ms", "4.812s", "1m2.5s".
    static QByteArray duration(qint64 ns);
    // "+02:00" style offsets; nullopt when malformed.
    static std::optional<int> parseUtcOffset(QStringView text);
};

} // namespace boo
