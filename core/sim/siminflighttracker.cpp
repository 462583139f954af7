#include "core/sim/siminflighttracker.h"

#include "core/sim/gojsonwriter.h"
#include "core/sim/gotime.h"

namespace boo {

namespace {

void writeHeaders(GoJsonWriter &w, const SimCapture::Headers &headers)
{
    w.beginObject();
    for (const auto &[name, value] : headers)
        w.key(QString::fromLatin1(name)).str(QString::fromLatin1(value));
    w.endObject();
}

void writeEntry(GoJsonWriter &w, const SimInflightEntry &e, int utcOffset, bool legacy)
{
    w.beginObject();
    w.key(u"id").str(e.id);
    w.key(u"timestamp").str(QString::fromLatin1(GoTime::rfc3339(e.startNs, utcOffset, true)));
    w.key(u"model").str(e.model);
    w.key(u"req_path").str(e.reqPath);
    w.key(u"method").str(QString::fromLatin1(e.method));
    if (!legacy) {
        w.key(u"req_headers");
        writeHeaders(w, e.reqHeaders);
        w.key(u"remote_ip").str(e.remoteIp);
        w.key(u"resp_headers");
        writeHeaders(w, e.respHeaders);
        w.key(u"resp_bytes").integer(e.respBytes);
        w.key(u"elapsed_ms").integer((GoTime::nowNs() - e.startNs) / 1000000);
    }
    w.endObject();
}

} // namespace

SimInflightTracker::SimInflightTracker(SimCompat compat, int throttleMs, int utcOffsetSeconds, QObject *parent)
    : QObject(parent)
    , m_compat(compat)
    , m_throttleMs(throttleMs)
    , m_utcOffset(utcOffsetSeconds)
{
    m_clock.start();
    m_flushTimer.setInterval(qMax(10, throttleMs / 2));
    connect(&m_flushTimer, &QTimer::timeout, this, &SimInflightTracker::flushDirty);
}

QString SimInflightTracker::add(SimInflightEntry entry)
{
    const qint64 n = m_nextId++;
    entry.id = QString::number(n);
    const QString id = entry.id;
    auto &stored = m_entries[n] = std::move(entry);
    if (m_compat == SimCompat::V235)
        publishList();
    else
        publishUpsert(stored);
    return id;
}

void SimInflightTracker::setResponseHeaders(const QString &id, SimCapture::Headers headers)
{
    const auto it = m_entries.find(id.toLongLong());
    if (it == m_entries.end())
        return;
    it->second.respHeaders = std::move(headers);
    if (m_compat != SimCompat::V235)
        publishUpsert(it->second);
}

void SimInflightTracker::addBytes(const QString &id, qint64 bytes)
{
    const auto it = m_entries.find(id.toLongLong());
    if (it == m_entries.end() || bytes <= 0)
        return;
    SimInflightEntry &e = it->second;
    e.respBytes += bytes;
    if (m_compat == SimCompat::V235)
        return; // the old list carries no byte counts
    if (e.lastPublishMs < 0 || m_clock.elapsed() - e.lastPublishMs >= m_throttleMs) {
        publishUpsert(e);
    } else {
        e.dirty = true;
        if (!m_flushTimer.isActive())
            m_flushTimer.start();
    }
}

void SimInflightTracker::remove(const QString &id)
{
    if (m_entries.erase(id.toLongLong()) == 0)
        return;
    if (m_compat == SimCompat::V235) {
        publishList();
        return;
    }
    if (!listening())
        return;
    GoJsonWriter w;
    w.beginObject().key(u"operation").str(u"remove").key(u"id").str(id).endObject();
    Q_EMIT event(w.take());
}

void SimInflightTracker::reset()
{
    m_entries.clear();
    m_nextId = 1;
    m_flushTimer.stop();
}

QByteArray SimInflightTracker::snapshotJson() const
{
    GoJsonWriter w;
    if (m_compat == SimCompat::V235) {
        w.beginObject().key(u"requests").beginArray();
        for (const auto &[n, e] : m_entries)
            writeEntry(w, e, m_utcOffset, true);
        w.endArray().endObject();
        return w.take();
    }
    w.beginObject().key(u"operation").str(u"snapshot");
    // omitempty: an empty list is absent, not [] (reference §3.4).
    if (!m_entries.empty()) {
        // Sorted by timestamp, then id: admission order is both.
        w.key(u"requests").beginArray();
        for (const auto &[n, e] : m_entries)
            writeEntry(w, e, m_utcOffset, false);
        w.endArray();
    }
    w.endObject();
    return w.take();
}

void SimInflightTracker::publishUpsert(SimInflightEntry &entry)
{
    entry.lastPublishMs = m_clock.elapsed();
    entry.dirty = false;
    if (!listening())
        return;
    GoJsonWriter w;
    w.beginObject().key(u"operation").str(u"upsert").key(u"request");
    writeEntry(w, entry, m_utcOffset, false);
    w.endObject();
    Q_EMIT event(w.take());
}

void SimInflightTracker::publishList()
{
    if (listening())
        Q_EMIT event(snapshotJson());
}

void SimInflightTracker::flushDirty()
{
    bool pending = false;
    const qint64 now = m_clock.elapsed();
    for (auto &[n, e] : m_entries) {
        if (!e.dirty)
            continue;
        if (now - e.lastPublishMs >= m_throttleMs)
            publishUpsert(e);
        else
            pending = true;
    }
    if (!pending)
        m_flushTimer.stop();
}

} // namespace boo
