#include "core/protocol/rfc3339.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

Error invalid(QStringView text, const QString &why)
{
    // Long garbage would make an unreadable message: show only the start.
    const QString shown = text.size() > 64 ? text.left(64).toString() + u"..."_s : text.toString();
    return makeError(u"protocol.value"_s, u"timestamp \"%1\" is not RFC 3339: %2"_s.arg(shown, why));
}

// Reads exactly `count` ASCII digits at `pos`; -1 when any of them is not a digit.
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

bool isLeapYear(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysInMonth(int year, int month)
{
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeapYear(year) ? 29 : days[month - 1];
}

bool expect(QStringView text, qsizetype pos, char16_t c)
{
    return pos < text.size() && text[pos].unicode() == c;
}

} // namespace

qint64 Rfc3339::daysFromCivil(int year, int month, int day)
{
    // Shift the year to start in March so the leap day is the last day of a "year"; then each
    // 400-year era has exactly 146097 days.
    const qint64 y = month <= 2 ? qint64(year) - 1 : year;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const qint64 yearOfEra = y - era * 400;
    const qint64 shiftedMonth = month > 2 ? month - 3 : month + 9;
    const qint64 dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1;
    const qint64 dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

Result<qint64> Rfc3339::toUtcMs(QStringView text)
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
    if (day < 1 || day > daysInMonth(year, month))
        return invalid(text, u"day %1 does not exist in %2-%3"_s.arg(day).arg(year).arg(month, 2, 10, QChar(u'0')));

    const char16_t separator = text[10].unicode();
    if (separator != u'T' && separator != u't' && separator != u' ')
        return invalid(text, u"expected 'T' between date and time"_s);

    const int hour = digits(text, 11, 2);
    const int minute = digits(text, 14, 2);
    const int second = digits(text, 17, 2);
    if (hour < 0 || minute < 0 || second < 0 || !expect(text, 13, u':') || !expect(text, 16, u':'))
        return invalid(text, u"the time is not hh:mm:ss"_s);
    if (hour > 23 || minute > 59 || second > 60)
        return invalid(text, u"time of day out of range"_s);

    qsizetype pos = 19;
    int millis = 0;
    if (expect(text, pos, u'.')) {
        ++pos;
        const qsizetype first = pos;
        while (pos < text.size() && text[pos].unicode() >= u'0' && text[pos].unicode() <= u'9') {
            // Only the first three digits matter: truncation keeps ordering of samples intact.
            if (pos - first < 3)
                millis = millis * 10 + (text[pos].unicode() - u'0');
            ++pos;
        }
        const qsizetype count = pos - first;
        if (count == 0)
            return invalid(text, u"'.' is not followed by fractional digits"_s);
        for (qsizetype i = count; i < 3; ++i)
            millis *= 10;
    }

    if (pos >= text.size())
        return invalid(text, u"the zone offset (Z or +hh:mm) is missing"_s);
    qint64 offsetMinutes = 0;
    const char16_t zone = text[pos].unicode();
    if (zone == u'Z' || zone == u'z') {
        ++pos;
    } else if (zone == u'+' || zone == u'-') {
        const int offHour = digits(text, pos + 1, 2);
        const int offMinute = digits(text, pos + 4, 2);
        if (offHour < 0 || offMinute < 0 || !expect(text, pos + 3, u':'))
            return invalid(text, u"the zone offset is not ±hh:mm"_s);
        if (offHour > 23 || offMinute > 59)
            return invalid(text, u"the zone offset is out of range"_s);
        offsetMinutes = offHour * 60 + offMinute;
        if (zone == u'-')
            offsetMinutes = -offsetMinutes;
        pos += 6;
    } else {
        return invalid(text, u"unexpected character after the time (expected Z or ±hh:mm)"_s);
    }
    if (pos != text.size())
        return invalid(text, u"unexpected text after the zone offset"_s);

    const qint64 days = daysFromCivil(year, month, day);
    const qint64 localSeconds = days * 86400 + hour * 3600 + minute * 60 + second;
    const qint64 utcSeconds = localSeconds - offsetMinutes * 60;
    return utcSeconds * 1000 + millis;
}

} // namespace boo
