#pragma once

#include <QList>

namespace boo {

// Counts events and how many of them were "hits" (errors, failovers) over a sliding window, in
// a fixed number of time buckets: memory stays the same at one request a minute or a thousand a
// second, and the window slides by one bucket (window / kBuckets) at a time.
class WindowCounter final
{
public:
    static constexpr int kBuckets = 30;

    explicit WindowCounter(qint64 windowMs = 5 * 60 * 1000);

    qint64 windowMs() const { return m_bucketMs * kBuckets; }
    // An event at `atMs`. One older than the window (a replayed row) is not counted, and one
    // ahead of the newest (a host's clock running fast) counts as the newest.
    void add(qint64 atMs, bool hit, int count = 1);
    // Forgets what fell out of the window ending at `nowMs`.
    void advance(qint64 nowMs);
    int total() const;
    int hits() const;
    bool isEmpty() const { return total() == 0; }

private:
    struct Bucket
    {
        qint64 index = -1; // atMs / m_bucketMs of the events counted here
        int total = 0;
        int hits = 0;
    };

    qint64 m_bucketMs;
    qint64 m_newestIndex = -1;
    QList<Bucket> m_buckets; // ring: slot index % kBuckets
};

} // namespace boo
