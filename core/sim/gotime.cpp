#include "core/sim/gotime.h"

#include "core/common/rfc3339formatter.h"
#include "core/common/rfc3339parser.h"

#include <chrono>

using namespace Qt::StringLiterals;

namespace boo {

qint64 GoTime::nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

QByteArray GoTime::rfc3339(qint64 ns, int utcOffsetSeconds, bool withFraction)
{
    qint64 secs = ns / 1000000000;
    qint64 frac = ns % 1000000000;
    if (frac < 0) {
        frac += 1000000000;
        --secs;
    }
    const auto fraction = withFraction ? Rfc3339Formatter::Fraction::Trimmed : Rfc3339Formatter::Fraction::None;
    return Rfc3339Formatter::format(secs, int(frac), utcOffsetSeconds, fraction);
}

std::optional<qint64> GoTime::parseRfc3339(QStringView text)
{
    const auto parsed = Rfc3339Parser::parse(text, Rfc3339Parser::kGo);
    return parsed ? parsed->utcNs() : std::nullopt;
}

std::optional<int> GoTime::parseUtcOffset(QStringView text)
{
    return Rfc3339Parser::parseUtcOffset(text);
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
