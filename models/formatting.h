#pragma once

#include <QString>

#include <optional>

namespace boo::formatting {

// How numbers read in the cockpit: one place, so that the table, the cards, the inspector and
// the charts agree. Unknown values (a host that did not report them) show as an en dash.

QString unknown();
// "14:03:27" today, "08-21 14:03:27" on other days (local time).
QString timestamp(qint64 epochMs);
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
// "12 req/min": requests finished in the last 60 s (RateReading), as every "now" figure reads.
QString requestRate(qint64 requestsLastMinute);
// "340 tok/s": output tokens of the last 60 s per second.
QString tokenRate(double tokensPerSecond);
// "just now", "3 min ago", "2 h ago", "5 days ago".
QString ago(qint64 epochMs, qint64 nowMs);

} // namespace boo::formatting
