#include "core/alerts/windowcounter.h"

#include <algorithm>

namespace boo {

WindowCounter::WindowCounter(qint64 windowMs)
    : m_bucketMs(std::max<qint64>(1, windowMs / kBuckets))
    , m_buckets(kBuckets)
{
}

void WindowCounter::advance(qint64 nowMs)
{
    const qint64 now = nowMs / m_bucketMs;
    if (now > m_newestIndex)
        m_newestIndex = now;
    for (Bucket &b : m_buckets) {
        if (b.index >= 0 && b.index <= m_newestIndex - kBuckets)
            b = Bucket{};
    }
}

void WindowCounter::add(qint64 atMs, bool hit, int count)
{
    qint64 index = atMs / m_bucketMs;
    if (m_newestIndex >= 0 && index <= m_newestIndex - kBuckets)
        return;
    if (m_newestIndex >= 0 && index > m_newestIndex)
        index = m_newestIndex;
    if (m_newestIndex < 0)
        m_newestIndex = index;
    Bucket &b = m_buckets[int(index % kBuckets)];
    if (b.index != index)
        b = Bucket{index, 0, 0};
    b.total += count;
    if (hit)
        b.hits += count;
}

int WindowCounter::total() const
{
    int n = 0;
    for (const Bucket &b : m_buckets)
        n += b.total;
    return n;
}

int WindowCounter::hits() const
{
    int n = 0;
    for (const Bucket &b : m_buckets)
        n += b.hits;
    return n;
}

} // namespace boo
