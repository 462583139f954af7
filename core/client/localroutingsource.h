#pragma once

#include "core/client/routingsource.h"

#include <QPointer>

namespace boo {

class Database;
class FleetState;
class ProviderRegistry;

// The routing data of this process's database and fleet (the desktop running its own ingest).
// Saved policies take effect in a `boocontrol --serve` on the same database when it starts;
// changed keys within a second (its key ring reads them again).
class LocalRoutingSource final : public RoutingSource
{
    Q_OBJECT

public:
    LocalRoutingSource(Database *database, FleetState *fleet, ProviderRegistry *registry, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(LocalRoutingSource)

    void policies(QObject *context, Callback<QList<RoutePolicy>> done) override;
    void savePolicies(const QList<RoutePolicy> &policies, QObject *context, Callback<QList<RoutePolicy>> done) override;
    void test(const RoutePolicy &policy, const RouteFacts &facts, QObject *context, Callback<TestResult> done) override;
    void log(const GatewayLogFilter &filter, QObject *context, Callback<GatewayLogPage> done) override;
    void keys(QObject *context, Callback<QList<KeyRow>> done) override;
    void createKey(const ConsumerKeySpec &spec, QObject *context, Callback<IssuedKey> done) override;
    void editKey(const QString &name, const ConsumerKeyEdit &edit, QObject *context, Callback<ConsumerKey> done) override;
    void rotateKey(const QString &name, QObject *context, Callback<IssuedKey> done) override;
    void revokeKey(const QString &name, QObject *context, Callback<ConsumerKey> done) override;

private:
    // Answers on the next event-loop pass, like the remote source, so callers see one behaviour.
    template <typename T>
    void answer(QObject *context, Callback<T> done, Result<T> result);

    Database *m_database;
    QPointer<FleetState> m_fleet;
    QPointer<ProviderRegistry> m_registry;
};

} // namespace boo
