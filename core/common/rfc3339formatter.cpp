#include "core/common/rfc3339formatter.h"

#include "core/common/civildate.h"

namespace boo {

namespace {

constexpr qint64 kFirstDay = CivilDate::toDays(1, 1, 1);
constexpr qint64 kLastDay = CivilDate::toDays(9999, 12, 31);
// Far beyond the year range on either side, and far from overflowing when an offset is added.
constexpr qint64 kSecondsBound = qint64(1) << 40;
// "9999-12-31T23:59:59.999999999+23:59" has 35 characters.
constexpr int kMaxText = 40;

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return a % b < 0 ? q - 1 : q;
}

char *put(char *p, qint64 value, int width)
{
    for (int i = width - 1; i >= 0; --i, value /= 10)
        p[i] = char('0' + value % 10);
    return p + width;
}

// Writes the text into `out` (kMaxText bytes); returns its length, 0 outside the years.
qsizetype write(char *out, qint64 utcSeconds, int nanos, int utcOffsetSeconds, Rfc3339Formatter::Fraction fraction)
{
    if (utcSeconds < -kSecondsBound || utcSeconds > kSecondsBound || nanos < 0 || nanos > 999999999)
        return 0;
    const qint64 local = utcSeconds + utcOffsetSeconds;
    const qint64 days = floorDiv(local, 86400);
    if (days < kFirstDay || days > kLastDay)
        return 0;
    const qint64 secondOfDay = local - days * 86400;
    const CivilDate date = CivilDate::fromDays(days);
    char *p = out;
    p = put(p, date.year, 4);
    *p++ = '-';
    p = put(p, date.month, 2);
    *p++ = '-';
    p = put(p, date.day, 2);
    *p++ = 'T';
    p = put(p, secondOfDay / 3600, 2);
    *p++ = ':';
    p = put(p, secondOfDay / 60 % 60, 2);
    *p++ = ':';
    p = put(p, secondOfDay % 60, 2);
    switch (fraction) {
    case Rfc3339Formatter::Fraction::None: break;
    case Rfc3339Formatter::Fraction::Millis:
        *p++ = '.';
        p = put(p, nanos / 1000000, 3);
        break;
    case Rfc3339Formatter::Fraction::Trimmed:
        if (nanos != 0) {
            int digits = 9;
            int value = nanos;
            for (; value % 10 == 0; value /= 10)
                --digits;
            *p++ = '.';
            p = put(p, value, digits);
        }
        break;
    }
    if (utcOffsetSeconds == 0) {
        *p++ = 'Z';
    } else {
        const int abs = qAbs(utcOffsetSeconds);
        *p++ = utcOffsetSeconds < 0 ? '-' : '+';
        p = put(p, abs / 3600, 2);
        *p++ = ':';
        p = put(p, abs % 3600 / 60, 2);
    }
    return p - out;
}

} // namespace

QByteArray Rfc3339Formatter::format(qint64 utcSeconds, int nanos, int utcOffsetSeconds, Fraction fraction)
{
    char text[kMaxText];
    const qsizetype size = write(text, utcSeconds, nanos, utcOffsetSeconds, fraction);
    return size > 0 ? QByteArray(text, size) : QByteArray();
}

QString Rfc3339Formatter::utcMs(qint64 ms, Fraction fraction)
{
    const qint64 seconds = floorDiv(ms, 1000);
    // The remainder directly: seconds * 1000 overflows for the smallest qint64 (UBSan found it).
    const int millis = int(((ms % 1000) + 1000) % 1000);
    char text[kMaxText];
    const qsizetype size = write(text, seconds, millis * 1000000, 0, fraction);
    return size > 0 ? QString::fromLatin1(text, size) : QString();
}

} // namespace boo
