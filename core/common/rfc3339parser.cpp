#include "core/common/rfc3339parser.h"

#include "core/common/civildate.h"

#include <QtNumeric>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

Error invalid(QStringView text, const QString &why)
{
    // Long garbage would make an unreadable message: show only the start.
    const QString shown = text.size() > 64 ? text.left(64).toString() + u"..."_s : text.toString();
    return makeError(u"rfc3339"_s, u"timestamp \"%1\" is not RFC 3339: %2"_s.arg(shown, why));
}

// Reads exactly `count` ASCII digits at `pos`; -1 when any of them is missing or not a digit.
int digits(QStringView text, qsizetype pos, int count)
{
    if (pos + count > text.size())
        return -1;
    int value = 0;
    for (int i = 0; i < count; ++i) {
        const char16_t c = text[pos + i].unicode();
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + (c - u'0');
    }
    return value;
}

bool expect(QStringView text, qsizetype pos, char16_t c)
{
    return pos < text.size() && text[pos].unicode() == c;
}

enum class OffsetError { None, Shape, Range };

// "±hh:mm" at `pos`, as minutes east of UTC.
OffsetError readOffset(QStringView text, qsizetype pos, int *minutes)
{
    const bool plus = expect(text, pos, u'+');
    if (!plus && !expect(text, pos, u'-'))
        return OffsetError::Shape;
    const int hour = digits(text, pos + 1, 2);
    const int minute = digits(text, pos + 4, 2);
    if (hour < 0 || minute < 0 || !expect(text, pos + 3, u':'))
        return OffsetError::Shape;
    if (hour > 23 || minute > 59)
        return OffsetError::Range;
    *minutes = plus ? hour * 60 + minute : -(hour * 60 + minute);
    return OffsetError::None;
}

} // namespace

std::optional<qint64> Rfc3339Parser::Instant::utcNs() const
{
    // Before 1970 the fraction is borrowed from the next second, so that the earliest instant
    // (1677-09-21T00:12:43.145224192Z) does not overflow on the way.
    qint64 seconds = utcSeconds;
    qint64 fraction = nanos;
    if (seconds < 0 && fraction > 0) {
        ++seconds;
        fraction -= 1000000000;
    }
    qint64 ns = 0;
    if (qMulOverflow(seconds, qint64(1000000000), &ns) || qAddOverflow(ns, fraction, &ns))
        return std::nullopt;
    return ns;
}

Result<Rfc3339Parser::Instant> Rfc3339Parser::parse(QStringView text, Rules rules)
{
    if (text.size() < 20)
        return invalid(text, u"too short (expected e.g. 2026-08-22T18:41:08Z)"_s);

    const int year = digits(text, 0, 4);
    const int month = digits(text, 5, 2);
    const int day = digits(text, 8, 2);
    if (year < 0 || month < 0 || day < 0 || !expect(text, 4, u'-') || !expect(text, 7, u'-'))
        return invalid(text, u"the date is not YYYY-MM-DD"_s);
    if (month < 1 || month > 12)
        return invalid(text, u"month %1 is out of range"_s.arg(month));
    if (day < 1 || day > CivilDate::daysInMonth(year, month))
        return invalid(text, u"day %1 does not exist in %2-%3"_s.arg(day).arg(year).arg(month, 2, 10, QChar(u'0')));

    const char16_t separator = text[10].unicode();
    if (separator != u'T' && !(rules.lowerCaseAndSpace && (separator == u't' || separator == u' ')))
        return invalid(text, u"expected 'T' between date and time"_s);

    const int hour = digits(text, 11, 2);
    const int minute = digits(text, 14, 2);
    const int second = digits(text, 17, 2);
    if (hour < 0 || minute < 0 || second < 0 || !expect(text, 13, u':') || !expect(text, 16, u':'))
        return invalid(text, u"the time is not hh:mm:ss"_s);
    if (hour > 23 || minute > 59 || second > (rules.leapSecond ? 60 : 59))
        return invalid(text, u"time of day out of range"_s);

    qsizetype pos = 19;
    int nanos = 0;
    if (expect(text, pos, u'.') || (rules.commaFraction && expect(text, pos, u','))) {
        ++pos;
        const qsizetype first = pos;
        while (pos < text.size() && text[pos].unicode() >= u'0' && text[pos].unicode() <= u'9') {
            if (pos - first < 9)
                nanos = nanos * 10 + (text[pos].unicode() - u'0');
            ++pos;
        }
        const qsizetype count = pos - first;
        if (count == 0)
            return invalid(text, u"'.' is not followed by fractional digits"_s);
        for (qsizetype i = count; i < 9; ++i)
            nanos *= 10;
    }

    if (pos >= text.size())
        return invalid(text, u"the zone offset (Z or +hh:mm) is missing"_s);
    int offsetMinutes = 0;
    const char16_t zone = text[pos].unicode();
    if (zone == u'Z' || (rules.lowerCaseAndSpace && zone == u'z')) {
        ++pos;
    } else if (zone == u'+' || zone == u'-') {
        switch (readOffset(text, pos, &offsetMinutes)) {
        case OffsetError::None: break;
        case OffsetError::Shape: return invalid(text, u"the zone offset is not ±hh:mm"_s);
        case OffsetError::Range: return invalid(text, u"the zone offset is out of range"_s);
        }
        pos += 6;
    } else {
        return invalid(text, u"unexpected character after the time (expected Z or ±hh:mm)"_s);
    }
    if (pos != text.size())
        return invalid(text, u"unexpected text after the zone offset"_s);

    // A leap second needs no special case: ss = 60 is simply the next minute's first second.
    const qint64 localSeconds = CivilDate::toDays(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    return Instant{localSeconds - qint64(offsetMinutes) * 60, nanos};
}

std::optional<int> Rfc3339Parser::parseUtcOffset(QStringView text)
{
    if (text == u"Z")
        return 0;
    int minutes = 0;
    if (text.size() != 6 || readOffset(text, 0, &minutes) != OffsetError::None)
        return std::nullopt;
    return minutes * 60;
}

} // namespace boo
