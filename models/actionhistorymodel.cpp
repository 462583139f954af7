#include "models/actionhistorymodel.h"

#include "core/fleet/fleetstate.h"
#include "models/formatting.h"

#include <QColor>
#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

ActionHistoryModel::ActionHistoryModel(FleetState *fleet, QObject *parent)
    : QAbstractTableModel(parent)
    , m_fleet(fleet)
{
    connect(fleet, &FleetState::changed, this, &ActionHistoryModel::onChanged);
}

QString ActionHistoryModel::stateText(ActionJob::State state)
{
    switch (state) {
    case ActionJob::State::Queued: return tr("queued");
    case ActionJob::State::Running: return tr("running");
    case ActionJob::State::Succeeded: return tr("done");
    case ActionJob::State::Failed: return tr("failed");
    case ActionJob::State::Skipped: return tr("skipped");
    case ActionJob::State::Refused: return tr("refused");
    }
    return {};
}

QString ActionHistoryModel::describe(const HostAction &action)
{
    switch (action.kind) {
    case HostAction::Kind::Warm: return tr("Warm %1").arg(action.model);
    case HostAction::Kind::Unload: return tr("Unload %1").arg(action.model);
    case HostAction::Kind::UnloadAll: return tr("Unload all models");
    case HostAction::Kind::Cancel: return tr("Cancel request %1").arg(action.requestId);
    }
    return {};
}

void ActionHistoryModel::onChanged(const FleetDelta &delta)
{
    const auto *update = delta.as<JobUpdated>();
    if (!update)
        return;
    const auto job = ActionJob::fromJson(update->job);
    if (!job)
        return;
    Entry entry{Kind::Action,          job->atMs,       delta.hostId, describe(job->action),
                stateText(job->state), int(job->state), job->message, job->action.id};
    if (job->durationMs && job->isFinished())
        entry.message = entry.message.isEmpty() ? formatting::duration(*job->durationMs)
                                                : tr("%1 (after %2)").arg(entry.message, formatting::duration(*job->durationMs));
    for (int row = 0; row < m_entries.size(); ++row) {
        Entry &existing = m_entries[row];
        if (existing.kind == Kind::Action && existing.actionId == job->action.id && existing.hostId == delta.hostId) {
            existing = entry;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            return;
        }
    }
    prepend(entry);
}

void ActionHistoryModel::addRefusal(const HostAction &action, const QString &reason)
{
    prepend(Entry{Kind::Action, QDateTime::currentMSecsSinceEpoch(), action.hostId, describe(action), stateText(ActionJob::State::Refused),
                  int(ActionJob::State::Refused), reason, 0});
}

void ActionHistoryModel::addAlert(const Alert &alert)
{
    QString what;
    switch (alert.kind) {
    case Alert::Kind::HostDown: what = tr("Host down"); break;
    case Alert::Kind::HostBack: what = tr("Host back"); break;
    case Alert::Kind::VramHigh: what = tr("VRAM high"); break;
    case Alert::Kind::TemperatureHigh: what = tr("GPU hot"); break;
    case Alert::Kind::GapSuspected: what = tr("Gap suspected"); break;
    case Alert::Kind::ErrorRate: what = tr("Error rate"); break;
    case Alert::Kind::FailoverStorm: what = tr("Failover storm"); break;
    case Alert::Kind::KeyLimited: what = tr("Key limited"); break;
    case Alert::Kind::BenchRegression: what = tr("Bench regression"); break;
    case Alert::Kind::ConfigRollback: what = tr("Config rollback"); break;
    case Alert::Kind::Test: what = tr("Test alert"); break;
    }
    prepend(Entry{Kind::Alert, alert.atMs, alert.hostId, what, tr("alert"), int(alert.kind), alert.describe(), 0});
}

void ActionHistoryModel::prepend(const Entry &entry)
{
    beginInsertRows({}, 0, 0);
    m_entries.prepend(entry);
    endInsertRows();
    if (m_entries.size() > kMaxEntries) {
        beginRemoveRows({}, kMaxEntries, int(m_entries.size()) - 1);
        m_entries.resize(kMaxEntries);
        endRemoveRows();
    }
}

int ActionHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ActionHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActionHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries.at(index.row());
    switch (role) {
    case KindRole: return int(e.kind);
    case StateRole: return e.stateValue;
    case HostIdRole: return e.hostId;
    case Qt::ToolTipRole: return e.message;
    case Qt::ForegroundRole:
        if (index.column() != StateColumn)
            return {};
        if (e.kind == Kind::Alert || e.stateValue == int(ActionJob::State::Failed) || e.stateValue == int(ActionJob::State::Refused))
            return QColor(0xd6, 0x3b, 0x3b);
        if (e.stateValue == int(ActionJob::State::Skipped))
            return QColor(0xd9, 0x7a, 0x1c);
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return formatting::timestamp(e.atMs);
        case HostColumn: return e.hostId;
        case WhatColumn: return e.what;
        case StateColumn: return e.state;
        case MessageColumn: return e.message;
        }
        return {};
    }
    return {};
}

QVariant ActionHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case HostColumn: return tr("Host");
    case WhatColumn: return tr("What");
    case StateColumn: return tr("State");
    case MessageColumn: return tr("Details");
    }
    return {};
}

} // namespace boo
