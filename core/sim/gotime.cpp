#include "core/sim/gotime.h"

#include <QDateTime>

#include <chrono>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

void appendPadded(QByteArray &out, qint64 value, int width)
{
    out += QByteArray::number(value).rightJustified(width, '0');
}

std::optional<int> digits(QStringView s, qsizetype pos, int count)
{
    if (pos + count > s.size())
        return std::nullopt;
    int v = 0;
    for (int i = 0; i < count; ++i) {
        const QChar c = s[pos + i];
        if (c < u'0' || c > u'9')
            return std::nullopt;
        v = v * 10 + (c.unicode() - u'0');
    }
    return v;
}

// Fraction digits of `ns` (0..999999999) without trailing zeros; empty when zero.
QByteArray fraction(qint64 ns)
{
    if (ns == 0)
        return {};
    QByteArray f = QByteArray::number(ns).rightJustified(9, '0');
    while (f.endsWith('0'))
        f.chop(1);
    return f;
}

} // namespace

qint64 GoTime::nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

QByteArray GoTime::rfc3339(qint64 ns, int utcOffsetSeconds, bool withFraction)
{
    qint64 secs = ns / 1000000000;
    qint64 frac = ns % 1000000000;
    if (frac < 0) {
        frac += 1000000000;
        --secs;
    }
    const QDateTime local = QDateTime::fromSecsSinceEpoch(secs + utcOffsetSeconds, Qt::UTC);
    const QDate d = local.date();
    const QTime t = local.time();
    QByteArray out;
    out.reserve(36);
    appendPadded(out, d.year(), 4);
    out += '-';
    appendPadded(out, d.month(), 2);
    out += '-';
    appendPadded(out, d.day(), 2);
    out += 'T';
    appendPadded(out, t.hour(), 2);
    out += ':';
    appendPadded(out, t.minute(), 2);
    out += ':';
    appendPadded(out, t.second(), 2);
    if (withFraction && frac != 0)
        out += '.' + fraction(frac);
    if (utcOffsetSeconds == 0) {
        out += 'Z';
    } else {
        const int abs = qAbs(utcOffsetSeconds);
        out += utcOffsetSeconds < 0 ? '-' : '+';
        appendPadded(out, abs / 3600, 2);
        out += ':';
        appendPadded(out, (abs % 3600) / 60, 2);
    }
    return out;
}

std::optional<qint64> GoTime::parseRfc3339(QStringView s)
{
    // 2006-01-02T15:04:05[.fff…](Z|±07:00)
    const auto year = digits(s, 0, 4);
    const auto month = digits(s, 5, 2);
    const auto day = digits(s, 8, 2);
    const auto hour = digits(s, 11, 2);
    const auto minute = digits(s, 14, 2);
    const auto second = digits(s, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second || s.size() < 20 || s[4] != u'-' || s[7] != u'-'
        || s[10] != u'T' || s[13] != u':' || s[16] != u':') {
        return std::nullopt;
    }
    const QDate date(*year, *month, *day);
    if (!date.isValid() || *hour > 23 || *minute > 59 || *second > 59)
        return std::nullopt;
    qsizetype pos = 19;
    qint64 nanos = 0;
    if (pos < s.size() && (s[pos] == u'.' || s[pos] == u',')) {
        ++pos;
        const qsizetype start = pos;
        while (pos < s.size() && s[pos] >= u'0' && s[pos] <= u'9')
            ++pos;
        const qsizetype n = pos - start;
        if (n == 0)
            return std::nullopt;
        for (qsizetype i = 0; i < 9; ++i)
            nanos = nanos * 10 + (i < n ? s[start + i].unicode() - u'0' : 0);
    }
    int offset = 0;
    if (pos < s.size() && s[pos] == u'Z') {
        ++pos;
    } else {
        const auto parsed = parseUtcOffset(s.sliced(qMin(pos, s.size())));
        if (!parsed)
            return std::nullopt;
        offset = *parsed;
        pos += 6;
    }
    if (pos != s.size())
        return std::nullopt;
    const qint64 secs = QDateTime(date, QTime(*hour, *minute, *second), Qt::UTC).toSecsSinceEpoch() - offset;
    return secs * 1000000000 + nanos;
}

std::optional<int> GoTime::parseUtcOffset(QStringView s)
{
    if (s == u"Z")
        return 0;
    if (s.size() != 6 || (s[0] != u'+' && s[0] != u'-') || s[3] != u':')
        return std::nullopt;
    const auto h = digits(s, 1, 2);
    const auto m = digits(s, 4, 2);
    if (!h || !m || *h > 23 || *m > 59)
        return std::nullopt;
    const int v = *h * 3600 + *m * 60;
    return s[0] == u'-' ? -v : v;
}

QByteArray GoTime::duration(qint64 ns)
{
    if (ns == 0)
        return "0s"_ba;
    QByteArray sign;
    if (ns < 0) {
        sign = "-"_ba;
        ns = -ns;
    }
    if (ns < 1000)
        return sign + QByteArray::number(ns) + "ns";
    const auto withUnit = [&](qint64 whole, qint64 frac, int fracDigits, const char *unit) -> QByteArray {
        QByteArray out = sign + QByteArray::number(whole);
        if (frac != 0) {
            QByteArray f = QByteArray::number(frac).rightJustified(fracDigits, '0');
            while (f.endsWith('0'))
                f.chop(1);
            out += '.' + f;
        }
        return out + unit;
    };
    if (ns < 1000000)
        return withUnit(ns / 1000, ns % 1000, 3, "µs");
    if (ns < 1000000000)
        return withUnit(ns / 1000000, ns % 1000000, 6, "ms");
    const qint64 hours = ns / 3600000000000;
    const qint64 minutes = (ns / 60000000000) % 60;
    const qint64 rest = ns % 60000000000;
    QByteArray out = sign;
    if (hours > 0)
        out += QByteArray::number(hours) + 'h';
    if (hours > 0 || minutes > 0)
        out += QByteArray::number(minutes) + 'm';
    QByteArray seconds = withUnit(rest / 1000000000, rest % 1000000000, 9, "s");
    return out + seconds.mid(sign.size());
}

} // namespace boo
