#pragma once

#include <QtGlobal>

namespace boo {

// A day of the proleptic Gregorian calendar and its distance in days from 1970-01-01, without
// QDate: RFC 3339 text is read and written on busy paths (activity rows, dispatch logs), and
// QDate has no year 0 where RFC 3339 has one. Howard Hinnant's algorithms
// ("chrono-Compatible Low-Level Date Algorithms"), exact for every qint64 day count that keeps
// the year within int.
struct CivilDate
{
    int year = 1970;
    int month = 1;
    int day = 1;

    static constexpr bool isLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

    static constexpr int daysInMonth(int year, int month)
    {
        constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        return month == 2 && isLeapYear(year) ? 29 : days[month - 1];
    }

    // Days since 1970-01-01, negative before it; the date is not validated.
    static constexpr qint64 toDays(int year, int month, int day)
    {
        // Years start in March here, so the leap day is the last day of a year; then each
        // 400-year era has exactly 146097 days.
        const qint64 y = month <= 2 ? qint64(year) - 1 : year;
        const qint64 era = (y >= 0 ? y : y - 399) / 400;
        const qint64 yearOfEra = y - era * 400;
        const qint64 shiftedMonth = month > 2 ? month - 3 : month + 9;
        const qint64 dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1;
        const qint64 dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    static constexpr CivilDate fromDays(qint64 days)
    {
        const qint64 z = days + 719468;
        const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
        const qint64 dayOfEra = z - era * 146097;
        const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        const qint64 shiftedMonth = (5 * dayOfYear + 2) / 153;
        const int day = int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        const int month = int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        return {int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), month, day};
    }
};

} // namespace boo
