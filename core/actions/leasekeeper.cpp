#include "core/actions/leasekeeper.h"

#include "core/actions/leasebook.h"
#include "core/common/logging.h"

namespace boo {

LeaseKeeper::LeaseKeeper(LeaseBook *book, HostLease lease, qint64 ttlMs, QObject *parent)
    : QObject(parent)
    , m_book(book)
    , m_lease(std::move(lease))
    , m_ttlMs(std::max<qint64>(ttlMs, 300))
{
    m_timer.setInterval(int(std::min<qint64>(m_ttlMs / 3, 60'000)));
    connect(&m_timer, &QTimer::timeout, this, &LeaseKeeper::beat);
    m_timer.start();
}

LeaseKeeper::~LeaseKeeper()
{
    release();
}

void LeaseKeeper::beat()
{
    if (!m_holding || !m_book)
        return;
    auto renewed = m_book->heartbeat(m_lease.id, m_ttlMs);
    if (renewed) {
        m_lease = *renewed;
        return;
    }
    if (renewed.error().code != QLatin1String("lease.gone")) {
        // The database hiccuped: keep trying; the lease still has up to two thirds of its TTL.
        qCWarning(lcApp).noquote() << "lease" << m_lease.id << "heartbeat failed:" << renewed.error().message;
        return;
    }
    m_holding = false;
    m_timer.stop();
    Q_EMIT lost(renewed.error().message);
}

void LeaseKeeper::release()
{
    if (!m_holding)
        return;
    m_holding = false;
    m_timer.stop();
    if (!m_book)
        return;
    if (auto released = m_book->release(m_lease.id); !released && released.error().code != QLatin1String("lease.gone"))
        qCWarning(lcApp).noquote() << "lease" << m_lease.id << "release failed (it ends on its own):" << released.error().message;
}

} // namespace boo
