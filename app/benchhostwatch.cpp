#include "app/benchhostwatch.h"

#include "core/fleet/fleetstate.h"
#include "core/ingest/fleetingest.h"
#include "core/providers/providerconfig.h"
#include "core/providers/providerregistry.h"
#include "core/providers/secretresolver.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QTimer>

namespace boo {

namespace {

// A host that has never served a request has no activity rows to wait for: after this long
// connected, its (empty) history counts as read.
constexpr qint64 kActivitySettleMs = 1500;
constexpr int kPollMs = 50;

} // namespace

struct BenchHostWatch::Parts
{
    ProviderRegistry registry{QString()};
    FleetState fleet;
    SecretResolver secrets;
    std::unique_ptr<FleetIngest> ingest;
};

BenchHostWatch::BenchHostWatch(const QList<ProviderConfig> &providers)
    : m_parts(std::make_unique<Parts>())
{
    m_parts->registry.replaceProviders(providers);
    // No resume point: the connectors read the rows the hosts still hold, the recent ones included.
    m_parts->ingest = std::make_unique<FleetIngest>(&m_parts->registry, &m_parts->fleet, &m_parts->secrets,
                                                    [](const QString &) { return ConnectorStart{}; });
    m_parts->ingest->start();
}

BenchHostWatch::~BenchHostWatch()
{
    m_parts->ingest->stop();
}

FleetState *BenchHostWatch::fleet() const
{
    return &m_parts->fleet;
}

void BenchHostWatch::waitUntilSeen(const QStringList &ids, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    QHash<QString, qint64> connectedAt;
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        bool all = true;
        for (const QString &id : ids) {
            const auto host = m_parts->fleet.host(id);
            if (!host || host->liveness != Liveness::Connected) {
                all = false;
                continue;
            }
            const qint64 since = connectedAt.contains(id) ? connectedAt[id] : connectedAt.insert(id, clock.elapsed()).value();
            if (host->lastActivityId == 0 && clock.elapsed() - since < kActivitySettleMs)
                all = false;
        }
        if (all || clock.elapsed() >= timeoutMs)
            loop.quit();
    });
    poll.start(kPollMs);
    loop.exec();
}

} // namespace boo
