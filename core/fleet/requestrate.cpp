#include "core/fleet/requestrate.h"

#include <QJsonValue>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr qint64 kWindowSeconds = RequestRate::kWindowMs / 1000;

qint64 secondOf(qint64 ms)
{
    // Floor, also before 1970 (a host with a broken clock must not land in the wrong second).
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

} // namespace

double RateReading::requestsPerSecond() const
{
    return double(requests) * 1000.0 / double(RequestRate::kWindowMs);
}

double RateReading::outputTokensPerSecond() const
{
    return double(outputTokens) * 1000.0 / double(RequestRate::kWindowMs);
}

RateReading &RateReading::operator+=(const RateReading &other)
{
    requests += other.requests;
    inputTokens += other.inputTokens;
    outputTokens += other.outputTokens;
    return *this;
}

void RequestRate::count(qint64 finishedMs, qint64 inputTokens, qint64 outputTokens)
{
    const qint64 second = secondOf(finishedMs);
    // A row older than the window behind the newest one we hold can never be read again.
    if (!m_seconds.isEmpty() && second <= m_seconds.constLast().second - kWindowSeconds)
        return;
    auto at = std::lower_bound(m_seconds.begin(), m_seconds.end(), second, [](const Second &s, qint64 value) { return s.second < value; });
    if (at == m_seconds.end() || at->second != second)
        at = m_seconds.insert(at, Second{second, {}});
    at->reading += RateReading{1, inputTokens, outputTokens};
    const qint64 oldestKept = m_seconds.constLast().second - kWindowSeconds + 1;
    const auto firstKept = std::find_if(m_seconds.cbegin(), m_seconds.cend(), [&](const Second &s) { return s.second >= oldestKept; });
    m_seconds.erase(m_seconds.cbegin(), firstKept);
}

RateReading RequestRate::at(qint64 nowMs) const
{
    const qint64 now = secondOf(nowMs);
    RateReading sum;
    for (const Second &s : m_seconds) {
        if (s.second > now - kWindowSeconds && s.second <= now)
            sum += s.reading;
    }
    return sum;
}

QJsonArray RequestRate::toJson() const
{
    QJsonArray array;
    for (const Second &s : m_seconds)
        array.append(QJsonArray{s.second, s.reading.requests, s.reading.inputTokens, s.reading.outputTokens});
    return array;
}

Result<RequestRate> RequestRate::fromJson(const QJsonArray &array)
{
    RequestRate rate;
    for (const QJsonValue &value : array) {
        const QJsonArray entry = value.toArray();
        bool whole = entry.size() == 4;
        for (const QJsonValue &n : entry)
            whole = whole && n.isDouble();
        if (!whole)
            return makeError(u"wire.rate_window"_s, u"every entry must be [second, requests, input tokens, output tokens]"_s);
        Second s{entry.at(0).toInteger(), {entry.at(1).toInteger(), entry.at(2).toInteger(), entry.at(3).toInteger()}};
        if (!rate.m_seconds.isEmpty() && s.second <= rate.m_seconds.constLast().second)
            return makeError(u"wire.rate_window"_s, u"seconds must be ascending"_s);
        rate.m_seconds << s;
    }
    return rate;
}

} // namespace boo
