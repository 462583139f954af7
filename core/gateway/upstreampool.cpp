#include "core/gateway/upstreampool.h"

namespace boo {

UpstreamPool::UpstreamPool(QObject *parent)
    : UpstreamPool(Options{}, parent)
{
}

UpstreamPool::UpstreamPool(Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    m_clock.start();
    m_sweep.setInterval(qMax(1000, m_options.idleTimeoutMs / 4));
    connect(&m_sweep, &QTimer::timeout, this, &UpstreamPool::sweep);
}

UpstreamPool::~UpstreamPool()
{
    for (UpstreamConnection *c : std::as_const(m_all)) {
        c->disconnect(this);
        delete c;
    }
}

UpstreamConnection *UpstreamPool::acquire(const UpstreamOrigin &origin)
{
    const auto it = m_idle.find(origin.key());
    if (it != m_idle.end()) {
        // Newest first: it is the least likely to have been closed by the host meanwhile.
        while (!it->isEmpty()) {
            UpstreamConnection *c = it->takeLast().connection;
            if (c->isReusable()) {
                ++m_reused;
                return c;
            }
            drop(c);
        }
    }
    auto *c = new UpstreamConnection(origin, this);
    m_all << c;
    ++m_opened;
    connect(c, &UpstreamConnection::exchangeDone, this, [this, c] { onExchangeDone(c); });
    connect(c, &UpstreamConnection::closed, this, [this, c] { onClosed(c); });
    if (!m_sweep.isActive())
        m_sweep.start();
    return c;
}

void UpstreamPool::onExchangeDone(UpstreamConnection *connection)
{
    if (!connection->isReusable()) {
        drop(connection);
        return;
    }
    QList<Idle> &idle = m_idle[connection->origin().key()];
    if (idle.size() >= m_options.maxIdlePerOrigin) {
        drop(connection);
        return;
    }
    idle.append({connection, m_clock.elapsed()});
}

void UpstreamPool::onClosed(UpstreamConnection *connection)
{
    const auto it = m_idle.find(connection->origin().key());
    if (it != m_idle.end()) {
        const auto pos = std::find_if(it->begin(), it->end(), [connection](const Idle &i) { return i.connection == connection; });
        if (pos != it->end()) {
            it->erase(pos);
            drop(connection);
        }
    }
}

void UpstreamPool::drop(UpstreamConnection *connection)
{
    if (m_all.removeOne(connection)) {
        connection->disconnect(this);
        connection->deleteLater();
    }
}

void UpstreamPool::sweep()
{
    const qint64 now = m_clock.elapsed();
    for (auto it = m_idle.begin(); it != m_idle.end(); ++it) {
        QList<Idle> &idle = *it;
        for (qsizetype i = idle.size() - 1; i >= 0; --i) {
            if (now - idle.at(i).sinceMs >= m_options.idleTimeoutMs) {
                UpstreamConnection *c = idle.takeAt(i).connection;
                drop(c);
            }
        }
    }
    if (m_all.isEmpty())
        m_sweep.stop();
}

} // namespace boo
