#include "core/sim/simstreamgroup.h"

#include "core/http/httpstream.h"

#include <algorithm>

namespace boo {

SimStreamGroup::SimStreamGroup(qint64 maxPendingBytes, QObject *parent)
    : QObject(parent)
    , m_maxPending(maxPendingBytes)
{
}

SimStreamGroup::~SimStreamGroup() = default;

void SimStreamGroup::add(std::unique_ptr<HttpStream> stream, QString tag)
{
    if (!stream)
        return;
    // A write can notice a dead peer and report it from inside the write: never erase while a
    // loop may be running, sweep later instead.
    connect(stream.get(), &HttpStream::clientGone, this, [this] {
        if (!m_sweepQueued) {
            m_sweepQueued = true;
            QMetaObject::invokeMethod(this, &SimStreamGroup::sweep, Qt::QueuedConnection);
        }
    });
    // A writer that was blocked on a full socket continues when it drains.
    connect(stream.get(), &HttpStream::drained, this, [this, raw = stream.get()] {
        for (Entry &e : m_entries) {
            if (e.stream.get() == raw)
                return flush(e);
        }
    });
    m_entries.push_back({std::move(stream), std::move(tag), {}});
}

void SimStreamGroup::write(const QByteArray &data, const QString &tag)
{
    if (m_silenced && m_maxQueued == 0)
        return;
    for (size_t i = 0; i < m_entries.size(); ++i) {
        Entry &e = m_entries[i];
        if (!tag.isNull() && e.tag != tag)
            continue;
        if (!e.stream->isOpen())
            continue;
        if (m_maxQueued > 0) {
            flush(e);
            if (e.queued.empty() && !writerBlocked(e))
                e.stream->write(data);
            else if (e.queued.size() < size_t(m_maxQueued))
                e.queued.push_back(data);
            else
                ++m_dropped; // llama-swap: the subscriber's channel is full, the message is dropped
            continue;
        }
        if (e.stream->bytesPending() > m_maxPending) {
            ++m_dropped;
            continue;
        }
        e.stream->write(data);
    }
}

void SimStreamGroup::setSilenced(bool silenced)
{
    m_silenced = silenced;
    if (!silenced)
        flushAll();
}

bool SimStreamGroup::writerBlocked(const Entry &e) const
{
    return m_silenced || e.stream->bytesPending() > m_maxPending;
}

void SimStreamGroup::flush(Entry &e)
{
    while (!e.queued.empty() && e.stream->isOpen() && !writerBlocked(e)) {
        const QByteArray next = std::move(e.queued.front());
        e.queued.pop_front();
        e.stream->write(next);
    }
}

void SimStreamGroup::flushAll()
{
    // A write may report a dead peer from inside it; the entries stay until the queued sweep.
    for (size_t i = 0; i < m_entries.size(); ++i)
        flush(m_entries[i]);
}

bool SimStreamGroup::isEmpty() const
{
    return m_entries.empty();
}

bool SimStreamGroup::hasTag(const QString &tag) const
{
    return std::any_of(m_entries.begin(), m_entries.end(), [&](const Entry &e) { return e.tag == tag; });
}

int SimStreamGroup::count() const
{
    return int(std::count_if(m_entries.begin(), m_entries.end(), [](const Entry &e) { return e.stream->isOpen(); }));
}

void SimStreamGroup::endAll()
{
    std::vector<Entry> entries = std::exchange(m_entries, {});
    for (Entry &e : entries)
        e.stream->end();
}

void SimStreamGroup::abortAll()
{
    std::vector<Entry> entries = std::exchange(m_entries, {});
    for (Entry &e : entries)
        e.stream->abort();
}

void SimStreamGroup::sweep()
{
    m_sweepQueued = false;
    m_entries.erase(std::remove_if(m_entries.begin(), m_entries.end(), [](const Entry &e) { return !e.stream->isOpen(); }),
                    m_entries.end());
}

} // namespace boo
