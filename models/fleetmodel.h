#pragma once

#include "core/actions/actionjob.h"
#include "core/fleet/fleetdelta.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace boo {

class FleetState;

// One row per host of a FleetState, in host id order: what a fleet card shows. Changes arrive
// as deltas at any rate; rows are refreshed in one coalesced dataChanged per kCoalesceMs.
// Action jobs (control_job deltas) are kept per host, so a card shows progress and results of
// actions whether they ran here or on an attached server.
class FleetModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    static constexpr int kCoalesceMs = 100;
    static constexpr int kFinishedJobsKept = 5;

    enum Roles {
        HostIdRole = Qt::UserRole + 1,
        HostStateRole,  // boo::HostState
        LivenessRole,   // int(boo::Liveness)
        JobsRole,       // QList<boo::ActionJob>: running and queued first, then recent results
        SearchTextRole, // id, name, version and model ids in one string (filters)
    };

    explicit FleetModel(FleetState *fleet, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(FleetModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int rowOf(const QString &hostId) const;
    // Delivers the pending changes now (tests, and before a screenshot).
    void flush();

private:
    void onChanged(const FleetDelta &delta);
    void onReset();
    void onHostAdded(const QString &id);
    void onHostRemoved(const QString &id);
    void recordJob(const QString &hostId, const ActionJob &job);

    QPointer<FleetState> m_fleet;
    QStringList m_ids; // sorted, like FleetState::hostIds()
    QHash<QString, HostState> m_views;
    QHash<QString, QList<ActionJob>> m_jobs;
    QSet<QString> m_dirty;
    QTimer m_flushTimer;
};

} // namespace boo
