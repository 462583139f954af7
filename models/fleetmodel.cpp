#include "models/fleetmodel.h"

#include "core/fleet/fleetstate.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

FleetModel::FleetModel(FleetState *fleet, QObject *parent)
    : QAbstractListModel(parent)
    , m_fleet(fleet)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kCoalesceMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &FleetModel::flush);
    connect(fleet, &FleetState::changed, this, &FleetModel::onChanged);
    connect(fleet, &FleetState::reset, this, &FleetModel::onReset);
    connect(fleet, &FleetState::hostAdded, this, &FleetModel::onHostAdded);
    connect(fleet, &FleetState::hostRemoved, this, &FleetModel::onHostRemoved);
    onReset();
}

int FleetModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

QVariant FleetModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString &id = m_ids.at(index.row());
    const HostState &view = m_views[id];
    switch (role) {
    case Qt::DisplayRole: return view.name.isEmpty() ? view.id : view.name;
    case Qt::ToolTipRole: return view.baseUrl;
    case HostIdRole: return id;
    case HostStateRole: return QVariant::fromValue(view);
    case LivenessRole: return int(view.liveness);
    case JobsRole: return QVariant::fromValue(m_jobs.value(id));
    case SearchTextRole: {
        QStringList parts{view.id, view.name, view.version, view.baseUrl};
        for (const HostedModel &m : view.models)
            parts << m.id << m.name;
        return parts.join(u' ');
    }
    }
    return {};
}

QHash<int, QByteArray> FleetModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(HostIdRole, "hostId");
    names.insert(HostStateRole, "hostState");
    names.insert(LivenessRole, "liveness");
    names.insert(JobsRole, "jobs");
    names.insert(SearchTextRole, "searchText");
    return names;
}

int FleetModel::rowOf(const QString &hostId) const
{
    return int(m_ids.indexOf(hostId));
}

void FleetModel::onChanged(const FleetDelta &delta)
{
    if (delta.is<HostRemoved>() || !delta.isStateChange() || !m_views.contains(delta.hostId))
        return; // hostAdded / hostRemoved handle membership
    if (const auto *update = delta.as<JobUpdated>()) {
        if (auto job = ActionJob::fromJson(update->job))
            recordJob(delta.hostId, *job);
    }
    // Log lines change nothing a card shows; every other delta changes the host's view.
    if (delta.is<LogAppended>())
        return;
    m_dirty.insert(delta.hostId);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void FleetModel::recordJob(const QString &hostId, const ActionJob &job)
{
    QList<ActionJob> &jobs = m_jobs[hostId];
    jobs.removeIf([&](const ActionJob &j) { return j.action.id == job.action.id; });
    jobs.append(job);
    // Unfinished first (oldest first: the running one leads), then the newest results.
    std::stable_sort(jobs.begin(), jobs.end(), [](const ActionJob &a, const ActionJob &b) {
        if (a.isFinished() != b.isFinished())
            return !a.isFinished();
        return a.isFinished() ? a.atMs > b.atMs : a.action.id < b.action.id;
    });
    const qsizetype unfinished = std::count_if(jobs.cbegin(), jobs.cend(), [](const ActionJob &j) { return !j.isFinished(); });
    if (jobs.size() > unfinished + kFinishedJobsKept)
        jobs.resize(unfinished + kFinishedJobsKept);
}

void FleetModel::flush()
{
    m_flushTimer.stop();
    if (!m_fleet)
        return;
    for (const QString &id : std::as_const(m_dirty)) {
        const int row = rowOf(id);
        const auto view = m_fleet->host(id);
        if (row < 0 || !view)
            continue;
        m_views.insert(id, *view);
        const QModelIndex index = this->index(row);
        Q_EMIT dataChanged(index, index, {Qt::DisplayRole, HostStateRole, LivenessRole, JobsRole, SearchTextRole});
    }
    m_dirty.clear();
}

void FleetModel::onReset()
{
    beginResetModel();
    m_ids = m_fleet ? m_fleet->hostIds() : QStringList();
    m_views.clear();
    m_dirty.clear();
    for (const QString &id : std::as_const(m_ids))
        m_views.insert(id, *m_fleet->host(id));
    // Jobs of hosts that are gone go with them; the others stay (a rejoin repeats no jobs).
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
        if (m_views.contains(it.key()))
            ++it;
        else
            it = m_jobs.erase(it);
    }
    endResetModel();
}

void FleetModel::onHostAdded(const QString &id)
{
    if (m_views.contains(id) || !m_fleet)
        return;
    const int row = int(std::lower_bound(m_ids.cbegin(), m_ids.cend(), id) - m_ids.cbegin());
    beginInsertRows({}, row, row);
    m_ids.insert(row, id);
    m_views.insert(id, *m_fleet->host(id));
    endInsertRows();
}

void FleetModel::onHostRemoved(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_ids.removeAt(row);
    m_views.remove(id);
    m_jobs.remove(id);
    m_dirty.remove(id);
    endRemoveRows();
}

} // namespace boo
