#pragma once

#include "core/sim/simcapture.h"
#include "core/sim/simconfig.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>
#include <map>

namespace boo {

struct SimInflightEntry
{
    QString id;
    qint64 startNs = 0;
    QString model;
    QString reqPath;
    QByteArray method;
    SimCapture::Headers reqHeaders; // canonical, redacted, sorted, no Host
    QString remoteIp;
    SimCapture::Headers respHeaders;
    qint64 respBytes = 0;
    qint64 lastPublishMs = -1;
    bool dirty = false;
};

// In-flight request tracking and its SSE payloads (reference §3.4): v240+ operations
// (snapshot / upsert / remove, byte updates throttled per request), or the v235-v239 full
// list on every change. Ids are a per-server decimal counter that restarts with reset().
class SimInflightTracker final : public QObject
{
    Q_OBJECT

public:
    SimInflightTracker(SimCompat compat, int throttleMs, int utcOffsetSeconds, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SimInflightTracker)

    // Building payloads costs; nothing is built while nobody listens.
    void setListening(std::function<bool()> listening) { m_listening = std::move(listening); }

    QString add(SimInflightEntry entry);
    void setResponseHeaders(const QString &id, SimCapture::Headers headers);
    void addBytes(const QString &id, qint64 bytes);
    void remove(const QString &id);
    // Forget everything; ids start at "1" again (restart, config reload).
    void reset();

    bool contains(const QString &id) const { return m_entries.count(id.toLongLong()) > 0; }
    int count() const { return int(m_entries.size()); }
    QByteArray snapshotJson() const;

Q_SIGNALS:
    // data JSON of an SSE `inflight` message.
    void event(const QByteArray &dataJson);

private:
    void publishUpsert(SimInflightEntry &entry);
    void publishList();
    void flushDirty();
    bool listening() const { return !m_listening || m_listening(); }

    SimCompat m_compat;
    int m_throttleMs;
    int m_utcOffset;
    std::function<bool()> m_listening;
    std::map<qint64, SimInflightEntry> m_entries; // by numeric id = admission order
    qint64 m_nextId = 1;
    QElapsedTimer m_clock;
    QTimer m_flushTimer;
};

} // namespace boo
