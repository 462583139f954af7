#include "models/formatting.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace boo::formatting {

namespace {
// Translation context for lupdate (free functions have none of their own).
struct Formatting
{
    Q_DECLARE_TR_FUNCTIONS(Formatting)
};
// The locale's short date with the year in full: CLDR's short formats have two digits ("yy").
QString dateFormat()
{
    QString format = QLocale().dateFormat(QLocale::ShortFormat);
    if (!format.contains(u"yyyy"_s))
        format.replace(u"yy"_s, u"yyyy"_s);
    return format;
}

// The short date without its year: "M/d" (en_US), "dd.MM." (de: the day and month keep their
// dots), "MM-dd" (ISO-like). Separators left at either end by the year go, except a final dot.
QString dayMonthFormat()
{
    QString format = QLocale().dateFormat(QLocale::ShortFormat);
    format.remove(QRegularExpression(u"y+"_s));
    auto separator = [](QChar c) { return !c.isLetter() && c != u'\''; };
    while (!format.isEmpty() && separator(format.front()))
        format.remove(0, 1);
    while (!format.isEmpty() && separator(format.back()) && format.back() != u'.')
        format.chop(1);
    return format;
}

// The time of day with seconds: the locale's long time format without the time zone.
QString timeFormat()
{
    QString format = QLocale().timeFormat(QLocale::LongFormat);
    format.remove(QRegularExpression(u"\\s*t+\\s*"_s));
    return format.trimmed();
}

} // namespace

QString unknown()
{
    return u"\u2013"_s;
}

QString timestamp(qint64 epochMs)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(epochMs);
    const bool today = time.date() == QDate::currentDate();
    return QLocale().toString(time, today ? timeFormat() : dayMonthFormat() + u' ' + timeFormat());
}

QString date(const QDateTime &time)
{
    return QLocale().toString(time, dateFormat());
}

QString dateTime(const QDateTime &time)
{
    return QLocale().toString(time, dateFormat() + u' ' + timeFormat());
}

QString dateTimeEditFormat()
{
    return dateFormat() + u' ' + QLocale().timeFormat(QLocale::ShortFormat);
}

QString axisFormat(qint64 spanMs)
{
    constexpr qint64 hour = 3600'000;
    if (spanMs > 48 * hour)
        return dayMonthFormat();
    if (spanMs > 6 * hour)
        return dayMonthFormat() + u' ' + QLocale().timeFormat(QLocale::ShortFormat);
    return QLocale().timeFormat(QLocale::ShortFormat);
}

QString number(double value, int decimals)
{
    return QLocale().toString(value, 'f', decimals);
}

QString count(const std::optional<qint64> &value)
{
    return value ? QLocale().toString(*value) : unknown();
}

QString speed(const std::optional<double> &tokensPerSecond)
{
    return tokensPerSecond ? QLocale().toString(*tokensPerSecond, 'f', 1) : unknown();
}

QString duration(qint64 ms)
{
    if (ms < 1000)
        return Formatting::tr("%1 ms").arg(ms);
    if (ms < 60'000)
        return Formatting::tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', ms < 10'000 ? 2 : 1));
    const qint64 s = ms / 1000;
    if (s < 3600)
        return Formatting::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return Formatting::tr("%1 h %2 min").arg(QLocale().toString(s / 3600)).arg((s % 3600) / 60);
}

QString bytes(qint64 count)
{
    if (count < 1024)
        return Formatting::tr("%1 B").arg(count);
    if (count < 1024 * 1024)
        return Formatting::tr("%1 KB").arg(QLocale().toString(double(count) / 1024.0, 'f', 1));
    return Formatting::tr("%1 MB").arg(QLocale().toString(double(count) / (1024.0 * 1024.0), 'f', 1));
}

QString megabytes(qint64 mb)
{
    if (mb < 1024)
        return Formatting::tr("%1 MB").arg(mb);
    return Formatting::tr("%1 GB").arg(QLocale().toString(double(mb) / 1024.0, 'f', 1));
}

QString ago(qint64 epochMs, qint64 nowMs)
{
    const qint64 s = std::max<qint64>(0, nowMs - epochMs) / 1000;
    if (s < 10)
        return Formatting::tr("just now");
    if (s < 60)
        return Formatting::tr("%1 s ago").arg(s);
    if (s < 3600)
        return Formatting::tr("%1 min ago").arg(s / 60);
    if (s < 86400)
        return Formatting::tr("%1 h ago").arg(s / 3600);
    return Formatting::tr("%n day(s) ago", nullptr, int(s / 86400));
}

} // namespace boo::formatting
