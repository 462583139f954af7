#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace boo::formatting {

// How numbers read in the cockpit: one place, so that the table, the cards, the inspector and
// the charts agree. Unknown values (a host that did not report them) show as an en dash.
// Everything follows QLocale() (the default locale, set at start from the chosen language):
// the examples are en_US; a German cockpit shows "1.234,5", "24.11.2026", "4,2 s".

QString unknown();
// "2:03:27 PM" today, "8/21 2:03:27 PM" on other days (local time; German "14:03:27",
// "21.08. 14:03:27").
QString timestamp(qint64 epochMs);
// "11/24/2026" (German "24.11.2026").
QString date(const QDateTime &time);
// "11/24/2026 2:03:27 PM" (German "24.11.2026 14:03:27").
QString dateTime(const QDateTime &time);
// For QDateTimeEdit::setDisplayFormat: "M/d/yyyy h:mm AP" (German "dd.MM.yyyy HH:mm").
QString dateTimeEditFormat();
// For a time axis over spanMs: day and month ("11/24", German "24.11."), with the time of day,
// or the time of day alone.
QString axisFormat(qint64 spanMs);
// "1,234.5" with the given decimals.
QString number(double value, int decimals);
// "1,234"; unknown for an empty value.
QString count(const std::optional<qint64> &value);
// "1,512.3"; unknown for an empty value.
QString speed(const std::optional<double> &tokensPerSecond);
// "850 ms", "4.2 s", "3 min 5 s", "2 h 10 min".
QString duration(qint64 ms);
// "512 B", "12.3 KB", "4.1 MB".
QString bytes(qint64 count);
// "12.3 GB" from MiB as GPUs report them.
QString megabytes(qint64 mb);
// "just now", "3 min ago", "2 h ago", "5 days ago".
QString ago(qint64 epochMs, qint64 nowMs);

} // namespace boo::formatting
