#pragma once

#include "core/actions/hostlease.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace boo {

class LeaseBook;

// Keeps a granted lease alive while its holder works: heartbeats it at a third of its TTL, so a
// holder that crashes frees the host within one TTL, and releases it when stopped or destroyed.
class LeaseKeeper final : public QObject
{
    Q_OBJECT

public:
    LeaseKeeper(LeaseBook *book, HostLease lease, qint64 ttlMs, QObject *parent = nullptr);
    ~LeaseKeeper() override;
    Q_DISABLE_COPY_MOVE(LeaseKeeper)

    const HostLease &lease() const { return m_lease; }
    bool holding() const { return m_holding; }
    // Releases the lease (once); the keeper stops heartbeating.
    void release();

Q_SIGNALS:
    // The lease ended without release(): an operator revoked it, or a heartbeat came too late.
    void lost(const QString &reason);

private:
    void beat();

    QPointer<LeaseBook> m_book;
    HostLease m_lease;
    qint64 m_ttlMs;
    QTimer m_timer;
    bool m_holding = true;
};

} // namespace boo
