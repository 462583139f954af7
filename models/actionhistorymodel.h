#pragma once

#include "core/actions/actionjob.h"
#include "core/alerts/alert.h"
#include "core/fleet/fleetdelta.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace boo {

class FleetState;

// What the operator did and what the fleet did to them, newest first: every action (from its
// control_job deltas, one row per action that changes as it progresses), actions that were
// refused, and alerts (host down or back, VRAM or temperature over threshold).
class ActionHistoryModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int kMaxEntries = 2000;

    enum Columns { TimeColumn, HostColumn, WhatColumn, StateColumn, MessageColumn, ColumnCount };
    enum class Kind { Action, Alert };
    enum Roles { KindRole = Qt::UserRole + 1, StateRole, HostIdRole };

    explicit ActionHistoryModel(FleetState *fleet, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ActionHistoryModel)

    void addRefusal(const HostAction &action, const QString &reason);
    void addAlert(const Alert &alert);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Entry
    {
        Kind kind = Kind::Action;
        qint64 atMs = 0;
        QString hostId;
        QString what;
        QString state;      // translated
        int stateValue = 0; // int(ActionJob::State) or int(Alert::Kind)
        QString message;
        qint64 actionId = 0; // 0 for alerts and refusals
    };

    void onChanged(const FleetDelta &delta);
    void prepend(const Entry &entry);
    static QString stateText(ActionJob::State state);
    static QString describe(const HostAction &action);

    QPointer<FleetState> m_fleet;
    QList<Entry> m_entries;
};

} // namespace boo
