#pragma once

#include "core/client/cockpitbackend.h"

#include <QPointer>

namespace boo {

class FleetRuntime;
class LocalBenchSource;
class LocalHistorySource;
class LocalRoutingSource;

// The cockpit with the ingest in this process: FleetRuntime's state, actions and host access,
// history read from its database on reader threads.
class LocalBackend final : public CockpitBackend
{
    Q_OBJECT

public:
    explicit LocalBackend(FleetRuntime *runtime, QObject *parent = nullptr);
    ~LocalBackend() override;
    Q_DISABLE_COPY_MOVE(LocalBackend)

    FleetState *fleet() const override;
    HistorySource *history() const override;
    RoutingSource *routing() const override;
    BenchSource *bench() const override;
    void submit(const HostAction &action, QObject *context, ActionCallback done) override;
    void acknowledgeGap(const QString &hostId, QObject *context, DoneCallback done) override;
    void fetchCapture(const QString &hostId, qint64 captureId, QObject *context, CaptureCallback done) override;
    Result<LogStreamReader *> openModelLog(const QString &hostId, const QString &model, QObject *parent) override;
    void loadModelPreferences(QObject *context, PreferencesCallback done) override;
    void saveModelPreference(const ModelPreference &preference, QObject *context, DoneCallback done) override;
    Result<ChatTarget> chatTarget(const QString &provider, const QString &model) const override;
    QString databaseLabel() const override;
    std::optional<bool> databaseUp() const override { return m_databaseUp; }

private:
    QPointer<FleetRuntime> m_runtime;
    LocalHistorySource *m_history;
    LocalRoutingSource *m_routing;
    LocalBenchSource *m_bench;
    std::optional<bool> m_databaseUp;
};

} // namespace boo
