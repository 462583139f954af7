#pragma once

#include "core/http/upstreamconnection.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

namespace boo {

// Keep-alive connections to upstream hosts, one list per origin, all on the gateway's thread.
//
// We keep our own pool rather than QNetworkAccessManager's: QNAM opens at most six HTTP/1.1
// connections per origin and queues the rest, which would turn 64 concurrent token streams into
// six, and it hands data across its internal thread before we see it. Here every concurrent
// request gets its own connection (reused afterwards), and bytes go from the socket to the client
// on one thread. docs/gateway.md has the measurements.
class UpstreamPool final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int maxIdlePerOrigin = 128; // more idle connections than this are closed
        int idleTimeoutMs = 30000;  // below the idle timeouts of llama-swap and our own server
    };

    explicit UpstreamPool(QObject *parent = nullptr);
    explicit UpstreamPool(Options options, QObject *parent = nullptr);
    ~UpstreamPool() override;
    Q_DISABLE_COPY_MOVE(UpstreamPool)

    // An idle connection to `origin`, or a new one (connected on its first send()). It comes
    // back to the pool by itself when its exchange finishes.
    UpstreamConnection *acquire(const UpstreamOrigin &origin);

    int openCount() const { return int(m_all.size()); }
    qint64 connectionsOpened() const { return m_opened; }
    qint64 connectionsReused() const { return m_reused; }

private:
    void onExchangeDone(UpstreamConnection *connection);
    void onClosed(UpstreamConnection *connection);
    void drop(UpstreamConnection *connection);
    void sweep();

    struct Idle
    {
        UpstreamConnection *connection;
        qint64 sinceMs;
    };

    Options m_options;
    QHash<QString, QList<Idle>> m_idle;
    QList<UpstreamConnection *> m_all;
    QTimer m_sweep;
    QElapsedTimer m_clock;
    qint64 m_opened = 0;
    qint64 m_reused = 0;
};

} // namespace boo
